/**
 * A worker batches its interpreter's output (src/runtime/python/python.api.ts): one message per
 * printed line let a print loop post faster than the page takes messages, and Stop then waited
 * for that backlog. Batches keep the order and the lanes, and the last lines before a long
 * computation still arrive while it runs (the coordinator asks for them with SIGUSR2).
 */
import { describe, expect, it } from 'vitest';
import type { PythonOutput } from '../../../../src/runtime/python/index.ts';
import { pythonSuite } from './suite.ts';

const { runner, run } = pythonSuite({ prewarm: 2 });

describe('batched output', () => {
  it('delivers 200,000 printed lines in order, in far fewer messages than lines', async () => {
    const { result, out, stdout } = await run('for i in range(200_000):\n    print(i)\n');
    expect(result.error).toBeNull();
    const lines = stdout.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(200_000);
    expect(lines.every((line, i) => line === String(i))).toBe(true);
    expect(out.length).toBeLessThan(20_000);
  }, 120_000);

  it('lets Stop end an endless print loop', async () => {
    let lines = 0;
    const handle = runner.run('i = 0\nwhile True:\n    print(i)\n    i += 1\n', {
      onOutput: (o) => {
        if (o.stream === 'stdout') lines += o.text.split('\n').length - 1;
      },
    });
    while (lines < 10_000) await new Promise((r) => setTimeout(r, 20));
    const stoppedAt = Date.now();
    await handle.stop();
    const result = await handle.result;
    expect(result.stopped).toBe(true);
    expect(Date.now() - stoppedAt).toBeLessThan(10_000);
  }, 120_000);

  it('shows the last lines before a long computation while it runs', async () => {
    const events: string[] = [];
    const text = (): string => events.join('');
    const program = [
      'import time',
      'print("a")',
      'print("b")',
      'def countdown(n):',
      '    while n > 0:',
      '        n -= 1',
      't0 = time.monotonic()',
      'while time.monotonic() - t0 < 2.5:',
      '    countdown(100_000)',
      'print("done")',
    ].join('\n');
    const handle = runner.run(program, {
      onOutput: (o) => events.push(o.text),
    });
    // Watch while the program computes: "b" must show up well before the computation ends.
    let sawB = false;
    const watch = (async () => {
      for (;;) {
        if (text().includes('b\n')) return (sawB = !text().includes('done'));
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    const result = await handle.result;
    await watch;
    expect(result.error).toBeNull();
    expect(sawB).toBe(true);
    expect(text()).toBe('a\nb\ndone\n');
  }, 60_000);

  it('keeps each thread’s lines under its lane', async () => {
    const { result, out } = await run(
      [
        'import threading',
        'def work(tag):',
        '    for i in range(2000):',
        '        print(tag, i)',
        't = threading.Thread(target=work, args=("thread",))',
        't.start()',
        'work("main")',
        't.join()',
      ].join('\n'),
    );
    expect(result.error).toBeNull();
    const byLabel = (label: string): string[] =>
      out
        .filter((o: PythonOutput) => o.label === label && o.stream === 'stdout')
        .map((o) => o.text)
        .join('')
        .split('\n')
        .filter(Boolean);
    const main = byLabel('MainThread');
    const thread = byLabel('Thread-1');
    expect(main).toEqual(Array.from({ length: 2000 }, (_, i) => `main ${i}`));
    expect(thread).toEqual(Array.from({ length: 2000 }, (_, i) => `thread ${i}`));
  }, 60_000);
});
