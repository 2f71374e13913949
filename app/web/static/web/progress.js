// The one progress script of the staff pages (fetch runs, imports, undos). The DOM contract:
//   <div data-status-url="JSON url" data-was-active="true|false" [data-interval="ms, default 2000"]>
//     <progress> gets the JSON's progress_percent; every [data-field="a.b"] inside gets that value,
//     shown by its data-format (count, percent, decimal, duration; else as text), in the page's language.
//   </div>
// It polls while the JSON says is_active; a box that was active when the page was rendered reloads
// the page once when it ends, so the page shows the final report and only the actions that fit.
// A fetch run's failure list ([data-failures], anywhere on the page) follows its JSON's `failures`.
(function () {
  "use strict";
  if (window.mmProgress) { return; }  // included by several boxes of one page: poll each once
  window.mmProgress = true;
  var lang = document.documentElement.lang || "tr";
  var numbers = new Intl.NumberFormat(lang);
  var decimals = new Intl.NumberFormat(lang, { maximumFractionDigits: 2 });
  function format(value, kind) {
    if (value === null || value === undefined) { return "–"; }
    if (kind === "duration") {
      var s = Math.round(value), h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
      return (h ? h + ":" + String(m).padStart(2, "0") : m) + ":" + String(r).padStart(2, "0");
    }
    if (kind === "percent") {  // "%83,9" in Turkish, "83.9%" in English
      var text = decimals.format(value);
      return lang.indexOf("tr") === 0 ? "%" + text : text + "%";
    }
    if (kind === "count") { return numbers.format(value); }
    if (kind === "decimal") { return decimals.format(value); }
    return String(value);
  }
  function cell(row, text) {
    var td = document.createElement("td");
    td.textContent = text;
    row.appendChild(td);
    return td;
  }
  function updateFailures(box, data) {
    var wrap = box.querySelector(".table-wrap"), body = box.querySelector("tbody");
    var yes = box.getAttribute("data-yes"), no = box.getAttribute("data-no");
    body.textContent = "";
    data.failures.forEach(function (failure) {
      var row = document.createElement("tr");
      cell(row, failure.provider_id);
      cell(row, failure.reason);
      var code = document.createElement("code");
      code.textContent = failure.detail;
      cell(row, "").appendChild(code);
      cell(row, failure.http_status === null ? "–" : failure.http_status).className = "num optional";
      cell(row, failure.attempts).className = "num optional";
      cell(row, failure.permanent ? yes : no).className = "optional";
      var task = cell(row, failure.task_url ? "" : "–");
      task.className = "optional";
      if (failure.task_url) {
        var link = document.createElement("a");
        link.href = failure.task_url; link.target = "_blank"; link.rel = "noopener"; link.textContent = "Flower";
        task.appendChild(link);
      }
      body.appendChild(row);
    });
    wrap.hidden = data.failures.length === 0;
    box.querySelector(".failures-none").hidden = data.failures.length > 0;
    box.querySelector(".failures-more").hidden = data.failed <= data.failures.length;
  }
  function fill(scope, data) {
    scope.querySelectorAll("[data-field]").forEach(function (el) {
      var path = el.getAttribute("data-field").split("."), value = data;
      path.forEach(function (key) { value = value === null || value === undefined ? value : value[key]; });
      el.textContent = format(value, el.getAttribute("data-format"));
    });
  }
  function update(root, data) {
    fill(root, data);
    var bar = root.querySelector("progress");
    if (bar) { bar.value = data.progress_percent; }
    if (!data.failures) { return; }
    document.querySelectorAll("[data-failures]").forEach(function (box) {
      fill(box, data);
      updateFailures(box, data);
    });
  }
  function poll(root) {
    var url = root.getAttribute("data-status-url");
    var interval = parseInt(root.getAttribute("data-interval"), 10) || 2000;
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
      .then(function (data) {
        update(root, data);
        if (data.is_active) { setTimeout(function () { poll(root); }, interval); }
        else if (root.getAttribute("data-was-active") === "true") { window.location.reload(); }
      })
      .catch(function () { setTimeout(function () { poll(root); }, 10000); });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-status-url]").forEach(poll);
  });
})();
