import { expose } from 'comlink';
import { api } from './python.api.ts';

expose(api);
