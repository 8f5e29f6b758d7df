/* The alerts page: the server renders the list (filters, pagination, acknowledge forms);
   this adds what happens meanwhile over /ws/alerts/: new alerts (on the first page, when
   they pass the filters) and acknowledgements by others. Acknowledging is the page's own
   form, so it also works without JavaScript. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("alerts-config").textContent);
  var LEVEL = { red: "红色", orange: "橙色", yellow: "黄色", green: "绿色" };
  var STATUS = { open: "待确认", acknowledged: "已确认", resolved: "已解除" };
  var rows = document.getElementById("alert-rows");
  var lastId = config.last_id;
  var retryMs = 1000;

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text) { node.textContent = text; }
    if (className) { node.className = className; }
    return node;
  }

  function td(child, className) {
    var cell = el("td", null, className);
    if (typeof child === "string") { cell.textContent = child; } else if (child) { cell.appendChild(child); }
    return cell;
  }

  function caseCell(a) {
    var cell = el("td", null, "nowrap");
    if (!a.case_number && a.ledger_entry) {
      var entry = el("a", "台账人员", "case");
      entry.href = "/employment/ledger/" + a.ledger_entry + "/";
      cell.appendChild(entry);
    } else if (config.case_links) {
      var link = el("a", a.case_number, "case");
      link.href = "/workbench/cases/" + encodeURIComponent(a.case_number) + "/";
      cell.appendChild(link);
    } else {
      cell.appendChild(document.createTextNode(a.case_number));
    }
    if (a.collective) {
      cell.appendChild(document.createTextNode(" "));
      cell.appendChild(el("span", "集体", "badge collective"));
    }
    return cell;
  }

  function ackCell(a) {
    var cell = el("td", null, "ack");
    if (a.status === "open" && config.may_acknowledge) {
      var form = el("form", null, "ack-form");
      form.method = "post";
      form.action = "/alerts/" + a.id + "/ack/";
      [["csrfmiddlewaretoken", config.csrf_token], ["next", window.location.pathname + window.location.search]].forEach(function (pair) {
        var hidden = el("input");
        hidden.type = "hidden"; hidden.name = pair[0]; hidden.value = pair[1];
        form.appendChild(hidden);
      });
      var note = el("input");
      note.name = "note"; note.maxLength = config.note_max; note.placeholder = "处置备注（可选）";
      form.appendChild(note);
      var button = el("button", "确认", "ack");
      button.type = "submit";
      form.appendChild(button);
      cell.appendChild(form);
      return cell;
    }
    cell.appendChild(document.createTextNode(STATUS[a.status] || a.status));
    if (a.acknowledged_by_name) {
      cell.appendChild(el("br"));
      cell.appendChild(el("span", a.acknowledged_by_name, "muted"));
    }
    if (a.acknowledgement_note) { cell.appendChild(el("div", a.acknowledgement_note, "note")); }
    return cell;
  }

  function rank(status, level, collective) {
    if (status !== "open") { return -1; }
    return (level === "red" ? 2 : 0) + (collective ? 1 : 0);
  }

  // As the server writes the rows ({{ created_at|date:"Y-m-d H:i" }}), in the county's time.
  var STAMP = new Intl.DateTimeFormat("en-CA", {
    timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit",
    hour: "2-digit", minute: "2-digit", hourCycle: "h23"
  });
  function stamp(iso) {
    var p = {};
    STAMP.formatToParts(new Date(iso)).forEach(function (x) { p[x.type] = x.value; });
    return p.year + "-" + p.month + "-" + p.day + " " + p.hour + ":" + p.minute;
  }

  function row(a) {
    var tr = el("tr", null, a.collective ? "collective" : "");
    tr.dataset.alertId = a.id;
    tr.dataset.status = a.status;
    tr.dataset.level = a.level;
    tr.dataset.collective = a.collective ? "1" : "0";
    tr.appendChild(td(stamp(a.created_at), "nowrap"));
    tr.appendChild(td(el("span", LEVEL[a.level] || a.level, "badge " + a.level), "nowrap"));
    tr.appendChild(caseCell(a));
    tr.appendChild(td(a.township_name, "nowrap"));
    tr.appendChild(td(a.reason_label, "reason"));
    var factors = (a.factors || []).map(function (f) { return f.label + (f.points ? " +" + f.points : ""); }).join("；");
    tr.appendChild(td(a.message + (factors ? "（" + factors + "）" : ""), "message"));
    tr.appendChild(ackCell(a));
    return tr;
  }

  function passes(a) {
    var f = config.filters;
    return (!f.level || f.level === a.level) && (!f.reason || f.reason === a.reason) &&
      (!f.township || f.township === a.township) && (!f.status || f.status === a.status);
  }

  function show(a, fresh) {
    if (a.id > lastId) { lastId = a.id; }
    var old = rows.querySelector('tr[data-alert-id="' + a.id + '"]');
    if (old) {  // an acknowledgement or resolution: the row changes where it stands
      var updated = row(a);
      if (old.querySelector("input[name=note]") && old.querySelector("input[name=note]").value && a.status === "open") { return; }
      rows.replaceChild(updated, old);
      return;
    }
    if (!fresh || !config.live || !passes(a)) { return; }
    var tr = row(a);
    tr.classList.add("fresh");
    var empty = rows.querySelector(".empty-row");
    if (empty) { empty.remove(); }
    // Same order as the page (notifications.selectors.alert_list): open red alerts lead,
    // then open alerts of collective cases; a new one goes to the top of its group.
    var before = null;
    var mine = rank(a.status, a.level, a.collective);
    for (var i = 0; i < rows.children.length; i++) {
      var other = rows.children[i];
      var theirs = rank(other.dataset.status, other.dataset.level, other.dataset.collective === "1");
      if (theirs <= mine) { before = other; break; }
    }
    rows.insertBefore(tr, before);
  }

  function setStatus(kind, text) {
    var badge = document.getElementById("ws-status");
    badge.className = "badge " + kind;
    badge.textContent = text;
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
      if (m.type === "alert") { show(m, true); }
      else if (m.type === "alert_update") { show(m, false); }
    };
    socket.onclose = function (event) {
      setStatus("overdue", "已断开，重连中");
      if (event.code === 4401) { window.location.reload(); return; }
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 15000);
    };
  }

  connect();
})();
