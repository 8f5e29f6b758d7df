/* The command screen's re-employment panel: the year's three targets with progress,
   1+3+1 completion and overdue, re-employment by plant and by township. It arrives in
   the same summary message as the case figures (notifications.selectors), so it moves
   live as the ledger changes. */
(function () {
  "use strict";
  var charts = {};

  function setText(id, text) { document.getElementById(id).textContent = text; }
  function pct(value) { return value === null || value === undefined ? "–" : value.toFixed(1) + "%"; }
  function bar(id, ratio) { document.getElementById(id).style.width = Math.max(0, Math.min(100, ratio)) + "%"; }

  function target(prefix, done, goal, text) {
    var value = document.getElementById(prefix);
    value.textContent = text;
    var ratio = goal ? (done / goal) * 100 : 0;
    value.classList.toggle("met", !!goal && ratio >= 100);
    bar(prefix + "-bar", ratio);
    setText(prefix + "-note", goal ? "目标 " + goal.toLocaleString("zh-CN") + " · 完成 " + ratio.toFixed(1) + "%" : "尚未录入目标");
  }

  function chart(id) {
    if (!charts[id]) { charts[id] = window.echarts.init(document.getElementById(id)); }
    return charts[id];
  }

  function render(e, theme, axisStyle) {
    setText("emp-year", e.year + "年");
    var r = e.reemployment;
    var rateGoal = e.targets.reemployment_rate;
    var rate = document.getElementById("emp-rate");
    rate.textContent = pct(r.rate);
    rate.classList.toggle("met", rateGoal !== null && r.rate !== null && r.rate >= rateGoal);
    rate.classList.toggle("behind", rateGoal !== null && r.rate !== null && r.rate < rateGoal);
    bar("emp-rate-bar", r.rate || 0);
    setText("emp-rate-note", r.reemployed + " / " + r.laid_off + " 人" + (rateGoal !== null ? " · 目标 ≥" + rateGoal + "%" : ""));
    target("emp-urban", e.urban_new, e.targets.urban_new, e.urban_new.toLocaleString("zh-CN"));
    target("emp-rural", e.rural_transfer, e.targets.rural_transfer, e.rural_transfer.toLocaleString("zh-CN"));
    var s = e.services;
    setText("emp-services", pct(s.completion));
    var note = document.getElementById("emp-services-note");
    note.textContent = s.people_complete + " / " + s.people_owed + " 人 · ";
    var overdue = document.createElement("span");
    overdue.className = s.items_overdue ? "bad" : "";
    overdue.textContent = "超期 " + s.items_overdue + " 项（" + s.people_overdue + " 人）";
    note.appendChild(overdue);

    var plants = e.by_plant;
    chart("chart-emp-plant").setOption(Object.assign({}, theme, {
      title: { text: "分关停企业再就业率", textStyle: { color: "#bcd4ff", fontSize: 15 } },
      grid: { left: 170, right: 50, top: 30, bottom: 10 },
      xAxis: Object.assign({ type: "value", max: 100 }, axisStyle()),
      yAxis: Object.assign({ type: "category", inverse: true, data: plants.map(function (p) { return p.name; }) }, axisStyle(), { axisLabel: { color: "#9fb8e8", fontSize: 13, width: 160, overflow: "truncate" } }),
      series: [{ type: "bar", barMaxWidth: 16, data: plants.map(function (p) { return p.rate || 0; }), itemStyle: { color: "#4ade80" },
                 label: { show: true, position: "right", color: "#dbe7ff", formatter: function (x) { var p = plants[x.dataIndex]; return p.reemployed + "/" + p.laid_off; } } }],
    }), true);

    var towns = e.by_township;
    chart("chart-emp-township").setOption(Object.assign({}, theme, {
      title: { text: "分乡镇：再就业率 · 1+3+1超期", textStyle: { color: "#bcd4ff", fontSize: 15 } },
      legend: { top: 0, right: 0, textStyle: { color: "#bcd4ff" } },
      tooltip: { trigger: "axis" },
      grid: { left: 40, right: 40, top: 34, bottom: 40 },
      xAxis: Object.assign({ type: "category", data: towns.map(function (t) { return t.name; }) }, axisStyle(), { axisLabel: { color: "#9fb8e8", fontSize: 12, rotate: 30 } }),
      yAxis: [Object.assign({ type: "value", max: 100 }, axisStyle()), Object.assign({ type: "value", minInterval: 1 }, axisStyle())],
      series: [
        { name: "再就业率%", type: "bar", barMaxWidth: 22, data: towns.map(function (t) { return t.rate || 0; }), itemStyle: { color: "#3b82f6" } },
        { name: "超期项", type: "line", yAxisIndex: 1, data: towns.map(function (t) { return t.services_overdue; }), itemStyle: { color: "#ef4444" } },
      ],
    }), true);
  }

  window.addEventListener("resize", function () { Object.keys(charts).forEach(function (k) { charts[k].resize(); }); });
  window.screenEmployment = { render: render };
})();
