import type { StoredProgress } from '../../schemas/progress.ts';
import {
  EXERCISE_CODE_MAX,
  PROGRESS_SCHEMA_VERSION,
  QUIZ_ANSWER_MAX,
  QUIZ_QUESTIONS_MAX,
} from '../../schemas/progress-constants.ts';

/**
 * Reading a stored progress value safely: whatever the text (hand-edited, truncated, written by an
 * older or newer version of the site), the answer is either valid progress or a named problem,
 * never an exception.
 */

/** Why a stored value could not be used. */
export type StoredProgressProblem = 'not-json' | 'invalid' | 'newer-version' | 'older-version';

export type ReadProgressResult =
  | { ok: true; progress: StoredProgress }
  | { ok: false; problem: StoredProgressProblem; detail?: string };

/**
 * Migrations from each older schema version to the next: MIGRATIONS[n] turns a version-n value
 * into a version-(n+1) value. A version with no migration is reported as 'older-version' and left
 * untouched.
 */
export type Migrations = Record<number, (old: Record<string, unknown>) => Record<string, unknown>>;
const MIGRATIONS: Migrations = {
  // 1 → 2: exercises arrived; nobody had worked on one yet.
  1: (old) => ({ ...old, version: 2, exercises: {} }),
  // 2 → 3: quiz answers began to be kept; none were before.
  2: (old) => ({ ...old, version: 3, quizzes: {} }),
};

/**
 * Exercises that moved to another lesson (their id is "<lesson-slug>/<name>"): old id → new id.
 * The value's shape is unchanged, so no version bump: a reader's code and solved mark follow the
 * exercise to its new page when their progress is next read (a new id already there wins).
 */
export const MOVED_EXERCISES: Readonly<Record<string, string>> = {
  // Session 7: lock-order deadlocks and threading.local are Threading basics' subjects.
  'inside-the-gil/deadlock': 'threading-basics/deadlock',
  'inside-the-gil/thread-local': 'threading-basics/thread-local',
};

function withMovedExercises(exercises: StoredProgress['exercises']): StoredProgress['exercises'] {
  const moved = { ...exercises };
  for (const [from, to] of Object.entries(MOVED_EXERCISES)) {
    const entry = moved[from];
    if (entry === undefined) continue;
    delete moved[from];
    moved[to] ??= entry;
  }
  return moved;
}

/** Progress with nothing completed and nothing visited. */
export function emptyProgress(): StoredProgress {
  return {
    version: PROGRESS_SCHEMA_VERSION,
    completed: {},
    lastVisited: null,
    exercises: {},
    quizzes: {},
  };
}

/** The text stored for `progress`. */
export function serializeProgress(progress: StoredProgress): string {
  return JSON.stringify(progress);
}

/** Parses stored text (from localStorage) into progress, or names what is wrong with it. */
export function readStoredProgress(
  text: string,
  migrations: Migrations = MIGRATIONS,
): ReadProgressResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, problem: 'not-json' };
  }
  return parseProgressValue(value, migrations);
}

/** Checks and, if older, migrates an already-parsed progress value (`migrations`: for tests). */
export function parseProgressValue(
  value: unknown,
  migrations: Migrations = MIGRATIONS,
): ReadProgressResult {
  if (!isRecord(value)) return { ok: false, problem: 'invalid', detail: 'not an object' };
  let current = value;
  let version = current['version'];
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) {
    return { ok: false, problem: 'invalid', detail: 'no valid version' };
  }
  if (version > PROGRESS_SCHEMA_VERSION) return { ok: false, problem: 'newer-version' };
  while (version < PROGRESS_SCHEMA_VERSION) {
    const migrate = migrations[version];
    if (!migrate) return { ok: false, problem: 'older-version' };
    current = migrate(current);
    version += 1;
  }
  const wrong = checkStoredProgress(current);
  if (wrong !== null) return { ok: false, problem: 'invalid', detail: `wrong value at ${wrong}` };
  // Like zod's object schemas, keep the known fields only.
  const completed = current['completed'] as Record<string, { completedAt: string }>;
  const visit = current['lastVisited'] as { lessonId: string; at: string } | null;
  const exercises = withMovedExercises(current['exercises'] as StoredProgress['exercises']);
  const quizzes = current['quizzes'] as StoredProgress['quizzes'];
  return {
    ok: true,
    progress: {
      version: PROGRESS_SCHEMA_VERSION,
      completed: Object.fromEntries(
        Object.entries(completed).map(([id, c]) => [id, { completedAt: c.completedAt }]),
      ),
      lastVisited: visit && { lessonId: visit.lessonId, at: visit.at },
      exercises: Object.fromEntries(
        Object.entries(exercises).map(([id, e]) => [
          id,
          {
            code: e.code,
            savedAt: e.savedAt,
            solvedAt: e.solvedAt,
            ...(e.checkedAt === undefined ? {} : { checkedAt: e.checkedAt }),
          },
        ]),
      ),
      quizzes: Object.fromEntries(
        Object.entries(quizzes).map(([id, q]) => [
          id,
          {
            questions: q.questions,
            answers: Object.fromEntries(
              Object.entries(q.answers).map(([n, a]) => [
                n,
                { answer: a.answer, right: a.right, answeredAt: a.answeredAt },
              ]),
            ),
          },
        ]),
      ),
    },
  };
}

