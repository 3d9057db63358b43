/* Progress of background jobs, updated in place: every element with data-job-url (the
   job's API address) is polled until the job is finished. No inline script, no build
   step; without JavaScript the page shows the state it was rendered with. */
(function () {
  "use strict";
  if (window.diariumJobs) { return; }
  window.diariumJobs = true;
  var FINAL = { succeeded: true, failed: true, cancelled: true };

  function field(box, name) { return box.querySelector('[data-job-field="' + name + '"]'); }

  function show(box, job) {
    box.setAttribute("data-job-state", job.state);
    field(box, "state_label").textContent = job.state_label;
    var message = job.message_label || job.message;
    field(box, "message").textContent = message ? ": " + message : "";
    var bar = field(box, "progress");
    bar.max = job.total || 1;
    bar.value = job.total ? job.done : (job.state === "succeeded" ? 1 : 0);
    field(box, "percent").textContent = job.percent === null ? "" : job.percent + " %";
    var error = field(box, "error");
    error.textContent = job.error || "";
    error.hidden = !job.error;
    var page = field(box, "page");
    if (page && job.page && job.state === "succeeded") {
      page.querySelector("a").href = job.page;
      page.hidden = false;
    }
  }

  function poll(box, delay) {
    if (FINAL[box.getAttribute("data-job-state")]) { return; }
    window.setTimeout(function () {
      // The API answers in the language asked for: the page's, not the browser's.
      fetch(box.getAttribute("data-job-url"), {
        credentials: "same-origin",
        headers: { Accept: "application/json",
                   "Accept-Language": document.documentElement.lang || "sv" }
      }).then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      }).then(function (job) {
        show(box, job);
        poll(box, 1000);
      }).catch(function () {
        poll(box, Math.min(delay * 2, 30000));  // the server is away: try again later
      });
    }, delay);
  }

  function start() {
    var boxes = document.querySelectorAll(".job[data-job-url]");
    for (var i = 0; i < boxes.length; i++) { poll(boxes[i], 1000); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
