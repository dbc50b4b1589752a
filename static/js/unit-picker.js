// The unit picker as a combobox (WAI-ARIA "list autocomplete"): type part of a unit's name,
// with or without accents, or its code; the server answers with the best matches
// (auth.unit_search, at most 20), chosen with the arrow keys and Enter, or a tap. The
// hidden select carries the choice to the server, as it does without JavaScript, where the
// "Tìm đơn vị" button runs the same search and lists the matches in the select.
(function () {
  "use strict";
  var DELAY = 200; // ms of quiet typing before asking the server

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? values[key] : whole;
    });
  }

  function describe(el, id) {
    var ids = (el.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
    if (ids.indexOf(id) === -1) { ids.push(id); }
    el.setAttribute("aria-describedby", ids.join(" "));
  }

  function setup(picker) {
    var texts = picker.dataset;
    var input = picker.querySelector("[data-unit-search]");
    var button = picker.querySelector("[data-unit-search-button]");
    var list = picker.querySelector("[data-unit-options]");
    var status = picker.querySelector("[data-unit-count]");
    var select = picker.querySelector("[data-unit-select]");
    var chosen = picker.querySelector("[data-unit-chosen]");
    var hint = picker.querySelector("[data-js-text]");
    var placeholder = select.querySelector('option[value="0"]');
    var error = document.getElementById(select.id + "-error");
    var units = [];
    var active = -1;
    var shownFor = null; // the query the list shows the answer to
    var timer = null;
    var pending = null;
    var asked = 0;

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    if (hint) { hint.textContent = hint.dataset.jsText; }
    describe(input, chosen.id);
    if (error) { describe(input, error.id); input.setAttribute("aria-invalid", "true"); }
    button.hidden = true;
    select.hidden = true;
    // The error summary links to the select, hidden now: bring the person to the search box.
    document.querySelectorAll('a[href="#' + select.id + '"]').forEach(function (link) {
      link.addEventListener("click", function (e) { e.preventDefault(); input.focus(); });
    });
    chosen.hidden = false;
    status.textContent = "";

    function open() {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      mark(-1);
    }

    function mark(index) {
      var items = list.children;
      if (active >= 0 && items[active]) { items[active].setAttribute("aria-selected", "false"); }
      active = index;
      if (index < 0) { input.removeAttribute("aria-activedescendant"); return; }
      items[index].setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", items[index].id);
      items[index].scrollIntoView({ block: "nearest" });
    }

    function move(step) {
      var n = list.children.length;
      if (!n) { return; }
      if (list.hidden) { open(); }
      mark(active < 0 ? (step > 0 ? 0 : n - 1) : (active + step + n) % n);
    }

    function where(unit) {
      var cut = unit.label.lastIndexOf(" \u203a ");
      var parents = cut === -1 ? "" : unit.label.slice(0, cut);
      return parents ? parents + " \u00b7 " + unit.code : unit.code;
    }

    function show(query, found, more) {
      units = found;
      shownFor = query;
      var items = found.map(function (unit, i) {
        var li = document.createElement("li");
        var name = document.createElement("span");
        var path = document.createElement("span");
        li.id = list.id + "-" + i;
        li.className = "unit-option";
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        name.className = "unit-name";
        name.textContent = unit.name;
        path.className = "unit-path";
        path.textContent = where(unit);
        li.append(name, path);
        return li;
      });
      active = -1;
      input.removeAttribute("aria-activedescendant");
      list.replaceChildren.apply(list, items);
      if (items.length) { open(); } else { close(); }
      status.textContent = !found.length ? texts.noneText
        : format(more ? texts.moreText : texts.countText, { n: found.length });
    }

    function search() {
      var query = input.value.trim();
      clearTimeout(timer);
      if (query === shownFor) {
        if (units.length) { open(); }
        return;
      }
      if (pending) { pending.abort(); pending = null; }
      if (!query) { show("", [], false); status.textContent = ""; return; }
      var mine = ++asked;
      pending = new AbortController();
      fetch(texts.searchUrl + "?q=" + encodeURIComponent(query), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: pending.signal
      }).then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      }).then(function (data) {
        // Only the answer to the latest question counts (an older one may arrive later).
        if (mine === asked) { pending = null; show(query, data.units, data.more); }
      }).catch(function (err) {
        if (err.name !== "AbortError" && mine === asked) { status.textContent = texts.errorText; }
      });
    }

    function choose(index) {
      var unit = units[index];
      var option = new Option(unit.label, String(unit.id), true, true);
      select.replaceChildren(placeholder, option);
      select.value = String(unit.id);
      chosen.textContent = unit.label;
      input.value = unit.name;
      shownFor = unit.name.trim();
      close();
      status.textContent = format(texts.chosenText, { label: unit.label });
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(search, DELAY);
    });
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown" || e.key === "Down") {
        e.preventDefault();
        if (list.hidden && input.value.trim() !== shownFor) { search(); } else { move(1); }
      } else if (e.key === "ArrowUp" || e.key === "Up") {
        e.preventDefault();
        move(-1);
      } else if (e.key === "Enter") {
        // Enter chooses here; it never submits the whole form from the search box.
        e.preventDefault();
        if (!list.hidden && active >= 0) { choose(active); } else { search(); }
      } else if (e.key === "Escape" || e.key === "Esc") {
        if (!list.hidden) { e.preventDefault(); close(); }
      }
    });
    input.addEventListener("blur", function () { close(); });
    // A press on an option keeps the focus in the box; the click then chooses.
    list.addEventListener("mousedown", function (e) { e.preventDefault(); });
    list.addEventListener("click", function (e) {
      var li = e.target.closest("[role=option]");
      if (li) { choose(Array.prototype.indexOf.call(list.children, li)); input.focus(); }
    });
  }

  document.querySelectorAll("[data-unit-picker]").forEach(setup);
})();
