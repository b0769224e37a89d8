// The flags every headless Chromium of this project starts with: no sandbox (root in CI), no GPU,
// and none of the background connections that a closed network refuses many at a time.
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
