/* The request page's actions are folded in <details>: opening the page at one of them (the
   address after an action ends with its id) unfolds it, so staff land on the form they used. */
(function () {
  "use strict";

  function unfold() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (target && target.tagName === "DETAILS") {
      target.open = true;
    }
  }

  document.addEventListener("DOMContentLoaded", unfold);
  window.addEventListener("hashchange", unfold);
})();
