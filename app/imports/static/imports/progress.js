// Polls the import's status endpoint and updates the progress bar and the final report in place.
(function () {
  "use strict";
  var box = document.getElementById("import-progress");
  if (!box) { return; }
  var url = box.dataset.statusUrl;
  function text(id, value) { var el = document.getElementById(id); if (el) { el.textContent = value; } }
  function show(data) {
    box.hidden = false;
    document.getElementById("import-progress-bar").value = data.percent;
    text("import-percent", data.percent);
    text("import-processed", data.processed_rows);
    text("import-total", data.total_rows);
    text("import-status-label", data.status_label);
    // The heading follows the state (Önizleme → İçe aktarılıyor → İçe aktarıldı).
    var heading = document.getElementById("import-heading") || document.querySelector("#content > h1");
    var title = box.dataset["heading" + data.status.charAt(0).toUpperCase() + data.status.slice(1)];
    if (heading && title) { heading.textContent = title; }
    if (data.status === "done") {
      text("import-created", data.created);
      text("import-updated", data.updated);
      text("import-unchanged", data.unchanged);
      text("import-rejected", data.rejected);
      document.getElementById("import-final").hidden = false;
    }
    if (data.error_message) {
      var error = document.getElementById("import-error");
      error.textContent = data.error_message;
      error.style.display = "";
    }
  }
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        show(data);
        if (!data.finished) { window.setTimeout(poll, 500); }
        else if (data.status === "done") {
          var form = document.getElementById("import-start-form");
          if (form) { form.hidden = false; }
        }
      })
      .catch(function () { window.setTimeout(poll, 2000); });
  }
  if (box.dataset.status === "running") {
    var form = document.getElementById("import-start-form");
    if (form) { form.hidden = true; }
    poll();
  }
})();
