import type { CourseLesson, CourseOutline, StoredProgress } from '../../schemas/progress.ts';

/**
 * Progress measured against the course as built: lessons that no longer exist (renamed, removed)
 * stay stored but do not count, so "n of N" is always about the lessons the reader can see.
 */
export interface CourseSummary {
  /** Lessons of the outline marked complete. */
  completed: number;
  /** Lessons in the outline. */
  total: number;
  /** Where "Continue" goes; null once every lesson is complete. */
  next: CourseLesson | null;
  /** True when nothing has been completed or visited yet: "Start", not "Continue". */
  fresh: boolean;
  /** "Your turn" exercises of the outline solved, and how many there are. */
  solvedExercises: number;
  totalExercises: number;
}

/**
 * The reader's lesson to continue with: the lesson they opened last if they have not finished it
 * (they stopped part-way), otherwise the first lesson, in course order, not yet complete.
 */
export function summarizeCourse(progress: StoredProgress, outline: CourseOutline): CourseSummary {
  const isDone = (lesson: CourseLesson) => Object.hasOwn(progress.completed, lesson.id);
  const completed = outline.filter(isDone).length;
  const lastVisited = outline.find((lesson) => lesson.id === progress.lastVisited?.lessonId);
  const next =
    lastVisited && !isDone(lastVisited)
      ? lastVisited
      : (outline.find((lesson) => !isDone(lesson)) ?? null);
  const exercises = outline.flatMap((lesson) => lesson.exercises);
  const solvedExercises = exercises.filter((id) => isSolvedIn(progress, id)).length;
  return {
    completed,
    total: outline.length,
    next,
    fresh: completed === 0 && !lastVisited,
    solvedExercises,
    totalExercises: exercises.length,
  };
}

/** True if `progress` records the exercise as solved. */
export function isSolvedIn(progress: StoredProgress, exerciseId: string): boolean {
  return Object.hasOwn(progress.exercises, exerciseId)
    ? (progress.exercises[exerciseId]?.solvedAt ?? null) !== null
    : false;
}

/** "3 of 14 exercises solved" (empty when the course has none). */
export function exercisesText({ solvedExercises, totalExercises }: CourseSummary): string {
  if (totalExercises === 0) return '';
  return `${solvedExercises} of ${totalExercises} ${totalExercises === 1 ? 'exercise' : 'exercises'} solved`;
}

/** "2 of 7 lessons complete", for the progress bar's text value. */
export function progressText({ completed, total }: CourseSummary): string {
  return `${completed} of ${total} ${total === 1 ? 'lesson' : 'lessons'} complete`;
}

/** A URL path without its trailing slash, so "/a/b/" and "/a/b" compare equal. */
export function normalizePath(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}
