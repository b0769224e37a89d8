import { expose } from 'comlink';
import { api } from './thread.api.ts';

expose(api);
