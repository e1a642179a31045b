// shopcare admin: the campaign compose page. No inline scripts (the
// Content-Security-Policy forbids them); the page works without this, it
// only keeps the preview live and puts uploaded images into the text.
(function () {
  "use strict";

  // The preview frame shows the saved draft: reload it after each
  // autosave (htmx triggers campaign-saved) and when its choices change.
  function reloadPreview() {
    var form = document.getElementById("preview-controls");
    if (form) form.requestSubmit ? form.requestSubmit() : form.submit();
  }
  document.body.addEventListener("campaign-saved", reloadPreview);
  document.addEventListener("change", function (e) {
    if (e.target.closest && e.target.closest("#preview-controls")) reloadPreview();
  });

  // The Markdown field the owner wrote in last gets the uploaded image.
  var last = null;
  document.addEventListener("focusin", function (e) {
    if (e.target.matches && e.target.matches("textarea[data-markdown-field]")) last = e.target;
  });
  document.body.addEventListener("htmx:afterSwap", function (e) {
    var done = e.target.querySelector && e.target.querySelector("[data-markdown]");
    if (!done) return;
    var field = last || document.querySelector("textarea[data-markdown-field]");
    if (!field) return;
    var md = done.dataset.markdown, at = field.selectionStart || field.value.length;
    var before = field.value.slice(0, at), after = field.value.slice(at);
    var sep = before && !/\n$/.test(before) ? "\n\n" : "";
    field.value = before + sep + md + "\n" + after;
    field.dispatchEvent(new Event("input", { bubbles: true }));
  });
})();
