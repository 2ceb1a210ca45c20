/* The site's one chart script.
 *
 * - Makes every `.primer-chart[data-src]` interactive from its figure JSON. Material's instant
 *   navigation swaps page content without running inline scripts, so we look for charts on each
 *   `document$` emission (and on DOMContentLoaded without Material).
 * - A chart built with its images (`.primer-chart__static`, made at build time) is already on
 *   screen: plotly.js (the vendored basic bundle) loads only when the reader reaches for one
 *   (pointer, touch or focus on the chart) or, once the reader has interacted with the page, when
 *   the browser is idle and the chart is in view; the live chart then replaces the image in the
 *   same box (no layout shift). A chart without images is drawn when it comes near the viewport.
 * - Themes charts with the site's two plotly templates (`figures/templates.json`, light and
 *   dark, the same the images are drawn with) and re-themes them, without a reload, whenever
 *   `data-md-color-scheme` changes. Reads no plotly internals, only the figure's own
 *   `data`/`layout`.
 * - Adapts the layout to the chart's width (smaller font, fewer ticks, tighter margins, a
 *   smaller y title font below 600 px) and puts the legend under the plot when the top row holds the range
 *   selector or the log toggle (they used to overlap the legend).
 * - Adds a "Log scale" toggle button above long-history growth charts, and re-fits the y axis
 *   to the visible dates when the reader picks 1Y / 5Y / 10Y.
 * - Says when it is done, for tests and tools (wait on these, never on a timer): each chart gets
 *   `data-ready="true"` once drawn and themed (`"false"` while a re-theme, resize or axis change
 *   is in flight, `"error"` if it failed) and `data-scheme` names the colour scheme it is themed
 *   for; `data-charts-ready="true"` on `<html>` and on the page's `<article>` (new on each
 *   instant navigation, so never stale) once every chart that is drawing or drawn on the
 *   current page (those near the viewport, or all after `primerCharts.drawAll()`) is ready.
 */
