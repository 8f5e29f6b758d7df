/* Workbench: add rows to the row editors (payments, instalments, awarded items). The
   forms work without it: each editor already has one spare blank row. */
(function () {
  "use strict";
  document.querySelectorAll("[data-rows-editor]").forEach(function (table) {
    var button = table.parentNode.querySelector("[data-add-editor-row]");
    if (!button) return;
    button.hidden = false;
    var name = table.dataset.rowsEditor;
    button.addEventListener("click", function () {
      var rows = table.querySelectorAll("tbody [data-editor-row]");
      var last = rows[rows.length - 1];
      var copy = last.cloneNode(true);
      var index = rows.length;
      copy.querySelectorAll("input, select").forEach(function (el) {
        el.name = el.name.replace(new RegExp("^" + name + "-\\d+-"), name + "-" + index + "-");
        if (el.tagName === "INPUT") el.value = "";
      });
      last.parentNode.appendChild(copy);
      var first = copy.querySelector("input");
      if (first) first.focus();
    });
  });
  // A link to #transition-NAME (e.g. from the extensions list) opens that form.
  if (location.hash.indexOf("#transition-") === 0) {
    var target = document.querySelector(location.hash);
    if (target && target.tagName === "DETAILS") target.open = true;
  }
  // A transition's form reopens at its place after an error.
  var failed = document.querySelector("details.transition.has-error");
  if (failed) failed.scrollIntoView({ block: "start" });
})();
