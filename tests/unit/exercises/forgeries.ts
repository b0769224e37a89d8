/**
 * Hostile programs that try to forge "Solved" without doing the task: each is an exercise's
 * starter (which fails its checks) plus an attack on how the check reports or judges. Every one
 * must fail, on python3 (harness.test.ts) and in Run Python (run-python-forgeries.test.ts).
 * Each attack here did forge a pass, or would have, against an earlier harness.
 */
import { loadExercises } from './exercise-files.ts';

export interface Forgery {
  name: string;
  exerciseId: string;
  code: string;
}

const starter = (id: string): string => {
  const found = loadExercises().find((e) => e.id === id);
  if (!found) throw new Error(`no exercise ${id}`);
  return found.starter;
};

/** A report that says every trial of two checks passed. */
const FORGED_REPORT = `{"checks": [{"trials": [{"ok": True, "startMs": 0.0, "endMs": 1.0}], "pairs": None, "error": None}] * 2}`;

const ATTACKS: [name: string, exerciseId: string, attack: string][] = [
  [
    'json.dumps replaced by one that writes a passing report',
    'concurrent-futures/errors-too',
    `
import json
_dumps = json.dumps
json.dumps = lambda obj, *a, **k: _dumps(${FORGED_REPORT}, *a, **k)
`,
  ],
  [
    'a passing report printed with every token-like text the program can read (its source, constants, globals)',
    'concurrent-futures/errors-too',
    `
import json, re, sys
texts = [str(v) for v in list(globals().values())]
frame = sys._getframe()
while frame is not None:
    texts += [c for c in frame.f_code.co_consts if isinstance(c, str)]
    frame = frame.f_back
try:
    texts.append(open(__file__).read())
except Exception:
    pass
tokens = {t for text in texts for t in re.findall(r"[0-9a-f]{32}", text)} | {"0" * 32}
forged = json.dumps(${FORGED_REPORT})
for token in tokens:
    print("\\x00GILLAB-CHECK-OPEN:" + token)
    print("\\x00GILLAB-CHECK-REPORT:" + token + ":" + forged)
`,
  ],
  [
    'sys.stdout and print replaced by writers that turn failures into passes',
    'concurrent-futures/errors-too',
    `
import builtins, sys

def flip(text):
    return text.replace('"ok":false', '"ok":true').replace('"ok": false', '"ok": true')

class Flip:
    def __init__(self, real):
        self.real = real
    def write(self, text):
        return self.real.write(flip(text))
    def __getattr__(self, name):
        return getattr(self.real, name)

_print = builtins.print
builtins.print = lambda *a, **k: _print(*[flip(str(x)) for x in a], **k)
sys.stdout = sys.__stdout__ = Flip(sys.stdout)
`,
  ],
  [
    "the real stdout's write patched on the object and on its class",
    'concurrent-futures/errors-too',
    `
import sys
real = sys.stdout
_write = real.write
flip = lambda text: text.replace('"ok":false', '"ok":true')
try:
    real.write = lambda text: _write(flip(text))
except Exception:
    pass
try:
    _class_write = type(real).write
    type(real).write = lambda self, text: _class_write(self, flip(text))
except Exception:
    pass
`,
  ],
  [
    "builtins.len patched so the check's counts come out right",
    'threading-basics/thread-local',
    `
import builtins
_len = builtins.len
builtins.len = lambda x: 1 if type(x) is set else _len(x)
`,
  ],
  [
    'a module-level len() standing in for the builtin in the check',
    'threading-basics/thread-local',
    `
_real_len = len

def len(x):
    return 1 if type(x) is set else _real_len(x)
`,
  ],
  [
    "the harness's own names replaced through globals() and sys.modules",
    'concurrent-futures/errors-too',
    `
import sys

def forged(*args, **kwargs):
    print("\\x00GILLAB-CHECK-REPORT:" + "0" * 32 + ":{}")

for space in [globals()] + [vars(m) for m in list(sys.modules.values()) if m is not None]:
    for key, value in list(space.items()):
        if "gil_lab" in key.lower() and isinstance(value, dict):
            for name in ("main", "_encode", "send", "finish", "outcome_of"):
                value[name] = forged
for name in ("main", "_encode", "_quote", "send", "finish", "outcome_of", "__gil_lab_run", "__gil_lab_harness", "__gil_lab_check_0", "__gil_lab_check_1"):
    globals()[name] = forged
`,
  ],
  [
    'the program ends itself while the checks run',
    'concurrent-futures/errors-too',
    `
import sys

def invert_all(values):
    sys.exit(0)
`,
  ],
  [
    'time.sleep and the switch interval patched so that threads never switch between read and write',
    'race-conditions/lock-the-counter',
    `
import sys, time
time.sleep = lambda seconds: None
sys.setswitchinterval(1000)
`,
  ],
];

