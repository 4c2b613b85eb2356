// SKP compliance trend: employees on time, late and missing per month (stacked bars).
// Reads the json_script tag "staff-trend-data"; no inline script (strict CSP).
(function () {
  "use strict";
  var source = document.getElementById("staff-trend-data");
  var canvas = document.getElementById("staff-trend");
  if (!source || !canvas || typeof window.Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  new window.Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: [
        { label: data.on_time_label, data: data.on_time, backgroundColor: "#198754" },
        { label: data.late_label, data: data.late, backgroundColor: "#fd7e14" },
        { label: data.missing_label, data: data.missing, backgroundColor: "#dc3545" }
      ]
    },
    options: {
      maintainAspectRatio: false,
      animation: false,
      scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } }
    }
  });
  canvas.setAttribute("data-rendered", "true");
})();