/** ISO 8601 date-time with a zone, as zod's `z.iso.datetime({ offset: true })` accepts it. */
const ISO_DATE_TIME =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

export const isTimestamp = (v: unknown): v is string =>
  typeof v === 'string' && ISO_DATE_TIME.test(v);
const isLessonId = (v: unknown) => typeof v === 'string' && v.length >= 1 && v.length <= 200;
const isQuizId = (v: unknown) => typeof v === 'string' && v.length >= 1 && v.length <= 300;
const isQuestionCount = (v: unknown) =>
  typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= QUIZ_QUESTIONS_MAX;
const QUESTION_NUMBER = /^[1-9]\d?$/;
const isCode = (v: unknown) =>
  v === null || (typeof v === 'string' && v.length <= EXERCISE_CODE_MAX);

/**
 * The `storedProgress` zod schema (src/schemas/progress.ts), checked by hand: pages run this on
 * every load, and zod would triple their JavaScript. Returns where the value is wrong, or null.
 * tests/unit/progress/check-stored-progress.test.ts keeps it in step with the schema.
 */
export function checkStoredProgress(value: Record<string, unknown>): string | null {
  if (value['version'] !== PROGRESS_SCHEMA_VERSION) return 'version';
  const completed = value['completed'];
  if (!isRecord(completed)) return 'completed';
  for (const [id, entry] of Object.entries(completed)) {
    if (!isLessonId(id)) return `completed.${id}`;
    if (!isRecord(entry) || !isTimestamp(entry['completedAt']))
      return `completed.${id}.completedAt`;
  }
  const visit = value['lastVisited'];
  if (visit !== null) {
    if (!isRecord(visit)) return 'lastVisited';
    if (!isLessonId(visit['lessonId'])) return 'lastVisited.lessonId';
    if (!isTimestamp(visit['at'])) return 'lastVisited.at';
  }
  const exercises = value['exercises'];
  if (!isRecord(exercises)) return 'exercises';
  for (const [id, entry] of Object.entries(exercises)) {
    if (!isLessonId(id)) return `exercises.${id}`;
    if (!isRecord(entry)) return `exercises.${id}`;
    if (!isCode(entry['code'])) return `exercises.${id}.code`;
    if (!isTimestamp(entry['savedAt'])) return `exercises.${id}.savedAt`;
    const solved = entry['solvedAt'];
    if (solved !== null && !isTimestamp(solved)) return `exercises.${id}.solvedAt`;
    const checked = entry['checkedAt'];
    if (checked !== undefined && !isTimestamp(checked)) return `exercises.${id}.checkedAt`;
  }
  const quizzes = value['quizzes'];
  if (!isRecord(quizzes)) return 'quizzes';
  for (const [id, quiz] of Object.entries(quizzes)) {
    if (!isQuizId(id) || !isRecord(quiz)) return `quizzes.${id}`;
    if (!isQuestionCount(quiz['questions'])) return `quizzes.${id}.questions`;
    const answers = quiz['answers'];
    if (!isRecord(answers)) return `quizzes.${id}.answers`;
    for (const [n, entry] of Object.entries(answers)) {
      const where = `quizzes.${id}.answers.${n}`;
      if (!QUESTION_NUMBER.test(n) || !isRecord(entry)) return where;
      const answer = entry['answer'];
      if (typeof answer !== 'string' || answer.length > QUIZ_ANSWER_MAX) return `${where}.answer`;
      if (typeof entry['right'] !== 'boolean') return `${where}.right`;
      if (!isTimestamp(entry['answeredAt'])) return `${where}.answeredAt`;
    }
  }
  return null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
