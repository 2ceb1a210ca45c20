/* Accessibility fixes for what Material's theme leaves out.
 * - Accessible names for the search dialog and the progress bar (axe: aria-dialog-name,
 *   aria-progressbar-name); both sit outside the content instant navigation swaps.
 * - A table wider than the screen scrolls inside its wrapper; keyboard users must be able to
 *   reach that wrapper to scroll it (axe: scrollable-region-focusable). Re-checked on each
 *   page (instant navigation) and when the window is resized. */
(function () {
  "use strict";
  function name(selector, label) {
    document.querySelectorAll(selector).forEach(function (el) {
      if (!el.hasAttribute("aria-label")) { el.setAttribute("aria-label", label); }
    });
  }
  name(".md-search[role='dialog']", "Search this site");
  name(".md-progress[role='progressbar']", "Loading page");

  function focusableScrollers() {
    var scrollers = ".md-typeset__scrollwrap, .primer-table-scroll, .md-typeset table";
    // Measure every wrapper first, then change attributes: a write between two reads would
    // force a fresh layout of the whole page per table (a long task on a phone).
    var found = Array.prototype.map.call(document.querySelectorAll(scrollers), function (el) {
      return { el: el, scrolls: el.scrollWidth > el.clientWidth + 1 };
    });
    found.forEach(function (item) {
      var el = item.el;
      if (item.scrolls) {
        el.setAttribute("tabindex", "0");
        // A table scrolls itself (Material's inline-block tables): keep its table semantics.
        if (!el.hasAttribute("role") && el.tagName !== "TABLE") {
          var caption = el.querySelector("caption");
          el.setAttribute("role", "region");
          el.setAttribute("aria-label", caption ? caption.textContent.trim() : "Table, scrolls sideways");
        }
      } else if (!el.classList.contains("primer-table-scroll")) {
        el.removeAttribute("tabindex");
      }
    });
  }
  // After the page has painted: measuring before the first frame would force the first
  // layout inside this script (a long task on a phone, counted against the page's load).
  function afterPaint() {
    requestAnimationFrame(function () { setTimeout(focusableScrollers, 0); });
  }
  if (typeof document$ !== "undefined") { document$.subscribe(afterPaint); }
  else { document.addEventListener("DOMContentLoaded", afterPaint); }
  var timer = null;
  window.addEventListener("resize", function () {
    clearTimeout(timer);
    timer = setTimeout(focusableScrollers, 200);
  });
})();
