// shopcare contact widget: a "write to us" button and form for a shop's
// own site. Put on a page as
//   <script src="https://care.shop.example/widget.js" data-lang="lv" defer></script>
// (data-lang optional: the page's lang, else the browser's language). It
// posts to POST /contact on the server it was loaded from. No library,
// no CDN, no cookies; styled through the DOM, so that it needs no
// stylesheet and the page's CSS and Content-Security-Policy (style-src)
// leave it alone.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || window.shopcareWidget) return;
  window.shopcareWidget = true;
  var config = /*TEXTS*/{};
  var base = script.src.replace(/\/widget\.js(\?.*)?$/, "");

  function pick(tag) {
    tag = String(tag || "").toLowerCase().split(/[-_]/)[0];
    return config.texts && config.texts[tag] ? tag : "";
  }
  var lang = pick(script.getAttribute("data-lang")) || pick(document.documentElement.lang) ||
    pick(navigator.language) || config.fallback || "en";
  var t = config.texts[lang];

  function el(tag, style, attrs) {
    var e = document.createElement(tag);
    for (var k in style) e.style[k] = style[k];
    for (var a in attrs || {}) e.setAttribute(a, attrs[a]);
    return e;
  }
  function formID() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var s = "";
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    for (var i = 0; i < bytes.length; i++) s += ("0" + bytes[i].toString(16)).slice(-2);
    return s;
  }

  var font = { fontFamily: "system-ui, sans-serif", fontSize: "15px", lineHeight: "1.4", color: "#1a1a1a" };
  var root = el("div", { position: "fixed", right: "16px", bottom: "16px", zIndex: "2147483000" },
    { "class": "shopcare-widget", lang: lang });
  var button = el("button", Object.assign({ border: "0", borderRadius: "24px", padding: "12px 18px", background: "#1f5fbf",
    color: "#fff", cursor: "pointer", boxShadow: "0 2px 8px rgba(0,0,0,.25)" }, font, { color: "#fff" }),
    { type: "button", "aria-expanded": "false", "class": "shopcare-widget-button" });
  button.textContent = t.button;

  var panel = el("div", Object.assign({ display: "none", width: "min(340px, calc(100vw - 32px))", background: "#fff",
    borderRadius: "10px", padding: "16px", boxShadow: "0 4px 20px rgba(0,0,0,.25)", boxSizing: "border-box" }, font),
    { role: "dialog", "aria-label": t.heading, "class": "shopcare-widget-panel" });
  var head = el("div", { display: "flex", justifyContent: "space-between", alignItems: "center" });
  var title = el("strong", { fontSize: "17px" });
  title.textContent = t.heading;
  var close = el("button", { border: "0", background: "none", fontSize: "22px", cursor: "pointer", lineHeight: "1" },
    { type: "button", "aria-label": t.close, "class": "shopcare-widget-close" });
  close.textContent = "×";
  head.appendChild(title);
  head.appendChild(close);
  var intro = el("p", { margin: "8px 0" });
  intro.textContent = t.intro_widget;

  var form = el("form", {}, { "class": "shopcare-widget-form", novalidate: "" });
  var field = { display: "block", width: "100%", boxSizing: "border-box", margin: "2px 0 10px", padding: "8px",
    border: "1px solid #999", borderRadius: "6px", font: "inherit" };
  function input(name, label, type, extra) {
    var l = el("label", { display: "block" });
    l.appendChild(document.createTextNode(label));
    var i = el(type === "textarea" ? "textarea" : "input", field, Object.assign({ name: name }, extra || {}));
    if (type !== "textarea") i.type = type;
    l.appendChild(i);
    form.appendChild(l);
    return i;
  }
  input("name", t.name, "text", { maxlength: "200", autocomplete: "name" });
  input("email", t.email, "email", { maxlength: "254", autocomplete: "email" });
  input("phone", t.phone, "tel", { maxlength: "32", autocomplete: "tel" });
  var hint = el("p", { margin: "-6px 0 10px", fontSize: "13px", color: "#555" });
  hint.textContent = t.reach_hint;
  form.appendChild(hint);
  input("message", t.message, "textarea", { rows: "5", maxlength: "4000", required: "" });
  // The honeypot: off screen and out of the tab order; people never fill it.
  var trap = el("div", { position: "absolute", left: "-10000px", width: "1px", height: "1px", overflow: "hidden" },
    { "aria-hidden": "true" });
  var trapLabel = el("label");
  trapLabel.textContent = t.honeypot;
  trapLabel.appendChild(el("input", {}, { name: "website", tabindex: "-1", autocomplete: "off" }));
  trap.appendChild(trapLabel);
  form.appendChild(trap);
  var status = el("p", { margin: "0 0 10px", minHeight: "1em" }, { role: "status", "class": "shopcare-widget-status" });
  form.appendChild(status);
  var send = el("button", Object.assign({ border: "0", borderRadius: "6px", padding: "10px 16px", background: "#1f5fbf",
    cursor: "pointer" }, font, { color: "#fff" }), { type: "submit", "class": "shopcare-widget-send" });
  send.textContent = t.send;
  form.appendChild(send);

  panel.appendChild(head);
  panel.appendChild(intro);
  panel.appendChild(form);
  root.appendChild(panel);
  root.appendChild(button);

  var id = formID();
  function open(yes) {
    panel.style.display = yes ? "block" : "none";
    button.style.display = yes ? "none" : "inline-block";
    button.setAttribute("aria-expanded", yes ? "true" : "false");
    if (yes) form.elements.message.focus(); else button.focus();
  }
  button.addEventListener("click", function () { open(true); });
  close.addEventListener("click", function () { open(false); });

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var data = { lang: lang, id: id };
    ["name", "email", "phone", "message", "website"].forEach(function (n) { data[n] = form.elements[n].value; });
    send.disabled = true;
    status.style.color = "#1a1a1a";
    status.textContent = t.sending;
    fetch(base + "/contact", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(data),
      credentials: "omit", mode: "cors"
    }).then(function (resp) {
      return resp.json().then(function (a) { return a; }, function () { return { ok: false, message: t["error.unavailable"] }; });
    }, function () {
      return { ok: false, message: t["error.unavailable"] };
    }).then(function (a) {
      send.disabled = false;
      status.textContent = a.message || t["error.unavailable"];
      status.style.color = a.ok ? "#1a6b2a" : "#a11";
      if (a.ok) {
        form.elements.message.value = "";
        id = formID();
      } else if (a.field && form.elements[a.field]) {
        form.elements[a.field].focus();
      }
    });
  });

  function mount() { document.body.appendChild(root); }
  if (document.body) mount(); else document.addEventListener("DOMContentLoaded", mount);
})();
