// Subsidy entry form: "增加一行" adds a beneficiary row to the Django formset.
(function () {
  "use strict";
  var button = document.getElementById("add-row");
  var template = document.getElementById("row-template");
  var body = document.querySelector("#beneficiary-rows tbody");
  var total = document.getElementById("id_b-TOTAL_FORMS");
  if (!button || !template || !body || !total) return;
  button.addEventListener("click", function () {
    var index = parseInt(total.value, 10);
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    body.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    var first = body.lastElementChild.querySelector("input");
    if (first) first.focus();
  });
})();
