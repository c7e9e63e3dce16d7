// Draws the page's charts (govtrack/core/charts.py) with plotly.js, loaded before this script
// (both deferred). The figures are JSON in <script type="application/json" class="app-chart-data"
// data-chart="ID">, so the page runs no inline script for them.
(function () {
  "use strict";
  if (!window.Plotly) {
    return;
  }
  var config = { responsive: true, displaylogo: false, displayModeBar: false };
  document.querySelectorAll("script.app-chart-data").forEach(function (data) {
    var target = document.getElementById(data.getAttribute("data-chart"));
    if (target) {
      var figure = JSON.parse(data.textContent);
      window.Plotly.newPlot(target, figure.data, figure.layout, config);
    }
  });
})();
