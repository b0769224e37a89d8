// The headers that make a page cross-origin isolated, so SharedArrayBuffer is available. One list
// for `astro dev` / `astro preview` (astro.config.mjs) and the test server (static-server.mjs);
// public/_headers, vercel.json and public/coi-sw.js must say the same (a unit test checks).
export const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/**
 * The directives both policies share, the header's and each page's <meta> one
 * (integrations/csp.mjs): only script-src differs between them.
 * @param {string} scriptSrc the sources script-src allows
 * @returns {string[]}
 */
export function policyDirectives(scriptSrc) {
  return [
    "default-src 'self'",
    `script-src ${scriptSrc}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
  ];
}

/**
 * The Content-Security-Policy every response of the site carries: no request leaves the origin
 * (connect-src, script-src, img-src … 'self'), from pages or from workers. Workers get their policy
 * from this header only (a page's <meta> policy does not reach them), so it allows what Pyodide
 * needs there: 'unsafe-eval' (Emscripten evaluates its EM_JS glue) and 'wasm-unsafe-eval'. Pages
 * are held tighter by the <meta> policy integrations/csp.mjs writes into each one (script hashes,
 * no eval); a browser enforces both. style-src allows inline styles: Starlight and the highlighted
 * code use style attributes, and a style cannot send a request past img-src / font-src.
 */
export const contentSecurityPolicy = [
  ...policyDirectives("'self' 'unsafe-inline' 'unsafe-eval' 'wasm-unsafe-eval'"),
  "frame-ancestors 'self'",
].join('; ');

/** Everything a host (or the service worker) adds to the site's responses. */
export const siteHeaders = {
  ...isolationHeaders,
  'Content-Security-Policy': contentSecurityPolicy,
};
