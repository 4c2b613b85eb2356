// The ADL trend of the client page: reads the json_script "adl-data" (no inline scripts, CSP).
(function () {
  "use strict";
  var source = document.getElementById("adl-data");
  var canvas = document.getElementById("adl-chart");
  if (!source || !canvas || typeof Chart === "undefined") {
    return;
  }
  var rows = JSON.parse(source.textContent);
  new Chart(canvas, {
    type: "line",
    data: {
      labels: rows.map(function (row) { return row.date; }),
      datasets: [{
        label: canvas.dataset.label,
        data: rows.map(function (row) { return row.score; }),
        tension: 0.2,
        fill: false
      }]
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      scales: { y: { min: 0, max: 20, ticks: { stepSize: 4 } } },
      plugins: {
        tooltip: {
          callbacks: {
            afterLabel: function (context) { return rows[context.dataIndex].band; }
          }
        }
      }
    }
  });
})();
