// Type-to-search for the unit list, accent-insensitive ("binh son" finds "Bình Sơn").
// Without JavaScript the "Tìm đơn vị" button filters the same list on the server.
(function () {
  "use strict";
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/đ/g, "d").replace(/Đ/g, "d").toLowerCase().replace(/\s+/g, " ").trim();
  }
  document.querySelectorAll("[data-unit-picker]").forEach(function (picker) {
    var input = picker.querySelector("[data-unit-search]");
    var select = picker.querySelector("[data-unit-select]");
    var count = picker.querySelector("[data-unit-count]");
    var all = Array.prototype.slice.call(select.options);
    var placeholder = all.shift();
    function filter() {
      var q = fold(input.value);
      var chosen = select.value;
      var shown = all.filter(function (o) { return !q || o.dataset.search.indexOf(q) !== -1; });
      select.replaceChildren.apply(select, [placeholder].concat(shown));
      select.value = shown.some(function (o) { return o.value === chosen; }) ? chosen
        : (shown.length === 1 ? shown[0].value : "0");
      count.textContent = q ? (select.dataset.countText || "{n}").replace("{n}", shown.length) : "";
    }
    input.addEventListener("input", filter);
    input.addEventListener("keydown", function (e) {
      // Enter filters here instead of submitting the whole form.
      if (e.key === "Enter") { e.preventDefault(); filter(); select.focus(); }
    });
  });
})();
