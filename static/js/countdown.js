// Countdowns to a round's opening or closing, following the server's clock.
(function () {
  "use strict";
  var nodes = document.querySelectorAll("[data-countdown]");
  if (!nodes.length) return;
  function fmt(ms, node) {
    var s = Math.max(0, Math.floor(ms / 1000));
    var d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600);
    var m = Math.floor(s % 3600 / 60), sec = s % 60;
    var hms = [h, m, sec].map(function (x) { return x < 10 ? "0" + x : "" + x; }).join(":");
    return (d ? d + " " + (node.dataset.day || "d") + " " : "") + hms;
  }
  nodes.forEach(function (node) {
    var target = Date.parse(node.dataset.countdown);
    var offset = Date.parse(node.dataset.serverNow) - Date.now();
    function tick() {
      var left = target - (Date.now() + offset);
      node.textContent = node.dataset.label + " " + fmt(left, node);
      if (left <= 0) { window.setTimeout(function () { window.location.reload(); }, 1500); return; }
      window.setTimeout(tick, 1000);
    }
    tick();
  });
})();
