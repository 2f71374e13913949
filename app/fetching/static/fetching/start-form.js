// The start form shows only the fields of the chosen mode (ids, or competition and dates).
// Without JavaScript both groups stay visible and the server validates the chosen one.
(function () {
  "use strict";
  var form = document.getElementById("fetch-start-form");
  if (!form) { return; }
  function sync() {
    var chosen = form.querySelector("input[name=kind]:checked");
    form.querySelectorAll(".mode-fields").forEach(function (group) {
      group.hidden = !!chosen && group.getAttribute("data-mode") !== chosen.value;
    });
  }
  form.querySelectorAll("input[name=kind]").forEach(function (radio) { radio.addEventListener("change", sync); });
  sync();
})();
