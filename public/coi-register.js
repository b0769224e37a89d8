/*
 * GIL Lab: make the page cross-origin isolated on hosts that cannot send COOP/COEP headers.
 *
 * Runs as the first script in <head>. If the page is already isolated (the host sent the
 * headers), it only records that. Otherwise it registers coi-sw.js, a service worker that adds the
 * headers to this site's own responses, and reloads once so the page comes back through it.
 * A sessionStorage guard makes sure it reloads at most once per tab: if the page is still not
 * isolated after that reload (headers stripped, service workers blocked), it gives up and says why.
 * It first checks that coi-sw.js is still deployed: a deploy without it registers nothing, removes
 * the old registration and says so (never a reload).
 *
 * Result on <html data-isolation="…">: "isolated" | "pending" | "unavailable" (with
 * data-isolation-reason). Pages read it to decide whether live experiments can run, and load
 * nothing while it is "pending": a page that is about to reload must not start downloads that the
 * reload would cut off (Firefox logs each as a failed dynamic import).
 */
(function () {
  var root = document.documentElement;
  var GUARD = 'gil-lab:coi-reloaded';

  function set(state, reason) {
    root.dataset.isolation = state;
    if (reason) root.dataset.isolationReason = reason;
    // Most verdicts come after an answer (the coi-sw.js check, register()), often after the body
    // has been parsed: the notice must get the reason then too, not only at DOMContentLoaded.
    if (reason && document.readyState !== 'loading') showReason();
    window.dispatchEvent(
      new CustomEvent('gil-lab:isolation', { detail: { state: state, reason: reason } }),
    );
    if (state !== 'pending') releaseIdleWork();
  }

  // While "pending", idle-time work waits: Starlight's search loads its UI at idle, and on a page
  // about to reload that download is cut off (Firefox logs a failed dynamic import). The page's own
  // widgets wait for the same verdict (src/components/isolation/live-support.ts).
  var heldIdleWork = null;
  var nativeIdle = window.requestIdleCallback;
  function holdIdleWork() {
    heldIdleWork = [];
    window.requestIdleCallback = function (callback) {
      if (heldIdleWork) heldIdleWork.push(callback);
      else setTimeout(callback, 1);
      return 0;
    };
  }
  function releaseIdleWork() {
    if (!heldIdleWork) return;
    var held = heldIdleWork;
    heldIdleWork = null;
    if (nativeIdle) window.requestIdleCallback = nativeIdle;
    else delete window.requestIdleCallback;
    held.forEach(function (callback) {
      (nativeIdle || setTimeout).call(window, callback);
    });
  }
  function showReason() {
    // The notice is in the body: fill in the specific reason once it exists (DOMContentLoaded), or
    // at once for a verdict reached after that (set).
    var reason = root.dataset.isolationReason;
    if (!reason) return;
    document.querySelectorAll('[data-isolation-reason-text]').forEach(function (el) {
      el.textContent = reason;
    });
  }
  document.addEventListener('DOMContentLoaded', showReason);

  if (window.crossOriginIsolated) {
    try {
      sessionStorage.removeItem(GUARD);
    } catch (e) {}
    // Isolated, yet some engines (WebKitGTK) still ship without SharedArrayBuffer: say so, not
    // "not isolated" (src/components/isolation/live-support.ts words it the same way).
    if (typeof SharedArrayBuffer !== 'function') {
      set(
        'unavailable',
        'this page is cross-origin isolated, but this browser does not provide SharedArrayBuffer (WebKitGTK builds such as GNOME Web ship without it); current Chrome, Edge, Firefox and Safari (15.2 or later) have it.',
      );
      return;
    }
    set('isolated');
    return;
  }
  if (!window.isSecureContext) {
    set(
      'unavailable',
      'this page is not served over HTTPS (or localhost), so the browser will not share memory between threads.',
    );
    return;
  }
  if (!('serviceWorker' in navigator) || !navigator.serviceWorker) {
    set(
      'unavailable',
      'this browser cannot run the small service worker that turns on cross-origin isolation on this host.',
    );
    return;
  }

  var alreadyReloaded = false;
  try {
    alreadyReloaded = sessionStorage.getItem(GUARD) === '1';
  } catch (e) {
    alreadyReloaded = true; // without storage we cannot guard a reload, so never reload
  }

  // Scope and URL come from this script's own address, so a base path (/gil-lab/) just works.
  var scriptUrl = document.currentScript && document.currentScript.src;
  var swUrl = new URL('coi-sw.js', scriptUrl || window.location.href);
  var scope = new URL('./', swUrl).pathname;

  function reloadOnce() {
    if (alreadyReloaded) {
      set(
        'unavailable',
        'the service worker that turns on cross-origin isolation did not take control of this page. After a hard reload (Ctrl+Shift+R), which bypasses service workers, reload normally (F5 or Ctrl+R) to turn the live features on.',
      );
      return;
    }
    try {
      sessionStorage.setItem(GUARD, '1');
    } catch (e) {
      set(
        'unavailable',
        'this browser blocks the storage needed to turn on cross-origin isolation safely.',
      );
      return;
    }
    set('pending');
    window.location.reload();
  }

  /**
   * Is coi-sw.js gone from the host (a deploy without it)? Asked before registering: register()
   * would bring back a registration of the old worker that is being removed while another tab
   * still uses it, and that worker would go on isolating pages. A 404 or 410, or an HTML page in
   * its place (a host answering every path with its index), is "gone", as coi-sw.js itself
   * decides; a network error says nothing.
   */
  function workerFileGone() {
    if (typeof fetch !== 'function') return Promise.resolve(false);
    // A check that does not answer must not leave the page pending for good: after 3 s the file
    // counts as present, as before this check existed. It answers within a second or two (0.2-2.1 s
    // in Firefox on a busy machine, behind the page's own downloads; it never failed to answer in
    // 30 page loads), and only pages that are not isolated ask it: an isolated page decides at
    // once, without it.
    var unanswered = new Promise(function (resolve) {
      setTimeout(function () {
        resolve(false);
      }, 3000);
    });
    var answered = fetch(swUrl.href, { cache: 'no-store' }).then(
      function (response) {
        return (
          response.status === 404 ||
          response.status === 410 ||
          /^text\/html/i.test(response.headers.get('Content-Type') || '')
        );
      },
      function () {
        return false;
      },
    );
    return Promise.race([answered, unanswered]);
  }

  /** No worker file: remove our registration left from an earlier deploy, register nothing, say so. */
  function withoutWorker() {
    try {
      sessionStorage.removeItem(GUARD);
    } catch (e) {}
    var said = function () {
      set(
        'unavailable',
        'this copy of the site was deployed without coi-sw.js, the small service worker that turns on cross-origin isolation where the host sends no COOP/COEP headers, and this host sends none. Whoever runs the site can put coi-sw.js back (it is part of the build) or send those headers.',
      );
    };
    navigator.serviceWorker
      .getRegistration(scope)
      .then(function (registration) {
        var worker =
          registration && (registration.active || registration.waiting || registration.installing);
        if (worker && worker.scriptURL === swUrl.href) return registration.unregister();
      })
      .catch(function () {})
      .then(said);
  }

  function register() {
    navigator.serviceWorker
      .register(swUrl.href, { scope: scope })
      .then(function (registration) {
        if (!registration) {
          // Blocked by a browser policy or an automation tool that answers without registering.
          set(
            'unavailable',
            'service workers are blocked in this browser (the registration was refused), and this host does not send the headers itself.',
          );
          return;
        }
        if (navigator.serviceWorker.controller) {
          // Controlled but not isolated: the worker predates this version. One reload fixes it;
          // the guard stops a loop. (A hard reload leaves the page uncontrolled, and the reload
          // that follows may bypass the worker too: then the message asks for a normal reload.)
          reloadOnce();
          return;
        }
        var worker = registration.installing || registration.waiting || registration.active;
        // Every path ends in a reload or a verdict: the page's widgets wait for one of them.
        var failed = function () {
          set(
            'unavailable',
            'the service worker that turns on cross-origin isolation failed to start.',
          );
        };
        if (!worker) return failed();
        if (worker.state === 'activated') {
          reloadOnce();
          return;
        }
        worker.addEventListener('statechange', function () {
          if (worker.state === 'activated') reloadOnce();
          else if (worker.state === 'redundant') failed();
        });
      })
      .catch(function (error) {
        var name = error && error.name ? error.name : 'Error';
        set(
          'unavailable',
          name === 'SecurityError' || name === 'NotAllowedError' || name === 'NotSupportedError'
            ? 'service workers are blocked in this browser (' +
                name +
                '), and this host does not send the headers itself.'
            : 'the browser could not install the service worker that turns on cross-origin isolation (' +
                name +
                (error && error.message ? ': ' + error.message : '') +
                '), and this host does not send the headers itself.',
        );
      });
  }

  holdIdleWork();
  set('pending');
  workerFileGone().then(function (gone) {
    if (gone) return withoutWorker();
    if (alreadyReloaded && navigator.serviceWorker.controller) {
      set(
        'unavailable',
        'this host strips or overrides the headers needed for cross-origin isolation, even through our service worker.',
      );
      return;
    }
    register();
  });
})();
