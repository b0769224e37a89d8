/**
 * A run ends when its program and its tasks do, even while a pool is still booting interpreters
 * that never get a task (a reviewer's ThreadPoolExecutor(4) run stayed "running" until Stop).
 * A fresh runner, no prewarm: the pool's interpreters boot while its tasks finish.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { PythonOutput } from '../../../../src/runtime/python/index.ts';
import { nodePythonRunner } from '../../../../src/runtime/node/index.ts';

// The pool of interpreters is the per-thread engine's: test that engine.
const { runner, tracker } = nodePythonRunner({ gilEngine: 'interpreter-per-thread' });

afterAll(async () => {
  await runner.dispose();
  await tracker.allExited();
});

async function run(source: string) {
  const out: PythonOutput[] = [];
  const handle = runner.run(source, { onOutput: (o) => out.push(o) });
  // A hang shows as a stopped run (a failed assertion), not as a test timeout. Generous: the cold
  // run boots five interpreters, which took over 50 s at a load of 15 on 2 cores.
  const guard = setTimeout(() => void handle.stop(), 120_000);
  const result = await handle.result;
  clearTimeout(guard);
  return { result, text: out.map((o) => o.text).join('') };
}

const MAP_SQUARES = `
from concurrent.futures import ThreadPoolExecutor
def square(x): return x*x
with ThreadPoolExecutor(max_workers=4) as ex: print(list(ex.map(square, range(8))))
print("end")
`;

const MAP_PRINT = `
from concurrent.futures import ThreadPoolExecutor
def show(i): print(i, end=" ", flush=True)
with ThreadPoolExecutor(2) as ex: list(ex.map(show, range(6)))
print("end")
`;

describe('the end of a run', () => {
  it('comes when the program ends, not when unused pool interpreters finish booting', async () => {
    // Cold: every interpreter boots during the run.
    const cold = await run(MAP_SQUARES);
    expect(cold.result.error).toBeNull();
    expect(cold.result.stopped).toBe(false);
    expect(cold.text).toContain('[0, 1, 4, 9, 16, 25, 36, 49]\nend\n');
    // One warm interpreter does all the work while the pool's others are still booting.
    await runner.dispose();
    await runner.prewarm(2);
    const warm = await run(MAP_SQUARES);
    expect(warm.result.error).toBeNull();
    expect(warm.result.stopped).toBe(false);
    expect(warm.text).toContain('end\n');
    const printing = await run(MAP_PRINT);
    expect(printing.result.error).toBeNull();
    expect(printing.text).toMatch(/^(\d )+end\n$/);
    expect(printing.text.match(/\d /g)?.sort()).toEqual(['0 ', '1 ', '2 ', '3 ', '4 ', '5 ']);
  }, 300_000);
});
