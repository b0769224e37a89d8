/*
 * GIL Lab service worker: adds the cross-origin isolation headers (COOP/COEP/CORP) to this site's
 * own responses, for static hosts that cannot set headers (GitHub Pages, plain buckets).
 * It touches only same-origin GET requests and never caches anything.
 */
self.addEventListener('install', function () {
  self.skipWaiting();
});

self.addEventListener('activate', function (event) {
  event.waitUntil(self.clients.claim());
});

self.addEventListener('fetch', function (event) {
  var request = event.request;
  if (request.method !== 'GET') return;
  if (new URL(request.url).origin !== self.location.origin) return;
  // A Chromium quirk: this combination throws when re-fetched from a worker.
  if (request.cache === 'only-if-cached' && request.mode !== 'same-origin') return;

  event.respondWith(
    fetch(request).then(function (response) {
      if (response.status === 0 || response.type === 'opaque') return response;
      var headers = new Headers(response.headers);
      headers.set('Cross-Origin-Opener-Policy', 'same-origin');
      headers.set('Cross-Origin-Embedder-Policy', 'require-corp');
      headers.set('Cross-Origin-Resource-Policy', 'same-origin');
      return new Response(response.body, {
        status: response.status,
        statusText: response.statusText,
        headers: headers,
      });
    }),
  );
});
