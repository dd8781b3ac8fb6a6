/* The managers' dashboard charts (templates/dashboard/index.html).
   Reads the numbers from <script type="application/json" id="dashboard-data"> (no inline
   script: the CSP forbids it) and draws them with the bundled Chart.js
   (static/vendor/chartjs). Right-to-left in Persian: legends, tooltips and the category
   axis run from the right; tick numbers use Persian digits through Intl (locale fa-IR), zero included. */
(function () {
  "use strict";
  var source = document.getElementById("dashboard-data");
  if (!source || typeof window.Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var Chart = window.Chart;
  var COLORS = ["#337ab7", "#f0ad4e", "#5cb85c", "#d9534f", "#5bc0de", "#777777"];

  Chart.defaults.font.family = window.getComputedStyle(document.body).fontFamily;
  Chart.defaults.locale = data.locale;
  Chart.defaults.maintainAspectRatio = true;
  Chart.defaults.aspectRatio = 1.8;
  Chart.defaults.plugins.legend.rtl = data.rtl;
  Chart.defaults.plugins.legend.textDirection = data.rtl ? "rtl" : "ltr";
  Chart.defaults.plugins.tooltip.rtl = data.rtl;
  Chart.defaults.plugins.tooltip.textDirection = data.rtl ? "rtl" : "ltr";

  function colored(datasets, fill) {
    return datasets.map(function (dataset, i) {
      var color = COLORS[i % COLORS.length];
      return Object.assign({ backgroundColor: color, borderColor: color, fill: !!fill }, dataset);
    });
  }

  function draw(id, type, chart, extra) {
    var canvas = document.getElementById(id);
    if (!canvas) { return; }
    var options = {
      responsive: true,
      scales: {
        x: Object.assign({ reverse: data.rtl, ticks: { autoSkip: true, maxRotation: 60 } },
                         (extra && extra.x) || {}),
        y: Object.assign({ beginAtZero: true, position: data.rtl ? "right" : "left" },
                         (extra && extra.y) || {})
      },
      plugins: { legend: { display: !(extra && extra.hideLegend) } }
    };
    if (chart.titles) {
      options.plugins.tooltip = { callbacks: { title: function (items) {
        return items.length ? chart.titles[items[0].dataIndex] : "";
      } } };
    }
    return new Chart(canvas, {
      type: type,
      data: { labels: chart.labels, datasets: colored(chart.datasets, extra && extra.fill) },
      options: options
    });
  }

  // Chart.js writes a zero tick as a literal "0" whatever the locale: every tick through Intl.
  var digits = new Intl.NumberFormat(data.locale);
  function readerTicks(extra) {
    return Object.assign({ callback: function (value) { return digits.format(value); } }, extra);
  }
  var whole = { ticks: readerTicks({ precision: 0 }) };
  var named = { ticks: { autoSkip: false, maxRotation: 45 } };  // every department's name
  draw("chart-backlog", "bar", data.backlog, { x: Object.assign({ stacked: true }, named), y: Object.assign({ stacked: true }, whole) });
  draw("chart-per-day", "bar", data.perDay, { x: { ticks: { autoSkip: true, maxRotation: 0 } }, y: whole, hideLegend: true });
  draw("chart-times", "bar", data.times, { x: named, y: { ticks: readerTicks({}) } });
  draw("chart-ratings", "bar", data.ratings, { x: named, y: { max: 5, ticks: readerTicks({}) }, hideLegend: true });
})();
