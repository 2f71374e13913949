// Polls a status endpoint and updates a progress box in place: the import's ("import-…" ids) and
// its undo's ("undo-…"), which report in the same JSON shape.
(function () {
  "use strict";
  function text(id, value) { var el = document.getElementById(id); if (el) { el.textContent = value; } }
  function watch(prefix, fields, whenDone) {
    var box = document.getElementById(prefix + "-progress");
    if (!box) { return; }
    var url = box.dataset.statusUrl;
    var form = document.getElementById(prefix + "-start-form");
    function show(data) {
      box.hidden = false;
      document.getElementById(prefix + "-progress-bar").value = data.percent;
      text(prefix + "-percent", data.percent);
      text(prefix + "-processed", data.processed_rows);
      text(prefix + "-total", data.total_rows);
      text(prefix + "-status-label", data.status_label);
      if (data.status === "done") {
        fields.forEach(function (name) { text(prefix + "-" + name, data[name]); });
        document.getElementById(prefix + "-final").hidden = false;
      }
      if (data.error_message) {
        var error = document.getElementById(prefix + "-error");
        error.textContent = data.error_message;
        error.style.display = "";
        error.hidden = false;
      }
    }
    function poll() {
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (!data) { return; }
          show(data);
          if (!data.finished) { window.setTimeout(poll, 500); }
          else if (data.status === "done") { whenDone(form); }
        })
        .catch(function () { window.setTimeout(poll, 2000); });
    }
    if (box.dataset.status === "running") {
      if (form) { form.hidden = true; }
      poll();
    }
  }
  watch("import", ["created", "updated", "unchanged", "rejected"], function (form) { if (form) { form.hidden = false; } });
  // A finished undo changes what the page shows (the undo button, the list of matches left alone).
  watch("undo", ["deleted", "restored", "kept", "teams_removed", "seasons_removed"], function () { window.location.reload(); });
})();
