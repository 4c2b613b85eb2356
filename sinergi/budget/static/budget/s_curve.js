// S-curve of the budget pages: cumulative cash plan against cumulative realisation (percent of pagu).
// Reads the json_script tag "budget-s-curve-data"; no inline script (strict CSP).
(function () {
  "use strict";
  var source = document.getElementById("budget-s-curve-data");
  var canvas = document.getElementById("budget-s-curve");
  if (!source || !canvas || typeof window.Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var percent = function (value) {
    return Number(value).toLocaleString("id-ID", { maximumFractionDigits: 2 }) + "%";
  };
  new window.Chart(canvas, {
    type: "line",
    data: {
      labels: data.labels,
      datasets: [
        { label: data.plan_label, data: data.plan, borderColor: "#6c757d", borderDash: [6, 4], tension: 0.2, pointRadius: 2 },
        { label: data.realised_label, data: data.realised, borderColor: "#0d6efd", backgroundColor: "rgba(13,110,253,.1)", fill: true, tension: 0.2, pointRadius: 3 }
      ]
    },
    options: {
      maintainAspectRatio: false,
      animation: false,
      scales: { y: { min: 0, max: 100, ticks: { callback: percent } } },
      plugins: { tooltip: { callbacks: { label: function (ctx) { return ctx.dataset.label + ": " + percent(ctx.parsed.y); } } } }
    }
  });
  canvas.setAttribute("data-rendered", "true");
})();
