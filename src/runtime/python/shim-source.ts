// The shim's text, bundled by Vite (Vitest too). Plain Node (the bench) reads the file itself and
// passes it as `shimSource`, so nothing else imports this module eagerly.
import shim from './gil_lab_shim.py?raw';

export default shim;
