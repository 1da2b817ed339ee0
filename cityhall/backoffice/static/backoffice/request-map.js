/* A small map of where a request was reported, on its back-office page. The page writes the
   address and coordinates in words, so the map is only a second view of them. */
(function () {
  "use strict";

  function setup(box) {
    var L = window.L;
    var latitude = parseFloat(box.dataset.latitude);
    var longitude = parseFloat(box.dataset.longitude);
    if (!L || isNaN(latitude) || isNaN(longitude)) {
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
      L.tileLayer(box.dataset.tileUrl, { attribution: box.dataset.tileAttribution, maxZoom: 19 })
        .addTo(map);
    }
    L.marker([latitude, longitude], { title: box.dataset.markerLabel, alt: box.dataset.markerLabel })
      .addTo(map);
    map.setView([latitude, longitude], 16);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-request-map]").forEach(setup);
  });
})();
