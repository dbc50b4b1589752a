// The stage screens of a teams contest's live part: presenter, control and team device.
// Each polls a small JSON state about once a second (no long-lived connection), and counts
// down from the server's deadline corrected by the server's clock.
(function () {
  "use strict";
  var root = document.getElementById("live");
  if (!root) return;
  var mode = root.dataset.mode, t = root.dataset;
  var state = null, offset = 0, busy = false;
  function el(name, scope) { return (scope || root).querySelector('[data-el="' + name + '"]'); }
  function csrf() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }
  function setText(node, text) { if (node && node.textContent !== text) node.textContent = text; }
  function status(text) { setText(el("status"), text || ""); }

  function post(url, body) {
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
      body: JSON.stringify(body)
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (data) {
        if (!r.ok) throw new Error((data.error && data.error.message) || r.statusText);
        return data;
      });
    });
  }

  function clock() {
    var node = el("clock");
    if (!node || !state) return;
    if (state.state === "open" && state.deadline_at) {
      var left = Date.parse(state.deadline_at) - (Date.now() + offset);
      var s = Math.max(0, Math.ceil(left / 1000));
      setText(node, s > 0 ? s + " " + t.tSeconds : t.tTimeup);
      node.classList.toggle("urgent", s <= 5);
    } else if (state.state === "paused") {
      setText(node, t.tPaused + " · " + Math.ceil(state.remaining_seconds || 0) + " " + t.tSeconds);
    } else {
      setText(node, "");
    }
  }

  function renderCommon(s) {
    var q = s.question;
    setText(el("counter"), q ? t.tQuestion + " " + q.position + " " + t.tOf + " " + s.count : "");
    if (!q) {
      setText(el("question"), s.state === "finished" ? t.tFinished : t.tIdle);
    } else {
      setText(el("question"), q.text);
    }
    var result = "";
    if (q && s.correct) {
      result = t.tCorrect + " " + s.correct + ". " + (s.teams_correct.length
        ? t.tTeamsCorrect + " " + s.teams_correct.join(", ") : t.tNobody);
    } else if (q && typeof s.answered === "number" && mode !== "device") {
      result = t.tAnswered + " " + s.answered;
    }
    if (mode === "device" && q && s.my_answer) {
      result = t.tChosen + " " + s.my_answer + ". " + (s.correct ? (s.my_correct ? t.tRight : t.tWrong) + " " + result : "");
    }
    setText(el("result"), result);
  }

  function renderChoices(s) {
    var list = el("choices");
    if (!list) return;
    var q = s.question, key = q ? q.position + "|" + (s.correct || "") : "";
    if (list.dataset.key === key) return;
    list.dataset.key = key;
    list.textContent = "";
    if (!q) return;
    q.choices.forEach(function (c) {
      var li = document.createElement("li");
      li.textContent = c.letter + ". " + c.text;
      if (s.correct === c.letter) li.className = "correct";
      list.appendChild(li);
    });
  }

  function renderDevice(s) {
    var box = el("buttons"), q = s.question;
    var open = q && s.state === "open" && !s.my_answer;
    var key = q ? q.position + "|" + open + "|" + (s.my_answer || "") + "|" + (s.correct || "") : "";
    if (box.dataset.key === key) return;
    box.dataset.key = key;
    box.textContent = "";
    if (!q) return;
    q.choices.forEach(function (c) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "device-choice" + (s.my_answer === c.letter ? " chosen" : "") +
        (s.correct === c.letter ? " correct" : "");
      b.textContent = c.letter + ". " + c.text;
      b.disabled = !open;
      b.dataset.letter = c.letter;
      box.appendChild(b);
    });
  }

  function renderControl(s) {
    var answers = s.answers || {}, scores = s.scores || {};
    root.querySelectorAll("tr[data-team]").forEach(function (row) {
      var id = row.dataset.team;
      setText(el("answer", row), s.question ? (id in answers ? (answers[id] || t.tNone) : "—") : "—");
      setText(el("score", row), String(scores[id] || 0));
    });
    var pick = el("hand-position");
    if (pick && s.position && pick.dataset.followed !== String(s.position)) {
      pick.value = String(s.position);
      pick.dataset.followed = String(s.position);
    }
  }

  function render(s) {
    state = s;
    offset = Date.parse(s.server_now || new Date().toISOString()) - Date.now();
    renderCommon(s);
    renderChoices(s);
    if (mode === "device") renderDevice(s);
    if (mode === "control") renderControl(s);
    clock();
  }

  function poll() {
    if (busy) return;
    busy = true;
    fetch(t.stateUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) {
        if (r.status === 401) { window.location.reload(); throw new Error("logged out"); }
        if (!r.ok) throw new Error(r.statusText);
        return r.json();
      })
      .then(function (s) { render(s); if (el("status").dataset.offline) { status(""); delete el("status").dataset.offline; } })
      .catch(function () { status(t.tOffline); el("status").dataset.offline = "1"; })
      .then(function () { busy = false; });
  }

  root.addEventListener("click", function (e) {
    var target = e.target.closest("button");
    if (!target) return;
    if (target.dataset.action) {
      post(t.controlUrl, { action: target.dataset.action }).then(function () { status(""); poll(); })
        .catch(function (err) { status(err.message); });
    } else if (target.dataset.hand) {
      var row = target.closest("tr");
      post(t.handUrl, {
        team_id: parseInt(target.dataset.hand, 10),
        position: parseInt(el("hand-position").value, 10),
        letter: el("hand-letter", row).value
      }).then(function () { status(t.tSaved); poll(); }).catch(function (err) { status(err.message); });
    } else if (target.dataset.letter && state && state.question) {
      el("buttons").querySelectorAll("button").forEach(function (b) { b.disabled = true; });
      post(t.answerUrl, { position: state.question.position, letter: target.dataset.letter })
        .then(function () { status(t.tSaved); poll(); })
        .catch(function (err) { status(err.message); el("buttons").dataset.key = ""; poll(); });
    } else if (target.dataset.el === "fullscreen" && document.documentElement.requestFullscreen) {
      document.documentElement.requestFullscreen();
    }
  });

  poll();
  window.setInterval(poll, 1000);
  window.setInterval(clock, 200);
})();
