// A native worker of the one-interpreter engine: hashlib and zlib without the GIL (no Pyodide).
import { expose } from 'comlink';
import { nativeApi } from './native-api.ts';

expose(nativeApi);
