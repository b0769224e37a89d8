import { getCollection } from 'astro:content';
import type { CourseOutline } from '../../schemas/progress.ts';

/**
 * The course outline, derived at build time from the docs entries that have a `lesson` block, in
 * course order. The browser gets it as JSON (CourseOutlineData.astro), so progress counts whatever
 * lessons exist without a hand-kept list.
 */
export async function getCourseOutline(): Promise<CourseOutline> {
  const entries = await getCollection('docs', (entry) => entry.data.lesson !== undefined);
  const exercises = (await getCollection('exercises')).map((e) => e.id).sort();
  return entries
    .map((entry) => ({
      id: entry.id,
      title: entry.data.title,
      order: entry.data.lesson?.order ?? 0,
      href: `${import.meta.env.BASE_URL}${entry.id}/`,
      // An exercise "<lesson-slug>/<name>" belongs to the lesson "lessons/<lesson-slug>".
      exercises: exercises.filter((id) => `lessons/${id.split('/')[0]}` === entry.id),
    }))
    .sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
}
