/* An alert's back-office page: its area on a map (the page says it in words too), and the
   sending figures per channel, refreshed every few seconds while the alert is being sent. */
(function () {
  "use strict";
  var POLL_MS = 3000;

  function showArea(box) {
    var L = window.L;
    if (!L) {
      return;
    }
    var container = document.createElement("div");
    container.className = "location-map";
    container.setAttribute("role", "region");
    container.setAttribute("aria-label", box.dataset.mapLabel);
    box.appendChild(container);
    var map = L.map(container, { keyboard: true, zoomControl: false, scrollWheelZoom: false });
    L.control.zoom({ zoomInTitle: box.dataset.zoomIn, zoomOutTitle: box.dataset.zoomOut }).addTo(map);
    if (box.dataset.tileUrl) {
      L.tileLayer(box.dataset.tileUrl, { attribution: box.dataset.tileAttribution, maxZoom: 19 }).addTo(map);
    }
    var layer = L.geoJSON(JSON.parse(box.dataset.geojson), { interactive: false }).addTo(map);
    map.fitBounds(layer.getBounds());
  }

  function cell(tag, text, scope) {
    var element = document.createElement(tag);
    element.textContent = text;
    if (scope) {
      element.setAttribute("scope", scope);
    }
    return element;
  }

  function pollFigures(table) {
    var body = table.querySelector("[data-figures-body]");
    function refresh() {
      fetch(table.dataset.figuresUrl, { credentials: "same-origin" })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (answer) {
          if (answer && answer.channels.length) {
            var rows = answer.channels.map(function (row) {
              var tr = document.createElement("tr");
              tr.appendChild(cell("th", row.label, "row"));
              ["queued", "sent", "failed"].forEach(function (kind) {
                tr.appendChild(cell("td", row[kind].toLocaleString()));
              });
              return tr;
            });
            body.replaceChildren.apply(body, rows);
          }
        })
        .catch(function () {})
        .finally(function () {
          if (!document.hidden) {
            window.setTimeout(refresh, POLL_MS);
          }
        });
    }
    document.addEventListener("visibilitychange", function () {
      if (!document.hidden) {
        refresh();
      }
    });
    window.setTimeout(refresh, POLL_MS);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-area-view]").forEach(showArea);
    document.querySelectorAll("[data-figures-url]").forEach(pollFigures);
  });
})();
