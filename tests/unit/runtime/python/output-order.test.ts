/**
 * Output travels from an interpreter on a port of its own, and the run's result on comlink's:
 * the result must never overtake the program's last lines (a CI run once lost a final print).
 */
import { describe, expect, it } from 'vitest';
import { pythonSuite } from './suite.ts';

const { runner } = pythonSuite();

const PROGRAM = `
from concurrent.futures import ThreadPoolExecutor

def square(i):
    print("worker", i)
    return i * i

with ThreadPoolExecutor(max_workers=2) as pool:
    total = sum(pool.map(square, range(4)))
print("total", total, "x" * 20_000)
`;

describe('output of a run', () => {
  it('has arrived in full, last line included, when the result resolves', async () => {
    for (let i = 0; i < 25; i++) {
      const out: string[] = [];
      const result = await runner.run(PROGRAM, { onOutput: (o) => out.push(o.text) }).result;
      expect(result.error).toBeNull();
      const text = out.join('');
      expect(text, `run ${i}`).toContain(`total 14 ${'x'.repeat(20_000)}\n`);
      for (let w = 0; w < 4; w++) expect(text).toContain(`worker ${w}\n`);
    }
  }, 120_000);
});
