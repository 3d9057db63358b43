// Drawing masks on page images: each rectangle drawn adds a line "page, left, top, right,
// bottom, provision" (per cent of the page) to the masks field of the page's file, which
// can also be typed.
(function () {
  "use strict";
  function pct(v) { return (Math.round(v * 10000) / 100).toFixed(2); }
  function field(name) { return document.querySelector("[name=" + name + "]"); }
  function box(fig, l, t, r, b) {
    var el = document.createElement("div");
    el.className = "mask-box";
    el.style.left = l * 100 + "%"; el.style.top = t * 100 + "%";
    el.style.width = (r - l) * 100 + "%"; el.style.height = (b - t) * 100 + "%";
    fig.appendChild(el);
    return el;
  }
  function lines(file) { return document.querySelector("textarea[data-file='" + file + "']"); }
  function existing() {
    document.querySelectorAll("textarea[data-file]").forEach(function (area) {
      area.value.split("\n").forEach(function (line) {
        var p = line.split(",");
        if (p.length < 5) { return; }
        var fig = document.querySelector(".mask-page[data-file='" + area.dataset.file +
                                         "'][data-page='" + p[0].trim() + "']");
        if (fig) { box(fig, p[1] / 100, p[2] / 100, p[3] / 100, p[4] / 100); }
      });
    });
  }
  function setup(fig) {
    var start = null, el = null;
    function at(ev) {
      var r = fig.querySelector("img").getBoundingClientRect();
      return [Math.min(1, Math.max(0, (ev.clientX - r.left) / r.width)),
              Math.min(1, Math.max(0, (ev.clientY - r.top) / r.height))];
    }
    fig.addEventListener("pointerdown", function (ev) {
      ev.preventDefault(); start = at(ev); el = box(fig, start[0], start[1], start[0], start[1]);
    });
    fig.addEventListener("pointermove", function (ev) {
      if (!start) { return; }
      var p = at(ev);
      el.style.left = Math.min(start[0], p[0]) * 100 + "%"; el.style.top = Math.min(start[1], p[1]) * 100 + "%";
      el.style.width = Math.abs(p[0] - start[0]) * 100 + "%"; el.style.height = Math.abs(p[1] - start[1]) * 100 + "%";
    });
    fig.addEventListener("pointerup", function (ev) {
      if (!start) { return; }
      var p = at(ev), l = Math.min(start[0], p[0]), t = Math.min(start[1], p[1]);
      var r = Math.max(start[0], p[0]), b = Math.max(start[1], p[1]);
      start = null;
      if (r - l < 0.005 || b - t < 0.005) { el.remove(); return; }
      var masks = lines(fig.dataset.file), ground = field("provision").value || "OSL";
      var line = [fig.dataset.page, pct(l), pct(t), pct(r), pct(b), ground].join(", ");
      masks.value = (masks.value.trim() ? masks.value.trim() + "\n" : "") + line;
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".mask-page").forEach(setup);
    existing();
  });
})();
