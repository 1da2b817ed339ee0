/* The push service worker: shows each web push notification the city sends and, when it is
   clicked, opens (or focuses) the page it is about. Payload: {title, body, url, tag}. */
"use strict";

self.addEventListener("push", function (event) {
  var message = {};
  try {
    message = event.data ? event.data.json() : {};
  } catch (error) {
    message = { body: event.data ? event.data.text() : "" };
  }
  event.waitUntil(
    self.registration.showNotification(message.title || "", {
      body: message.body || "",
      tag: message.tag,
      lang: message.lang,
      data: { url: message.url || "/" }
    })
  );
});

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  var target = new URL(event.notification.data && event.notification.data.url || "/", self.location.origin);
  if (target.origin !== self.location.origin) {
    target = new URL("/", self.location.origin);  // only ever this site's pages
  }
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (windows) {
      for (var index = 0; index < windows.length; index += 1) {
        if (windows[index].url === target.href && "focus" in windows[index]) {
          return windows[index].focus();
        }
      }
      return self.clients.openWindow(target.href);
    })
  );
});
