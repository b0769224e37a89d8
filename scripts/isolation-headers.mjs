// The headers that make a page cross-origin isolated, so SharedArrayBuffer is available. One list
// for `astro dev` / `astro preview` (astro.config.mjs) and the test server (static-server.mjs);
// public/_headers, vercel.json and public/coi-sw.js must say the same (a unit test checks).
export const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};
