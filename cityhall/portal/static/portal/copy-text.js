// "Copy" buttons: a button with data-copy-from="<id>" copies that element's text to the
// clipboard and says so in the element named by data-copy-status. The buttons stay hidden
// where the Clipboard API is missing; the text itself is on the page to select by hand.
(function () {
  "use strict";
  if (!navigator.clipboard || !window.isSecureContext) {
    return;
  }
  document.querySelectorAll("button[data-copy-from]").forEach(function (button) {
    var source = document.getElementById(button.dataset.copyFrom);
    var status = document.getElementById(button.dataset.copyStatus || "");
    if (!source) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      function say(message) {
        if (status) {
          status.textContent = message || "";
        }
      }
      navigator.clipboard.writeText(source.textContent.trim()).then(
        function () { say(button.dataset.copiedMessage); },
        function () { say(button.dataset.failedMessage); }
      );
    });
  });
})();
