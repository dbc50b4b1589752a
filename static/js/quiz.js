// The quiz page: autosave each answer, follow the server's clock, submit once.
// Without this script the page is a plain form that saves and submits everything at once.
(function () {
  "use strict";
  var root = document.querySelector("[data-quiz]");
  if (!root) return;
  var form = root.querySelector("[data-quiz-form]");
  var api = root.dataset.api;
  var csrf = root.dataset.csrf;
  var statusNode = root.querySelector("[data-save-status]");
  var timerNode = root.querySelector("[data-timer]");
  var progressNode = root.querySelector("[data-progress]");
  var dialog = root.querySelector("[data-confirm]");
  var sections = Array.prototype.slice.call(root.querySelectorAll("section.question[data-position]"));
  var total = sections.length;
  var deadline = Date.parse(root.dataset.deadline);
  var offset = Date.parse(root.dataset.serverNow) - Date.now(); // server clock − this clock
  var pending = {};   // position → choice id still to be saved
  var inFlight = false;
  var retryDelay = 1000;
  var finished = false;
  var timeUp = false;  // the clock ran out: the result page says the page submitted itself

  function text(name, values) {
    var s = root.dataset[name] || "";
    Object.keys(values || {}).forEach(function (k) { s = s.replace("{" + k + "}", values[k]); });
    return s;
  }
  function setStatus(kind) {
    statusNode.dataset.state = kind;
    statusNode.textContent = text({saved: "textSaved", saving: "textSaving", offline: "textOffline"}[kind]);
  }
  function answered(position) {
    return !!form.querySelector('input[name="q' + position + '"]:checked');
  }
  function unanswered() {
    return sections.map(function (s) { return +s.dataset.position; }).filter(function (p) { return !answered(p); });
  }
  function refreshProgress() {
    var done = total - unanswered().length;
    progressNode.textContent = text("textAnswered", {n: done, total: total});
    root.querySelectorAll(".qmap a[data-goto]").forEach(function (a) {
      a.classList.toggle("answered", answered(+a.dataset.goto));
    });
  }
  function request(method, url, body) {
    return fetch(url, {
      method: method,
      credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrf, "Accept": "application/json"},
      body: body === undefined ? undefined : JSON.stringify(body)
    });
  }
  function resultUrl() {
    return root.dataset.resultUrl + (timeUp ? "?reason=time_up" : "");
  }
  function closed() {
    // The server says the attempt no longer takes answers: show the result.
    finished = true;
    window.location.assign(resultUrl());
  }
  function handleError(response) {
    return response.json().then(function (data) {
      var code = data && data.error && data.error.code;
      if (code === "attempt_closed" || code === "deadline_passed") { closed(); return; }
      statusNode.textContent = (data && data.error && data.error.message) || "";
      statusNode.dataset.state = "error";
    }, function () { throw new Error("bad response"); });
  }

  // ---- autosave: one request at a time, latest choice per question wins ----
  function flush() {
    if (inFlight || finished) return;
    var positions = Object.keys(pending);
    if (!positions.length) { setStatus("saved"); return; }
    var position = positions[0];
    var choice = pending[position];
    inFlight = true;
    setStatus("saving");
    request("PUT", api + "/answers/" + position, {choice_id: choice}).then(function (response) {
      inFlight = false;
      if (response.ok) {
        if (pending[position] === choice) delete pending[position];
        retryDelay = 1000;
        flush();
      } else if (response.status >= 500) {
        throw new Error("server " + response.status);
      } else {
        delete pending[position];
        handleError(response);
      }
    }).catch(function () {
      inFlight = false;
      setStatus("offline");
      window.setTimeout(flush, retryDelay);
      retryDelay = Math.min(retryDelay * 2, 30000);  // back off up to 30 s
    });
  }
  form.addEventListener("change", function (event) {
    var input = event.target;
    if (input.type === "radio" && /^q\d+$/.test(input.name)) {
      pending[input.name.slice(1)] = input.value;
      refreshProgress();
      flush();
    }
  });
  window.addEventListener("online", flush);
  window.addEventListener("beforeunload", function (event) {
    if (Object.keys(pending).length && !finished) { event.preventDefault(); event.returnValue = ""; }
  });

  // ---- prediction ----
  var prediction = root.querySelector("[data-prediction-url]");
  var predictionTimer = null;
  function savePrediction() {
    var value = prediction.value.trim();
    if (value === "" || !/^\d+$/.test(value)) return;
    setStatus("saving");
    request("PUT", prediction.dataset.predictionUrl, {value: parseInt(value, 10)}).then(function (response) {
      if (response.ok) setStatus("saved"); else handleError(response);
    }).catch(function () { setStatus("offline"); window.setTimeout(savePrediction, retryDelay); });
  }
  if (prediction) {
    prediction.addEventListener("input", function () {
      // Say "saving" at once: the indicator never claims a value is saved before it is.
      setStatus("saving");
      window.clearTimeout(predictionTimer);
      predictionTimer = window.setTimeout(savePrediction, 600);
    });
    prediction.addEventListener("change", function () {
      window.clearTimeout(predictionTimer);
      savePrediction();
    });
  }

  // ---- one question per screen on a phone ----
  var paged = window.matchMedia("(max-width: 47.99rem)");
  var current = 1;
  function show(position) {
    current = Math.min(Math.max(1, position), total);
    sections.forEach(function (s) { s.hidden = paged.matches && +s.dataset.position !== current; });
    root.querySelectorAll(".qmap a").forEach(function (a) {
      if (+a.dataset.goto === current) a.setAttribute("aria-current", "step"); else a.removeAttribute("aria-current");
    });
  }
  var bar = root.querySelector(".quiz-bar");
  function headingIntoView(section) {
    // The question's number and first words just below the sticky timer bar: focusing a
    // choice of a long question would scroll them under it.
    var gap = bar ? bar.getBoundingClientRect().height + 8 : 8;
    window.scrollBy(0, section.getBoundingClientRect().top - gap);
  }
  root.addEventListener("click", function (event) {
    var link = event.target.closest("[data-goto]");
    if (!link || !paged.matches) return;
    event.preventDefault();
    show(+link.dataset.goto);
    var section = root.querySelector("#q-" + current);
    var target = section.querySelector("input");
    if (target) target.focus({preventScroll: true});
    headingIntoView(section);
  });
  paged.addEventListener("change", function () { show(current); });
  show(1);

  // ---- the clock: the server's, not this device's ----
  function pad(n) { return n < 10 ? "0" + n : "" + n; }
  function tick() {
    if (finished) return;
    var left = deadline - (Date.now() + offset);
    var s = Math.max(0, Math.floor(left / 1000));
    timerNode.textContent = pad(Math.floor(s / 3600)) + ":" + pad(Math.floor(s % 3600 / 60)) + ":" + pad(s % 60);
    timerNode.parentNode.classList.toggle("low", s <= 60);
    if (left <= 0) {
      timeUp = true;
      form.querySelector("[data-reason]").value = "time_up";
      statusNode.textContent = text("textTimeUp");
      submitNow();
      return;
    }
    window.setTimeout(tick, 1000 - ((Date.now() + offset) % 1000));
  }

  // ---- submitting ----
  function submitNow() {
    if (finished) return;
    finished = true;
    var waited = 0;
    (function whenSaved() {
      // Let the last answers reach the server first (a few seconds at most).
      if ((Object.keys(pending).length || inFlight) && waited < 8000) {
        finished = false; flush(); finished = true;
        waited += 250;
        window.setTimeout(whenSaved, 250);
        return;
      }
      request("POST", api + "/submit").then(function (response) {
        if (response.ok || response.status === 404) window.location.assign(resultUrl());
        else form.submit();
      }).catch(function () { form.submit(); });  // the form carries every answer too
    })();
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var missing = unanswered();
    var message = missing.length ? text("textUnanswered", {n: missing.length, list: missing.join(", ")})
      : text("textAllAnswered");
    // The prediction breaks ties: an empty one is worth a warning of its own.
    var noPrediction = !!prediction && !/^\d+$/.test(prediction.value.trim());
    var predictionNote = dialog && dialog.querySelector("[data-confirm-prediction]");
    if (dialog && typeof dialog.showModal === "function") {
      dialog.querySelector("[data-confirm-text]").textContent = message;
      if (predictionNote) predictionNote.hidden = !noPrediction;
      dialog.showModal();
    } else if (window.confirm(noPrediction && predictionNote
        ? message + "\n" + predictionNote.querySelector("p").textContent : message)) {
      submitNow();
    }
  });
  if (dialog) {
    dialog.querySelector("[data-confirm-yes]").addEventListener("click", function () { dialog.close(); submitNow(); });
    dialog.querySelector("[data-confirm-no]").addEventListener("click", function () { dialog.close(); });
    var predict = dialog.querySelector("[data-confirm-predict]");
    if (predict) {
      predict.addEventListener("click", function () {
        dialog.close();
        prediction.scrollIntoView({block: "center"});
        prediction.focus();
      });
    }
  }

  refreshProgress();
  setStatus("saved");
  tick();
})();
