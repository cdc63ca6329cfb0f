/* The site's service worker: every page a reader opened, with its styles, scripts and
   pictures, stays readable without a network (see generator/offline.py). Pages, the open
   data and the search's entry files come from the network first, and from this phone when
   there is none or it is too slow; other files of the site (named by their content, or
   photos) come from this phone and are refreshed behind. Nothing of other hosts (map
   tiles) is kept. A page never opened gives a small page listing those that were. */
"use strict";
var TEXTS = "__TEXTS__", LANGS = Object.keys(TEXTS), DEFAULT = "__DEFAULT__";
/* Named by this site's address: two sites under one host keep their own lists. */
var PAGES = "heritage-pages-1 " + registration.scope;
var FILES = "heritage-files-1 " + registration.scope;
var SLOW_MS = 4000;
/* Files a deploy replaces under the same name: the open data and Pagefind's entry, loader
   and language files (its index and fragments are named by their content). */
var CHANGING = /\/(data\/[^/]+|pagefind\/[^/]+\/[^/]+)$/;

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

function key(url) { var u = new URL(url); return u.origin + u.pathname; }
function isPage(request) { return request.mode === "navigate"; }

self.addEventListener("fetch", function (event) {
  var request = event.request, url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== location.origin) return;
  if (url.pathname.indexOf("/.heritage/") >= 0 || request.headers.has("range")) return;
  event.respondWith(isPage(request) ? page(request) : file(request, event));
});

function page(request) {
  return fresh(request, PAGES, function () { return offline(request.url); });
}

/* From the network first, and from this phone when there is none or it is too slow. */
function fresh(request, store, missing) {
  var name = key(request.url), network = fetched(request, store, name);
  return caches.open(store).then(function (cache) { return cache.match(name); })
    .then(function (kept) {
      if (!kept) return network.catch(missing);
      var slow = new Promise(function (resolve) { setTimeout(resolve, SLOW_MS, kept); });
      return Promise.race([network.catch(function () { return kept; }), slow]);
    });
}

/* The host's answer, a copy of it kept under `name` when it is this site's and whole. */
function fetched(request, store, name) {
  return fetch(request).then(function (response) {
    if (response.ok && response.type === "basic") {
      var copy = response.clone();
      caches.open(store).then(function (cache) { return cache.put(name, copy); });
    }
    return response;
  });
}

/* Files are kept by address without their query: Pagefind asks for its entry file with a
   new ?ts= each time, which would otherwise add a copy per search and never match offline. */
function file(request, event) {
  if (CHANGING.test(new URL(request.url).pathname)) {  // asked again of the host, not its cache
    return fresh(new Request(request, { cache: "no-cache" }), FILES,
                 function () { return Response.error(); });
  }
  var name = key(request.url);
  return caches.open(FILES).then(function (cache) { return cache.match(name); })
    .then(function (kept) {
      var network = fetched(request, FILES, name);
      if (!kept) return network;
      event.waitUntil(network.catch(function () {}));
      return kept;
    });
}

/* A page asks, once it is shown, to keep itself and what it uses: the first page a reader
   opens is shown before this worker runs, so nothing else would keep it. */
self.addEventListener("message", function (event) {
  var data = event.data || {}, port = event.ports[0];
  if (!Array.isArray(data.keep)) return;
  event.waitUntil(Promise.all(data.keep.map(function (url, index) {
    if (new URL(url).origin !== location.origin) return null;
    var store = index === 0 ? PAGES : FILES, name = key(url);
    return caches.open(store).then(function (cache) {
      return cache.match(name).then(function (kept) {
        if (kept) return null;
        return fetch(url).then(function (response) {
          if (response.ok) return cache.put(name, response);
        });
      });
    }).catch(function () {});
  })).then(function () { if (port) port.postMessage("kept"); }));
});

function escapeHtml(text) {
  return text.replace(/&(?![#\w]+;)/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

function readerLanguage(url) {
  var first = new URL(url).pathname.replace(new URL(registration.scope).pathname, "")
    .split("/")[0];
  if (LANGS.indexOf(first) >= 0) return first;
  var asked = (self.navigator.languages || []).map(function (l) { return l.split("-")[0]; });
  return asked.filter(function (l) { return LANGS.indexOf(l) >= 0; })[0] || DEFAULT;
}

function offline(url) {
  var lang = readerLanguage(url), texts = TEXTS[lang];
  return caches.open(PAGES).then(function (cache) {
    return cache.keys().then(function (requests) {
      return Promise.all(requests.map(function (request) {
        return cache.match(request).then(function (response) { return response.text(); })
          .then(function (html) {
            var title = /<title>([^<]*)<\/title>/.exec(html);
            return { url: request.url, title: title ? title[1] : request.url };
          });
      }));
    });
  }).then(function (pages) {
    pages.sort(function (a, b) { return a.title < b.title ? -1 : a.title > b.title ? 1 : 0; });
    var items = pages.map(function (p) {
      return '<li><a href="' + escapeHtml(p.url) + '">' + escapeHtml(p.title) + "</a></li>";
    }).join("");
    var body = "<!doctype html><html lang=\"" + lang + "\"><head><meta charset=\"utf-8\">" +
      "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">" +
      "<title>" + escapeHtml(texts.title) + "</title></head>" +
      "<body style=\"font-family:sans-serif;margin:1.5em;line-height:1.5\">" +
      "<h1>" + escapeHtml(texts.title) + "</h1><p>" + escapeHtml(texts.text) + "</p>" +
      (items ? "<p>" + escapeHtml(texts.saved) + "</p><ul id=\"heritage-saved\">" + items +
        "</ul>" : "<p>" + escapeHtml(texts.none) + "</p>") + "</body></html>";
    return new Response(body, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
  });
}
