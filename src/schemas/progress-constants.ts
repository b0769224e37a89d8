/**
 * The constants of the progress schema (./progress.ts), in a file without zod so that pages can
 * import them without shipping zod.
 */

/** The one localStorage key progress lives under. */
export const PROGRESS_STORAGE_KEY = 'gil-lab:progress';
/**
 * Version of the stored shape (./progress.ts `storedProgress`); 1 is the first, 2 added `exercises`
 * (the reader's code and solved "Your turn" exercises), 3 added `quizzes` (the reader's last
 * answer to each "Check yourself" question).
 */
export const PROGRESS_SCHEMA_VERSION = 3;
/** The most questions a quiz may have (src/schemas/quiz.ts keeps quizzes far below). */
export const QUIZ_QUESTIONS_MAX = 50;
/** The longest answer kept per question (characters): a choice's index, or a typed number. */
export const QUIZ_ANSWER_MAX = 100;
/** The most code kept per exercise (characters); longer code is kept for the page's life only. */
export const EXERCISE_CODE_MAX = 100_000;
/** Marks a JSON file as a GIL Lab progress export, so foreign files are told apart. */
export const PROGRESS_EXPORT_FORMAT = 'gil-lab-progress';
