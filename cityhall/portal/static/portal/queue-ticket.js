// The live ticket page: asks its JSON twin for news every few seconds and updates the page
// without reload. A call to the counter is announced assertively (and shown in the tab's title);
// a move in the line, politely. Without this script the page reloads itself instead.
(function () {
  "use strict";

  function announce(region, text) {
    if (!region || !text) {
      return;
    }
    // Emptying first makes screen readers read the same words again (a recall).
    region.textContent = "";
    window.setTimeout(function () { region.textContent = text; }, 100);
  }

  function follow(box) {
    var url = box.getAttribute("data-status-url");
    var every = (parseInt(box.getAttribute("data-poll-seconds"), 10) || 5) * 1000;
    var polite = box.querySelector('[data-announce="polite"]');
    var assertive = box.querySelector('[data-announce="assertive"]');
    var headline = box.querySelector("[data-status-class]");
    var title = document.title;
    var last = {
      status: box.getAttribute("data-status"),
      times: box.getAttribute("data-times-called"),
      position: box.getAttribute("data-position"),
      headline: headline.textContent
    };
    var failures = 0;

    function show(state) {
      Array.prototype.forEach.call(box.querySelectorAll("[data-field]"), function (element) {
        var value = state[element.getAttribute("data-field")];
        element.textContent = value === null || value === undefined ? "" : value;
      });
      Array.prototype.forEach.call(box.querySelectorAll("[data-show-when]"), function (element) {
        element.hidden = !state[element.getAttribute("data-show-when")];
      });
      headline.className = "ticket-headline ticket-" + state.status;
      var status = String(state.status);
      var times = String(state.times_called);
      var position = state.position === null ? "" : String(state.position);
      if (status !== last.status || times !== last.times) {
        if (status === "called") {
          announce(assertive, state.headline);
          document.title = state.headline + " · " + title;
          if (navigator.vibrate) {
            navigator.vibrate([300, 150, 300]);
          }
        } else {
          announce(polite, state.headline);
          document.title = title;
        }
      } else if (state.headline !== last.headline) {
        announce(polite, state.headline + " " + state.position_text);
      } else if (position !== last.position && state.position_text) {
        announce(polite, state.position_text + " " + state.wait_text);
      }
      last = { status: status, times: times, position: position, headline: state.headline };
      return state.is_open;
    }

    function poll() {
      window.fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) {
            throw new Error(String(response.status));
          }
          return response.json();
        })
        .then(function (state) {
          failures = 0;
          if (show(state)) {
            window.setTimeout(poll, (state.poll_seconds || every / 1000) * 1000);
          }
        })
        .catch(function () {
          // The network comes and goes on a phone: wait longer after each failure.
          failures = Math.min(failures + 1, 6);
          window.setTimeout(poll, every * (1 + failures));
        });
    }

    if (last.status === "waiting" || last.status === "called" || last.status === "serving") {
      window.setTimeout(poll, every);
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-queue-ticket]"), follow);
  });
})();
