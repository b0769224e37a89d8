/*
 * GIL Lab: a page whose browser refuses site storage (cookies blocked, some private modes) must
 * still work. There, merely reading `localStorage` throws, or every write throws; Starlight's
 * theme scripts do not catch that, so the theme picker and later scripts would break with an
 * uncaught error. Inlined at the top of <head>, this probes storage once and, if it is refused,
 * puts an in-memory stand-in in its place for this visit (a copy of what could still be read) and
 * marks <html data-storage="memory">, which the progress code reads to say nothing will be kept.
 * It also drops a corrupted Starlight theme entry: Starlight builds a CSS selector from the stored
 * value, so anything but its own values ('light', 'dark', 'auto', '') throws on every page.
 */
(function () {
  var PROBE = 'gil-lab:storage-probe';
  var THEME = 'starlight-theme';
  var THEMES = ['light', 'dark', 'auto', ''];
  function keepThemeValid(storage) {
    try {
      var theme = storage.getItem(THEME);
      if (theme !== null && THEMES.indexOf(theme) === -1) storage.removeItem(THEME);
    } catch {
      // Storage that cannot be read has no bad theme to drop.
    }
  }
  var real = null;
  try {
    real = window.localStorage;
    real.setItem(PROBE, '1');
    real.removeItem(PROBE);
    keepThemeValid(real);
    return;
  } catch {
    // Refused: fall through to the stand-in.
  }
  // Writes refused but reads allowed (a full quota): start from a copy of what is stored, so the
  // reader still sees their progress and theme.
  var items = new Map();
  try {
    for (var i = 0; real && i < real.length; i++) {
      var key = real.key(i);
      if (key !== null) items.set(key, real.getItem(key));
    }
  } catch {
    // Reading is refused too: start empty.
  }
  var memory = {
    get length() {
      return items.size;
    },
    key: function (i) {
      var keys = Array.from(items.keys());
      return i >= 0 && i < keys.length ? keys[i] : null;
    },
    getItem: function (k) {
      return items.has(String(k)) ? items.get(String(k)) : null;
    },
    setItem: function (k, v) {
      items.set(String(k), String(v));
    },
    removeItem: function (k) {
      items.delete(String(k));
    },
    clear: function () {
      items.clear();
    },
  };
  keepThemeValid(memory);
  try {
    Object.defineProperty(window, 'localStorage', { value: memory, configurable: true });
    document.documentElement.dataset.storage = 'memory';
  } catch {
    // A browser that will not let the property be replaced keeps its own behaviour.
  }
})();
