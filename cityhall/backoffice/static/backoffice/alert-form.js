/* The alert draft form: character counters for the short texts, the parts of the area
   shown for the way it is given, drawing a polygon or a circle on the map (which fills the
   GeoJSON or the circle's fields, both usable from the keyboard), and the live count of the
   subscribers the area reaches. Without this script the form works as plain fields. */
(function () {
  "use strict";

  function setUpCounter(counter) {
    var field = document.getElementById(counter.dataset.counterFor);
    if (!field) {
      return;
    }
    var max = parseInt(counter.dataset.counterMax, 10);
    var described = (field.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    described.push(counter.id);
    field.setAttribute("aria-describedby", described.join(" "));
    function update() {
      var count = field.value.length;
      var template = count > max ? counter.dataset.counterOver : counter.dataset.counterText;
      counter.textContent = template.replace("{count}", count).replace("{max}", max);
      counter.classList.toggle("char-counter-over", count > max);
    }
    field.addEventListener("input", update);
    update();
  }

  function areaKind(form) {
    var checked = form.querySelector("input[name=area_kind]:checked");
    return checked ? checked.value : "districts";
  }

  function showAreaParts(form) {
    var kind = areaKind(form);
    form.querySelectorAll("[data-area-part]").forEach(function (part) {
      part.hidden = part.dataset.areaPart.split(" ").indexOf(kind) === -1;
    });
  }

  function setUpReach(form) {
    var output = form.querySelector("[data-reach-output]");
    var texts = document.getElementById("reach-texts");
    var timer = null;
    var latest = 0;
    function count() {
      var request = ++latest;
      output.textContent = texts.dataset.busy;
      fetch(form.dataset.reachUrl, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { "X-Requested-With": "fetch" },
      })
        .then(function (response) {
          return response.json();
        })
        .then(function (answer) {
          if (request !== latest) {
            return;
          }
          if (answer.error) {
            output.textContent = answer.error;
          } else {
            var template = answer.count === 1 ? texts.dataset.one : texts.dataset.many;
            output.textContent = template.replace("{count}", answer.count.toLocaleString());
          }
        })
        .catch(function () {
          output.textContent = "";
        });
    }
    function later() {
      window.clearTimeout(timer);
      timer = window.setTimeout(count, 400);
    }
    var areaFields = ["status", "area_kind", "districts", "area_geojson", "circle_latitude",
      "circle_longitude", "circle_radius_km", "area_file"];
    form.addEventListener("change", function (event) {
      if (areaFields.indexOf(event.target.name) !== -1) {
        later();
      }
    });
    form.addEventListener("area-drawn", later);
    var button = form.querySelector("[data-reach-button]");
    button.hidden = false;
    button.addEventListener("click", count);
    later();
  }

  function setUpMap(form, box) {
    var L = window.L;
    if (!L) {
      return;
    }
    var container = document.createElement("div");
    container.className = "location-map";
    container.setAttribute("role", "region");
    container.setAttribute("aria-label", box.dataset.mapLabel);
    box.appendChild(container);
    var clear = document.createElement("button");
    clear.type = "button";
    clear.className = "button button-secondary";
    clear.textContent = box.dataset.clearLabel;
    box.appendChild(clear);
    var map = L.map(container, { keyboard: true, zoomControl: false, scrollWheelZoom: false });
    L.control.zoom({ zoomInTitle: box.dataset.zoomIn, zoomOutTitle: box.dataset.zoomOut }).addTo(map);
    if (box.dataset.tileUrl) {
      L.tileLayer(box.dataset.tileUrl, { attribution: box.dataset.tileAttribution, maxZoom: 19 }).addTo(map);
    }
    map.setView([0, 0], 2);
    fetch(box.dataset.outlinesUrl, { credentials: "same-origin" })
      .then(function (response) {
        return response.json();
      })
      .then(function (outlines) {
        var layer = L.geoJSON(outlines, { style: { weight: 1, fill: false }, interactive: false });
        layer.addTo(map);
        if (layer.getBounds().isValid()) {
          map.fitBounds(layer.getBounds());
        }
      })
      .catch(function () {});

    var geojson = form.querySelector("[name=area_geojson]");
    var latitude = form.querySelector("[name=circle_latitude]");
    var longitude = form.querySelector("[name=circle_longitude]");
    var radius = form.querySelector("[name=circle_radius_km]");
    var corners = [];
    var drawn = null;

    function redraw() {
      if (drawn) {
        map.removeLayer(drawn);
        drawn = null;
      }
      var kind = areaKind(form);
      if (kind === "circle" && latitude.value && longitude.value) {
        var metres = (parseFloat(radius.value) || 0) * 1000;
        drawn = L.circle([parseFloat(latitude.value), parseFloat(longitude.value)], { radius: metres });
      } else if (kind === "polygon" && geojson.value.trim()) {
        try {
          drawn = L.geoJSON(JSON.parse(geojson.value));
        } catch (error) {
          drawn = null;
        }
      }
      if (drawn) {
        drawn.addTo(map);
      }
    }

    function writePolygon() {
      if (corners.length < 3) {
        geojson.value = "";
      } else {
        var ring = corners.map(function (c) {
          return [Number(c.lng.toFixed(6)), Number(c.lat.toFixed(6))];
        });
        ring.push(ring[0]);
        geojson.value = JSON.stringify({ type: "Polygon", coordinates: [ring] });
      }
      redraw();
      form.dispatchEvent(new Event("area-drawn"));
    }

    map.on("click", function (event) {
      var kind = areaKind(form);
      if (kind === "polygon") {
        corners.push(event.latlng);
        writePolygon();
      } else if (kind === "circle") {
        latitude.value = event.latlng.lat.toFixed(6);
        longitude.value = event.latlng.lng.toFixed(6);
        if (!radius.value) {
          radius.value = "1";
        }
        redraw();
        form.dispatchEvent(new Event("area-drawn"));
      }
    });
    clear.addEventListener("click", function () {
      corners = [];
      if (areaKind(form) === "circle") {
        latitude.value = "";
        longitude.value = "";
        redraw();
      } else {
        writePolygon();
      }
    });
    [geojson, latitude, longitude, radius].forEach(function (field) {
      field.addEventListener("input", redraw);
    });
    form.addEventListener("change", function (event) {
      if (event.target.name === "area_kind") {
        window.setTimeout(function () {
          map.invalidateSize();
          redraw();
        }, 0);
      }
    });
    redraw();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-counter-for]").forEach(setUpCounter);
    var form = document.querySelector("form[data-alert-form]");
    if (!form) {
      return;
    }
    showAreaParts(form);
    form.addEventListener("change", function (event) {
      if (event.target.name === "area_kind") {
        showAreaParts(form);
      }
    });
    var box = form.querySelector("[data-area-map]");
    if (box) {
      setUpMap(form, box);
    }
    if (form.dataset.reachUrl) {
      setUpReach(form);
    }
  });
})();
