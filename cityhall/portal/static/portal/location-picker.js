/* The request form's place: a map to click or drag a marker on, an address search that shows
   the address on the map, and "use my current position". All of them only fill the form's
   hidden latitude and longitude (and say in words what was chosen); without JavaScript, the
   map library, tiles or districts, the typed address alone locates the request.
   Without tiles, the map draws the districts and the streets the platform traces from its
   address register, with street names once zoomed in close enough to read them. */
(function () {
  "use strict";

  var DECIMALS = 6;
  var CITY_ZOOM = 12;
  var SPOT_ZOOM = 17;
  /* Street names are written from this zoom on, and at most this many at once. */
  var LABEL_ZOOM = 16;
  var MAX_LABELS = 40;
  var EMPTY = { type: "FeatureCollection", features: [] };

  function setup(box) {
    var form = box.closest("form");
    var latitude = form && form.querySelector("input[name=latitude]");
    var longitude = form && form.querySelector("input[name=longitude]");
    var address = form && form.querySelector("input[name=address]");
    var status = box.querySelector("[role=status]");
    if (!latitude || !longitude || !address || !status) {
      return;
    }
    var picker = { box: box, latitude: latitude, longitude: longitude, address: address,
                   status: status, map: null, marker: null };
    var actions = document.createElement("div");
    actions.className = "location-actions";
    box.insertBefore(actions, status);
    addSearchButton(picker, actions);
    addPositionButton(picker, actions);
    addMap(picker);
    address.addEventListener("input", function () {
      // A typed address is the place now: forget the spot chosen before.
      if (latitude.value || longitude.value) {
        latitude.value = "";
        longitude.value = "";
        status.textContent = "";
        removeMarker(picker);
      }
    });
  }

  function button(label, actions) {
    var element = document.createElement("button");
    element.type = "button";
    element.className = "button button-secondary";
    element.textContent = label;
    actions.appendChild(element);
    return element;
  }

  function clearLocationError(picker) {
    /* A place is found now: the error saying none was chosen no longer holds. */
    var id = picker.address.id;
    var list = document.getElementById(id + "_error");
    if (list) {
      list.remove();
      var field = picker.address.closest(".form-field-error");
      if (field) {
        field.classList.remove("form-field-error");
      }
      var described = (picker.address.getAttribute("aria-describedby") || "")
        .split(" ").filter(function (token) { return token && token !== id + "_error"; });
      if (described.length) {
        picker.address.setAttribute("aria-describedby", described.join(" "));
      } else {
        picker.address.removeAttribute("aria-describedby");
      }
    }
    var summary = document.querySelector(".error-summary");
    if (!summary) {
      return;
    }
    summary.querySelectorAll('a[href="#' + id + '"]').forEach(function (link) {
      link.closest("li").remove();
    });
    if (!summary.querySelector("li")) {
      summary.remove();
    }
  }

  function choose(picker, lat, lng, options) {
    clearLocationError(picker);
    picker.latitude.value = lat.toFixed(DECIMALS);
    picker.longitude.value = lng.toFixed(DECIMALS);
    if (options.clearAddress) {
      picker.address.value = "";
    }
    if (picker.map) {
      placeMarker(picker, lat, lng);
      if (options.zoom) {
        picker.map.setView([lat, lng], Math.max(picker.map.getZoom(), SPOT_ZOOM));
      }
    }
  }

  function describe(picker, lat, lng) {
    var url = picker.box.dataset.nearestUrl + "?latitude=" + encodeURIComponent(lat) +
      "&longitude=" + encodeURIComponent(lng);
    picker.status.textContent = picker.box.dataset.chosen;
    fetch(url, { headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (body) {
        if (body.description) {
          picker.status.textContent = picker.box.dataset.chosen + " " + body.description;
        }
      })
      .catch(function () { /* The spot stays chosen; only its name is missing. */ });
  }

  function addSearchButton(picker, actions) {
    var search = button(picker.box.dataset.searchLabel, actions);
    search.addEventListener("click", function () {
      var query = picker.address.value.trim();
      if (!query) {
        picker.address.focus();
        return;
      }
      fetch(picker.box.dataset.searchUrl + "?q=" + encodeURIComponent(query),
            { headers: { Accept: "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (body) {
          var found = body.results && body.results[0];
          if (!found) {
            picker.status.textContent = picker.box.dataset.searchNone;
            return;
          }
          // The address stays typed: the server locates the request from it.
          choose(picker, found.latitude, found.longitude, { clearAddress: false, zoom: true });
          picker.status.textContent = picker.box.dataset.searchFound + " " + found.label;
        })
        .catch(function () { picker.status.textContent = picker.box.dataset.searchNone; });
    });
  }

  function addPositionButton(picker, actions) {
    if (!("geolocation" in navigator)) {
      return;
    }
    var locate = button(picker.box.dataset.label, actions);
    locate.addEventListener("click", function () {
      picker.status.textContent = picker.box.dataset.locating;
      navigator.geolocation.getCurrentPosition(
        function (position) {
          choose(picker, position.coords.latitude, position.coords.longitude,
                 { clearAddress: true, zoom: true });
          picker.status.textContent = picker.box.dataset.located;
        },
        function () { picker.status.textContent = picker.box.dataset.failed; },
        { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
      );
    });
  }

  function placeMarker(picker, lat, lng) {
    if (picker.marker) {
      picker.marker.setLatLng([lat, lng]);
      return;
    }
    var label = picker.box.dataset.markerLabel;
    picker.marker = window.L.marker([lat, lng], {
      draggable: true, keyboard: true, title: label, alt: label, autoPan: true
    }).addTo(picker.map);
    picker.marker.on("dragend", function () {
      var spot = picker.marker.getLatLng();
      choose(picker, spot.lat, spot.lng, { clearAddress: true, zoom: false });
      describe(picker, spot.lat, spot.lng);
    });
  }

  function removeMarker(picker) {
    if (picker.marker) {
      picker.marker.remove();
      picker.marker = null;
    }
  }

  function geojson(url) {
    return fetch(url, { headers: { Accept: "application/geo+json" } })
      .then(function (response) { return response.ok ? response.json() : EMPTY; })
      .catch(function () { return EMPTY; });
  }

  function addMap(picker) {
    if (!window.L) {
      return;
    }
    var container = document.createElement("div");
    container.className = "location-map";
    container.setAttribute("role", "region");
    container.setAttribute("aria-label", picker.box.dataset.mapLabel);
    Promise.all([geojson(picker.box.dataset.outlinesUrl), geojson(picker.box.dataset.streetsUrl)])
      .then(function (layers) {
        var outlines = layers[0];
        var streets = layers[1];
        var tiles = picker.box.dataset.tileUrl;
        if (!tiles && !outlines.features.length) {
          return; // Nothing to show that would make a click meaningful.
        }
        picker.box.insertBefore(container, picker.status);
        drawMap(picker, container, tiles, outlines, streets);
      });
  }

  function closestOnStreet(map, feature, centre) {
    /* The point of the street nearest the view's centre, and the street's direction there. */
    var best = null;
    feature.geometry.coordinates.forEach(function (piece) {
      for (var i = 1; i < piece.length; i += 1) {
        var a = map.latLngToLayerPoint([piece[i - 1][1], piece[i - 1][0]]);
        var b = map.latLngToLayerPoint([piece[i][1], piece[i][0]]);
        var dx = b.x - a.x;
        var dy = b.y - a.y;
        var span = dx * dx + dy * dy;
        var t = span ? ((centre.x - a.x) * dx + (centre.y - a.y) * dy) / span : 0;
        t = Math.max(0, Math.min(1, t));
        var point = window.L.point(a.x + t * dx, a.y + t * dy);
        var distance = point.distanceTo(centre);
        if (!best || distance < best.distance) {
          best = { point: point, distance: distance, angle: Math.atan2(dy, dx) * 180 / Math.PI };
        }
      }
    });
    return best;
  }

  function drawStreets(map, streets) {
    var L = window.L;
    if (!streets.features.length) {
      return;
    }
    /* A grey edge under a white line reads as a street on the plain background. */
    var edges = L.geoJSON(streets, { interactive: false, style: { color: "#8a8f98" } }).addTo(map);
    var lines = L.geoJSON(streets, { interactive: false, style: { color: "#ffffff" } }).addTo(map);
    var labels = L.layerGroup().addTo(map);
    function writeNames() {
      var close = map.getZoom() >= LABEL_ZOOM;
      edges.setStyle({ weight: close ? 9 : 3 });
      lines.setStyle({ weight: close ? 6 : 1.5 });
      labels.clearLayers();
      if (!close) {
        return;
      }
      var view = map.getPixelBounds();
      var centre = map.latLngToLayerPoint(map.getCenter());
      var origin = map.getPixelOrigin();
      var found = [];
      streets.features.forEach(function (feature) {
        var at = closestOnStreet(map, feature, centre);
        if (at && view.contains(at.point.add(origin))) {
          found.push({ name: feature.properties.name, at: at });
        }
      });
      found.sort(function (a, b) { return a.at.distance - b.at.distance; });
      found.slice(0, MAX_LABELS).forEach(function (street) {
        var angle = street.at.angle;
        if (angle > 90) { angle -= 180; }
        if (angle < -90) { angle += 180; }
        var name = document.createElement("span");
        name.textContent = street.name;
        name.style.transform = "translate(-50%, -50%) rotate(" + angle.toFixed(1) + "deg)";
        L.marker(map.layerPointToLatLng(street.at.point), {
          interactive: false,
          keyboard: false,
          icon: L.divIcon({ className: "street-name", html: name, iconSize: null })
        }).addTo(labels);
      });
    }
    map.on("zoomend moveend", writeNames);
    writeNames();
  }

  function drawMap(picker, container, tiles, outlines, streets) {
    var L = window.L;
    var map = L.map(container, { keyboard: true, zoomControl: false });
    picker.map = map;
    L.control.zoom({
      zoomInTitle: picker.box.dataset.zoomIn, zoomOutTitle: picker.box.dataset.zoomOut
    }).addTo(map);
    if (tiles) {
      L.tileLayer(tiles, { attribution: picker.box.dataset.tileAttribution, maxZoom: 19 })
        .addTo(map);
    }
    var districts = L.geoJSON(outlines, {
      interactive: false,
      style: { color: "#1d4f91", weight: 2, fillOpacity: 0.08 }
    }).addTo(map);
    if (outlines.features.length) {
      map.fitBounds(districts.getBounds());
    } else {
      map.setView([0, 0], 2);
    }
    if (!tiles) {
      drawStreets(map, streets);
    }
    var lat = parseFloat(picker.latitude.value);
    var lng = parseFloat(picker.longitude.value);
    if (!isNaN(lat) && !isNaN(lng)) {
      placeMarker(picker, lat, lng);
      map.setView([lat, lng], Math.max(map.getZoom(), CITY_ZOOM));
    }
    map.on("click", function (event) {
      choose(picker, event.latlng.lat, event.latlng.lng, { clearAddress: true, zoom: false });
      describe(picker, event.latlng.lat, event.latlng.lng);
    });
    container.addEventListener("keydown", function (event) {
      // Keyboard users pan with the arrows, then put the marker at the centre with Enter.
      if (event.key === "Enter" && event.target === container) {
        event.preventDefault();
        var centre = map.getCenter();
        choose(picker, centre.lat, centre.lng, { clearAddress: true, zoom: false });
        describe(picker, centre.lat, centre.lng);
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-location-picker]").forEach(setup);
  });
})();
