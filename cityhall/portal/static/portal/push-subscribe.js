/* "Notify me on this device" on the notification choices page: registers the push service
   worker, subscribes this browser with the city's VAPID public key and tells the server, or
   undoes all of it. Without service workers or the Push API the section stays hidden. */
(function () {
  "use strict";

  function applicationServerKey(base64url) {
    var base64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
    var raw = window.atob(base64 + "====".slice(base64.length % 4 || 4));
    var bytes = new Uint8Array(raw.length);
    for (var index = 0; index < raw.length; index += 1) {
      bytes[index] = raw.charCodeAt(index);
    }
    return bytes;
  }

  function post(url, token, payload) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: JSON.stringify(payload)
    }).then(function (response) {
      if (!response.ok) {
        throw new Error("The server answered " + response.status);
      }
      return response.json();
    });
  }

  function setup(box) {
    var button = box.querySelector("[data-push-toggle]");
    var status = box.querySelector("[data-push-status]");
    var tokenInput = box.querySelector("input[name=csrfmiddlewaretoken]");
    if (!button || !status || !tokenInput) {
      return;
    }
    var token = tokenInput.value;
    var registration = null;

    function show(subscription) {
      button.textContent = subscription ? box.dataset.labelOff : box.dataset.labelOn;
      button.setAttribute("aria-pressed", subscription ? "true" : "false");
      button.disabled = false;
    }

    function fail(error) {
      var denied = window.Notification && Notification.permission === "denied";
      status.textContent = denied ? box.dataset.denied : box.dataset.failed;
      if (window.console) {
        console.warn(error);
      }
      registration.pushManager.getSubscription().then(show);
    }

    function subscribe() {
      return Notification.requestPermission().then(function (permission) {
        if (permission !== "granted") {
          throw new Error("Notifications are not allowed");
        }
        return registration.pushManager.subscribe({
          userVisibleOnly: true,
          applicationServerKey: applicationServerKey(box.dataset.publicKey)
        });
      }).then(function (subscription) {
        return post(box.dataset.subscribeUrl, token, subscription.toJSON()).then(function () {
          status.textContent = box.dataset.subscribed;
          show(subscription);
        });
      });
    }

    function unsubscribe(subscription) {
      return post(box.dataset.unsubscribeUrl, token, { endpoint: subscription.endpoint })
        .then(function () { return subscription.unsubscribe(); })
        .then(function () {
          status.textContent = box.dataset.unsubscribed;
          show(null);
        });
    }

    button.addEventListener("click", function () {
      button.disabled = true;
      status.textContent = box.dataset.working;
      registration.pushManager.getSubscription().then(function (subscription) {
        return subscription ? unsubscribe(subscription) : subscribe();
      }).catch(fail);
    });

    navigator.serviceWorker.register(box.dataset.workerUrl).then(function (registered) {
      registration = registered;
      return registered.pushManager.getSubscription();
    }).then(function (subscription) {
      show(subscription);
      box.hidden = false;
    }).catch(function (error) {
      if (window.console) {
        console.warn(error);
      }
    });
  }

  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    return;
  }
  document.querySelectorAll("[data-push-device]").forEach(setup);
})();
