/* Draws every chart on the page from its figure JSON, and re-themes charts when the reader
 * switches between light and dark. One site-wide script: Material's instant navigation swaps
 * page content without running inline scripts, so we redraw on each `document$` emission. */
(function () {
  "use strict";

  function palette() {
    var style = getComputedStyle(document.body);
    var fg = style.getPropertyValue("--md-default-fg-color").trim() || "#222";
    var muted = style.getPropertyValue("--md-default-fg-color--lighter").trim() || "rgba(0,0,0,.32)";
    var faint = style.getPropertyValue("--md-default-fg-color--lightest").trim() || "rgba(0,0,0,.07)";
    var bg = style.getPropertyValue("--md-default-bg-color").trim() || "#fff";
    return { fg: fg, muted: muted, faint: faint, bg: bg };
  }

  function themed(layout) {
    var p = palette();
    var narrow = window.matchMedia("(max-width: 600px)").matches;
    var update = {
      "paper_bgcolor": "rgba(0,0,0,0)",
      "plot_bgcolor": "rgba(0,0,0,0)",
      "font.color": p.fg,
      "font.family": "var(--md-text-font-family), Roboto, Helvetica, Arial, sans-serif",
      "font.size": narrow ? 11 : 13,
      "legend.bgcolor": "rgba(0,0,0,0)",
      "hoverlabel.bgcolor": p.bg,
      "hoverlabel.font.color": p.fg,
      "margin.l": narrow ? 44 : (layout.margin && layout.margin.l) || 56,
      "margin.r": narrow ? 8 : (layout.margin && layout.margin.r) || 16
    };
    Object.keys(layout).forEach(function (key) {
      if (/^[xy]axis\d*$/.test(key)) {
        update[key + ".gridcolor"] = p.faint;
        update[key + ".linecolor"] = p.muted;
        update[key + ".zerolinecolor"] = p.muted;
        update[key + ".tickcolor"] = p.muted;
        if (key.charAt(0) === "x" && layout[key].rangeselector) {
          update[key + ".rangeselector.bgcolor"] = p.faint;
          update[key + ".rangeselector.activecolor"] = p.muted;
          update[key + ".rangeselector.font.color"] = p.fg;
        }
      }
    });
    if (!layout.xaxis) { update["xaxis.gridcolor"] = p.faint; }
    if (!layout.yaxis) { update["yaxis.gridcolor"] = p.faint; }
    return update;
  }

  function apply(layout, update) {
    var out = JSON.parse(JSON.stringify(layout || {}));
    Object.keys(update).forEach(function (path) {
      var keys = path.split("."), node = out;
      for (var i = 0; i < keys.length - 1; i++) {
        if (typeof node[keys[i]] !== "object" || node[keys[i]] === null) { node[keys[i]] = {}; }
        node = node[keys[i]];
      }
      node[keys[keys.length - 1]] = update[path];
    });
    return out;
  }

  var config = {
    responsive: true, displaylogo: false,
    modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d", "toggleSpikelines"]
  };

  function draw(el) {
    if (el.dataset.state === "drawing" || el.dataset.state === "drawn") { return; }
    el.dataset.state = "drawing";
    fetch(el.dataset.src)
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status + " " + el.dataset.src); }
        return response.json();
      })
      .then(function (fig) {
        var layout = apply(fig.layout, themed(fig.layout || {}));
        layout.autosize = true;
        return Plotly.newPlot(el, fig.data, layout, config);
      })
      .then(function () { return clearRangeButtons(el); })
      .then(function () { el.dataset.state = "drawn"; })
      .catch(function (error) {
        el.dataset.state = "error";
        el.textContent = "This chart could not be loaded (" + error.message + "). " +
          "Its data is in the CSV linked below.";
      });
  }

  /* A legend that wraps onto several lines can reach down over the range buttons, which sit
   * just above the plot. If it does, lower the plot (top margin) until they clear. */
  function clearRangeButtons(el) {
    var legend = el.querySelector(".legend"), buttons = el.querySelector(".rangeselector");
    if (!legend || !buttons) { return null; }
    var overlap = legend.getBoundingClientRect().bottom - buttons.getBoundingClientRect().top;
    if (overlap <= -2) { return null; }
    var top = (el._fullLayout && el._fullLayout.margin && el._fullLayout.margin.t) || 36;
    return Plotly.relayout(el, { "margin.t": Math.ceil(top + overlap + 6) });
  }

  function drawAll() {
    document.querySelectorAll(".primer-chart[data-src]").forEach(draw);
  }

  function rethemeAll() {
    document.querySelectorAll(".primer-chart").forEach(function (el) {
      if (el.dataset.state === "drawn" && el.layout) {
        Plotly.relayout(el, themed(el.layout));
      }
    });
  }

  if (typeof document$ !== "undefined") {
    document$.subscribe(drawAll);
  } else {
    document.addEventListener("DOMContentLoaded", drawAll);
  }
  new MutationObserver(rethemeAll).observe(document.body, {
    attributes: true, attributeFilter: ["data-md-color-scheme"]
  });
})();
