// shopcare admin: the charts of /analytics, drawn by uPlot. The page
// carries their data as JSON in <script type="application/json"
// id="analytics-data"> (data, never run: the Content-Security-Policy
// allows no inline script), names and axis titles included, in the
// viewer's language. Each <div data-chart="daily|repeat|on_time|clv">
// gets its chart; a chart without data has no div, only words.
(function () {
  "use strict";

  var colors = {
    orders: "#1f6feb", expected: "#57606a", band: "rgba(87, 96, 106, 0.14)",
    revenue: "#1a7f37", share: "#8250df", bars: "rgba(31, 111, 235, 0.75)"
  };
  var height = 300;

  function readData() {
    var el = document.getElementById("analytics-data");
    if (!el) return null;
    try {
      return JSON.parse(el.textContent);
    } catch (e) {
      return null;
    }
  }

  function widthOf(el) { return Math.max(el.clientWidth, 280); }

  // The days and months are UTC midnights: they are shop days, not
  // moments, and are shown as such wherever the browser is.
  function dateFormat(lang, months) {
    var f = new Intl.DateTimeFormat(lang, months ?
      { month: "short", year: "numeric", timeZone: "UTC" } :
      { day: "numeric", month: "short", timeZone: "UTC" });
    return function (sec) { return sec == null ? "—" : f.format(new Date(sec * 1000)); };
  }

  function numberFormat(lang, digits) {
    var f = new Intl.NumberFormat(lang, { maximumFractionDigits: digits });
    return function (v) { return v == null ? "—" : f.format(v); };
  }

  function utc(ts) { return uPlot.tzDate(new Date(ts * 1000), "Etc/UTC"); }

  function fromZero(u, min, max) { return [0, max > 0 ? max * 1.1 : 1]; }

  function percentRange() { return [0, 100]; }

  // Whole steps for axes of counts: no "0.5 customers".
  var wholeSteps = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000, 1000000];

  function everyNth(xs, n) { return xs.filter(function (x, i) { return i % n === 0; }); }

  // daily: the orders of each day, their expected level with the band of
  // ordinary days (lower to upper, dashed, shaded between), and the
  // revenue on the right axis.
  function daily(el, c, d) {
    var day = dateFormat(d.lang, false), count = numberFormat(d.lang, 1), money = numberFormat(d.lang, 0);
    var series = [{ label: d.texts.day, value: function (u, v) { return day(v); } }];
    var values = [c.x];
    var index = {};
    c.series.forEach(function (s) {
      index[s.role] = values.length;
      values.push(s.values);
      var o = { label: s.name, scale: "orders", width: 1,
        value: function (u, v) { return s.role === "revenue" ? money(v) : count(v); } };
      if (s.role === "orders") { o.stroke = colors.orders; o.width = 2; }
      if (s.role === "expected") { o.stroke = colors.expected; o.dash = [6, 4]; }
      if (s.role === "lower" || s.role === "upper") { o.stroke = colors.expected; o.dash = [2, 3]; }
      if (s.role === "revenue") { o.stroke = colors.revenue; o.scale = "revenue"; }
      series.push(o);
    });
    var opts = {
      width: widthOf(el), height: height, tzDate: utc, series: series,
      scales: { x: { time: true }, orders: { range: fromZero }, revenue: { range: fromZero } },
      axes: [
        { values: function (u, splits) { return splits.map(day); } },
        { scale: "orders", label: c.y, incrs: wholeSteps, values: function (u, splits) { return splits.map(count); } },
        { scale: "revenue", side: 1, label: c.y2, grid: { show: false }, size: 70,
          values: function (u, splits) { return splits.map(money); } }
      ]
    };
    if (index.upper && index.lower) {
      opts.bands = [{ series: [index.upper, index.lower], fill: colors.band }];
      el.setAttribute("title", d.texts.band + ": " + c.series[index.lower - 1].name + " – " + c.series[index.upper - 1].name);
    }
    return new uPlot(opts, values, el);
  }

  // monthly: a share by month (repeat buyers, on-time deliveries), in %.
  function monthly(el, c, d) {
    var month = dateFormat(d.lang, true), pct = numberFormat(d.lang, 1);
    var s = c.series[0];
    return new uPlot({
      width: widthOf(el), height: height, tzDate: utc, padding: [12, 36, 0, 0],
      series: [
        { label: d.texts.month, value: function (u, v) { return month(v); } },
        { label: s.name, stroke: colors.share, width: 2, points: { show: true, size: 6 },
          value: function (u, v) { return v == null ? "—" : pct(v) + " %"; } }
      ],
      scales: { x: { time: true }, y: { range: percentRange } },
      axes: [
        { splits: function () { return everyNth(c.x, Math.ceil(c.x.length / 6)); },
          values: function (u, splits) { return splits.map(month); } },
        { label: c.y, values: function (u, splits) { return splits.map(function (v) { return pct(v) + " %"; }); } }
      ]
    }, [c.x, s.values], el);
  }

  // clv: how many customers have each predicted value, a bar per bucket.
  function clv(el, c, d) {
    var money = numberFormat(d.lang, 0), count = numberFormat(d.lang, 0);
    var last = c.x.length ? c.x[c.x.length - 1] + c.width : 1;
    return new uPlot({
      width: widthOf(el), height: height,
      series: [
        { label: c.x_title, value: function (u, v) { return v == null ? "—" : money(v) + " – " + money(v + c.width) + " " + d.currency; } },
        { label: c.name, fill: colors.bars, stroke: colors.orders, width: 1,
          paths: uPlot.paths.bars({ size: [1, Infinity], align: 1, gap: 1 }), points: { show: false },
          value: function (u, v) { return count(v); } }
      ],
      scales: { x: { time: false, range: function () { return [c.x.length ? c.x[0] : 0, last]; } }, y: { range: fromZero } },
      axes: [
        { label: c.x_title, values: function (u, splits) { return splits.map(money); } },
        { label: c.y_title, incrs: wholeSteps, values: function (u, splits) { return splits.map(count); } }
      ]
    }, [c.x, c.counts], el);
  }

  var draw = { daily: daily, traffic: daily, repeat: monthly, on_time: monthly, clv: clv };

  function init() {
    var d = readData();
    if (!d || typeof uPlot === "undefined") return;
    var charts = [];
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var kind = el.dataset.chart, c = d[kind];
      if (!c || !draw[kind]) return;
      charts.push({ el: el, u: draw[kind](el, c, d) });
      el.dataset.drawn = "1";
    });
    var pending = 0;
    window.addEventListener("resize", function () {
      cancelAnimationFrame(pending);
      pending = requestAnimationFrame(function () {
        charts.forEach(function (ch) { ch.u.setSize({ width: widthOf(ch.el), height: height }); });
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
