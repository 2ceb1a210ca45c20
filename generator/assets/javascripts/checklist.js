/* The investor checklist: ticks persist in this browser (localStorage, no server), a Reset
 * button clears them and a progress line counts them. Material's instant navigation swaps page
 * content without running inline scripts, so every checklist is (re)initialised on each
 * `document$` emission; an element already set up is marked and skipped. */
(function () {
  "use strict";

  var PREFIX = "primer-checklist:";

  function storageKey(list) {
    return PREFIX + (list.dataset.checklist || "default");
  }

  function load(list) {
    try {
      var state = JSON.parse(window.localStorage.getItem(storageKey(list)) || "{}");
      return state && typeof state === "object" ? state : {};
    } catch (error) {
      return {};  // storage blocked or corrupt: start empty rather than fail
    }
  }

  function save(list, state) {
    try {
      window.localStorage.setItem(storageKey(list), JSON.stringify(state));
    } catch (error) { /* private mode or quota: ticks last for this visit only */ }
  }

  function boxes(list) {
    return Array.prototype.slice.call(list.querySelectorAll("input[type=checkbox][data-item]"));
  }

  function render(list) {
    var all = boxes(list);
    var done = all.filter(function (box) { return box.checked; }).length;
    var text = list.querySelector("[data-progress]");
    var meter = list.querySelector("progress");
    if (text) {
      text.textContent = done === all.length
        ? "All " + all.length + " done"
        : done + " of " + all.length + " done";
    }
    if (meter) {
      meter.max = all.length;
      meter.value = done;
      meter.hidden = false;
    }
    all.forEach(function (box) {
      var item = box.closest(".primer-check");
      if (item) { item.classList.toggle("is-done", box.checked); }
    });
    list.classList.toggle("is-complete", all.length > 0 && done === all.length);
  }

  function apply(list) {
    var state = load(list);
    boxes(list).forEach(function (box) { box.checked = state[box.dataset.item] === true; });
    render(list);
  }

  function init(list) {
    if (list.dataset.ready === "true") { return; }
    list.dataset.ready = "true";
    apply(list);
    list.addEventListener("change", function (event) {
      var box = event.target;
      if (!box.matches || !box.matches("input[type=checkbox][data-item]")) { return; }
      var state = load(list);
      if (box.checked) { state[box.dataset.item] = true; } else { delete state[box.dataset.item]; }
      save(list, state);
      render(list);
    });
    var reset = list.querySelector("[data-reset]");
    if (reset) {
      reset.addEventListener("click", function () {
        try { window.localStorage.removeItem(storageKey(list)); } catch (error) { /* ignore */ }
        boxes(list).forEach(function (box) { box.checked = false; });
        render(list);
      });
    }
  }

  function initAll() {
    document.querySelectorAll("[data-checklist]").forEach(init);
  }

  // Another tab ticked or reset the same checklist: follow it.
  window.addEventListener("storage", function (event) {
    if (!event.key || event.key.indexOf(PREFIX) !== 0) { return; }
    document.querySelectorAll("[data-checklist]").forEach(function (list) {
      if (storageKey(list) === event.key) { apply(list); }
    });
  });

  if (typeof document$ !== "undefined") {
    document$.subscribe(initAll);
  } else {
    document.addEventListener("DOMContentLoaded", initAll);
  }
})();
