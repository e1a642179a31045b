// The survey's page confirms the clicked score on the customer's first
// real interaction with it (a pointer, a key, a touch, a change of
// score) — a mail scanner that fetches the link never interacts. Without
// JavaScript the Send button does the same.
(function () {
  "use strict";
  var form = document.querySelector("form.survey");
  if (!form) { return; }
  var status = form.querySelector(".survey-status");
  var sent = form.getAttribute("data-auto") === "1" ? "" : "confirmed";
  function confirmScore() {
    var checked = form.querySelector("input[name=score]:checked");
    if (!checked || sent === checked.value) { return; }
    sent = checked.value;
    var body = new URLSearchParams();
    body.set("score", checked.value);
    body.set("auto", "1");
    var c = form.querySelector("input[name=c]");
    if (c) { body.set("c", c.value); }
    fetch(form.action, { method: "POST", body: body, credentials: "omit" }).then(function (r) {
      if (r.ok && status) { status.textContent = form.getAttribute("data-saved"); }
    }).catch(function () { sent = ""; });
  }
  function first() {
    ["pointerdown", "keydown", "touchstart"].forEach(function (e) { document.removeEventListener(e, first, true); });
    if (form.getAttribute("data-auto") === "1") { sent = ""; confirmScore(); }
  }
  ["pointerdown", "keydown", "touchstart"].forEach(function (e) { document.addEventListener(e, first, true); });
  form.addEventListener("change", function (e) {
    if (e.target && e.target.name === "score") { sent = sent === "confirmed" ? "" : sent; confirmScore(); }
  });
})();