(function () {
  "use strict";

  var NARROW = 600; // px of chart width below which the compact layout applies
  var script = document.currentScript;
  var bundleUrl = script && script.src ?
    script.src.replace(/charts\.js(\?.*)?$/, "plotly-basic.min.js") :
    "assets/javascripts/plotly-basic.min.js";
  var plotlyReady = null;

  function loadPlotly() {
    if (window.Plotly) { return Promise.resolve(window.Plotly); }
    if (!plotlyReady) {
      plotlyReady = new Promise(function (resolve, reject) {
        var tag = document.createElement("script");
        tag.src = bundleUrl;
        tag.async = true;
        tag.onload = function () { resolve(window.Plotly); };
        tag.onerror = function () {
          plotlyReady = null;
          reject(new Error("plotly.js could not be loaded"));
        };
        document.head.appendChild(tag);
      });
    }
    return plotlyReady;
  }

  /* ---- templates (light / dark) ---------------------------------------------------------- */

  var templates = null; // {default: template, slate: template} once loaded
  var templatesReady = null;

  function loadTemplates(src) {
    if (!templatesReady) {
      templatesReady = fetch(src.replace(/[^/]*$/, "templates.json")).then(function (response) {
        if (!response.ok) { throw new Error(response.status + " templates.json"); }
        return response.json();
      }).then(function (loaded) { templates = loaded; return loaded; }, function (error) {
        templatesReady = null;
        throw error;
      });
    }
    return templatesReady;
  }

  function currentTemplate() {
    return templates[scheme()] || templates["default"];
  }

  function get(obj, path) {
    return path.split(".").reduce(function (node, key) {
      return node === undefined || node === null ? undefined : node[key];
    }, obj);
  }

  /* ---- layout: theme + width ------------------------------------------------------------- */

  function axisKeys(layout) {
    var keys = Object.keys(layout).filter(function (k) { return /^[xy]axis\d*$/.test(k); });
    if (keys.indexOf("xaxis") < 0) { keys.push("xaxis"); }
    if (keys.indexOf("yaxis") < 0) { keys.push("yaxis"); }
    return keys;
  }

  function hasRangeSelector(layout) {
    return axisKeys(layout).some(function (k) { return k.charAt(0) === "x" && get(layout, k + ".rangeselector"); });
  }

  /* The update (plotly relayout paths) that themes `original` for the current palette and the
   * chart's `width` (colours come from the template). Computed from the figure's original
   * layout. generator/figures/templates.py `sized_layout` is its twin for the images. */
  function adapted(original, width, yType) {
    var narrow = width < NARROW;
    var margin = original.margin || {};
    // The top row holds the range selector (left) and the log toggle (right, an HTML button).
    var selector = hasRangeSelector(original) || wantsLogToggle(original);
    var u = {
      "font.size": narrow ? 11 : 13,
      "legend.orientation": "h",
      "legend.x": 0,
      "legend.xanchor": "left",
      "margin.l": narrow ? 8 : (margin.l !== undefined ? margin.l : 56),
      "margin.r": narrow ? 8 : (margin.r !== undefined ? margin.r : 16),
      "margin.t": selector ? 40 : (narrow ? 16 : (margin.t !== undefined ? margin.t : 36)),
      "margin.b": narrow ? 8 : (margin.b !== undefined ? margin.b : 40),
      "margin.autoexpand": true
    };
    if (selector || narrow) {
      // Legend under the plot: the top row belongs to the range selector, and on a phone a
      // wrapped legend would eat the plot's height from the top.
      u["legend.yref"] = "container";
      u["legend.y"] = 0;
      u["legend.yanchor"] = "bottom";
    } else {
      u["legend.yref"] = "paper";
      u["legend.y"] = 1.02;
      u["legend.yanchor"] = "bottom";
    }
    axisKeys(original).forEach(function (key) {
      var axis = original[key] || {};
      u[key + ".automargin"] = true;
      if (key.charAt(0) === "x") {
        var dated = axis.type === "date";
        u[key + ".nticks"] = narrow ? (dated ? 5 : 7) : (axis.nticks || null);
        if (axis.rangeselector) {
          u[key + ".rangeselector.x"] = 0;
          u[key + ".rangeselector.xanchor"] = "left";
          u[key + ".rangeselector.y"] = 1.0;
          u[key + ".rangeselector.yanchor"] = "bottom";
          u[key + ".rangeselector.yref"] = "paper";
          u[key + ".rangeselector.pad"] = { t: 0, b: 8 };
        }
      } else {
        u[key + ".nticks"] = narrow ? 6 : (axis.nticks || null);
        // Log axes over one or two decades otherwise label every minor tick ($6k, $7k, ...).
        var ticks = yTicks(axis, key === "yaxis" && yType ? yType : axis.type, Infinity);
        Object.keys(ticks).forEach(function (k) { u[key + "." + k] = ticks[k]; });
        // On a phone the axis title stays (readers need the unit), in a smaller font close to
        // the ticks so it costs little width.
        u[key + ".title.standoff"] = narrow ? 2 : 6;
        u[key + ".title.font.size"] = narrow ? 10 : (get(axis, "title.font.size") || null);
        var title = get(axis, "title.text");
        if (title !== undefined) {
          if (key === "yaxis" && yType && yType !== axis.type) {
            title = yType === "log" ? title + " (log scale)" : title.replace(/\s*\(log scale\)/i, "");
          }
          u[key + ".title.text"] = title;
        }
      }
    });
    return u;
  }

  /* Tick rule for a y axis shown as `type` over `decades` (log10 of max/min). A log axis gets
   * 1-2-5 labels (the figure's own tickvals, else dtick "D2") while it spans a decade or more;
   * under a decade, or on a linear axis, plotly picks the ticks. Explicit dtick is kept. */
  function yTicks(axis, type, decades) {
    if (axis.dtick !== undefined && axis.type === type) { return {}; }
    var own = axis.tickvals !== undefined && axis.tickvals !== null && axis.type === type;
    if (type === "log") {
      if (decades < 1) { return { tickmode: "auto", dtick: null }; }
      return own ? { tickmode: "array" } : { tickmode: "auto", dtick: "D2" };
    }
    return own ? { tickmode: "array" } : { tickmode: "auto", dtick: null };
  }

  function applyPaths(layout, update) {
    var out = JSON.parse(JSON.stringify(layout || {}));
    Object.keys(update).forEach(function (path) {
      var keys = path.replace(/\[(\d+)\]/g, ".$1").split("."), node = out;
      for (var i = 0; i < keys.length - 1; i++) {
        if (typeof node[keys[i]] !== "object" || node[keys[i]] === null) { node[keys[i]] = {}; }
        node = node[keys[i]];
      }
      node[keys[keys.length - 1]] = update[path];
    });
    return out;
  }

  function chartConfig() {
    return {
      // No mode bar: it would cover the top row, and drag-to-zoom / double-click-to-reset work
      // without it (the data is one click away as a table and CSV).
      responsive: true, displaylogo: false, displayModeBar: false
    };
  }

  /* ---- range selector: fit the y axis to the dates shown ----------------------------------- */

  var TYPED = {
    f8: Float64Array, f4: Float32Array, i4: Int32Array, i2: Int16Array, i1: Int8Array,
    u4: Uint32Array, u2: Uint16Array, u1: Uint8Array, u1c: Uint8ClampedArray
  };
  var decoded = typeof WeakMap === "function" ? new WeakMap() : null;

  // A trace array as plotly's JSON holds it: a plain array, or base64 `{dtype, bdata}`.
  function values(array) {
    if (!array || array.bdata === undefined) { return array || []; }
    var hit = decoded && decoded.get(array);
    if (hit) { return hit; }
    var text = atob(array.bdata), bytes = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) { bytes[i] = text.charCodeAt(i); }
    var Type = TYPED[array.dtype] || Float64Array;
    var out = new Type(bytes.buffer);
    if (decoded) { decoded.set(array, out); }
    return out;
  }

  function axisType(el, key) {
    return get(el.layout, key + ".type") || "linear";
  }

  function visibleYRange(el, range) {
    var lo = Infinity, hi = -Infinity;
    var start = new Date(range[0]).getTime(), end = new Date(range[1]).getTime();
    (el.data || []).forEach(function (trace) {
      if (trace.visible === false || trace.visible === "legendonly" || !trace.x || !trace.y) { return; }
      if (trace.yaxis && trace.yaxis !== "y") { return; }
      var xs = values(trace.x), ys = values(trace.y);
      for (var i = 0; i < xs.length; i++) {
        var t = new Date(xs[i]).getTime(), y = ys[i];
        if (t >= start && t <= end && typeof y === "number" && isFinite(y)) {
          if (y < lo) { lo = y; }
          if (y > hi) { hi = y; }
        }
      }
      if (/tozero/.test(trace.fill || "")) { lo = Math.min(lo, 0); hi = Math.max(hi, 0); }
    });
    return lo <= hi ? [lo, hi] : null;
  }

  function fitY(el, event) {
    var xa = el.layout.xaxis || {};
    if (xa.type !== "date" || el.dataset.fitting === "1") { return; }
    var changed = event && (event["xaxis.range[0]"] !== undefined || event["xaxis.range"] ||
      event["xaxis.autorange"]);
    if (!changed) { return; }
    var update;
    var type = axisType(el, "yaxis"), log = type === "log";
    var axis = el._primerOriginal.yaxis || {};
    var ticks;
    if (event["xaxis.autorange"]) {
      update = { "yaxis.autorange": true };
      ticks = yTicks(axis, type, Infinity);
    } else {
      var range = get(el.layout, "xaxis.range");
      if (!range) { return; }
      var span = visibleYRange(el, range);
      if (!span) { return; }
      var lo = log ? Math.log10(Math.max(span[0], 1e-9)) : span[0];
      var hi = log ? Math.log10(Math.max(span[1], 1e-9)) : span[1];
      var pad = (hi - lo || Math.abs(hi) || 1) * 0.06;
      update = { "yaxis.range": [lo - pad, hi + pad] };
      // Under a decade, 1-2-5 log ticks leave one label or none: let plotly choose.
      ticks = yTicks(axis, type, log ? hi - lo : Infinity);
    }
    Object.keys(ticks).forEach(function (k) { update["yaxis." + k] = ticks[k]; });
    el.dataset.fitting = "1";
    settle(el, Plotly.relayout(el, update)).then(function () { el.dataset.fitting = ""; },
      function () { el.dataset.fitting = ""; });
  }

  /* ---- log / linear toggle ---------------------------------------------------------------- */

  function wantsLogToggle(layout) {
    return get(layout, "yaxis.type") === "log" || get(layout, "meta.log_toggle") === true;
  }

  function addLogToggle(el) {
    var figure = el.closest(".primer-figure") || el.parentNode;
    if (figure.querySelector(".primer-chart__tools")) { return; }
    var tools = document.createElement("div");
    tools.className = "primer-chart__tools";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "md-button primer-chart__toggle";
    var sync = function () {
      var log = axisType(el, "yaxis") === "log";
      button.textContent = "Log scale";
      button.setAttribute("aria-pressed", log ? "true" : "false");
      button.title = log ? "Switch the vertical axis to a linear scale" :
        "Switch the vertical axis to a log scale (equal distances are equal percentage changes)";
    };
    button.addEventListener("click", function () {
      var log = axisType(el, "yaxis") === "log";
      var next = log ? "linear" : "log";
      var update = adapted(el._primerOriginal, el.clientWidth, next);
      update["yaxis.type"] = next;
      update["yaxis.autorange"] = true;
      settle(el, Plotly.relayout(el, update)).then(function () {
        fitY(el, { "xaxis.range": get(el.layout, "xaxis.range") });
        sync();
      });
    });
    sync();
    tools.appendChild(button);
    figure.insertBefore(tools, el);
    alignTools(el);
  }

  // The toggle shares the range selector's row.
  function alignTools(el) {
    var figure = el.closest(".primer-figure") || el.parentNode;
    var tools = figure.querySelector(".primer-chart__tools");
    var selector = el.querySelector(".rangeselector");
    if (!tools) { return; }
    var top = selector ? selector.getBoundingClientRect().top - el.getBoundingClientRect().top : 4;
    tools.style.top = Math.max(0, Math.round(top)) + "px";
  }

  /* ---- readiness (data-ready / data-charts-ready) ----------------------------------------- */

  var unseen = 0; // charts observed on this page whose first visibility report has not come

  function scheme() {
    return document.body.getAttribute("data-md-color-scheme") || "default";
  }

  function pageReady() {
    var busy = unseen > 0 || Array.prototype.some.call(
      document.querySelectorAll(".primer-chart[data-src]"), function (el) {
        return el.dataset.state === "drawing" ||
          (el.dataset.state === "drawn" && el.dataset.ready !== "true");
      });
    var value = busy ? "false" : "true";
    document.documentElement.dataset.chartsReady = value;
    // The article is replaced on instant navigation, so its flag is never the last page's.
    var article = document.querySelector("article.md-content__inner");
    if (article) { article.dataset.chartsReady = value; }
  }

  // Mark `el` busy until `work` (a promise of a plotly call) settles, then ready again.
  function settle(el, work) {
    el.dataset.ready = "false";
    pageReady();
    return Promise.resolve(work).then(function (value) {
      el.dataset.ready = "true";
      el.dataset.scheme = scheme();
      pageReady();
      return value;
    }, function (error) {
      el.dataset.ready = "error";
      pageReady();
      throw error;
    });
  }

  /* ---- drawing ---------------------------------------------------------------------------- */

  function fail(el, error) {
    el.dataset.state = "error";
    el.dataset.ready = "error";
    if (hasImage(el)) { return; } // the image stays: the chart is still there, not interactive
    el.textContent = "This chart could not be loaded (" + error.message + "). " +
      "Its data is in the table and the CSV below.";
  }

  function hasImage(el) { return !!el.querySelector(".primer-chart__static"); }

  // The live chart is drawn over the image in the same box; then the image goes.
  function dropImage(el) {
    el.querySelectorAll(".primer-chart__static").forEach(function (node) {
      node.parentNode.removeChild(node);
    });
  }

  function draw(el) {
    if (el.dataset.state === "drawing" || el.dataset.state === "drawn") { return; }
    el.dataset.state = "drawing";
    el.dataset.ready = "false";
    pageReady();
    if (observer) { observer.unobserve(el); }
    Promise.all([loadPlotly(), fetch(el.dataset.src).then(function (response) {
      if (!response.ok) { throw new Error(response.status + " " + el.dataset.src); }
      return response.json();
    }), loadTemplates(el.dataset.src)])
      .then(function (loaded) {
        var fig = loaded[1];
        el._primerOriginal = fig.layout || {};
        var width = el.clientWidth || window.innerWidth;
        el._primerNarrow = width < NARROW;
        var layout = applyPaths(fig.layout, adapted(el._primerOriginal, width));
        layout.autosize = true;
        layout.template = currentTemplate();
        return Plotly.newPlot(el, fig.data, layout, chartConfig());
      })
      .then(function () {
        dropImage(el);
        el.on("plotly_relayout", function (event) { fitY(el, event); });
        if (wantsLogToggle(el._primerOriginal)) { addLogToggle(el); }
        el.dataset.state = "drawn";
        el.dataset.ready = "true";
        el.dataset.scheme = scheme();
        pageReady();
      })
      .catch(function (error) { fail(el, error); pageReady(); });
  }

  /* ---- when to draw ----------------------------------------------------------------------- */

  // A chart with an image becomes live when the reader reaches for it, or - once the reader has
  // touched the page at all - when the browser is idle and the chart is in view. A page load
  // alone (a crawler, a preview, Lighthouse) never pays for plotly.js.
  var engaged = false;
  var idleQueued = false;

  function whenIdle(fn) {
    if ("requestIdleCallback" in window) { window.requestIdleCallback(fn, { timeout: 3000 }); }
    else { setTimeout(fn, 300); }
  }

  function upgradeVisible() {
    idleQueued = false;
    document.querySelectorAll(".primer-chart[data-visible='1'][data-state='pending']")
      .forEach(draw);
  }

  function queueIdle() {
    if (!engaged || idleQueued) { return; }
    idleQueued = true;
    whenIdle(upgradeVisible);
  }

  function onEngage() {
    if (engaged) { return; }
    engaged = true;
    ENGAGE.forEach(function (type) { window.removeEventListener(type, onEngage, true); });
    queueIdle();
  }

  var ENGAGE = ["scroll", "pointerdown", "pointermove", "keydown", "touchstart", "wheel"];
  ENGAGE.forEach(function (type) {
    window.addEventListener(type, onEngage, { capture: true, passive: true });
  });

  // Reaching for a chart (pointer, touch, focus on it or its controls) makes it live now.
  function armChart(el) {
    var go = function () { draw(el); };
    ["pointerenter", "pointerdown", "touchstart"].forEach(function (type) {
      el.addEventListener(type, go, { once: true, passive: true });
    });
    var figure = el.closest(".primer-figure");
    if (figure) { figure.addEventListener("focusin", go, { once: true }); }
  }

  var observer = "IntersectionObserver" in window ? new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      var el = entry.target;
      if (el.dataset.seen !== "1") {
        el.dataset.seen = "1";
        unseen = Math.max(0, unseen - 1);
      }
      el.dataset.visible = entry.isIntersecting ? "1" : "0";
      if (!entry.isIntersecting) { return; }
      if (hasImage(el)) { queueIdle(); } else { draw(el); }
    });
    pageReady();
  }, { rootMargin: "100px 0px" }) : null; // draw what the reader is about to see, no more

  function findCharts() {
    var charts = document.querySelectorAll(".primer-chart[data-src]");
    var live = false;
    unseen = 0;
    charts.forEach(function (el) {
      if (el.dataset.state) { return; }
      el.dataset.state = "pending";
      if (hasImage(el)) { armChart(el); } else { live = true; }
      if (observer) { unseen += 1; observer.observe(el); } else if (!hasImage(el)) { draw(el); }
    });
    if (live) { prefetchPlotly(); }
    pageReady();
  }

  // Fetch the bundle early at low priority (charts without images), run it when one is drawn.
  function prefetchPlotly() {
    if (window.Plotly || document.querySelector("link[data-primer-plotly]")) { return; }
    var link = document.createElement("link");
    link.rel = "prefetch";
    link.as = "script";
    link.href = bundleUrl;
    link.setAttribute("data-primer-plotly", "");
    document.head.appendChild(link);
  }

  function drawn() { return document.querySelectorAll(".primer-chart[data-state='drawn']"); }

  function rethemeAll() {
    if (!templates) { return; }
    drawn().forEach(function (el) {
      if (el.dataset.scheme === scheme()) { return; }
      var layout = applyPaths(el.layout, {});
      layout.template = currentTemplate();
      settle(el, Plotly.react(el, el.data, layout, chartConfig()));
    });
  }

  var resizeTimer = null;
  function onResize() {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(function () {
      drawn().forEach(function (el) {
        var narrow = el.clientWidth < NARROW;
        if (narrow !== el._primerNarrow) {
          el._primerNarrow = narrow;
          var update = adapted(el._primerOriginal, el.clientWidth, axisType(el, "yaxis"));
          settle(el, Plotly.react(el, el.data, applyPaths(el.layout, update), chartConfig()))
            .then(function () { alignTools(el); });
        }
      });
    }, 150);
  }

  // Open a chart's data table when a link points at it.
  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (target && target.tagName === "DETAILS") { target.open = true; }
  }

  // For tests and for printing: draw every chart on the page now.
  window.primerCharts = {
    drawAll: function () {
      document.querySelectorAll(".primer-chart[data-src]").forEach(function (el) {
        if (observer) { observer.unobserve(el); }
        if (el.dataset.state === "pending" && el.dataset.seen !== "1") {
          el.dataset.seen = "1";
          unseen = Math.max(0, unseen - 1);
        }
        draw(el);
      });
    }
  };

  if (typeof document$ !== "undefined") {
    document$.subscribe(function () { findCharts(); openTarget(); });
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", findCharts);
  } else {
    findCharts();
  }
  window.addEventListener("hashchange", openTarget);
  window.addEventListener("resize", onResize);
  // Charts with images print as they are; a chart without one is drawn for the printer.
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll(".primer-chart[data-src]").forEach(function (el) {
      if (!hasImage(el)) { draw(el); }
    });
  });
  new MutationObserver(rethemeAll).observe(document.body, {
    attributes: true, attributeFilter: ["data-md-color-scheme"]
  });
})();
