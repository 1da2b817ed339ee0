// The queue's screens at a facility. The display and the kiosk ask the board's JSON for news
// and update the numbers called and the waits per service; the kiosk returns to its start
// after a minute without a touch, so the next person never finds someone else's ticket.
(function () {
  "use strict";

  function cell(text) {
    var td = document.createElement("td");
    td.textContent = text;
    return td;
  }

  function showServing(board, rows, state) {
    var body = board.querySelector('[data-board="now_serving"]');
    if (!body) {
      return;
    }
    var fresh = document.createDocumentFragment();
    rows.forEach(function (row) {
      var tr = document.createElement("tr");
      if (row.is_called) {
        tr.className = "is-called";
      }
      tr.appendChild(cell(row.number));
      tr.appendChild(cell(row.counter));
      fresh.appendChild(tr);
    });
    if (!rows.length) {
      var empty = cell(board.getAttribute("data-empty-serving") || "");
      empty.colSpan = 2;
      var tr = document.createElement("tr");
      tr.appendChild(empty);
      fresh.appendChild(tr);
    }
    body.textContent = "";
    body.appendChild(fresh);
    // Announce each number newly called, or called again.
    var region = board.querySelector('[data-announce="polite"]');
    var counterWord = board.getAttribute("data-counter-word");
    var news = rows.filter(function (row) {
      var key = row.number + "@" + row.counter + "#" + row.times_called;
      var seen = state.seen.hasOwnProperty(key);
      state.next[key] = true;
      return row.is_called && !seen && state.started;
    });
    if (region && news.length) {
      region.textContent = news.map(function (row) {
        return row.number + ", " + counterWord + " " + row.counter;
      }).join(". ");
    }
  }

  function showServices(board, services) {
    services.forEach(function (service) {
      var row = board.querySelector('[data-service-code="' + service.code + '"]');
      if (!row) {
        return;
      }
      Array.prototype.forEach.call(row.querySelectorAll("[data-field]"), function (element) {
        var value = service[element.getAttribute("data-field")];
        if (value !== undefined) {
          element.textContent = value;
        }
      });
    });
  }

  function watch(board) {
    var url = board.getAttribute("data-board-url");
    var every = (parseInt(board.getAttribute("data-poll-seconds"), 10) || 5) * 1000;
    var state = { seen: {}, next: {}, started: false };
    function poll() {
      window.fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) {
            throw new Error(String(response.status));
          }
          return response.json();
        })
        .then(function (data) {
          state.next = {};
          showServing(board, data.now_serving || [], state);
          showServices(board, data.services || []);
          state.seen = state.next;
          state.started = true;
        })
        .catch(function () { /* the next poll tries again */ })
        .then(function () { window.setTimeout(poll, every); });
    }
    poll();
  }

  function resetAfterQuiet(form) {
    var seconds = parseInt(form.getAttribute("data-reset-seconds"), 10) || 60;
    var timer = null;
    function quiet() {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        form.reset();
        window.scrollTo(0, 0);
      }, seconds * 1000);
    }
    ["pointerdown", "keydown", "change"].forEach(function (name) {
      document.addEventListener(name, quiet);
    });
    // One tap takes one ticket: a second tap while the first is on its way does nothing.
    form.addEventListener("submit", function (event) {
      if (form.getAttribute("data-sent")) {
        event.preventDefault();
      }
      form.setAttribute("data-sent", "1");
    });
    quiet();
  }

  function returnToStart(ticket) {
    var seconds = parseInt(ticket.getAttribute("data-reset-seconds"), 10) || 60;
    window.setTimeout(function () {
      window.location.replace(ticket.getAttribute("data-start-url"));
    }, seconds * 1000);
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-queue-board]"), watch);
    Array.prototype.forEach.call(document.querySelectorAll("[data-kiosk-start]"), resetAfterQuiet);
    Array.prototype.forEach.call(document.querySelectorAll("[data-kiosk-ticket]"), returnToStart);
  });
})();
