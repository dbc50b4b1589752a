// The score sheet's running total, updated as the judge types (the server checks each score).
(function () {
  "use strict";
  var form = document.querySelector("[data-sheet]");
  if (!form) return;
  var out = form.querySelector("[data-sheet-total]");
  var inputs = form.querySelectorAll("input[data-max]");
  function points(text) {
    var value = Number(String(text).trim().replace(",", "."));
    return text.trim() !== "" && isFinite(value) && value >= 0 ? value : null;
  }
  function update() {
    var total = 0;
    inputs.forEach(function (input) {
      var value = points(input.value);
      if (value !== null && value <= Number(input.dataset.max)) total += value;
    });
    out.textContent = String(total).replace(".", ",");
  }
  inputs.forEach(function (input) { input.addEventListener("input", update); });
})();
