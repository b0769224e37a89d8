import type { ExerciseProgress, QuizProgress, StoredProgress } from '../../schemas/progress.ts';
import {
  EXERCISE_CODE_MAX,
  PROGRESS_STORAGE_KEY,
  QUIZ_ANSWER_MAX,
  QUIZ_QUESTIONS_MAX,
} from '../../schemas/progress-constants.ts';
import {
  emptyProgress,
  readStoredProgress,
  serializeProgress,
  type StoredProgressProblem,
} from './stored-progress.ts';

/**
 * The reader's progress, kept in a Storage-like object (localStorage in the browser, a fake in
 * tests). UI-free: components subscribe and re-render. It never throws on bad or missing storage;
 * instead `persistence` says whether changes are being kept.
 */

/** The part of the Web Storage API the store uses. */
export type StorageLike = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** Whether the progress shown is also being saved. */
export type Persistence =
  /** Read from and written to storage. */
  | { kind: 'saved' }
  /** Storage cannot be used (disabled, private mode, full): progress lasts while the page is open. */
  | { kind: 'unavailable' }
  /** The stored value could not be read; it is left untouched until the reader resets or imports. */
  | { kind: 'unreadable'; problem: StoredProgressProblem };

export class ProgressStore {
  readonly #storage: StorageLike | null;
  readonly #now: () => Date;
  readonly #listeners = new Set<() => void>();
  #progress: StoredProgress = emptyProgress();
  #persistence: Persistence = { kind: 'saved' };

  /** `storage` is null where the browser refuses access to it altogether. */
  constructor(storage: StorageLike | null, now: () => Date = () => new Date()) {
    this.#storage = storage;
    this.#now = now;
    this.#load();
  }

  get progress(): StoredProgress {
    return this.#progress;
  }

  get persistence(): Persistence {
    return this.#persistence;
  }

