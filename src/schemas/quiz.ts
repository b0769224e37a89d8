import { z } from './zod.ts';

/**
 * Props of the `<Quiz>` component ("Check yourself" at the end of a lesson), validated when the
 * site is built: a malformed quiz fails the build with a message naming the field.
 *
 * The reader's last checked answer to each question is kept with their progress in the browser
 * (src/schemas/progress.ts `quizzes`). Every answer carries its own explanation, because the point of a
 * question is the explanation the reader gets after committing to an answer.
 */

/** Text shown to the reader. `backticks` mark inline code; they must come in pairs. */
const text = (what: string) =>
  z
    .string({ error: `${what} must be a string` })
    .trim()
    .min(1, { error: `${what} must not be empty` })
    .refine((value) => (value.match(/`/g)?.length ?? 0) % 2 === 0, {
      error: `${what} has an unpaired backtick (\`code\` needs one on each side)`,
    })
    .describe(`${what}; \`backticks\` mark inline code`);

/** One answer of a multiple-choice question. */
export const ChoiceSchema = z
  .object({
    /** The answer as the reader sees it next to its radio button. */
    text: text('choice text'),
    /** True for the right answer. Exactly one choice per question is right. */
    correct: z.boolean({ error: 'correct must be true or false' }).default(false),
    /** Why this answer is right or wrong; shown when the reader checks it. */
    explanation: text('explanation'),
  })
  .strict();

/** A question answered by picking one of several choices (a radio group). */
export const ChoiceQuestionSchema = z
  .object({
    /** Discriminator: a multiple-choice question. */
    kind: z.literal('choice'),
    /** The question. */
    prompt: text('prompt'),
    /** Two to six answers, in the order shown; exactly one has `correct: true`. */
    choices: z
      .array(ChoiceSchema)
      .min(2, { error: 'a question needs at least 2 choices' })
      .max(6, { error: 'a question takes at most 6 choices' }),
  })
  .strict()
  .superRefine((question, ctx) => {
    const right = question.choices.filter((choice) => choice.correct).length;
    if (right !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['choices'],
        message: `exactly one choice must have correct: true (found ${right})`,
      });
    }
  });

/** A question answered with a number, right when within `tolerance` of `answer`. */
export const NumericQuestionSchema = z
  .object({
    /** Discriminator: a short numeric answer. */
    kind: z.literal('numeric'),
    /** The question. */
    prompt: text('prompt'),
    /** The right answer. */
    answer: z.number({ error: 'answer must be a number' }),
    /** How far from `answer` a reply may be and still count as right (inclusive). */
    tolerance: z.number({ error: 'tolerance must be a number' }).min(0).default(0),
    /** Unit shown after the input and in the answer, e.g. "ms" or "×". */
    unit: z.string().trim().min(1).max(12).optional(),
    /** Why the answer is what it is; shown whenever the reader checks. */
    explanation: text('explanation'),
    /** Shown before the explanation when the reply is below the range: the likely mistake. */
    tooLow: text('tooLow').optional(),
    /** Shown before the explanation when the reply is above the range: the likely mistake. */
    tooHigh: text('tooHigh').optional(),
  })
  .strict();

/** Any question; `kind` says which. */
export const QuestionSchema = z.discriminatedUnion(
  'kind',
  [ChoiceQuestionSchema, NumericQuestionSchema],
  {
    error: 'kind must be "choice" or "numeric"',
  },
);

/** The `<Quiz>` component's props. */
export const QuizSchema = z
  .object({
    /** Heading of the quiz. */
    title: text('title').default('Check yourself'),
    /** Level of that heading, so the page's headings stay in order. */
    headingLevel: z.union([z.literal(2), z.literal(3), z.literal(4)]).default(2),
    /**
     * Prefix for the element ids (heading, inputs). Defaults to one made from the title; give one
     * when a page has two quizzes with the same title.
     */
    id: z
      .string()
      .regex(/^[a-z][a-z0-9-]*$/, { error: 'id must be lowercase letters, digits and hyphens' })
      .optional(),
    /** The questions, in order (a lesson uses 3 to 5). */
    questions: z
      .array(QuestionSchema)
      .min(1, { error: 'a quiz needs at least one question' })
      .max(10, { error: 'a quiz takes at most 10 questions' }),
  })
  .strict();

/** What an author writes in MDX (defaults optional). */
export type QuizProps = z.input<typeof QuizSchema>;
/** What the component renders (defaults filled in). */
export type Quiz = z.output<typeof QuizSchema>;
export type Question = z.output<typeof QuestionSchema>;
export type ChoiceQuestion = z.output<typeof ChoiceQuestionSchema>;
export type NumericQuestion = z.output<typeof NumericQuestionSchema>;

/** Validates quiz props; throws an error whose message names each wrong field. */
export function parseQuiz(props: unknown, where: string): Quiz {
  const result = QuizSchema.safeParse(props);
  if (!result.success) {
    throw new Error(`Invalid <Quiz> on ${where}:\n${z.prettifyError(result.error)}`);
  }
  return result.data;
}
