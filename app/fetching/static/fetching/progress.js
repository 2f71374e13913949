// Live progress of a fetch run: polls the JSON status endpoint and fills the elements marked
// with data-field="name" inside the element carrying data-status-url. No framework needed.
(function () {
  "use strict";
  function format(value, kind) {
    if (value === null || value === undefined) { return "–"; }
    if (kind === "duration") {
      var s = Math.round(value), h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
      return (h ? h + ":" + String(m).padStart(2, "0") : m) + ":" + String(r).padStart(2, "0");
    }
    return String(value);
  }
  function update(root, data) {
    root.querySelectorAll("[data-field]").forEach(function (el) {
      var path = el.getAttribute("data-field").split("."), value = data;
      path.forEach(function (key) { value = value === null || value === undefined ? value : value[key]; });
      el.textContent = format(value, el.getAttribute("data-format"));
    });
    var bar = root.querySelector("progress");
    if (bar) { bar.value = data.progress_percent; }
  }
  function poll(root) {
    var url = root.getAttribute("data-status-url");
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
      .then(function (data) {
        update(root, data);
        if (data.is_active) { setTimeout(function () { poll(root); }, 2000); }
        else if (root.getAttribute("data-was-active") === "true") { window.location.reload(); }
      })
      .catch(function () { setTimeout(function () { poll(root); }, 10000); });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-status-url]").forEach(poll);
  });
})();