  isComplete(lessonId: string): boolean {
    return Object.hasOwn(this.#progress.completed, lessonId);
  }

  /** When the lesson was marked complete, or null. */
  completedAt(lessonId: string): Date | null {
    const entry = this.isComplete(lessonId) ? this.#progress.completed[lessonId] : undefined;
    return entry ? new Date(entry.completedAt) : null;
  }

  /** What the reader did in an exercise, or null if they have not touched it. */
  exercise(exerciseId: string): ExerciseProgress | null {
    const { exercises } = this.#progress;
    return Object.hasOwn(exercises, exerciseId) ? (exercises[exerciseId] ?? null) : null;
  }

  /** True once the reader's code passed the exercise's checks. */
  isSolved(exerciseId: string): boolean {
    return (this.exercise(exerciseId)?.solvedAt ?? null) !== null;
  }

  /**
   * Keeps the reader's code of an exercise (null: back to the starter). Code longer than
   * EXERCISE_CODE_MAX is not stored (returns false): storage is small and shared by all exercises.
   */
  saveExerciseCode(exerciseId: string, code: string | null): boolean {
    if (code !== null && code.length > EXERCISE_CODE_MAX) return false;
    this.#update((progress) => {
      const before = this.#exerciseIn(progress, exerciseId);
      const entry = {
        code,
        savedAt: this.#now().toISOString(),
        solvedAt: before?.solvedAt ?? null,
        ...checkedOf(before),
      };
      return { ...progress, exercises: { ...progress.exercises, [exerciseId]: entry } };
    });
    return true;
  }

  /** Records that `code` passed the exercise's checks (keeping the first time it did). */
  markSolved(exerciseId: string, code: string): void {
    this.#update((progress) => {
      const before = this.#exerciseIn(progress, exerciseId);
      const now = this.#now().toISOString();
      const entry = {
        code: code.length > EXERCISE_CODE_MAX ? (before?.code ?? null) : code,
        savedAt: now,
        solvedAt: before?.solvedAt ?? now,
        checkedAt: now,
      };
      return { ...progress, exercises: { ...progress.exercises, [exerciseId]: entry } };
    });
  }

  /** Records that the reader pressed Check (an attempt: it unlocks the solution, across reloads). */
  recordCheck(exerciseId: string): void {
    this.#update((progress) => {
      const before = this.#exerciseIn(progress, exerciseId);
      const now = this.#now().toISOString();
      const entry = {
        code: before?.code ?? null,
        savedAt: before?.savedAt ?? now,
        solvedAt: before?.solvedAt ?? null,
        checkedAt: now,
      };
      return { ...progress, exercises: { ...progress.exercises, [exerciseId]: entry } };
    });
  }

  /** True once the reader has pressed Check on the exercise (on this browser). */
  wasChecked(exerciseId: string): boolean {
    const entry = this.exercise(exerciseId);
    return entry?.checkedAt !== undefined || (entry?.solvedAt ?? null) !== null;
  }

  #exerciseIn(progress: StoredProgress, exerciseId: string): ExerciseProgress | null {
    return Object.hasOwn(progress.exercises, exerciseId)
      ? (progress.exercises[exerciseId] ?? null)
      : null;
  }

  /** The reader's answers to a quiz ("<lesson id>#<quiz id>"), or null if none was checked. */
  quiz(quizId: string): QuizProgress | null {
    const { quizzes } = this.#progress;
    return Object.hasOwn(quizzes, quizId) ? (quizzes[quizId] ?? null) : null;
  }

  /**
   * Keeps the reader's last checked answer to question `number` (1-based) of a quiz of `questions`
   * questions. An answer out of the schema's bounds (a pasted essay, a made-up question) is not
   * kept (returns false): the quiz still says right or wrong for the visit.
   */
  recordQuizAnswer(
    quizId: string,
    questions: number,
    number: number,
    answer: string,
    right: boolean,
  ): boolean {
    const fits =
      quizId.length >= 1 &&
      quizId.length <= 300 &&
      Number.isInteger(questions) &&
      questions >= 1 &&
      questions <= QUIZ_QUESTIONS_MAX &&
      Number.isInteger(number) &&
      number >= 1 &&
      number <= questions &&
      answer.length <= QUIZ_ANSWER_MAX;
    if (!fits) return false;
    this.#update((progress) => {
      const before = Object.hasOwn(progress.quizzes, quizId) ? progress.quizzes[quizId] : undefined;
      const answers = {
        ...before?.answers,
        [String(number)]: { answer, right, answeredAt: this.#now().toISOString() },
      };
      // A quiz edited to fewer questions keeps only the answers that still have a question.
      for (const n of Object.keys(answers)) if (Number(n) > questions) delete answers[n];
      return { ...progress, quizzes: { ...progress.quizzes, [quizId]: { questions, answers } } };
    });
    return true;
  }

  /**
   * Forgets the kept answer to question `number` of a quiz (and the quiz, once it has none left):
   * the quiz calls it when a kept answer no longer fits its question, because the question was
   * rewritten since, so that the recap page does not count an answer to a question that is gone.
   */
  forgetQuizAnswer(quizId: string, number: number): void {
    this.#update((progress) => {
      const before = Object.hasOwn(progress.quizzes, quizId) ? progress.quizzes[quizId] : undefined;
      if (!before || !Object.hasOwn(before.answers, String(number))) return progress;
      const answers = { ...before.answers };
      delete answers[String(number)];
      const quizzes = { ...progress.quizzes };
      if (Object.keys(answers).length === 0) delete quizzes[quizId];
      else quizzes[quizId] = { ...before, answers };
      return { ...progress, quizzes };
    });
  }

  /** Calls `listener` after every change, including changes made in another tab. */
  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Marks a lesson complete (keeping its first completion time) or not complete. */
  setComplete(lessonId: string, complete: boolean): void {
    this.#update((progress) => {
      if (complete === Object.hasOwn(progress.completed, lessonId)) return progress;
      const completed = { ...progress.completed };
      if (complete) completed[lessonId] = { completedAt: this.#now().toISOString() };
      else delete completed[lessonId];
      return { ...progress, completed };
    });
  }

  /** Remembers the lesson page the reader is on, for "Continue". */
  recordVisit(lessonId: string): void {
    const lastVisited = { lessonId, at: this.#now().toISOString() };
    this.#update((progress) => ({ ...progress, lastVisited }));
  }

  /** Replaces all progress, e.g. from an imported file; this also overwrites an unreadable value. */
  replace(progress: StoredProgress): void {
    this.#progress = progress;
    this.#write(() => this.#storage?.setItem(PROGRESS_STORAGE_KEY, serializeProgress(progress)));
    this.#emit();
  }

  /** Forgets all progress, including an unreadable stored value. */
  reset(): void {
    this.#progress = emptyProgress();
    this.#write(() => this.#storage?.removeItem(PROGRESS_STORAGE_KEY));
    this.#emit();
  }

  /** Re-reads storage after another tab changed it (the `storage` event). */
  refresh(): void {
    // While storage is unusable the in-memory progress is all there is; keep it.
    if (this.#persistence.kind === 'unavailable') return;
    this.#load();
    this.#emit();
  }

  #update(change: (progress: StoredProgress) => StoredProgress): void {
    // Start from what is stored now, so a change made in another tab a moment ago is not lost.
    if (this.#persistence.kind === 'saved') this.#load();
    this.#progress = change(this.#progress);
    if (this.#persistence.kind === 'saved') {
      const text = serializeProgress(this.#progress);
      this.#write(() => this.#storage?.setItem(PROGRESS_STORAGE_KEY, text));
    }
    this.#emit();
  }

  #load(): void {
    if (!this.#storage) {
      this.#persistence = { kind: 'unavailable' };
      return;
    }
    let text: string | null;
    try {
      text = this.#storage.getItem(PROGRESS_STORAGE_KEY);
    } catch {
      this.#persistence = { kind: 'unavailable' };
      return;
    }
    if (text === null) {
      this.#progress = emptyProgress();
      this.#persistence = { kind: 'saved' };
      return;
    }
    const result = readStoredProgress(text);
    if (result.ok) {
      this.#progress = result.progress;
      this.#persistence = { kind: 'saved' };
    } else {
      this.#progress = emptyProgress();
      this.#persistence = { kind: 'unreadable', problem: result.problem };
    }
  }

  /** Runs a storage write; a refusal (quota, disabled) switches to keeping progress in memory. */
  #write(operation: () => void): void {
    if (!this.#storage) {
      this.#persistence = { kind: 'unavailable' };
      return;
    }
    try {
      operation();
      this.#persistence = { kind: 'saved' };
    } catch {
      this.#persistence = { kind: 'unavailable' };
    }
  }

  #emit(): void {
    for (const listener of this.#listeners) listener();
  }
}

/** The `checkedAt` of an entry, kept as it was (absent stays absent). */
function checkedOf(entry: ExerciseProgress | null): { checkedAt?: string } {
  return entry?.checkedAt === undefined ? {} : { checkedAt: entry.checkedAt };
}
