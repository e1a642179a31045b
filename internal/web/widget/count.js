// shopcare page-view counter. Put on every page of the shop as
//   <script src="https://care.shop.example/count.js" defer></script>
// It sends one beacon to /collect per page view: the path, the referrer
// and the host. No cookie, no storage, nothing about the visitor: the
// server counts a visitor by a hash that changes every day. Single-page
// shops are counted on each history move; a prerendered page only once
// it is shown; pages opened from disk, in a frame or by automation not at
// all. window.shopcareCount() sends a view by hand.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || window.shopcareCount) return;
  var end = script.src.replace(/\/count\.js(\?.*)?$/, "/collect");
  var last = "";

  function send() {
    var l = location;
    if (navigator.webdriver || !/^https?:$/.test(l.protocol) || window !== window.top) return;
    var path = l.pathname + l.search;
    if (path === last) return;
    var ref = last ? l.origin + last : document.referrer;
    last = path;
    var body = JSON.stringify({ path: path, ref: ref, host: l.hostname });
    if (navigator.sendBeacon && navigator.sendBeacon(end, body)) return;
    if (window.fetch) fetch(end, { method: "POST", body: body, keepalive: true, credentials: "omit" }).catch(function () {});
  }

  function later() { setTimeout(send, 0); }

  function wrap(name) {
    var f = history[name];
    if (!f) return;
    history[name] = function () {
      var r = f.apply(this, arguments);
      later();
      return r;
    };
  }
  wrap("pushState");
  wrap("replaceState");
  window.addEventListener("popstate", later);
  window.shopcareCount = function () { last = ""; send(); };

  if (document.prerendering) document.addEventListener("prerenderingchange", send, { once: true });
  else send();
})();
