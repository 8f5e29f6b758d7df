/* The command screen: figures from /api/v1/dashboard/summary/, then everything live over
   /ws/alerts/ (alerts and summary messages). On reconnect it resumes from the last alert
   id it showed, so nothing missed while the socket was down is lost. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("screen-config").textContent);
  var LEVEL_LABEL = { red: "红色", orange: "橙色", yellow: "黄色", green: "绿色" };
  var LEVEL_COLOR = { green: "#22c55e", yellow: "#eab308", orange: "#f97316", red: "#ef4444" };
  var MAX_FEED = 40;
  var lastId = 0;
  var shown = {};
  var socket = null;
  var retryMs = 1000;

  // Fit the 1920x1080 canvas to whatever the display is.
  var screenEl = document.getElementById("screen");
  function fit() {
    var scale = Math.min(window.innerWidth / 1920, window.innerHeight / 1080);
    screenEl.style.transform = "scale(" + scale + ")";
    Object.keys(charts).forEach(function (k) { charts[k].resize(); });
  }

  var theme = { textStyle: { color: "#bcd4ff", fontSize: 14 } };
  var charts = {
    state: echarts.init(document.getElementById("chart-state")),
    risk: echarts.init(document.getElementById("chart-risk")),
    township: echarts.init(document.getElementById("chart-township")),
    trend: echarts.init(document.getElementById("chart-trend")),
  };
  window.addEventListener("resize", fit);
  fit();

  function axisStyle() {
    return { axisLabel: { color: "#9fb8e8", fontSize: 14 }, axisLine: { lineStyle: { color: "#2a4a80" } },
             splitLine: { lineStyle: { color: "rgba(60,100,170,.25)" } } };
  }

  function setText(id, text) { document.getElementById(id).textContent = text; }
  function wan(amount) { return (Number(amount) / 10000).toLocaleString("zh-CN", { maximumFractionDigits: 1 }); }

  function renderSummary(s) {
    if (s.employment && window.screenEmployment) { window.screenEmployment.render(s.employment, theme, axisStyle); }
    setText("kpi-open-cases", s.open_cases.toLocaleString("zh-CN"));
    setText("kpi-collective-cases", s.collective_cases.toLocaleString("zh-CN"));
    setText("kpi-workers", s.workers_involved.toLocaleString("zh-CN"));
    setText("kpi-claimed", wan(s.amount_claimed));
    setText("kpi-recovered", wan(s.amount_recovered));
    setText("kpi-overdue", s.overdue_cases.toLocaleString("zh-CN"));
    var acceptance = document.getElementById("kpi-acceptance");
    acceptance.innerHTML = "";
    s.acceptance.forEach(function (a) {
      var line = document.createElement("div");
      var median = a.median_days === null ? "暂无" : a.median_days + "天";
      var late = a.median_days !== null && a.limit_days !== null && a.median_days > a.limit_days;
      line.appendChild(document.createTextNode(a.label + "："));
      var strong = document.createElement("span");
      strong.className = late ? "late" : "ok";
      strong.textContent = median;
      line.appendChild(strong);
      line.appendChild(document.createTextNode(" / 法定" + a.limit_days + a.limit_day_kind + " "));
      var count = document.createElement("span");
      count.className = "count";
      count.textContent = "（近一年" + a.cases + "件）";
      line.appendChild(count);
      acceptance.appendChild(line);
    });
    var open = s.open_alerts || {};
    setText("open-alerts", "待确认：红 " + (open.red || 0) + " · 橙 " + (open.orange || 0) + " · 黄 " + (open.yellow || 0));

    var states = s.by_state.filter(function (x) { return x.count > 0; });
    charts.state.setOption(Object.assign({}, theme, {
      grid: { left: 120, right: 40, top: 10, bottom: 20 },
      xAxis: Object.assign({ type: "value" }, axisStyle()),
      yAxis: Object.assign({ type: "category", inverse: true, data: states.map(function (x) { return x.label; }) }, axisStyle()),
      series: [{ type: "bar", data: states.map(function (x) { return x.count; }), barMaxWidth: 18,
                 itemStyle: { color: "#3b82f6" }, label: { show: true, position: "right", color: "#dbe7ff" } }],
    }), true);

    var levels = ["red", "orange", "yellow", "green"];
    charts.risk.setOption(Object.assign({}, theme, {
      legend: { bottom: 0, textStyle: { color: "#bcd4ff" } },
      series: [{ type: "pie", radius: ["40%", "70%"], center: ["50%", "45%"],
                 label: { color: "#dbe7ff", formatter: "{b} {c}" },
                 data: levels.map(function (l) { return { name: LEVEL_LABEL[l], value: s.risk[l] || 0, itemStyle: { color: LEVEL_COLOR[l] } }; }) }],
    }), true);

    var towns = s.by_township;
    charts.township.setOption(Object.assign({}, theme, {
      legend: { top: 0, textStyle: { color: "#bcd4ff" } },
      grid: { left: 50, right: 20, top: 36, bottom: 60 },
      tooltip: { trigger: "axis" },
      xAxis: Object.assign({ type: "category", data: towns.map(function (t) { return t.name; }) },
                           axisStyle(), { axisLabel: { color: "#9fb8e8", fontSize: 14, rotate: 30 } }),
      yAxis: Object.assign({ type: "value" }, axisStyle()),
      series: levels.slice().reverse().map(function (l) {
        return { name: LEVEL_LABEL[l], type: "bar", stack: "risk", barMaxWidth: 36,
                 itemStyle: { color: LEVEL_COLOR[l] }, data: towns.map(function (t) { return t[l] || 0; }) };
      }),
    }), true);

    charts.trend.setOption(Object.assign({}, theme, {
      legend: { top: 0, textStyle: { color: "#bcd4ff" } },
      grid: { left: 50, right: 20, top: 36, bottom: 30 },
      tooltip: { trigger: "axis" },
      xAxis: Object.assign({ type: "category", data: s.trend.map(function (d) { return d.date.slice(5); }) }, axisStyle()),
      yAxis: Object.assign({ type: "value", minInterval: 1 }, axisStyle()),
      series: [
        { name: "新收案件", type: "line", smooth: true, data: s.trend.map(function (d) { return d.received; }), itemStyle: { color: "#5fd0ff" } },
        { name: "结案", type: "line", smooth: true, data: s.trend.map(function (d) { return d.closed; }), itemStyle: { color: "#4ade80" } },
        { name: "预警", type: "bar", data: s.trend.map(function (d) { return d.alerts; }), itemStyle: { color: "rgba(239,68,68,.6)" }, barMaxWidth: 10 },
      ],
    }), true);
  }

  function timeOf(iso) {
    var d = new Date(iso);
    return d.toLocaleString("zh-CN", { month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false, timeZone: "Asia/Shanghai" });
  }

  function addAlert(a, fresh) {
    if (a.id > lastId) { lastId = a.id; }
    var feed = document.getElementById("alert-feed");
    var existing = shown[a.id];
    if (existing) { existing.classList.toggle("done", a.status !== "open"); return; }
    var li = document.createElement("li");
    li.className = a.level + (fresh ? " fresh" : "") + (a.status !== "open" ? " done" : "");
    li.dataset.alertId = a.id;
    li.dataset.level = a.level;
    li.dataset.reason = a.reason;
    var top = document.createElement("div");
    top.className = "alert-top";
    var level = document.createElement("span");
    level.className = "alert-level " + a.level;
    level.textContent = LEVEL_LABEL[a.level] || a.level;
    var kase = document.createElement("span");
    kase.className = "alert-case";
    // A ledger alert (1+3+1 overdue) has a person, not a case.
    var ledger = !a.case_number && a.ledger_entry;  // as alerts.js tells them apart
    kase.textContent = (ledger ? "就业台账" : a.case_number) + " · " + a.township_name;
    // Collective cases (10+ workers) have priority by law: marked, and kept on top.
    var crowd = document.createElement("span");
    if (a.collective) {
      crowd.className = "alert-collective";
      crowd.textContent = "集体";
    }
    // Open red alerts lead, newest first whatever the case's size: a one-worker threat of
    // self-harm must not sink below the panel's edge under older red collective ones (the
    // wall screen cannot scroll). Then open alerts of collective cases, marked 集体.
    var open = a.status === "open";
    li.dataset.lead = String(open ? (a.level === "red" ? 2 : a.collective ? 1 : 0) : 0);
    var reason = document.createElement("span");
    reason.textContent = a.reason_label + (ledger ? "" : "（" + a.score + "分）");
    var time = document.createElement("span");
    time.className = "alert-time";
    time.textContent = timeOf(a.created_at);
    [level, crowd, kase, reason, time].forEach(function (el) { top.appendChild(el); });
    var msg = document.createElement("div");
    msg.className = "alert-msg";
    msg.textContent = a.message;
    var factors = document.createElement("div");
    factors.className = "alert-factors";
    factors.textContent = (a.factors || []).map(function (f) { return f.label + (f.points ? " +" + f.points : ""); }).join("；");
    li.appendChild(top); li.appendChild(msg); li.appendChild(factors);
    // Highest lead first, then newest first: insert by (lead, id) so
    // a replay after reconnect keeps the order.
    var before = null;
    for (var i = 0; i < feed.children.length; i++) {
      var other = feed.children[i];
      if (other.dataset.lead < li.dataset.lead ||
          (other.dataset.lead === li.dataset.lead && Number(other.dataset.alertId) < a.id)) {
        before = other; break;
      }
    }
    feed.insertBefore(li, before);
    shown[a.id] = li;
    while (feed.children.length > MAX_FEED) {
      var old = feed.lastElementChild;
      delete shown[old.dataset.alertId];
      feed.removeChild(old);
    }
    document.getElementById("alert-empty").style.display = "none";
  }

  function setStatus(kind, text) {
    var el = document.getElementById("ws-status");
    el.className = "ws-status " + kind;
    el.textContent = text;
  }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(function (r) {
      if (r.status === 401 || r.status === 403) { window.location.href = config.login_url; throw new Error("signed out"); }
      if (!r.ok) { throw new Error(url + " " + r.status); }
      return r.json();
    });
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    setStatus("connecting", "连接中");
    socket = new WebSocket(scheme + window.location.host + config.socket_path);
    socket.onopen = function () {
      retryMs = 1000;
      setStatus("live", "实时");
      socket.send(JSON.stringify({ type: "resume", after_id: lastId }));
    };
    socket.onmessage = function (event) {
      var m = JSON.parse(event.data);
      if (m.type === "alert") { addAlert(m, true); }
      else if (m.type === "alert_update") { addAlert(m, false); }
      else if (m.type === "summary") { renderSummary(m); }
    };
    socket.onclose = function (event) {
      setStatus("down", "已断开，重连中");
      if (event.code === 4401) { window.location.href = config.login_url; return; }
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 15000);
    };
  }

  function tick() {
    setText("clock", new Date().toLocaleString("zh-CN", { hour12: false, timeZone: "Asia/Shanghai" }));
  }
  setInterval(tick, 1000);
  tick();

  document.getElementById("fullscreen").addEventListener("click", function () {
    if (document.documentElement.requestFullscreen) { document.documentElement.requestFullscreen(); }
  });

  // While the socket is down the figures still refresh, slowly, over HTTP.
  setInterval(function () {
    if (!socket || socket.readyState !== WebSocket.OPEN) { getJSON(config.summary_url).then(renderSummary).catch(function () {}); }
  }, 60000);

  getJSON(config.summary_url).then(renderSummary).catch(function (e) { console.error(e); });
  getJSON(config.alerts_url).then(function (page) {
    page.results.forEach(function (a) { addAlert(a, false); });
    if (page.last_id > lastId) { lastId = page.last_id; }
  }).catch(function (e) { console.error(e); }).then(connect);
})();
