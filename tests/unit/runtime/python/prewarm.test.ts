/**
 * prewarm(n) leaves n interpreters warm, whatever was warm before: a page that prewarms step by
 * step (an exercise's Check boots them one at a time) gets every one, so a process pool's second
 * process does not boot during the run, where its start-up would be judged. Node worker_threads.
 */
import { expect, it } from 'vitest';
import { pythonSuite } from './suite.ts';

const { runner } = pythonSuite({ prewarm: 0 });

it('prewarm(n) boots until n are warm, never fewer, never more', async () => {
  await runner.prewarm(1);
  expect(runner.liveWorkers).toBe(1);
  // One is warm: asking for 2 boots one more (it used to lease the warm one and give it back).
  await runner.prewarm(2);
  expect(runner.liveWorkers).toBe(2);
  await runner.prewarm(2);
  expect(runner.liveWorkers).toBe(2);
}, 180_000);
