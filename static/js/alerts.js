/* The inspectors' alerts page: the server renders the latest alerts, then new ones and
   acknowledgements arrive over /ws/alerts/; "确认" posts to /api/v1/alerts/{id}/ack/. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("alerts-config").textContent);
  var LEVEL = { red: "红色", orange: "橙色", yellow: "黄色", green: "绿色" };
  var STATUS = { open: "待确认", acknowledged: "已确认", resolved: "已解除" };
  var rows = document.getElementById("alert-rows");
  var lastId = config.last_id;
  var retryMs = 1000;

  function cell(text, className) {
    var td = document.createElement("td");
    if (className) {
      var span = document.createElement("span");
      span.className = className;
      span.textContent = text;
      td.appendChild(span);
    } else {
      td.textContent = text;
    }
    return td;
  }

  function statusCell(a) {
    var td = document.createElement("td");
    if (a.status === "open" && config.may_acknowledge) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "ack";
      button.textContent = "确认";
      button.addEventListener("click", function () { acknowledge(a.id, button); });
      td.appendChild(button);
    } else {
      td.textContent = STATUS[a.status] + (a.acknowledged_by ? "（" + a.acknowledged_by + "）" : "");
    }
    return td;
  }

  function render(a, fresh) {
    if (a.id > lastId) { lastId = a.id; }
    var old = rows.querySelector('tr[data-alert-id="' + a.id + '"]');
    var tr = document.createElement("tr");
    tr.dataset.alertId = a.id;
    tr.dataset.status = a.status;
    var d = new Date(a.created_at);
    tr.appendChild(cell(d.toLocaleString("zh-CN", { hour12: false, timeZone: "Asia/Shanghai" })));
    tr.appendChild(cell(LEVEL[a.level] || a.level, "badge " + a.level));
    tr.appendChild(cell(a.case_number));
    tr.appendChild(cell(a.township_name));
    tr.appendChild(cell(a.reason_label));
    var factors = (a.factors || []).map(function (f) { return f.label + (f.points ? " +" + f.points : ""); }).join("；");
    tr.appendChild(cell(a.message + (factors ? "（" + factors + "）" : "")));
    tr.appendChild(statusCell(a));
    if (fresh) { tr.style.background = "#fef2f2"; }
    var empty = rows.querySelector(".empty-row");
    if (empty) { empty.remove(); }
    if (old) { rows.replaceChild(tr, old); } else { rows.insertBefore(tr, rows.firstChild); }
  }

  function acknowledge(id, button) {
    button.disabled = true;
    fetch("/api/v1/alerts/" + id + "/ack/", {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": config.csrf_token, Accept: "application/json" },
    }).then(function (r) {
      return r.json().then(function (body) {
        if (!r.ok) { throw new Error(body.detail || r.status); }
        render(body, false);
      });
    }).catch(function (e) { button.disabled = false; window.alert("确认失败：" + e.message); });
  }

  function setStatus(kind, text) {
    var el = document.getElementById("ws-status");
    el.className = "badge " + kind;
    el.textContent = text;
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + window.location.host + config.socket_path);
    socket.onopen = function () {
      retryMs = 1000;
      setStatus("on-time", "实时");
      socket.send(JSON.stringify({ type: "resume", after_id: lastId }));
    };
    socket.onmessage = function (event) {
      var m = JSON.parse(event.data);
      if (m.type === "alert") { render(m, true); }
      else if (m.type === "alert_update") { render(m, false); }
    };
    socket.onclose = function (event) {
      setStatus("overdue", "已断开，重连中");
      if (event.code === 4401) { window.location.reload(); return; }
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 15000);
    };
  }

  rows.innerHTML = "";
  if (!config.alerts.length) {
    rows.innerHTML = '<tr class="empty-row"><td colspan="7" class="muted">暂无预警</td></tr>';
  }
  config.alerts.slice().reverse().forEach(function (a) { render(a, false); });
  connect();
})();
