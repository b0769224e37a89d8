// The shim's text, bundled by Vite (Vitest too). Plain Node (the bench) reads the files itself and
// passes the joined text as `shimSource`, so nothing else imports this module eagerly.
import { bundleShim } from './shim-bundle.ts';

const parts = import.meta.glob<string>('./shim/*.py', {
  query: '?raw',
  import: 'default',
  eager: true,
});

export default bundleShim(parts);
