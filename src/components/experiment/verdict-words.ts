/**
 * Plain words for a measured comparison and for the reader's prediction: what the pairs showed,
 * how sure it is, and, when the machine was too busy to tell, that it was. Pure strings, so they
 * are unit-tested in Node; no sentence contradicts itself or the physics of the lesson.
 */
import type { Comparison, RateMeasurement, SpeedClass } from '../../runtime/index.ts';
import type { ExperimentSettings } from '../../schemas/experiment.ts';
import { times } from '../shared/format.ts';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "faster" → "faster than the plain loop". */
function classWords(speed: SpeedClass): string {
  return speed === 'about the same'
    ? 'about as fast as the plain loop'
    : `${speed} than the plain loop`;
}

/** The pairs behind a figure: "median of 5 pairs, middle half 0.93–1.01×". */
export function pairsWords(c: Comparison): string {
  const s = c.summary;
  if (s.pairs === 1) return '1 pair';
  return `median of ${s.pairs} pairs, middle half ${s.q1.toFixed(2)}–${times(s.q3)}`;
}

/**
 * The speed-up as the results show it: the figure with its spread, and the verdict; or, when the
 * machine was too busy, that the comparison is too close to call.
 */
export function speedupWords(c: Comparison): string {
  const v = c.verdict;
  const s = c.summary;
  if (v.shown === null) {
    return `Your machine is busy: the pairs measured ${times(s.median)}, more than is possible here (${c.limits.reason}), so they say more about the machine than about the work. Close other programs and run again.`;
  }
  const figure = v.capped
    ? `${times(v.shown)}, the most possible here (${c.limits.reason}; the pairs' median ${times(s.median)} is noise above it)`
    : `${times(v.shown)} the speed of a plain loop`;
  const spread = `(${pairsWords(c)})`;
  if (v.speed !== null && v.noisy) {
    return `${figure} ${spread}. Your machine is busy: the pairs disagree, so this figure is too close to call; that it ran ${classWords(v.speed)} is clear.`;
  }
  if (v.speed !== null) return `${figure} ${spread}: ${classWords(v.speed)}.`;
  if (v.busy) {
    return `${figure} ${spread}. Your machine is busy: this comparison is too close to call.`;
  }
  return `${figure} ${spread}: on the line between ${v.possible.join(' and ')}, too close to call.`;
}

