// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // When a form comes back with errors, move focus to its summary so that screen readers
  // announce the problems and keyboard users start from the list of links to each field.
  function focusErrorSummary() {
    var summary = document.querySelector(".error-summary");
    if (summary) {
      if (!summary.hasAttribute("tabindex")) {
        summary.setAttribute("tabindex", "-1");
      }
      summary.focus();
    }
  }

  // A table wider than the screen scrolls inside its .table-scroll wrapper. Keyboard users can
  // scroll it only if the wrapper takes focus, and screen readers need to know what it holds,
  // so a wrapper that overflows becomes a focusable region named by its table's caption.
  function labelScrollingTables() {
    var wrappers = document.querySelectorAll(".table-scroll");
    Array.prototype.forEach.call(wrappers, function (wrapper, index) {
      var caption = wrapper.querySelector("caption");
      if (wrapper.scrollWidth > wrapper.clientWidth) {
        wrapper.setAttribute("tabindex", "0");
        wrapper.setAttribute("role", "region");
        if (caption) {
          caption.id = caption.id || "table-caption-" + index;
          wrapper.setAttribute("aria-labelledby", caption.id);
        }
      } else {
        wrapper.removeAttribute("tabindex");
        wrapper.removeAttribute("role");
        wrapper.removeAttribute("aria-labelledby");
      }
    });
  }

  // On a phone the main navigation folds behind a "Menu" button, so that the page starts on the
  // first screen instead of under three rows of links. Without this script every link shows.
  function foldNavigation(nav) {
    var toggle = nav.querySelector(".nav-toggle");
    var narrow = window.matchMedia("(max-width: 40rem)");
    function show(expanded) {
      toggle.setAttribute("aria-expanded", expanded ? "true" : "false");
      nav.classList.toggle("is-folded", !expanded);
    }
    function fit() {
      toggle.hidden = !narrow.matches;
      nav.classList.toggle("is-foldable", narrow.matches);
      show(!narrow.matches || nav.contains(document.activeElement));
    }
    toggle.addEventListener("click", function () {
      show(toggle.getAttribute("aria-expanded") !== "true");
    });
    nav.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && narrow.matches) {
        show(false);
        toggle.focus();
      }
    });
    if (narrow.addEventListener) {
      narrow.addEventListener("change", fit);
    }
    fit();
  }

  var resizeTimer = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(resizeTimer);
    resizeTimer = window.setTimeout(labelScrollingTables, 150);
  });
  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("nav[data-collapsible]"), foldNavigation);
    labelScrollingTables();
    focusErrorSummary();
  });
})();
