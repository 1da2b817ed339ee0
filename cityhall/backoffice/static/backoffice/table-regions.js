/* A table wider than the screen scrolls inside its own box. Keyboard users must be able to
   reach that box to scroll it, and screen readers to name it: each box that overflows becomes a
   focusable region named after its table's caption or label. */
(function () {
  "use strict";

  function nameOf(table) {
    var caption = table.querySelector("caption");
    if (caption) {
      return caption.textContent.trim();
    }
    var labelledBy = table.getAttribute("aria-labelledby");
    var label = labelledBy && document.getElementById(labelledBy);
    return label ? label.textContent.trim() : "";
  }

  function mark(box) {
    var table = box.querySelector("table");
    var name = table ? nameOf(table) : "";
    if (box.scrollWidth > box.clientWidth + 1 && name) {
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", name);
      box.tabIndex = 0;
    } else {
      box.removeAttribute("role");
      box.removeAttribute("aria-label");
      box.removeAttribute("tabindex");
    }
  }

  function markAll() {
    document.querySelectorAll(".table-scroll").forEach(mark);
  }

  document.addEventListener("DOMContentLoaded", markAll);
  window.addEventListener("resize", markAll);
})();