/** Every forgery: the starter, then the attack at the end of the module. */
export function forgeries(): Forgery[] {
  return ATTACKS.map(([name, exerciseId, attack]) => ({
    name,
    exerciseId,
    code: `${starter(exerciseId)}\n${attack.trim()}\n`,
  }));
}

/**
 * Code that gives the right answers without the behaviour an exercise teaches (no threads, a
 * made-up result, the structure bypassed). Added to the starter, it redefines what the check
 * calls; every one must fail (the checks watch the reader's functions run, not only the answer).
 */
const FAKES: [name: string, exerciseId: string, code: string][] = [
  [
    'the count is arithmetic, no thread ran',
    'race-conditions/lock-the-counter',
    'def count(threads, n):\n    return threads * n',
  ],
  [
    'a made-up shortest time',
    'what-is-the-gil/best-of-n',
    'def measure(fn, repeat=5):\n    for _ in range(repeat):\n        fn()\n    return 0.05',
  ],
  [
    'the squares without the worker threads',
    'threading-basics/stop-the-workers',
    'def square_all(numbers):\n    return [n * n for n in numbers]',
  ],
  [
    'the settings loaded in the calling thread',
    'threading-basics/wait-for-ready',
    'def start_service(load):\n    return load()',
  ],
  [
    'the results sorted instead of taken as they finish',
    'concurrent-futures/completion-order',
    'def slowest_last(delays):\n    with ThreadPoolExecutor(max_workers=len(delays)) as pool:\n        return sorted(pool.map(wait_and_return, delays))',
  ],
  [
    'the errors caught without the pool',
    'concurrent-futures/errors-too',
    [
      'def invert_all(values):',
      '    out = []',
      '    for v in values:',
      '        try:',
      '            out.append(invert(v))',
      '        except Exception as e:',
      '            out.append(f"{type(e).__name__}: {e}")',
      '    return out',
    ].join('\n'),
  ],
  ['no transfer at all', 'threading-basics/deadlock', 'def transfer_both():\n    return True'],
  [
    'the interval put back as a typed 5 ms, not the value found',
    'inside-the-gil/shorter-interval',
    [
      'def quick_requests(n):',
      '    sys.setswitchinterval(0.001)',
      '    try:',
      '        requests(n)',
      '    finally:',
      '        sys.setswitchinterval(0.005)',
    ].join('\n'),
  ],
  [
    'crunch left in a thread, with a tiny switch interval',
    'inside-the-gil/crunch-elsewhere',
    [
      'def serve_while_crunching(n):',
      '    import sys',
      '    sys.setswitchinterval(0.00001)',
      '    with ThreadPoolExecutor(max_workers=1) as pool:',
      '        job = pool.submit(crunch, n)',
      '        answered = 0',
      '        while not job.done():',
      '            round_trip()',
      '            answered += 1',
      '        return job.result(), answered',
    ].join('\n'),
  ],
  [
    'made-up (thread, connection) pairs',
    'threading-basics/thread-local',
    'def handle_all(requests):\n    return [(f"ThreadPoolExecutor-0_{i % 3}", i % 3 + 1) for i in requests]',
  ],
  [
    'the words counted without threads',
    'free-threading/own-dicts',
    [
      'def count_words(chunks):',
      '    total = {}',
      '    for chunk in chunks:',
      '        for word in chunk.split():',
      '            total[word] = total.get(word, 0) + 1',
      '    return total',
    ].join('\n'),
  ],
  [
    'the words counted without the pool',
    'race-conditions/return-dont-share',
    'def count_words(chunks):\n    return sum(len(chunk.split()) for chunk in chunks)',
  ],
  [
    'the bank never asked',
    'recap/async-withdraw',
    [
      'async def withdraw(account, amount):',
      '    if account.balance >= amount:',
      '        account.balance -= amount',
      '        return True',
      '    return False',
    ].join('\n'),
  ],
  ['no transfer at all', 'recap/locks-in-order', 'def both_ways(a, b):\n    return True'],
];

/** Every fake: the starter, then the fake's definitions, which replace the starter's. */
export function fakes(): Forgery[] {
  return FAKES.map(([name, exerciseId, code]) => ({
    name,
    exerciseId,
    code: `${starter(exerciseId)}\n\n${code}\n`,
  }));
}

/** Objects that say they equal anything: `==` asks them, so they pass any `got == want`. */
const LIARS = `
class Liar:
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __lt__ = __le__ = __gt__ = __ge__ = __ne__
    __hash__ = object.__hash__

    def __add__(self, other):
        return self

    __radd__ = __sub__ = __rsub__ = __add__

    def __format__(self, spec):
        return "Liar"


class FloatLiar(float):
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __lt__ = __le__ = __gt__ = __ge__ = __eq__
    __hash__ = float.__hash__


class FinishedThread:
    """Not a thread, but says it has finished."""

    def is_alive(self):
        return False
`;

