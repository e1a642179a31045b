// shopcare delivery-date widget for a shop's product and checkout pages.
// Put on a page as
//   <div data-shopcare-delivery data-items="mug,vase:12" data-country="LV"></div>
//   <script src="https://care.shop.example/delivery.js" defer></script>
// (data-items: the cart's lines, sku or sku:production_days; data-country,
// data-carrier and data-lang optional). Each such element gets one line:
// "Order within 2 h 10 min — arrives on Thursday 10 Dec" (after "Not in
// stock now, the next delivery is expected on …" when an item waits for
// stock), in data-lang,
// else the page's lang, else the browser's language. The server words it
// (GET /api/v1/promise/quote); the script only counts the time left down
// and asks again when the day's cut-off passes. No library, no cookies,
// no styles: the line is text the shop's own CSS styles. After changing
// an element's data-items, call window.shopcareDelivery.refresh().
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || window.shopcareDelivery) return;
  var base = script.src.replace(/\/delivery\.js(\?.*)?$/, "");
  var known = { ru: 1, lv: 1, en: 1 };

  function pick(tag) {
    tag = String(tag || "").toLowerCase().split(/[-_]/)[0];
    return known[tag] ? tag : "";
  }

  // left writes a time left as the server does (i18n.Duration of the
  // time rounded up to the minute): "25 min", "2 h 10 min", "2 d 22 h".
  function left(ms, u) {
    var m = Math.max(Math.ceil(ms / 60000), 0);
    var d = Math.floor(m / 1440), h = Math.floor(m / 60) % 24, r = m % 60;
    if (d >= 2) return d + " " + u[0] + (h ? " " + h + " " + u[1] : "");
    if (m >= 60) return Math.floor(m / 60) + " " + u[1] + (r ? " " + r + " " + u[2] : "");
    return m + " " + u[2];
  }

  function show(box) {
    clearTimeout(box.shopcareTimer);
    var holder = box.closest("[lang]");
    var lang = pick(box.getAttribute("data-lang")) || pick(holder && holder.getAttribute("lang")) || pick(navigator.language);
    var q = [];
    [["items", "data-items"], ["country", "data-country"], ["carrier", "data-carrier"]].forEach(function (p) {
      var v = box.getAttribute(p[1]);
      if (v) q.push(p[0] + "=" + encodeURIComponent(v));
    });
    if (lang) q.push("lang=" + lang);
    fetch(base + "/api/v1/promise/quote?" + q.join("&"), { credentials: "omit" })
      .then(function (r) {
        if (!r.ok) throw new Error("quote: HTTP " + r.status);
        return r.json();
      })
      .then(function (a) {
        var t = a.text;
        // The server's clock, not the visitor's, says how much is left.
        var skew = Date.parse(a.placed_at) - Date.now();
        var by = Date.parse(a.order_by);
        var head = t.waits ? t.waits + ". " : "";
        var tail = " — " + (t.arrives || t.ships);
        if (!box.getAttribute("lang") && lang) box.setAttribute("lang", lang);
        function tick() {
          var ms = by - (Date.now() + skew);
          if (ms <= 0) {
            // The cut-off passed: the promise moved, ask for the new one.
            box.shopcareTimer = setTimeout(function () { show(box); }, 1000);
            return;
          }
          box.textContent = head + t.order_within_format.replace("{left}", left(ms, t.units)) + tail;
          box.shopcareTimer = setTimeout(tick, Math.min(ms, 30000));
        }
        box.textContent = head + t.order_within + tail;
        box.shopcareTimer = setTimeout(tick, Math.min(Math.max(by - (Date.now() + skew), 0), 30000));
      })
      .catch(function (err) {
        if (window.console) console.warn("shopcare delivery widget:", err);
      });
  }

  function refresh() {
    var boxes = document.querySelectorAll("[data-shopcare-delivery]");
    for (var i = 0; i < boxes.length; i++) show(boxes[i]);
  }
  window.shopcareDelivery = { refresh: refresh };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", refresh);
  else refresh();
})();
