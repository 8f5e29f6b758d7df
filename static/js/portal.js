/* Worker portal: add/remove claimant rows, show the project field, count representatives,
   warn about oversized files before upload. Everything also works without JavaScript
   (the "add" buttons then submit the form and the server adds the rows). */
(function () {
  "use strict";
  var form = document.getElementById("complaint-form");
  if (!form) return;
  var list = form.querySelector("[data-row-list]");
  var rowsInput = form.querySelector("[data-rows]");
  var template = document.getElementById("claimant-template");
  var status = form.querySelector("[data-collective-status]");
  var minimum = parseInt(list.dataset.collectiveMin, 10) || 10;
  var low = parseInt(list.dataset.repLow, 10) || 3;
  var high = parseInt(list.dataset.repHigh, 10) || 5;
  var zh = (document.documentElement.lang || "zh").indexOf("zh") === 0;

  function rows() { return list.querySelectorAll("[data-row]"); }

  function nextIndex() {
    var max = -1;
    list.querySelectorAll("input[name$='-name']").forEach(function (input) {
      var m = /^c-(\d+)-name$/.exec(input.name);
      if (m) max = Math.max(max, parseInt(m[1], 10));
    });
    return max + 1;
  }

  function addRow(focus) {
    var index = nextIndex();
    var html = template.innerHTML.replace(/__i__/g, String(index));
    var holder = document.createElement("div");
    holder.innerHTML = html.trim();
    var row = holder.firstElementChild;
    list.appendChild(row);
    renumber();
    if (focus) row.querySelector("input").focus();
    return row;
  }

  function filled(row) {
    return Array.prototype.some.call(row.querySelectorAll("input:not([type=checkbox])"), function (i) {
      return i.value.trim() !== "";
    });
  }

  function renumber() {
    var all = rows();
    all.forEach(function (row, n) {
      var label = row.querySelector("[data-row-number]");
      if (label) label.textContent = String(n + 1);
      var remove = row.querySelector("[data-remove-row]");
      if (remove) remove.hidden = all.length < 2;
    });
    rowsInput.value = String(nextIndex());
    updateCollective();
  }

  function updateCollective() {
    var people = 0, reps = 0;
    rows().forEach(function (row) {
      if (filled(row)) {
        people += 1;
        var box = row.querySelector("input[type=checkbox]");
        if (box && box.checked) reps += 1;
      }
    });
    if (people >= minimum) {
      status.hidden = false;
      var ok = reps >= low && reps <= high;
      status.textContent = zh
        ? "集体投诉：" + people + "人，已选代表人" + reps + "名" + (ok ? " ✓" : "（需" + low + "至" + high + "名）")
        : "Collective complaint: " + people + " workers, " + reps + " representatives" + (ok ? " ✓" : " (choose " + low + "-" + high + ")");
    } else {
      status.hidden = true;
    }
  }

  form.querySelector("[data-add-row]").addEventListener("click", function (event) {
    event.preventDefault();
    addRow(true);
  });
  form.querySelector("[data-add-rows]").addEventListener("click", function (event) {
    event.preventDefault();
    var first = null;
    for (var i = 0; i < 5; i++) { var row = addRow(false); first = first || row; }
    first.querySelector("input").focus();
  });
  list.addEventListener("click", function (event) {
    var button = event.target.closest("[data-remove-row]");
    if (!button) return;
    button.closest("[data-row]").remove();
    renumber();
  });
  list.addEventListener("input", updateCollective);
  list.addEventListener("change", updateCollective);

  // Construction: the project name when yes, the sector when no.
  function showSector() {
    var chosen = form.querySelector("input[data-construction]:checked");
    form.querySelectorAll("[data-show-when]").forEach(function (el) {
      el.hidden = !chosen || el.dataset.showWhen !== chosen.value;
    });
  }
  form.querySelectorAll("input[data-construction]").forEach(function (el) {
    el.addEventListener("change", showSector);
  });
  showSector();

  // Oversized files: say so at once (the server checks again).
  var files = form.querySelector("input[type=file]");
  var fileError = form.querySelector("[data-file-error]");
  var maxBytes = parseInt(form.dataset.maxBytes, 10) || 0;
  files.addEventListener("change", function () {
    var big = Array.prototype.filter.call(files.files, function (f) { return maxBytes && f.size > maxBytes; });
    if (big.length) {
      fileError.hidden = false;
      fileError.textContent = (zh ? "文件太大，请重新选择：" : "Too large, choose again: ") +
        big.map(function (f) { return f.name; }).join(", ") + " (≤ " + Math.round(maxBytes / 1048576) + "MB)";
    } else {
      fileError.hidden = true;
    }
  });

  var summary = document.getElementById("errors");
  if (summary) summary.focus();
  renumber();
})();
