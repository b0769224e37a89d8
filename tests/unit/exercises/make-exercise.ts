/** A minimal valid exercise for tests of the check engine: only its checks (and needs) matter. */
import { exercise } from '../../../src/schemas/exercise.ts';

export const makeExercise = (checks: unknown[], requires: string[] = []) => ({
  id: 'lesson/x',
  ...exercise.parse({
    title: 'X',
    task: 'x',
    starter: 's',
    solution: 's',
    hints: ['a', 'b'],
    requires,
    checks,
  }),
});
