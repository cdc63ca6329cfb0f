// Live preview only: `heritage serve` answers the site's /sw.js with this instead of the
// offline worker, so a preview always shows the files just built, never a kept copy. It
// removes any worker and kept files an earlier visit left on this address, then itself.
"use strict";
self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) { return name.indexOf("heritage-") === 0; })
      .map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.registration.unregister(); }));
});
