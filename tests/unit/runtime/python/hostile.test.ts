/** Hostile programs, GIL mode with one interpreter per thread (the fallback without JSPI). */
import { hostileProgramTests } from './hostile-programs.ts';

hostileProgramTests('interpreter-per-thread');
