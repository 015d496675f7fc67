/* Statistics charts: reads the figures from <script type="application/json" id="stats-data"> (json_script,
   never executed) and draws them with the vendored Chart.js. No inline script: CSP-safe.
   Sets data-rendered="true" on #stats-charts once every chart is drawn (the browser tests wait for it). */
(function () {
  "use strict";

  function draw() {
    var source = document.getElementById("stats-data");
    var holder = document.getElementById("stats-charts");
    if (!source || !holder || typeof window.Chart === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var labels = JSON.parse(document.getElementById("stats-labels").textContent);
    var Chart = window.Chart;
    Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    Chart.defaults.color = "#1f2328";
    var common = { responsive: true, maintainAspectRatio: false, animation: false };
    var charts = [];

    charts.push(new Chart(document.getElementById("chart-monthly"), {
      type: "bar",
      data: {
        labels: data.monthly.months,
        datasets: [
          { label: labels.filed, data: data.monthly.filed, backgroundColor: "#0b5cad" },
          { label: labels.decided, data: data.monthly.decided, backgroundColor: "#b3261e" }
        ]
      },
      options: Object.assign({}, common, { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } })
    }));

    function percent(value) { return value === null ? 0 : Math.round(value * 1000) / 10; }
    charts.push(new Chart(document.getElementById("chart-rates"), {
      type: "bar",
      data: {
        labels: [labels.on_time_rate, labels.repair_rate, labels.coverage, labels.commitment_rate],
        datasets: [{
          label: labels.percent,
          data: [percent(data.repairs.on_time_rate), percent(data.repairs.repair_rate),
                 percent(data.training.coverage), percent(data.repairs.commitment_rate)],
          backgroundColor: ["#1e6b34", "#0b5cad", "#7a4d00", "#8c1d18"]
        }]
      },
      options: Object.assign({}, common, {
        indexAxis: "y",
        plugins: { legend: { display: false } },
        scales: { x: { min: 0, max: 100, ticks: { callback: function (v) { return v + "%"; } } } }
      })
    }));

    var outcomes = data.objections.by_outcome;
    charts.push(new Chart(document.getElementById("chart-objections"), {
      type: "bar",
      data: {
        labels: outcomes.map(function (o) { return o.label; }),
        datasets: [{ label: labels.objections, data: outcomes.map(function (o) { return o.count; }),
                     backgroundColor: "#57606a" }]
      },
      options: Object.assign({}, common, {
        plugins: { legend: { display: false } },
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } }
      })
    }));

    holder.setAttribute("data-rendered", charts.length === 3 ? "true" : "false");
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
