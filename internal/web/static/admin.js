// shopcare admin: the little the pages need beyond htmx. No inline
// scripts (the Content-Security-Policy forbids them); behaviour hangs on
// data- attributes.
(function () {
  "use strict";

  // <div data-live="/callbacks/events" hx-get="/callbacks/queue" hx-trigger="live">:
  // a server-sent event refreshes the element through htmx.
  function live(root) {
    root.querySelectorAll("[data-live]").forEach(function (el) {
      if (el.dataset.liveOn) return;
      el.dataset.liveOn = "1";
      var es = new EventSource(el.dataset.live);
      es.onmessage = function () { if (window.htmx) window.htmx.trigger(el, "live"); };
      window.addEventListener("beforeunload", function () { es.close(); });
    });
  }

  // <time data-due="2026-11-23T12:00:00Z">: how long is left, or how
  // long it is overdue, refreshed every 15 s; the server renders the
  // first value, so this only keeps it current.
  function countdowns() {
    var now = Date.now();
    document.querySelectorAll("[data-due]").forEach(function (el) {
      var ms = Date.parse(el.dataset.due) - (now + skew());
      var min = Math.round(Math.abs(ms) / 60000);
      var text = min >= 60 ? Math.floor(min / 60) + " h " + (min % 60) + " min" : min + " min";
      el.textContent = (ms < 0 ? "−" : "") + text;
      el.closest("tr, li, article") && el.closest("tr, li, article").classList.toggle("overdue", ms < 0);
    });
  }

  // The shop's clock may not be the browser's (the demo runs a simulated
  // clock): the page says what "now" is, and countdowns keep the offset.
  var loadedAt = Date.now();
  function skew() {
    var n = document.querySelector("[data-now]");
    if (!n) return 0;
    var speed = parseFloat(n.dataset.speed || "1");
    return Date.parse(n.dataset.now) - loadedAt + (Date.now() - loadedAt) * (speed - 1);
  }

  // <form data-checklist>: the finish button is enabled once every box is
  // ticked (the server checks again).
  function checklists(root) {
    root.querySelectorAll("form[data-checklist]").forEach(function (form) {
      var boxes = form.querySelectorAll("input[type=checkbox][required]");
      var button = form.querySelector("[data-finish]");
      function update() {
        var all = Array.prototype.every.call(boxes, function (b) { return b.checked; });
        if (button) button.disabled = !all;
      }
      boxes.forEach(function (b) { b.addEventListener("change", update); });
      update();
    });
  }

  function init(root) { live(root); checklists(root); countdowns(); }
  document.addEventListener("DOMContentLoaded", function () {
    init(document);
    setInterval(countdowns, 15000);
  });
  document.addEventListener("htmx:afterSettle", function (e) { init(e.target); });
})();
