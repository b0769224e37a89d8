/**
 * "Your turn" exercises' check engine: UI-free. The widget (src/components/exercise/) and the
 * tests use only this face.
 *
 *   const { verdict, result } = await runCheck(runner, exercise, readerCode, { onOutput, signal });
 *   verdict.status   // 'passed' | 'failed' | 'error' | 'busy' | 'unavailable' | 'stopped' | 'timeout'
 *   verdict.summary  // "Not yet: count(2, 200_000) is 400,000: 2 of 5 trials lost updates: …"
 */
export { runCheck, sharesObjects, type CheckOptions, type CheckRun } from './check.ts';
export { composeCheckProgram, newReportToken, REPORT_MARK } from './compose.ts';
export {
  clipSnapshot,
  judge,
  unavailable,
  timelineUnavailable,
  overlapShare,
  startingMs,
  type CheckLine,
  type RunFacts,
  type Verdict,
  type VerdictStatus,
} from './judge.ts';
export { ReportCatcher, parseReport, type CheckReport, type TrialOutcome } from './report.ts';
export { judgeSpeedup, type SpeedupJudgement } from './speed.ts';
