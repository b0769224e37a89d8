// green_thread.py's text, bundled by Vite (Vitest too). Plain Node (the bench) reads the file
// itself and passes it as `greenSource`, so nothing else imports this module eagerly.
import source from './green_thread.py?raw';

export default source;
