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
      el.textContent = dueIn(ms);
      el.closest("tr, li, article") && el.closest("tr, li, article").classList.toggle("overdue", ms < 0);
    });
  }

  // dueIn writes ms as the server's i18n.DueIn does, in the words the
  // page gives on [data-now]: data-units "d|h|min", data-overdue and
  // data-left phrases with {} for the duration ("overdue by {}").
  function dueIn(ms) {
    var n = document.querySelector("[data-now]");
    var d = (n && n.dataset) || {};
    var u = (d.units || "d|h|min").split("|");
    var min = Math.round(Math.abs(ms) / 60000);
    var days = Math.floor(min / 1440), hours = Math.floor(min / 60) % 24, rest = min % 60, text;
    if (days >= 2) {
      text = days + " " + u[0] + (hours ? " " + hours + " " + u[1] : "");
    } else if (min >= 60) {
      text = Math.floor(min / 60) + " " + u[1] + (rest ? " " + rest + " " + u[2] : "");
    } else {
      text = min + " " + u[2];
    }
    return (ms < 0 ? (d.overdue || "−{}") : (d.left || "{}")).replace("{}", text);
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

  // <button data-copy="text">: copies the text (a webhook address) to
  // the clipboard; the text stays selectable where that is not allowed.
  document.addEventListener("click", function (e) {
    var b = e.target.closest && e.target.closest("[data-copy]");
    if (b && navigator.clipboard) navigator.clipboard.writeText(b.dataset.copy);
  });

  function init(root) { live(root); checklists(root); countdowns(); }
  document.addEventListener("DOMContentLoaded", function () {
    init(document);
    setInterval(countdowns, 15000);
  });
  document.addEventListener("htmx:afterSettle", function (e) { init(e.target); });
})();
