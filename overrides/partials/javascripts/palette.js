/* The colour-scheme toggle in the header (the form in overrides/partials/palette.html), in place
 * of Material's palette component. Runs inline once, while the page is parsed (the header stays
 * on instant navigation), so the page is in the reader's colours before its first paint.
 * - Three options, as in mkdocs.yml: the system's scheme, light, dark. The toggle shows one
 *   label, which switches to the next option; Enter on the focused option does the same, and
 *   the arrow keys move through the options (they are radio buttons).
 * - A choice is saved where and as Material saved it (`__md_set("__palette")`: the option's
 *   index and colours), so a choice made with Material's toggle before still holds.
 * - The system option follows the system while the page is open.
 * - Sets an attribute only when its value changes, and never reads a computed style while the
 *   page is being laid out: each change of the body's colour attributes restyles the whole page
 *   (charts.js re-themes the charts on `data-md-color-scheme`). The browser's theme colour (the
 *   phone's address bar) is read from the header once the page has loaded.
 */
(function () {
  "use strict";
  var form = document.querySelector("form[data-primer-palette]");
  if (!form) { return; }
  var inputs = Array.prototype.slice.call(form.querySelectorAll("input[name='__palette']"));
  if (!inputs.length) { return; }
  var KEYS = ["media", "scheme", "primary", "accent"];
  var SYSTEM = "(prefers-color-scheme)";
  var light = window.matchMedia("(prefers-color-scheme: light)");
  var body = document.body;
  var index = 0;

  function colours(input) {
    var color = {};
    KEYS.forEach(function (key) { color[key] = input.getAttribute("data-md-color-" + key); });
    return color;
  }

  // The system option takes the colours of the light or the dark option.
  function resolved(color) {
    if (color.media !== SYSTEM) { return color; }
    var want = light.matches ? "(prefers-color-scheme: light)" : "(prefers-color-scheme: dark)";
    var match = inputs.filter(function (input) {
      return input.getAttribute("data-md-color-media") === want;
    })[0];
    if (!match) { return color; }
    var out = colours(match);
    out.media = SYSTEM;
    return out;
  }

  function saved() {
    try {
      var palette = typeof __md_get === "function" ? __md_get("__palette") : null;
      return palette && typeof palette.index === "number" ? palette.index : -1;
    } catch (error) {
      return -1;  // storage blocked or unreadable: follow the system
    }
  }

  function initial() {
    var stored = saved();
    if (stored >= 0) { return Math.min(stored, inputs.length - 1); }
    for (var i = 0; i < inputs.length; i++) {
      if (window.matchMedia(inputs[i].getAttribute("data-md-color-media")).matches) { return i; }
    }
    return 0;
  }

  // The browser's colours outside the page: its scrollbars and form controls follow the
  // scheme (Material's dark scheme is "slate"), set at once, while no style has been computed
  // yet (a change of the document's colour scheme restyles the whole page); the address bar on
  // a phone takes the header's colour, read when the page's styles are up to date anyway.
  function meta(name) {
    var el = document.head.querySelector("meta[name='" + name + "']");
    if (!el) {
      el = document.createElement("meta");
      el.name = name;
      document.head.appendChild(el);
    }
    return el;
  }
  var schemeMeta = meta("color-scheme");
  var themeColour = meta("theme-color");
  function updateThemeColour() {
    var header = document.querySelector("[data-md-component='header']");
    if (header) { themeColour.content = window.getComputedStyle(header).backgroundColor; }
  }

  // After the next paint, when the page's styles are up to date: reading them is then free.
  // While the page loads, later still: once it has loaded and the browser is idle (a read
  // while the rest of the page is still being parsed would style it all again).
  function afterPaint(fn) {
    window.requestAnimationFrame(function () { window.setTimeout(fn, 0); });
  }
  function whenSettled(fn) {
    var idle = function () {
      if ("requestIdleCallback" in window) { window.requestIdleCallback(fn, { timeout: 2000 }); }
      else { window.setTimeout(fn, 200); }
    };
    if (document.readyState === "complete") { idle(); }
    else { window.addEventListener("load", idle, { once: true }); }
  }

  // The toggle shows the label of the current option (which switches to the next one).
  function showLabel() {
    inputs.forEach(function (input, i) {
      var label = input.nextElementSibling;
      if (label && label.tagName === "LABEL") { label.hidden = i !== index; }
    });
  }
  // Once the header is whole: shown while the page is still being parsed (a first paint can
  // come before the search button after it is parsed), the toggle would move aside for it.
  function whenParsed(fn) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", fn, { once: true });
    } else { fn(); }
  }

  function apply(next, switching) {
    index = next;
    var color = resolved(colours(inputs[index]));
    var changed = KEYS.filter(function (key) {
      return body.getAttribute("data-md-color-" + key) !== color[key];
    });
    // Material's CSS turns transitions off while this attribute is set, so a switch is instant.
    if (switching && changed.length) { body.setAttribute("data-md-color-switching", ""); }
    changed.forEach(function (key) { body.setAttribute("data-md-color-" + key, color[key]); });
    var scheme = color.scheme === "slate" ? "dark" : "light";
    if (schemeMeta.content !== scheme) { schemeMeta.content = scheme; }
    inputs.forEach(function (input, i) { input.checked = i === index; });
    whenParsed(showLabel);
    if (switching) {
      afterPaint(function () {
        body.removeAttribute("data-md-color-switching");
        updateThemeColour();
      });
    } else {
      whenSettled(updateThemeColour);
    }
    return color;
  }

  function choose(next) {
    var color = apply(next, true);
    try {
      if (typeof __md_set === "function") { __md_set("__palette", { index: next, color: color }); }
    } catch (error) {
      // storage blocked: the choice lasts for this page only
    }
  }

  inputs.forEach(function (input, i) {
    input.addEventListener("change", function () { if (input.checked && i !== index) { choose(i); } });
  });
  form.addEventListener("keydown", function (event) {
    if (event.key !== "Enter") { return; }
    event.preventDefault();
    var next = (index + 1) % inputs.length;
    inputs[next].click();
    inputs[next].focus();
  });
  var follow = function () {
    if (inputs[index].getAttribute("data-md-color-media") === SYSTEM) { apply(index, true); }
  };
  if (light.addEventListener) { light.addEventListener("change", follow); }
  else if (light.addListener) { light.addListener(follow); }

  apply(initial(), false);
})();
