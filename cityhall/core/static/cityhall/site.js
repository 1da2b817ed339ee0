// Progressive enhancement only: every page works without this file.
// When a form comes back with errors, move focus to its summary so that screen readers
// announce the problems and keyboard users start from the list of links to each field.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector(".error-summary");
  if (summary) {
    if (!summary.hasAttribute("tabindex")) {
      summary.setAttribute("tabindex", "-1");
    }
    summary.focus();
  }
});
