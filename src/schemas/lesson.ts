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
