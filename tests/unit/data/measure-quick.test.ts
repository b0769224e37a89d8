/**
 * Runs the real measurement script in --quick mode into a temporary file and validates the
 * output: guards the Python side and the schema against drifting apart.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { cpythonReferenceSchema } from '../../../src/schemas/cpython-reference.ts';
import { checkConsistency } from './consistency.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const tempDir = mkdtempSync(join(tmpdir(), 'gil-lab-measure-'));
afterAll(() => rmSync(tempDir, { recursive: true, force: true }));

describe('python/measure.py --quick', () => {
  it('writes a JSON that matches the schema and is consistent', async () => {
    const out = join(tempDir, 'quick.json');
    // The script has its own watchdog; this timeout only keeps a broken environment from
    // hanging the suite. Takes about 5 s on an idle 2-core machine.
    await promisify(execFile)('python3', ['python/measure.py', '--quick', '--out', out], {
      cwd: repoRoot,
      timeout: 90_000,
    });
    const parsed = cpythonReferenceSchema.safeParse(JSON.parse(readFileSync(out, 'utf8')));
    expect(parsed.error?.issues ?? []).toEqual([]);
    const ref = cpythonReferenceSchema.parse(JSON.parse(readFileSync(out, 'utf8')));
    expect(ref.mode).toBe('quick');
    expect(checkConsistency(ref)).toEqual([]);
    expect(ref.experiments.race.variants.locked.maxLostShare).toBe(0);
  }, 120_000);
});
