/**
 * "Your turn" exercises' check engine: UI-free. The widget (src/components/exercise/) and the
 * tests use only this face.
 *
 *   const { verdict, result } = await runCheck(runner, exercise, readerCode, { onOutput, signal });
 *   verdict.status   // 'passed' | 'failed' | 'error' | 'busy' | 'unavailable' | 'stopped' | 'timeout'
 *   verdict.summary  // "Not yet: count(2, 200_000) is 400,000: 2 of 5 trials lost updates: …"
 */
export {
  interpretersForCheck,
  prewarmCheck,
  runCheck,
  sharesObjects,
  type CheckOptions,
  type CheckRun,
} from './check.ts';
export { composeCheckProgram } from './compose.ts';
export {
  clipSnapshot,
  figureAgainst,
  judge,
  lanesAtWork,
  unavailable,
  overlapShare,
  startingMs,
  type CheckLine,
  type RunFacts,
  type Verdict,
  type VerdictStatus,
} from './judge.ts';
export {
  OPEN_MARK,
  REPORT_MARK,
  ReportCatcher,
  parseReport,
  type CheckReport,
  type ProgramError,
  type TrialOutcome,
} from './report.ts';
export { judgeSpeedup, type SpeedupJudgement } from './speed.ts';
