import { describe, expect, it } from 'vitest';
import {
  courseFrontmatter,
  lessonDescriptionProblem,
  lessonFrontmatter,
} from '../../../src/schemas/lesson.ts';

const valid = {
  order: 1,
  minutes: 15,
  objectives: ['Say what the GIL protects.'],
};

describe('lesson frontmatter', () => {
  it('accepts a complete lesson', () => {
    expect(lessonFrontmatter.parse(valid)).toEqual(valid);
  });

  it('names the field that is wrong', () => {
    const result = lessonFrontmatter.safeParse({ ...valid, order: 0 });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['order']);
  });

  it('requires at least one learning objective', () => {
    expect(lessonFrontmatter.safeParse({ ...valid, objectives: [] }).success).toBe(false);
  });

  it('rejects an estimate that is not a whole number of minutes', () => {
    expect(lessonFrontmatter.safeParse({ ...valid, minutes: 7.5 }).success).toBe(false);
  });

  it('lets pages that are not lessons leave the lesson block out', () => {
    expect(courseFrontmatter.parse({})).toEqual({});
  });

  it('requires a description of a lesson, not of other pages', () => {
    expect(lessonDescriptionProblem({ lesson: valid })).toMatch(/description/);
    expect(lessonDescriptionProblem({ lesson: valid, description: '  ' })).toMatch(/description/);
    expect(lessonDescriptionProblem({ lesson: valid, description: 'What the GIL is.' })).toBeNull();
    expect(lessonDescriptionProblem({})).toBeNull();
  });
});
