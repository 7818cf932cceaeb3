// Refresh every job progress bar on the page from its JSON endpoint until the job ends,
// so a maintainer watches a long job without reloading.
(function () {
  "use strict";
  function base() {
    var match = window.location.pathname.match(/^(.*\/workspace\/analysisjob\/)/);
    return match ? match[1] : null;
  }
  function render(el, data) {
    var bar = el.querySelector(".gi-progress-bar");
    var label = el.querySelector("span");
    if (bar) { bar.style.width = data.progress + "%"; }
    if (label) { label.textContent = data.progress + "% · " + data.status + (data.message ? " · " + data.message : ""); }
    el.setAttribute("data-status", data.status);
    el.title = data.error || data.message || "";
  }
  function poll(el) {
    var root = base();
    if (!root) { return; }
    fetch(root + el.getAttribute("data-job-progress") + "/progress/", {credentials: "same-origin"})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        render(el, data);
        if (!data.finished) { window.setTimeout(function () { poll(el); }, 1000); }
      })
      .catch(function () { window.setTimeout(function () { poll(el); }, 3000); });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-job-progress]").forEach(poll);
  });
})();
