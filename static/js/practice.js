// Practice (thi thử). Everything here is an enhancement: without JavaScript the setup
// form lists every topic and the quiz is a plain form that is graded on the server.
(function () {
  "use strict";

  // Setup: show only the topics of the chosen bank.
  document.querySelectorAll("[data-practice-setup]").forEach(function (form) {
    var bank = form.querySelector("[data-practice-bank]");
    var topic = form.querySelector("[data-practice-topic]");
    if (!bank || !topic) { return; }
    var all = Array.prototype.slice.call(topic.children);
    var anyTopic = all.shift();
    function filter() {
      var chosen = topic.value;
      var groups = all.filter(function (g) { return g.dataset.bank === bank.value; });
      topic.replaceChildren.apply(topic, [anyTopic].concat(groups));
      var stillThere = groups.some(function (g) {
        return Array.prototype.some.call(g.children, function (o) { return o.value === chosen; });
      });
      topic.value = stillThere ? chosen : "";
    }
    bank.addEventListener("change", filter);
    filter();
  });

  // Quiz: confirm before submitting with unanswered questions; countdown when timed.
  document.querySelectorAll("[data-practice-quiz]").forEach(function (form) {
    var sending = false;
    function unanswered() {
      var names = {};
      form.querySelectorAll("input[type=radio]").forEach(function (r) {
        names[r.name] = names[r.name] || r.checked;
      });
      return Object.keys(names).filter(function (n) { return !names[n]; }).length;
    }
    form.addEventListener("submit", function (e) {
      if (sending) { e.preventDefault(); return; }
      var left = unanswered();
      var text = form.dataset.confirmText || "";
      if (left > 0 && text && !window.confirm(text.replace("{n}", left))) {
        e.preventDefault();
        return;
      }
      sending = true;
    });

    var limit = parseInt(form.dataset.timeLimit || "", 10);
    if (!(limit > 0)) { return; }
    var box = form.querySelector("[data-timer]");
    var value = form.querySelector("[data-timer-value]");
    var alert = form.querySelector("[data-timer-alert]");
    var end = Date.now() + limit * 1000;
    var warned = false;
    function pad(n) { return n < 10 ? "0" + n : String(n); }
    function tick() {
      var left = Math.max(0, Math.ceil((end - Date.now()) / 1000));
      value.textContent = Math.floor(left / 60) + ":" + pad(left % 60);
      if (left <= 60 && !warned && limit > 60) {
        warned = true;
        alert.textContent = alert.dataset.minuteText || "";
      }
      if (left === 0) {
        window.clearInterval(timer);
        if (!sending) {
          sending = true;
          alert.textContent = alert.dataset.endText || "";
          // submit() skips the submit event: no confirmation when time is up.
          form.submit();
        }
      }
    }
    box.hidden = false;
    var timer = window.setInterval(tick, 250);
    tick();
  });
})();
