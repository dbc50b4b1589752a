// A background job's page: fetch it again every few seconds and swap in its state, until
// the job has finished (the server stops marking the region with data-refresh).
(function () {
  "use strict";
  var region = document.getElementById("job-state");
  if (!region || !region.dataset.refresh) return;
  var every = Math.max(1, parseInt(region.dataset.refresh, 10) || 2) * 1000;
  function poll() {
    fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("job-state");
        if (!fresh) return;
        region.innerHTML = fresh.innerHTML;
        if (fresh.dataset.refresh) window.setTimeout(poll, every);
        else delete region.dataset.refresh;
      })
      .catch(function () { window.setTimeout(poll, every * 2); });
  }
  window.setTimeout(poll, every);
})();
