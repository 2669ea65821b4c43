/* A table that is wider than its .table-responsive box scrolls sideways; a keyboard user can only scroll
   it once the box takes the focus (WCAG 2.1.1; axe-core's scrollable-region-focusable). Such a box gets
   tabindex="0" and becomes a region named by its table's caption; a box that fits gets neither, so Tab
   does not stop on every table. Checked again when the window is resized and a <details> opens. */
(function () {
  "use strict";

  function label(box) {
    var caption = box.querySelector("caption");
    if (caption && !box.hasAttribute("aria-label")) {
      box.setAttribute("aria-label", caption.textContent.replace(/\s+/g, " ").trim());
    }
  }

  function mark() {
    document.querySelectorAll(".table-responsive").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.dataset.scrollRegion = "";
        label(box);
      } else if (!scrolls && box.dataset.scrollRegion !== undefined) {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        delete box.dataset.scrollRegion;
      }
    });
  }

  var pending = null;
  function later() {
    if (pending === null) {
      pending = window.requestAnimationFrame(function () {
        pending = null;
        mark();
      });
    }
  }

  mark();
  window.addEventListener("resize", later);
  document.addEventListener("toggle", later, true); /* <details> opening: "toggle" does not bubble */
})();
