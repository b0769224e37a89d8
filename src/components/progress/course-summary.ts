import type { CourseLesson, CourseOutline, StoredProgress } from '../../schemas/progress';

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
  return { completed, total: outline.length, next, fresh: completed === 0 && !lastVisited };
}

/** "2 of 7 lessons complete", for the progress bar's text value. */
export function progressText({ completed, total }: CourseSummary): string {
  return `${completed} of ${total} ${total === 1 ? 'lesson' : 'lessons'} complete`;
}

/** A URL path without its trailing slash, so "/a/b/" and "/a/b" compare equal. */
export function normalizePath(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}
