/*
 * GIL Lab service worker: adds the cross-origin isolation headers (COOP/COEP/CORP) to this site's
 * own responses, and the site's Content-Security-Policy, for static hosts that cannot set headers
 * (GitHub Pages, plain buckets).
 * It touches only GET requests for the course's own pages and files (COURSE below: a host may
 * serve other things beside the course, under the same scope), and never caches anything. If a
 * later deploy no longer has this file, it unregisters itself, and the page it is loading comes
 * without the headers (coi-register.js then says why and registers nothing: register() would
 * revive this registration while another tab still uses it).
 */
// The site's Content-Security-Policy (scripts/isolation-headers.mjs; a unit test compares them):
// hosts without headers give workers none otherwise, and no request may leave the origin.
var CSP =
  "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'";

// The course's top-level names under the scope (pages' folders, _astro/, pyodide/, files), written
// by the build (integrations/csp.mjs); null (astro dev): everything under the scope.
var COURSE = null;

/** Is this URL one of the course's own pages or files? */
function ofCourse(url) {
  var scope = new URL(self.registration.scope);
  if (url.origin !== scope.origin || url.pathname.indexOf(scope.pathname) !== 0) return false;
  if (COURSE === null) return true;
  var rest = url.pathname.slice(scope.pathname.length);
  if (rest === '' || rest === 'index.html') return true;
  return COURSE.indexOf(rest.split('/')[0]) !== -1;
}

/**
 * Does the host no longer serve this file (a deploy without it)? A 404 or 410, or an HTML page
 * in its place (a host that answers every path with its index), is "gone"; a network error says
 * nothing. coi-register.js asks the same question in the same way.
 */
function missing(response) {
  return (
    response.status === 404 ||
    response.status === 410 ||
    /^text\/html/i.test(response.headers.get('Content-Type') || '')
  );
}

/** Checks this file on the host; if it is gone, unregisters (resolves true) so no new page is controlled. */
function unregisterIfGone() {
  return fetch(self.location.href, { cache: 'no-store' })
    .then(function (response) {
      if (!missing(response)) return false;
      return self.registration.unregister().then(
        function () {
          return true;
        },
        function () {
          return true;
        },
      );
    })
    .catch(function () {
      return false; // Offline or a network error: nothing to learn.
    });
}

self.addEventListener('install', function () {
  self.skipWaiting();
});

self.addEventListener('activate', function (event) {
  event.waitUntil(self.clients.claim());
});

self.addEventListener('fetch', function (event) {
  var request = event.request;
  if (request.method !== 'GET') return;
  if (!ofCourse(new URL(request.url))) return;
  // Each page load checks that this file is still deployed, alongside the page's own request: a
  // page loaded after a deploy without it must not come isolated by a worker on its way out.
  var gone = Promise.resolve(false);
  if (request.mode === 'navigate') event.waitUntil((gone = unregisterIfGone()));
  // A Chromium quirk: this combination throws when re-fetched from a worker.
  if (request.cache === 'only-if-cached' && request.mode !== 'same-origin') return;

  event.respondWith(
    Promise.all([fetch(request), gone]).then(function (both) {
      var response = both[0];
      if (both[1] || response.status === 0 || response.type === 'opaque') return response;
      var headers = new Headers(response.headers);
      headers.set('Cross-Origin-Opener-Policy', 'same-origin');
      headers.set('Cross-Origin-Embedder-Policy', 'require-corp');
      headers.set('Cross-Origin-Resource-Policy', 'same-origin');
      headers.set('Content-Security-Policy', CSP);
      return new Response(response.body, {
        status: response.status,
        statusText: response.statusText,
        headers: headers,
      });
    }),
  );
});