export interface LiarForgery extends Forgery {
  /** Text replacements that undo the checks' strictness: with them the liar passes on python3. */
  loosen: [from: string, to: string][];
}

/**
 * A result that lies about itself, for every exercise whose checks compare a returned value:
 * the SOLUTION runs (so every check of the behaviour holds), then the function the checks call
 * returns liars of the right shape instead of its result. Only a strict comparison (same(), exact
 * types) fails it. deadlock is missing: its check asks `done is True`, which no object can fake; so is
 * shorter-interval, whose checks compare no returned value.
 * `loosen` gives back the `==` the checks used before (a local `same` by default).
 */
const LIAR_WRAPS: [
  exerciseId: string,
  fn: string,
  shape: string,
  opts?: { async?: boolean; loosen?: [string, string][] },
][] = [
  ['asyncio/gather', 'fetch_all', '[Liar() for _ in result]', { async: true }],
  ['asyncio/timeout', 'fetch_or_none', 'None if result is None else Liar()', { async: true }],
  ['concurrent-futures/completion-order', 'slowest_last', '[Liar() for _ in result]'],
  ['concurrent-futures/errors-too', 'invert_all', '[Liar() for _ in result]'],
  ['escaping-the-gil/hash-in-threads', 'digest_all', '[Liar() for _ in result]'],
  ['escaping-the-gil/split-the-work', 'sum_of_squares', 'Liar()'],
  ['free-threading/own-dicts', 'count_words', '{k: Liar() for k in result}'],
  ['free-threading/threads-or-processes', 'pool_for_cpu_work', 'Liar()'],
  ['inside-the-gil/crunch-elsewhere', 'serve_while_crunching', '(Liar(), result[1])'],
  [
    'threading-basics/thread-local',
    'handle_all',
    '[(Liar(), 10_000 + i) for i, _ in enumerate(result)]',
    {
      loosen: [
        ['not (len(p) == 2 and type(p[0]) is str and type(p[1]) is int)', 'False'],
        ['not same(made.get(n), t)', 'made.get(n) != t'],
      ],
    },
  ],
  ['race-conditions/lock-the-counter', 'count', 'Liar()'],
  ['race-conditions/return-dont-share', 'count_words', 'Liar()'],
  ['recap/async-withdraw', 'withdraw', 'Liar()', { async: true }],
  [
    'recap/locks-in-order',
    'both_ways',
    'a.__setattr__("balance", Liar()) or b.__setattr__("balance", Liar()) or result',
  ],
  ['threading-basics/stop-the-workers', 'square_all', '[Liar() for _ in result]'],
  ['threading-basics/wait-for-ready', 'start_service', '{k: Liar() for k in result}'],
  ['threads-vs-processes/process-pool-primes', 'count_all', '[Liar() for _ in result]'],
  ['threads-vs-processes/thread-pool-downloads', 'fetch_all', '[Liar() for _ in result]'],
  [
    'what-is-the-gil/best-of-n',
    'measure',
    'FloatLiar(99.0)',
    { loosen: [['type(got) is float', 'isinstance(got, float)']] },
  ],
  [
    'what-is-the-gil/start-then-join',
    'countdown_in_threads',
    '[FinishedThread() for _ in result]',
    {
      loosen: [
        ['all(issubclass(type(t), threading.Thread) for t in got)', 'True'],
        ['threading.Thread.is_alive(t)', 't.is_alive()'],
      ],
    },
  ],
];

/** Every liar: the solution, then the function the checks call made to return liars. */
export function liars(): LiarForgery[] {
  return LIAR_WRAPS.map(([exerciseId, fn, shape, opts = {}]) => {
    const found = loadExercises().find((e) => e.id === exerciseId);
    if (!found) throw new Error(`no exercise ${exerciseId}`);
    const [def, call] = opts.async ? ['async def', 'await '] : ['def', ''];
    const wrap = [
      `_real_${fn} = ${fn}`,
      '',
      '',
      `${def} ${fn}(*args, **kwargs):`,
      `    result = ${call}_real_${fn}(*args, **kwargs)`,
      // Names the shape may use (locks-in-order sets the two accounts' balances).
      '    a, b = (list(args) + [None, None])[:2]',
      `    return ${shape}`,
    ].join('\n');
    return {
      name: `${exerciseId}: ${fn}() returns objects that equal anything`,
      exerciseId,
      code: `${found.solution}\n${LIARS}\n\n${wrap}\n`,
      loosen: opts.loosen ?? [['', 'same = lambda got, want: got == want\n']],
    };
  });
}
