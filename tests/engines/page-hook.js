/*
 * Injected by the engine suites' server (tests/engines/run.mjs) as the first script of every page,
 * before coi-register.js. Classic WebDriver (WebKitGTK) gives no console log, so the page records
 * its own problems: uncaught errors, failed resource loads, unhandled rejections and
 * console.error calls. It also counts document loads, so a test can see "exactly one reload".
 * Both go to sessionStorage, which outlives the reload within the tab (one record per origin).
 * Test instrumentation only: the site never serves this file.
 */
(function () {
  var KEY = 'gil-lab-engines:page-log';
  function read() {
    try {
      return JSON.parse(sessionStorage.getItem(KEY) || '') || { loads: 0, errors: [] };
    } catch {
      return { loads: 0, errors: [] };
    }
  }
  function write(log) {
    try {
      sessionStorage.setItem(KEY, JSON.stringify(log));
    } catch {
      // Storage refused: the test then sees no loads and fails, which is what it should do.
    }
  }
  function record(text) {
    var log = read();
    log.errors.push(location.host + location.pathname + ': ' + String(text).slice(0, 400));
    write(log);
  }
  var log = read();
  log.loads += 1;
  write(log);
  // Once the page is being left, a download the navigation cuts off is no reader's problem
  // (browsers log none), nor is an import cut off by the test's own navigation (a reader's
  // reload). But a page that coi-register.js reloads for isolation (it then says "pending") must
  // not have started any import: Firefox logs those (first visit quiet).
  var leaving = false;
  var isolationReload = false;
  window.addEventListener('beforeunload', function () {
    leaving = true;
    isolationReload = document.documentElement.dataset.isolation === 'pending';
  });
  window.addEventListener(
    'error',
    function (event) {
      var target = event.target;
      if (target && target !== window && (target.src || target.href)) {
        // Firefox fires `error` at <link rel=modulepreload> for a module it already has, and
        // logs nothing: the module itself loaded (its failure would reject the import).
        if (leaving || (target.rel && target.rel === 'modulepreload')) return;
        record('failed to load ' + (target.outerHTML || '').slice(0, 200));
      } else {
        record('uncaught ' + (event.message || event.error));
      }
    },
    true,
  );
  window.addEventListener('unhandledrejection', function (event) {
    var reason = event.reason;
    if (leaving && !isolationReload) return;
    record('unhandled rejection: ' + (reason && reason.message ? reason.message : reason));
  });
  var consoleError = console.error;
  console.error = function () {
    record('console.error: ' + Array.prototype.map.call(arguments, String).join(' '));
    return consoleError.apply(console, arguments);
  };
  /** For the test: the record so far; `take()` also empties its list of errors. */
  window.__gilLabEngines = {
    read: read,
    take: function () {
      var now = read();
      write({ loads: now.loads, errors: [] });
      return now;
    },
  };
})();
