import type { CourseLesson, CourseOutline, StoredProgress } from '../../schemas/progress.ts';

/**
 * The reader's "Check yourself" results per lesson, from the answers kept with their progress
 * (`quizzes`, keyed "<lesson id>#<quiz id>"). UI-free, for the recap page's results list.
 */
export interface LessonQuizResult {
  lesson: CourseLesson;
  /** Questions of the lesson's quizzes, as they were when the reader last answered them. */
  questions: number;
  /** Questions the reader has checked an answer to. */
  answered: number;
  /** Questions whose last checked answer was right. */
  right: number;
}

export interface QuizResults {
  /** One row per lesson of the outline, in course order. */
  lessons: LessonQuizResult[];
  /** Sums over every lesson. */
  answered: number;
  right: number;
}

/** Quiz results for each lesson of the outline; quizzes of lessons no longer built do not count. */
export function summarizeQuizzes(progress: StoredProgress, outline: CourseOutline): QuizResults {
  const quizzes = Object.entries(progress.quizzes);
  const lessons = outline.map((lesson) => {
    const result: LessonQuizResult = { lesson, questions: 0, answered: 0, right: 0 };
    for (const [id, quiz] of quizzes) {
      if (!id.startsWith(`${lesson.id}#`)) continue;
      const answers = Object.values(quiz.answers);
      result.questions += quiz.questions;
      result.answered += answers.length;
      result.right += answers.filter((answer) => answer.right).length;
    }
    return result;
  });
  return {
    lessons,
    answered: lessons.reduce((sum, row) => sum + row.answered, 0),
    right: lessons.reduce((sum, row) => sum + row.right, 0),
  };
}

/** "3 of 4 right", "2 answered, 1 right (of 4)", or "not tried yet". */
export function lessonQuizText({ questions, answered, right }: LessonQuizResult): string {
  if (answered === 0) return 'not tried yet';
  if (answered === questions) return `${right} of ${questions} right`;
  return `${answered} of ${questions} answered, ${right} right`;
}
