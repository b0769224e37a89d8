import { z } from 'astro/zod';

/**
 * Frontmatter a lesson adds to Starlight's own (title, description, sidebar …).
 * Non-lesson pages (the landing page, the playground) leave `lesson` out.
 */
export const lessonFrontmatter = z.object({
  /** Position of the lesson in the course, 1-based; also orders the sidebar. */
  order: z.number().int().min(1).describe('Position of the lesson in the course, 1-based.'),
  /** Estimated reading-and-experimenting time, in minutes. */
  minutes: z.number().int().min(1).max(120).describe('Estimated time to complete, in minutes.'),
  /** What the reader can do after the lesson; shown at the top of the page. */
  objectives: z
    .array(z.string().min(1))
    .min(1)
    .describe('Learning objectives, shown at the top of the lesson.'),
});

/** The extra fields every docs page may carry. */
export const courseFrontmatter = z.object({
  /** Present on lesson pages only. */
  lesson: lessonFrontmatter.optional(),
});

export type LessonFrontmatter = z.infer<typeof lessonFrontmatter>;

/**
 * A lesson must have a description (Starlight's own field, optional for other pages): it is the
 * summary search results, link previews and the landing page show. Returns the problem, if any.
 */
export function lessonDescriptionProblem(page: {
  lesson?: unknown;
  description?: string | undefined;
}): string | null {
  if (page.lesson === undefined) return null;
  return page.description?.trim()
    ? null
    : 'a lesson needs a `description`: one sentence shown in search results and on the landing page';
}