/** Feedback on a "faster / about the same / slower" prediction, graded only when decided. */
export function speedPredictionWords(predicted: SpeedClass, c: Comparison): string {
  const v = c.verdict;
  if (v.speed === null) {
    const why =
      v.busy || v.shown === null ? 'Your machine is busy, so' : 'The result sits on a line, so';
    return `${why} this run cannot check your prediction (${predicted}). Run it again, ideally with other programs closed.`;
  }
  // A noisy figure is not repeated as if it were the answer: the class is what was checked.
  const figure = v.noisy
    ? `${times(v.shown ?? c.summary.median)}, though your busy machine makes that figure too close to call`
    : times(v.shown ?? c.summary.median);
  if (v.speed === predicted) return `You predicted ${predicted}, and it was: ${figure}.`;
  const physics =
    c.limits.ceiling <= 1 && predicted === 'faster' ? ` ${capitalise(c.limits.reason)}.` : '';
  return `You predicted ${predicted}; it ran ${classWords(v.speed)} (${figure}).${physics}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * Feedback on a numeric guess when the figure is too close to call (a busy machine): the guess is
 * not checked against it. `seen` says what the runs gave, if anything.
 */
export function busyGuessWords(guess: string, unit: string, seen = ''): string {
  return `You guessed ${guess}${unit}. Your machine is busy${seen}, so this figure is too close to call and cannot check your guess. Run it again, ideally with other programs closed.`;
}

/**
 * Whether a speed-up guess can be checked against `comparison`: only when its figure is shown and
 * the machine was not too busy (a run without pairs has nothing to check it with).
 */
export function speedupCheckable(comparison: Comparison | null): boolean {
  return comparison !== null && comparison.verdict.shown !== null && !comparison.verdict.noisy;
}

/** How a number compares with a guess: "close to your guess", "about 4× your guess" … */
export function gapWords(guess: number, measured: number): string {
  if (!(guess > 0)) return '';
  const ratio = measured / guess;
  if (ratio >= 1 / 1.2 && ratio <= 1.2) return 'close to your guess';
  if (ratio > 1) return `about ${ratio < 10 ? ratio.toFixed(1) : Math.round(ratio)}× your guess`;
  const fraction = guess / measured;
  return `about 1/${fraction < 10 ? fraction.toFixed(1) : Math.round(fraction)} of your guess`;
}

/** Settings in words, for a prediction made about another setup: "2 threads with the GIL on". */
export function setupWords(s: ExperimentSettings): string {
  const work = {
    cpu: 'counting down',
    io: 'waiting on I/O',
    mixed: 'I/O beside computing',
    native: 'C code that releases the GIL',
    'native-held': 'C calls too small to release the GIL',
    race: 'a shared counter',
    asyncio: 'asyncio waits',
  }[s.workload];
  if (s.executor === 'sequential') return `${work}, one task after another`;
  const who = plural(
    s.workers,
    s.executor === 'processes' ? 'process' : 'thread',
    s.executor === 'processes' ? 'processes' : 'threads',
  );
  if (s.executor === 'processes') return `${work} on ${who}`;
  const gil =
    s.mode === 'gil' ? `the GIL on (switch interval ${s.switchIntervalMs} ms)` : 'the GIL off';
  return `${work} on ${who} with ${gil}`;
}

/** What differs between the run and the setup a prediction was about, in plain words. */
export function premiseWords(ran: ExperimentSettings, premise: ExperimentSettings): string {
  return `Your prediction was about ${setupWords(premise)}; this run was ${setupWords(ran)}, so it does not check it. Set it back to check your prediction.`;
}

/** What a page keeps of a rate measured over repeated runs (the convoy's round trips per second). */
export type ShownRate = Pick<RateMeasurement<unknown>, 'rates' | 'summary' | 'verdict'>;

const perSecond = (x: number) => `${Math.round(x).toLocaleString('en')}/s`;

/**
 * A repeated rate as the results show it: the median with its spread; when the runs disagree (or
 * were too few), that the machine is busy and the figure too close to call.
 */
export function rateWords(m: ShownRate, what = 'round trips per second'): string {
  const s = m.summary;
  if (!s) return `no run made enough calls to count ${what}. Your machine is busy: run it again.`;
  const figure = `${Math.round(s.median).toLocaleString('en')} ${what}`;
  if (m.verdict.why === 'few') {
    return `${figure} (${plural(s.runs, 'run')}). Your machine is busy: too few runs finished in time to tell the GIL from the machine, so this figure is too close to call. Close other programs and run again.`;
  }
  const spread = `${perSecond(s.q1)}–${perSecond(s.q3)}`;
  if (m.verdict.busy) {
    return `${figure} (median of ${plural(s.runs, 'run')}, middle half ${spread}). Your machine is busy: the runs disagree too much, so this figure is too close to call. Close other programs and run again.`;
  }
  return `${figure} (median of ${plural(s.runs, 'run')}, middle half ${spread})`;
}

/**
 * What Stop says: how long after the click, in which phase, and which run it stopped; then, once
 * the workers have let go (`finished`), that they have, so the message ends.
 */
export function stoppedWords(
  elapsed: string,
  phase: string,
  ran: ExperimentSettings,
  finished: boolean,
): string {
  const stopped = `Stopped after ${elapsed}, while ${phase}: the run of ${setupWords(ran)}. Nothing of it was measured to show.`;
  return finished
    ? `${stopped} Its workers have stopped; press Run to start again.`
    : `${stopped} Its workers are being stopped…`;
}
