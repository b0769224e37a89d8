import { test as base, expect, type Page } from '@playwright/test';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** What a page did that it must not: console errors, uncaught exceptions, requests off-origin. */
export interface PageProblems {
  errors: string[];
  foreignRequests: string[];
}

/** Starts recording a page's problems; the returned object fills in as the page runs. */
export function watchPage(page: Page): PageProblems {
  const problems: PageProblems = { errors: [], foreignRequests: [] };
  page.on('console', (message) => {
    if (message.type() === 'error') problems.errors.push(message.text());
  });
  page.on('pageerror', (error) => problems.errors.push(String(error)));
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.protocol === 'data:' || url.protocol === 'blob:') return;
    const pageOrigin = new URL(page.url() === 'about:blank' ? request.url() : page.url()).origin;
    if (url.origin !== pageOrigin) problems.foreignRequests.push(request.url());
  });
  return problems;
}

/** Every HTML page of a built site, as URL paths ("/", "/lessons/x/"), 404 page excluded. */
export function builtPages(dir = 'dist'): string[] {
  const pages: string[] = [];
  const walk = (folder: string) => {
    for (const name of readdirSync(folder)) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) {
        if (name !== '_astro' && name !== 'pagefind') walk(path);
      } else if (name === 'index.html') {
        pages.push(`/${relative(dir, folder)}/`.replace(/\/+/g, '/'));
      }
    }
  };
  walk(dir);
  return pages.sort();
}

/** A test whose page fails the test on any console error or off-origin request. */
export const test = base.extend<{ problems: PageProblems }>({
  problems: async ({ page }, use) => {
    const problems = watchPage(page);
    await use(problems);
    expect(problems.errors, 'console errors').toEqual([]);
    expect(problems.foreignRequests, 'requests to another origin').toEqual([]);
  },
});

export { expect };
