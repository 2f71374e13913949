// The undo box of an import's page: while the undo runs, polls its status (the same JSON shape as
// the import's, see progress.js) and moves the bar; when it ends, reloads the page, which then
// shows the result and the matches left alone.
(function () {
  "use strict";
  var box = document.getElementById("undo-progress");
  if (!box || box.dataset.status !== "running") { return; }
  var form = document.getElementById("undo-start-form");
  if (form) { form.hidden = true; }
  function text(id, value) { var el = document.getElementById(id); if (el) { el.textContent = value; } }
  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        document.getElementById("undo-progress-bar").value = data.percent;
        text("undo-percent", data.percent);
        text("undo-processed", data.processed_rows);
        text("undo-status-label", data.status_label);
        if (data.finished) { window.location.reload(); } else { window.setTimeout(poll, 500); }
      })
      .catch(function () { window.setTimeout(poll, 2000); });
  }
  poll();
})();
