// Refreshes the template editor's preview while staff type. The server renders the preview
// (the same code as the "Preview" button), so what is shown is what will be sent.
(function () {
  "use strict";
  const form = document.querySelector("form[data-preview-url]");
  if (!form) {
    return;
  }
  const target = document.getElementById(form.dataset.previewTarget);
  let timer = null;
  let latest = 0;

  function refresh() {
    const request = ++latest;
    fetch(form.dataset.previewUrl, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
    })
      .then(function (response) {
        return response.ok ? response.text() : null;
      })
      .then(function (html) {
        // An older answer arriving after a newer one must not overwrite it.
        if (html !== null && request === latest) {
          target.innerHTML = html;
        }
      })
      .catch(function () {
        // The "Preview" button still works; nothing to tell while typing.
      });
  }

  form.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 300);
  });
})();
