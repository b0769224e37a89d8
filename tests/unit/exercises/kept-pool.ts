/**
 * A program and a check for the harness's kept process pools (src/exercises/harness.py,
 * _PoolKeeper): on python3 (harness.test.ts) and in Run Python
 * (run-python-solutions.test.ts), four `with ProcessPoolExecutor(max_workers=2)` in one check run
 * their tasks in the same two processes, each executor refuses work after its shutdown, and
 * `map(chunksize=n)` sends `n` items per task as the real pool's map does (one task's items run
 * in one process, one after the other).
 */
/** A check that makes the reader's process pool four times (as trials and timed pairs do). */
export const KEPT_POOL_CHECK = {
  name: 'four pools, two processes',
  python: [
    'pids = set()',
    'for _ in range(4):',
    '    with ProcessPoolExecutor(max_workers=2) as pool:',
    '        pids |= set(pool.map(who_after_a_while, range(4)))',
    '    try:',
    '        pool.submit(who_after_a_while, 0)',
    '    except RuntimeError:',
    '        pass',
    '    else:',
    '        raise AssertionError("the executor took work after its shutdown")',
    'import os',
    'assert (os.getpid(), WHO) not in pids, "a task ran in the checking process"',
    'assert 1 <= len(pids) <= 2, f"the tasks ran in {len(pids)} processes"',
    'with ProcessPoolExecutor(max_workers=2) as pool:',
    '    got = list(pool.map(who_after_a_while, range(6), chunksize=3))',
    'assert len(set(got[:3])) == 1 and len(set(got[3:])) == 1, f"chunksize=3 sent items one by one: {got}"',
    'try:',
    '    ProcessPoolExecutor(max_workers=2).map(who_after_a_while, range(2), chunksize=0)',
    'except ValueError:',
    '    pass',
    'else:',
    '    raise AssertionError("chunksize=0 was accepted")',
  ].join('\n'),
};

export const KEPT_POOL_CODE = [
  'import os',
  'import time',
  'from concurrent.futures import ProcessPoolExecutor',
  '',
  '# Which process runs a task: its pid (CPython on Linux forks, so WHO is inherited), and a',
  '# token made as this module runs (each process of Run Python runs it afresh, as spawn',
  '# does, but every interpreter there has the same pid).',
  'WHO = os.urandom(8).hex()',
  '',
  'def who_after_a_while(_):',
  '    time.sleep(0.05)',
  '    return os.getpid(), WHO',
  '',
].join('\n');
