/* "Use my current position" on the request form: fills the hidden latitude and longitude.
   Without JavaScript or geolocation the button never appears and the address field is used. */
(function () {
  "use strict";

  function setup(box) {
    var form = box.closest("form");
    var latitude = form && form.querySelector("input[name=latitude]");
    var longitude = form && form.querySelector("input[name=longitude]");
    var address = form && form.querySelector("input[name=address]");
    var status = box.querySelector("[role=status]");
    if (!latitude || !longitude || !address || !status || !("geolocation" in navigator)) {
      return;
    }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button button-secondary";
    button.textContent = box.dataset.label;
    box.insertBefore(button, status);

    button.addEventListener("click", function () {
      status.textContent = box.dataset.locating;
      navigator.geolocation.getCurrentPosition(
        function (position) {
          latitude.value = position.coords.latitude.toFixed(6);
          longitude.value = position.coords.longitude.toFixed(6);
          address.value = "";
          status.textContent = box.dataset.located;
        },
        function () {
          status.textContent = box.dataset.failed;
        },
        { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
      );
    });
    address.addEventListener("input", function () {
      if (latitude.value || longitude.value) {
        latitude.value = "";
        longitude.value = "";
        status.textContent = "";
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-use-my-location]").forEach(setup);
  });
})();
