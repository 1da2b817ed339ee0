/* The back office's work-queue map: one marker per located open request, each linking to its
   page. The page lists the same requests in a table, so the map is only a second view. */
(function () {
  "use strict";

  function popup(properties) {
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = properties.url;
    link.textContent = properties.tracking_number;
    var details = document.createElement("p");
    details.textContent = properties.service + " · " + properties.status;
    box.appendChild(link);
    box.appendChild(details);
    return box;
  }

  function json(url) {
    return fetch(url, { headers: { Accept: "application/geo+json" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .catch(function () { return { type: "FeatureCollection", features: [] }; });
  }

  function setup(box) {
    var L = window.L;
    if (!L) {
      return;
    }
    Promise.all([json(box.dataset.pointsUrl), json(box.dataset.outlinesUrl)]).then(function (data) {
      var points = data[0];
      var outlines = data[1];
      if (!points.features.length && !outlines.features.length && !box.dataset.tileUrl) {
        return;
      }
      var container = document.createElement("div");
      container.className = "location-map";
      container.setAttribute("role", "region");
      container.setAttribute("aria-label", box.dataset.mapLabel);
      box.appendChild(container);
      var map = L.map(container, { keyboard: true, zoomControl: false });
      L.control.zoom({ zoomInTitle: box.dataset.zoomIn, zoomOutTitle: box.dataset.zoomOut })
        .addTo(map);
      if (box.dataset.tileUrl) {
        L.tileLayer(box.dataset.tileUrl, { attribution: box.dataset.tileAttribution, maxZoom: 19 })
          .addTo(map);
      }
      var districts = L.geoJSON(outlines, {
        interactive: false, style: { color: "#1d4f91", weight: 2, fillOpacity: 0.05 }
      }).addTo(map);
      var markers = L.geoJSON(points, {
        pointToLayer: function (feature, latlng) {
          return L.marker(latlng, {
            title: feature.properties.tracking_number, alt: feature.properties.tracking_number
          });
        },
        onEachFeature: function (feature, layer) { layer.bindPopup(popup(feature.properties)); }
      }).addTo(map);
      var bounds = points.features.length ? markers.getBounds() : districts.getBounds();
      if (bounds.isValid()) {
        map.fitBounds(bounds, { padding: [20, 20], maxZoom: 16 });
      } else {
        map.setView([0, 0], 2);
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-queue-map]").forEach(setup);
  });
})();
