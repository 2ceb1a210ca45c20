/* Material's bundle on demand (overrides/main.html). The bundle is what makes navigation
 * instant, search answer, the contents follow the scroll and glossary tooltips appear; none of
 * it is needed to read a page, and starting it is the longest task of a page load on a phone
 * (its run and its start-up handler: about 0.6 s at Lighthouse's 4x CPU slowdown). So the page
 * is read without it, and it starts at the reader's first sign of use: a pointer that moves or
 * presses, a touch, a key, a scroll, a focus. Its file is fetched at low priority once the page
 * has loaded, so it is ready when asked for.
 * - The page's scripts (charts.js, checklist.js, a11y.js) wait for `document$`, Material's
 *   stream of pages. Until the bundle runs, this stands in for it: it hands them this page once
 *   parsed; once the bundle runs, they follow Material's own stream (the pages that instant
 *   navigation brings), not this page a second time.
 * - Material starts on DOMContentLoaded, long past when it runs now: the event is sent again
 *   once it has loaded. `data-primer-material="ready"` on <html> says it has started.
 * - A first key that is one of Material's shortcuts (search, previous and next page) is handed
 *   to it once it has started, so "/" still opens the search.
 * - Without JavaScript, or if the bundle fails to load, the site is as Material leaves it
 *   without its bundle: every page, link, chart image and table is there.
 */
(function () {
  "use strict";
  var tag = document.querySelector("script[data-primer-bundle]");
  if (!tag || typeof window.document$ !== "undefined") { return; }
  var root = document.documentElement;
  var SIGNS = ["pointermove", "pointerdown", "touchstart", "keydown", "wheel", "scroll", "focusin"];
  var SHORTCUTS = ["/", "s", "f", "p", ",", "n", "."];
  var subscribers = [];
  var parsed = false;

  window.document$ = {
    subscribe: function (next) {
      subscribers.push(next);
      if (parsed) { next(document); }
      return { unsubscribe: function () {
        subscribers = subscribers.filter(function (fn) { return fn !== next; });
      } };
    }
  };
  document.addEventListener("DOMContentLoaded", function () {
    parsed = true;
    subscribers.slice().forEach(function (next) { next(document); });
  }, { once: true });

  function follow(material) {
    subscribers.forEach(function (next) {
      var current = true; // Material's first emission is this page, which they have
      material.subscribe(function (page) {
        if (current) { current = false; return; }
        next(page);
      });
    });
  }

  function shortcut(event) {
    return event && event.type === "keydown" && !event.ctrlKey && !event.metaKey
      && !event.altKey && SHORTCUTS.indexOf(event.key) >= 0 ? event.key : "";
  }

  function start(event) {
    SIGNS.forEach(function (name) { window.removeEventListener(name, start, true); });
    if (root.hasAttribute("data-primer-material")) { return; }
    var key = shortcut(event);
    root.setAttribute("data-primer-material", "loading");
    // A reader who scrolls while the page is still arriving: Material starts on the whole
    // page, once it is parsed (and our scripts have had it), not on the part parsed so far.
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", function () { load(key); }, { once: true });
    } else {
      load(key);
    }
  }

  function load(key) {
    var script = document.createElement("script");
    script.src = tag.getAttribute("src");
    script.onload = function () {
      if (window.document$ && window.document$.pipe) { follow(window.document$); }
      document.dispatchEvent(new Event("DOMContentLoaded"));
      root.setAttribute("data-primer-material", "ready");
      if (key) {
        (document.activeElement || document.body).dispatchEvent(
          new KeyboardEvent("keydown", { key: key, bubbles: true, cancelable: true }));
      }
    };
    script.onerror = function () { root.setAttribute("data-primer-material", "failed"); };
    document.body.appendChild(script);
  }

  SIGNS.forEach(function (name) {
    window.addEventListener(name, start, { capture: true, passive: true });
  });
  window.addEventListener("load", function () {
    if (root.hasAttribute("data-primer-material")) { return; }
    var link = document.createElement("link");
    link.rel = "prefetch";
    link.as = "script";
    link.href = tag.getAttribute("src");
    document.head.appendChild(link);
  }, { once: true });
})();
