// The statistics page: the per-township chart (vendored ECharts) and the print button.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("report-chart").textContent);
  var box = document.getElementById("township-chart");
  if (box && window.echarts && data.townships.length) {
    var chart = window.echarts.init(box, null, { renderer: "svg" });
    chart.setOption({
      animation: false, // printed as drawn
      tooltip: { trigger: "axis" },
      legend: { data: ["收案", "办结"] },
      grid: { left: 40, right: 16, top: 32, bottom: 60 },
      xAxis: { type: "category", data: data.townships, axisLabel: { interval: 0, rotate: 30 } },
      yAxis: { type: "value", minInterval: 1 },
      series: [
        { name: "收案", type: "bar", data: data.received },
        { name: "办结", type: "bar", data: data.closed }
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
    window.addEventListener("beforeprint", function () { chart.resize(); });
  } else if (box) {
    box.hidden = true;
  }
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
