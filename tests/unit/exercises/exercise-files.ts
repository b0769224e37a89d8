/** Every exercise file of the course, read and checked as the content collection does at build. */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { exercise, type ExerciseEntry } from '../../../src/schemas/exercise.ts';

export const EXERCISES_DIR = fileURLToPath(
  new URL('../../../src/content/exercises/', import.meta.url),
);

/** [id, raw YAML value] for every file, id "<lesson-slug>/<name>". */
export function rawExercises(): [string, unknown][] {
  return readdirSync(EXERCISES_DIR, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => [f.replace(/\.yaml$/, ''), parse(readFileSync(EXERCISES_DIR + f, 'utf8'))]);
}

/** Every exercise, parsed (throws on an invalid file: the schema test names it). */
export function loadExercises(): ExerciseEntry[] {
  return rawExercises().map(([id, raw]) => ({ id, ...exercise.parse(raw) }));
}
