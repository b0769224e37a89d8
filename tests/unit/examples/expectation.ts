import { z } from 'zod';

/**
 * What a Python example under examples/python/ must do when run with `python3`, declared in a
 * sidecar `<name>.expected.json`. Patterns, never exact timings: the machines are shared and noisy.
 */
export const ExampleExpectationSchema = z
  .object({
    /** The exit code the script must end with. */
    exitCode: z.number().int().min(0).max(255).default(0),
    /** Regular expressions (multiline: `^`/`$` match at line ends) that stdout must each match. */
    stdoutPatterns: z.array(z.string().min(1)).default([]),
    /** Regular expressions that stderr must each match (for examples that are meant to fail). */
    stderrPatterns: z.array(z.string().min(1)).default([]),
    /** Hard limit for one run, in seconds; examples should take well under 5 s. */
    timeoutS: z.number().positive().max(120).default(20),
  })
  .strict();

export type ExampleExpectation = z.infer<typeof ExampleExpectationSchema>;

/** Parses one expectation file's text; the error names the file and the field. */
export function parseExpectation(json: string, file: string): ExampleExpectation {
  const result = ExampleExpectationSchema.safeParse(JSON.parse(json));
  if (!result.success) throw new Error(`${file}:\n${z.prettifyError(result.error)}`);
  return result.data;
}
