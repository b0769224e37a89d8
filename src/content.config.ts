import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { docsLoader } from '@astrojs/starlight/loaders';
import { docsSchema } from '@astrojs/starlight/schema';
import { exercise } from './schemas/exercise.ts';
import { courseFrontmatter, lessonDescriptionProblem } from './schemas/lesson.ts';

const starlightDocs = docsSchema({ extend: courseFrontmatter });

export const collections = {
  docs: defineCollection({
    loader: docsLoader(),
    // A lesson's `order` also orders the sidebar, so authors state it once.
    schema: (context) =>
      starlightDocs(context)
        .superRefine((data, ctx) => {
          const problem = lessonDescriptionProblem(data);
          if (problem) ctx.addIssue({ code: 'custom', path: ['description'], message: problem });
        })
        .transform((data) =>
          data.lesson ? { ...data, sidebar: { ...data.sidebar, order: data.lesson.order } } : data,
        ),
  }),
  // "Your turn" exercises: src/content/exercises/<lesson-slug>/<name>.yaml, id "<lesson-slug>/<name>".
  exercises: defineCollection({
    loader: glob({ pattern: '**/*.yaml', base: './src/content/exercises' }),
    schema: exercise,
  }),
};
