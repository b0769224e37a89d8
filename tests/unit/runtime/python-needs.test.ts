/** What a program needs before it runs, guessed from its source (src/runtime/python-needs.ts). */
import { describe, expect, it } from 'vitest';
import { MAX_PROCESSES, processesFor } from '../../../src/runtime/python-needs.ts';

describe('processesFor: process interpreters started before a program runs', () => {
  it('none without a ProcessPoolExecutor (multiprocessing cannot start any here)', () => {
    expect(processesFor('import threading\n', 4)).toBe(0);
    expect(processesFor('import multiprocessing\n', 4)).toBe(0);
  });

  it('the pool size the program names, or the cores (CPython’s default)', () => {
    expect(processesFor('ProcessPoolExecutor(max_workers=2)', 4)).toBe(2);
    expect(processesFor('ProcessPoolExecutor(3)', 4)).toBe(3);
    expect(processesFor('ProcessPoolExecutor(initializer=f, max_workers=1)', 4)).toBe(1);
    expect(processesFor('ProcessPoolExecutor()', 4)).toBe(4);
    expect(processesFor('ProcessPoolExecutor(max_workers=min(4, n))', 6)).toBe(6);
    expect(processesFor('ProcessPoolExecutor(1)\nProcessPoolExecutor(max_workers=2)', 4)).toBe(2);
  });

  it('the class passed around: the max_workers it is given, else the cores; never above the limit', () => {
    const passed = 'from concurrent.futures import ProcessPoolExecutor\nrun(ProcessPoolExecutor)\n';
    expect(processesFor(`${passed}cls(max_workers=2)`, 4)).toBe(2);
    expect(processesFor(passed, 3)).toBe(3);
    expect(processesFor('ProcessPoolExecutor(max_workers=64)', 4)).toBe(MAX_PROCESSES);
  });
});
