/* Accessibility fixes for what Material's theme leaves out.
 * - An accessible name for the search dialog (axe: aria-dialog-name). Material's page-load bar
 *   is hidden from assistive technology: it is drawn for the eye, holds no value a screen
 *   reader could read, and sits outside every landmark (axe: region). Both sit outside the
 *   content instant navigation swaps.
 * - A table wider than the screen scrolls inside its wrapper; keyboard users must be able to
 *   reach that wrapper to scroll it (axe: scrollable-region-focusable). Re-checked on each
 *   page (instant navigation), whenever a table or its wrapper changes size (window resized,
 *   fonts loaded) and when a collapsed section opens.
 * Measured only inside a ResizeObserver callback, where the browser has just laid the page out:
 * reading scrollWidth there costs nothing, where a read from a timer forced a fresh layout of
 * the page, and one per table inside a closed <details> (a long task on a phone). The charts'
 * data tables sit in closed <details>: Material's scroll wrapper inside theirs is what scrolls. */
(function () {
  "use strict";
  function name(selector, label) {
    document.querySelectorAll(selector).forEach(function (el) {
      if (!el.hasAttribute("aria-label")) { el.setAttribute("aria-label", label); }
    });
  }
  name(".md-search[role='dialog']", "Search this site");
  document.querySelectorAll(".md-progress").forEach(function (el) {
    el.setAttribute("aria-hidden", "true");
  });

  var SCROLLERS = ".md-typeset__scrollwrap, .md-typeset table";
  var scrollers = [];

  // Inside a closed <details> nothing is laid out (and nothing can scroll): measuring there
  // would force a layout of the hidden part. Checked again when it opens.
  function shown(el) { return !el.closest("details:not([open])"); }

  function update() {
    // Every read before any write: a write between two reads would force a fresh layout.
    var found = scrollers.filter(shown).map(function (el) {
      // Wider than its box and free to scroll (a wrapper left to overflow, e.g. Material's
      // inside our data tables' own, is not a scroller: its parent scrolls).
      return { el: el, scrolls: el.scrollWidth > el.clientWidth + 1
                                && /auto|scroll/.test(getComputedStyle(el).overflowX) };
    });
    found.forEach(function (item) {
      var el = item.el;
      if (item.scrolls) {
        if (el.getAttribute("tabindex") !== "0") { el.setAttribute("tabindex", "0"); }
        // A table scrolls itself (Material's inline-block tables): keep its table semantics.
        if (!el.hasAttribute("role") && el.tagName !== "TABLE") {
          var caption = el.querySelector("caption");
          el.setAttribute("role", "region");
          el.setAttribute("aria-label", caption ? caption.textContent.trim() : "Table, scrolls sideways");
        }
      } else if (el.hasAttribute("tabindex")) {
        el.removeAttribute("tabindex");
      }
    });
  }

  if (typeof ResizeObserver === "undefined") { return; }
  var observer = new ResizeObserver(update);
  function watch() {
    observer.disconnect();
    scrollers = Array.prototype.slice.call(document.querySelectorAll(SCROLLERS));
    // Each scroller and what it holds: the table can widen (fonts) while its wrapper keeps
    // its width. Observing starts with one callback once the page is laid out.
    scrollers.forEach(function (el) {
      observer.observe(el);
      if (el.firstElementChild) { observer.observe(el.firstElementChild); }
    });
  }
  if (typeof document$ !== "undefined") { document$.subscribe(watch); }
  else { document.addEventListener("DOMContentLoaded", watch); }
  // A <details> that opens: observe its scrollers afresh, which reports them next frame.
  document.addEventListener("toggle", function (event) {
    var details = event.target;
    if (!details.open) { return; }
    scrollers.forEach(function (el) {
      if (details.contains(el)) { observer.unobserve(el); observer.observe(el); }
    });
  }, true);
})();
