/** Hostile programs, GIL mode with every thread in one interpreter (green threads). */
import { hostileProgramTests } from '../hostile-programs.ts';

hostileProgramTests('auto');
