import { z } from './zod.ts';

/**
 * Reading progress, kept in the reader's browser only (no account, no server).
 *
 * Stored under ONE localStorage key, `gil-lab:progress`, as the JSON of `StoredProgress`. The value
 * carries its schema `version`; bump PROGRESS_SCHEMA_VERSION whenever its shape changes and add a
 * migration from the previous version in `src/components/progress/stored-progress.ts`. A value
 * with a newer version (written by a newer deployment) is never overwritten silently.
 */

export {
  EXERCISE_CODE_MAX,
  PROGRESS_STORAGE_KEY,
  PROGRESS_SCHEMA_VERSION,
  PROGRESS_EXPORT_FORMAT,
  QUIZ_ANSWER_MAX,
  QUIZ_QUESTIONS_MAX,
} from './progress-constants.ts';
import {
  EXERCISE_CODE_MAX,
  PROGRESS_SCHEMA_VERSION,
  PROGRESS_EXPORT_FORMAT,
  QUIZ_ANSWER_MAX,
  QUIZ_QUESTIONS_MAX,
} from './progress-constants.ts';

/** A lesson's id: its docs entry id, e.g. "lessons/what-is-the-gil". */
const lessonId = z.string().min(1).max(200);
/** An ISO 8601 date-time, e.g. "2025-05-03T14:05:00.000Z". */
const timestamp = z.iso.datetime({ offset: true });

/** One completed lesson. */
export const lessonCompletion = z.object({
  /** When the reader marked the lesson complete (ISO 8601). */
  completedAt: timestamp,
});

/** The lesson page the reader opened last. */
export const lessonVisit = z.object({
  /** Id of the lesson visited. */
  lessonId,
  /** When it was opened (ISO 8601). */
  at: timestamp,
});

/** An exercise's id: "<lesson-slug>/<name>", its file under src/content/exercises/. */
const exerciseId = z.string().min(1).max(200);

/** One "Your turn" exercise the reader has worked on. */
export const exerciseProgress = z.object({
  /** The reader's code as last edited; null after "Reset" (the editor shows the starter). */
  code: z.string().max(EXERCISE_CODE_MAX).nullable(),
  /** When the code was last saved (ISO 8601). */
  savedAt: timestamp,
  /** When the reader's code first passed the checks (ISO 8601); null if not yet. */
  solvedAt: timestamp.nullable(),
  /**
   * When the reader last pressed Check (ISO 8601); absent before the first Check. An attempt,
   * not typing, is what unlocks "Show a solution", and it survives a reload. Optional, so values
   * written before it existed are still version 3 and valid.
   */
  checkedAt: timestamp.optional(),
});

/**
 * A quiz's id: "<lesson id>#<quiz id>", e.g. "lessons/what-is-the-gil#check-yourself" (the quiz id
 * is the `<Quiz>`'s `id`, or its title made into a slug).
 */
const quizId = z.string().min(1).max(300);

/** The reader's last checked answer to one question. */
export const quizAnswer = z.object({
  /** What was checked: a choice's index ("0", "1", …) or the number as typed ("5%", "1/20"). */
  answer: z.string().max(QUIZ_ANSWER_MAX),
  /** Whether that answer was right. */
  right: z.boolean(),
  /** When it was checked (ISO 8601). */
  answeredAt: timestamp,
});

/** One quiz the reader has answered at least one question of. */
export const quizProgress = z.object({
  /** How many questions the quiz had when last answered (for "2 of 4 right"). */
  questions: z.number().int().min(1).max(QUIZ_QUESTIONS_MAX),
  /** Last answers by question number ("1" is the first question); unanswered ones absent. */
  answers: z.record(z.string().regex(/^[1-9]\d?$/), quizAnswer),
});

/** The value stored under PROGRESS_STORAGE_KEY. */
export const storedProgress = z.object({
  /** Schema version of this value: always PROGRESS_SCHEMA_VERSION when written by this site. */
  version: z.literal(PROGRESS_SCHEMA_VERSION),
  /** Completed lessons by lesson id; a lesson not listed is not complete. */
  completed: z.record(lessonId, lessonCompletion),
  /** The lesson opened last, for the "Continue" link; null before the first lesson page. */
  lastVisited: lessonVisit.nullable(),
  /** Exercises the reader has worked on, by exercise id (version 2 on; a v1 value gets `{}`). */
  exercises: z.record(exerciseId, exerciseProgress),
  /** Quizzes the reader has answered, by quiz id (version 3 on; older values get `{}`). */
  quizzes: z.record(quizId, quizProgress),
});

/** The JSON file "Export progress" downloads and "Import progress" reads. */
export const progressExportFile = z.object({
  /** Always PROGRESS_EXPORT_FORMAT; anything else is not our file. */
  format: z.literal(PROGRESS_EXPORT_FORMAT),
  /** When the file was exported (ISO 8601); informative only. */
  exportedAt: timestamp,
  /** The progress itself, exactly as stored (so it is migrated like a stored value). */
  progress: storedProgress,
});

/** One lesson of the course outline the site hands to the browser at build time. */
export const courseLesson = z.object({
  /** The lesson's id (docs entry id). */
  id: lessonId,
  /** The lesson's title. */
  title: z.string().min(1),
  /** Position in the course, 1-based. */
  order: z.number().int().min(1),
  /** URL path of the lesson page, including the base path, e.g. "/gil-lab/lessons/x/". */
  href: z.string().min(1),
  /** Ids of the lesson's "Your turn" exercises, in file order (none: []). */
  exercises: z.array(exerciseId),
});

/** Every lesson of the course, in course order. */
export const courseOutline = z.array(courseLesson);

export type ExerciseProgress = z.infer<typeof exerciseProgress>;
export type QuizAnswer = z.infer<typeof quizAnswer>;
export type QuizProgress = z.infer<typeof quizProgress>;
export type StoredProgress = z.infer<typeof storedProgress>;
export type ProgressExportFile = z.infer<typeof progressExportFile>;
export type CourseLesson = z.infer<typeof courseLesson>;
export type CourseOutline = z.infer<typeof courseOutline>;
