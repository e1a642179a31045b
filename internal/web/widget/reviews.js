// shopcare product-reviews widget for a shop's product pages. Put on a
// page as
//   <div data-shopcare-reviews data-sku="mug-01"></div>
//   <script src="https://care.shop.example/reviews.js" defer></script>
// (data-lang and data-limit optional). Each such element gets the
// product's stars, count and average, its latest published reviews
// (each "Verified buyer", with the shop's reply) and how reviews are
// checked, in data-lang, else the page's lang, else the browser's. The
// server words everything (GET /api/v1/reviews); reviews are written as
// text, never as HTML. No library, no cookies; the shop's brand colour
// colours the stars.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || window.shopcareReviews) return;
  var base = script.src.replace(/\/reviews\.js(\?.*)?$/, "");
  var known = { ru: 1, lv: 1, en: 1 };

  function pick(tag) {
    tag = String(tag || "").toLowerCase().split(/[-_]/)[0];
    return known[tag] ? tag : "";
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  function stars(n, color) {
    var s = el("span", "shopcare-stars", "★★★★★".slice(0, n) + "☆☆☆☆☆".slice(0, 5 - n));
    s.setAttribute("aria-hidden", "true");
    if (color) s.style.color = color;
    return s;
  }

  function render(box, d) {
    box.textContent = "";
    box.setAttribute("lang", d.lang);
    var head = el("p", "shopcare-reviews-summary");
    head.appendChild(stars(Math.round(d.average), d.brand_color));
    head.appendChild(document.createTextNode(" " + d.texts.summary));
    box.appendChild(head);
    var list = el("ul", "shopcare-reviews-list");
    d.reviews.forEach(function (r) {
      var li = el("li", "shopcare-review");
      var top = el("p");
      top.appendChild(stars(r.rating, d.brand_color));
      top.appendChild(el("span", "shopcare-visually-hidden", " " + r.rating_text));
      top.appendChild(document.createTextNode(" " + (r.author || "") + " · " + r.published_on + " · "));
      top.appendChild(el("strong", "shopcare-verified", d.texts.verified));
      li.appendChild(top);
      if (r.text) {
        var body = el("p", "shopcare-review-text", r.text);
        if (r.language) body.setAttribute("lang", r.language);
        li.appendChild(body);
      }
      if (r.photo_url) {
        var img = el("img");
        img.src = r.photo_url; img.alt = r.photo_alt; img.loading = "lazy"; img.style.maxWidth = "160px";
        li.appendChild(img);
      }
      if (r.reply) {
        var rep = el("p", "shopcare-review-reply");
        rep.appendChild(el("strong", "", d.texts.reply + ": "));
        rep.appendChild(document.createTextNode(r.reply));
        li.appendChild(rep);
      }
      list.appendChild(li);
    });
    box.appendChild(list);
    var more = el("a", "shopcare-reviews-all", d.texts.all);
    more.href = d.page_url;
    box.appendChild(more);
    box.appendChild(el("p", "shopcare-reviews-policy", d.texts.policy));
  }

  function show(box) {
    var sku = box.getAttribute("data-sku");
    if (!sku) return;
    var holder = box.closest("[lang]");
    var lang = pick(box.getAttribute("data-lang")) || pick(holder && holder.getAttribute("lang")) || pick(navigator.language);
    var limit = parseInt(box.getAttribute("data-limit"), 10) || 5;
    var url = base + "/api/v1/reviews?sku=" + encodeURIComponent(sku) + "&limit=" + limit + (lang ? "&lang=" + lang : "");
    fetch(url, { credentials: "omit" }).then(function (res) {
      return res.ok ? res.json() : null;
    }).then(function (d) {
      if (d) render(box, d);
    }).catch(function () {});
  }

  function refresh() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-shopcare-reviews]"), show);
  }

  window.shopcareReviews = { refresh: refresh };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", refresh);
  else refresh();
})();
