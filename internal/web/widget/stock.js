// shopcare stock widget for a shop's product pages. Put on a page as
//   <div data-shopcare-stock data-sku="POT-24"></div>
//   <script src="https://care.shop.example/stock.js" defer></script>
// (data-lang optional). Each such element shows one line — "In stock",
// "Only 2 left", "Out of stock — expected on Tuesday 15 Dec" — in
// data-lang, else the page's lang, else the browser's language, worded by
// the server (GET /api/v1/stock/{sku}/availability). When the item is out,
// a "Tell me when it's back" form asks for an e-mail and posts it to
// POST /stock/waitlist. No library, no cookies; the line is text the
// shop's own CSS styles. After changing data-sku, call
// window.shopcareStock.refresh().
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || window.shopcareStock) return;
  var base = script.src.replace(/\/stock\.js(\?.*)?$/, "");
  var conf = /*TEXTS*/{};
  var known = { ru: 1, lv: 1, en: 1 };

  function pick(tag) {
    tag = String(tag || "").toLowerCase().split(/[-_]/)[0];
    return known[tag] ? tag : "";
  }

  function el(tag, props, kids) {
    var e = document.createElement(tag);
    for (var k in props) if (props.hasOwnProperty(k)) e[k] = props[k];
    (kids || []).forEach(function (c) { if (c) e.appendChild(c); });
    return e;
  }

  function form(box, sku, lang) {
    var t = conf.texts[lang] || conf.texts[conf.fallback];
    var status = el("p", { className: "shopcare-stock-status" });
    status.setAttribute("role", "status");
    var email = el("input", { type: "email", name: "email", required: true, autocomplete: "email" });
    var trap = el("input", { type: "text", name: "website", tabIndex: -1, autocomplete: "off" });
    var send = el("button", { type: "submit", textContent: t.send });
    var f = el("form", { className: "shopcare-stock-form" }, [
      el("p", { textContent: t.ask_intro }),
      el("label", { textContent: t.email + " " }, [email]),
      el("label", { textContent: t.honeypot + " " }, [trap]),
      send, status
    ]);
    trap.parentNode.style.position = "absolute";
    trap.parentNode.style.left = "-9999px";
    trap.parentNode.setAttribute("aria-hidden", "true");
    f.hidden = true;
    var open = el("button", { type: "button", className: "shopcare-stock-ask", textContent: t.ask });
    open.addEventListener("click", function () {
      f.hidden = false;
      open.hidden = true;
      email.focus();
    });
    f.addEventListener("submit", function (ev) {
      ev.preventDefault();
      send.disabled = true;
      status.textContent = t.sending;
      fetch(base + "/stock/waitlist", {
        method: "POST", credentials: "omit", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ sku: sku, email: email.value, lang: lang, page: location.href, website: trap.value })
      })
        .then(function (r) { return r.json(); })
        .then(function (a) {
          status.textContent = a.message || t["error.unavailable"];
          if (!a.ok) { send.disabled = false; return; }
          email.parentNode.hidden = true;
          send.hidden = true;
          if (a.cancel_url) {
            status.appendChild(document.createTextNode(" "));
            status.appendChild(el("a", { href: a.cancel_url, textContent: a.cancel, target: "_blank", rel: "noopener" }));
          }
        })
        .catch(function () {
          send.disabled = false;
          status.textContent = t["error.unavailable"];
        });
    });
    box.appendChild(open);
    box.appendChild(f);
  }

  function show(box) {
    var sku = box.getAttribute("data-sku");
    if (!sku) return;
    var holder = box.closest("[lang]");
    var lang = pick(box.getAttribute("data-lang")) || pick(holder && holder.getAttribute("lang")) ||
      pick(navigator.language) || conf.fallback;
    fetch(base + "/api/v1/stock/" + encodeURIComponent(sku) + "/availability?lang=" + lang, { credentials: "omit" })
      .then(function (r) {
        if (!r.ok) throw new Error("availability: HTTP " + r.status);
        return r.json();
      })
      .then(function (a) {
        while (box.firstChild) box.removeChild(box.firstChild);
        box.setAttribute("data-status", a.status);
        if (!box.getAttribute("lang")) box.setAttribute("lang", lang);
        box.appendChild(el("span", { className: "shopcare-stock-line", textContent: a.text }));
        if (a.status === "out") form(box, sku, lang);
      })
      .catch(function (err) {
        if (window.console) console.warn("shopcare stock widget:", err);
      });
  }

  function refresh() {
    var boxes = document.querySelectorAll("[data-shopcare-stock]");
    for (var i = 0; i < boxes.length; i++) show(boxes[i]);
  }
  window.shopcareStock = { refresh: refresh };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", refresh);
  else refresh();
})();
