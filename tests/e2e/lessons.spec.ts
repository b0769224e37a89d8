import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { test, expect, builtPages } from './fixtures.ts';

/** The course, in order. A lesson added to the site must be added here too. */
const LESSONS = [
  'what-is-the-gil',
  'threading-basics',
  'threads-vs-processes',
  'concurrent-futures',
  'inside-the-gil',
  'race-conditions',
  'escaping-the-gil',
  'free-threading',
  'asyncio',
  'recap',
] as const;

test.describe('every lesson page', () => {
  test('the built site has exactly the course lessons', () => {
    const lessons = builtPages().filter((path) => path.startsWith('/lessons/'));
    expect(lessons.sort()).toEqual(LESSONS.map((slug) => `/lessons/${slug}/`).sort());
  });

  LESSONS.forEach((slug, index) => {
    test(`${slug}: objectives, code, quiz, takeaways, links`, async ({ page, problems }) => {
      const response = await page.goto(`/lessons/${slug}/`);
      expect(response?.status()).toBe(200);
      const content = page.locator('.sl-markdown-content');

      // Objectives at the top, from the frontmatter.
      await expect(page.locator('[data-lesson-objectives] li').first()).toBeVisible();

      // At least one highlighted Python example.
      await expect(content.locator('pre[data-language="python"]').first()).toBeVisible();

      // At least one live experiment, ready to run on this isolated page.
      const experiments = content.locator('[data-experiment]');
      expect(await experiments.count()).toBeGreaterThanOrEqual(1);
      await expect(experiments.first()).toHaveAttribute('data-state', 'idle');
      await expect(
        experiments.first().getByRole('button', { name: 'Run', exact: true }),
      ).toBeEnabled();

      // One "Check yourself" quiz with 3 to 5 questions.
      const quiz = content.locator('[data-quiz]');
      await expect(quiz).toHaveCount(1);
      const questions = await quiz.locator('[data-quiz-question]').count();
      expect(questions).toBeGreaterThanOrEqual(3);
      expect(questions).toBeLessThanOrEqual(5);

      // Key takeaways close the lesson: the last second-level heading.
      await expect(content.locator('h2').last()).toHaveText('Key takeaways');

      // Headings never skip a level.
      const levels = await content
        .locator('h2, h3, h4, h5, h6')
        .evaluateAll((hs) => hs.map((h) => Number(h.tagName.slice(1))));
      levels.reduce((previous, level) => {
        expect(level, `heading levels ${levels.join(',')}`).toBeLessThanOrEqual(previous + 1);
        return level;
      }, 2);

      // Official documentation for the APIs it teaches.
      expect(
        await content.locator('a[href^="https://docs.python.org/3/"]').count(),
      ).toBeGreaterThan(0);

      // Back and forward through the course.
      const previous = LESSONS[index - 1];
      const next = LESSONS[index + 1];
      if (previous) {
        await expect(page.locator('a[rel="prev"]')).toHaveAttribute(
          'href',
          `/lessons/${previous}/`,
        );
      }
      if (next) {
        await expect(page.locator('a[rel="next"]')).toHaveAttribute('href', `/lessons/${next}/`);
      }
      await page.waitForLoadState('networkidle');
      void problems;
    });
  });
});

/** Presses Tab until the focused element is inside `scope` and matches `selector`. */
async function tabTo(page: Page, scope: Locator, selector: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    await page.keyboard.press('Tab');
    const arrived = await scope.evaluate((root, sel) => {
      const active = document.activeElement;
      return !!active && root.contains(active) && active.matches(sel);
    }, selector);
    if (arrived) return;
  }
  throw new Error(`Tab never reached ${selector}`);
}

const isFocusVisible = (page: Page) =>
  page.evaluate(() => document.activeElement?.matches(':focus-visible') ?? false);

test.describe('the quiz', () => {
  // tabTo() presses Tab from the top of the page, one round trip to the browser per key: about
  // 13 s on an idle machine, over 60 s at a load of 30 (the hang guard of accessibility.spec).
  test.setTimeout(120_000);

  test('answers by keyboard alone, with explanations announced', async ({ page, problems }) => {
    await page.goto('/lessons/what-is-the-gil/');
    const quiz = page.locator('[data-quiz]');
    const first = quiz.locator('[data-quiz-question]').nth(0);
    const feedback = first.locator('[data-feedback]');
    await expect(feedback).toHaveAttribute('aria-live', 'polite');
    await expect(feedback).toBeEmpty();

    // Tab into the radio group: focus lands on a choice, visibly.
    await tabTo(page, first, 'input[type="radio"]');
    expect(await isFocusVisible(page)).toBe(true);

    // Space selects the focused (first, right) choice; Enter checks it.
    await page.keyboard.press('Space');
    await expect(first.locator('input[type="radio"]').nth(0)).toBeChecked();
    await page.keyboard.press('Enter');
    const right = (await first.locator('[data-explanation-for="0"]').textContent())?.trim() ?? '';
    expect(right.length).toBeGreaterThan(10);
    await expect(feedback).toContainText('Yes.');
    await expect(feedback).toContainText(right);
    await expect(feedback).toHaveAttribute('data-verdict', 'right');

    // An arrow key moves to (and selects) the next choice; Enter explains why it is wrong.
    await page.keyboard.press('ArrowDown');
    await expect(first.locator('input[type="radio"]').nth(1)).toBeChecked();
    await page.keyboard.press('Enter');
    const wrong = (await first.locator('[data-explanation-for="1"]').textContent())?.trim() ?? '';
    await expect(feedback).toContainText('Not quite.');
    await expect(feedback).toContainText(wrong);
    await expect(feedback).toHaveAttribute('data-verdict', 'wrong');

    // The disclosure explains every choice, and opens from the keyboard.
    const why = first.locator('details.quiz-why');
    await tabTo(page, first, 'summary');
    await page.keyboard.press('Enter');
    await expect(why).toHaveAttribute('open', '');
    await expect(why.locator('li')).toHaveCount(await first.locator('input[type="radio"]').count());
    void problems;
  });

  test('checks a numeric answer with its tolerance and explains the miss', async ({
    page,
    problems,
  }) => {
    await page.goto('/lessons/what-is-the-gil/');
    const numeric = page.locator('[data-quiz] [data-quiz-question][data-kind="numeric"]').first();
    const feedback = numeric.locator('[data-feedback]');
    const form = numeric.locator('form');
    const answer = Number(await form.getAttribute('data-answer'));
    const tolerance = Number(await form.getAttribute('data-tolerance'));
    const explanation = (await numeric.locator('[data-explanation]').textContent())?.trim() ?? '';

    await tabTo(page, numeric, 'input[data-numeric]');
    expect(await isFocusVisible(page)).toBe(true);

    // Nothing typed: asks for a number instead of judging.
    await page.keyboard.press('Enter');
    await expect(feedback).toContainText('Type a number first');

    // Too high: says so, and explains.
    const tooHigh = answer + tolerance + Math.max(1, Math.abs(answer));
    await page.keyboard.type(String(tooHigh));
    await page.keyboard.press('Enter');
    await expect(feedback).toContainText('Not quite.');
    await expect(feedback).toContainText('too high');
    await expect(feedback).toContainText(explanation);

    // Within the tolerance: right.
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(String(answer + tolerance / 2));
    await page.keyboard.press('Enter');
    await expect(feedback).toContainText('Yes.');
    await expect(feedback).toContainText(explanation);
    void problems;
  });
});

// ---- Links: every same-site href/src in both builds resolves to a file (and fragment). ----

/** Every HTML file under a build folder. */
function htmlFiles(dir: string): string[] {
  const files: string[] = [];
  const walk = (folder: string) => {
    for (const name of readdirSync(folder)) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.html')) files.push(path);
    }
  };
  walk(dir);
  return files.sort();
}

/** The URL path a built file is served at. */
function urlOf(dir: string, file: string, base: string): string {
  const path = relative(dir, file).split('\\').join('/');
  return base + (path.endsWith('index.html') ? path.slice(0, -'index.html'.length) : path);
}

/** href and src values of every tag, ignoring the bodies of inline scripts and styles. */
function linksIn(html: string): string[] {
  const markup = html
    .replace(/<script\b([^>]*)>[\s\S]*?<\/script>/gi, '<script$1></script>')
    .replace(/<style\b[^>]*>[\s\S]*?<\/style>/gi, '')
    .replace(/<!--[\s\S]*?-->/g, '');
  const links: string[] = [];
  for (const tag of markup.match(/<[a-zA-Z][^>]*>/g) ?? []) {
    for (const m of tag.matchAll(/\s(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/gi)) {
      links.push((m[1] ?? m[2] ?? m[3] ?? '').replace(/&amp;/g, '&'));
    }
  }
  return links;
}

const idsCache = new Map<string, Set<string>>();
function idsOf(file: string): Set<string> {
  let ids = idsCache.get(file);
  if (!ids) {
    const html = readFileSync(file, 'utf8');
    ids = new Set([...html.matchAll(/\s(?:id|name)="([^"]+)"/g)].map((m) => m[1] ?? ''));
    idsCache.set(file, ids);
  }
  return ids;
}

/** The built file a same-site path resolves to, as a static host would serve it. */
function fileFor(dir: string, path: string): string | null {
  const local = join(dir, decodeURIComponent(path));
  const candidates = path.endsWith('/')
    ? [join(local, 'index.html')]
    : [local, join(local, 'index.html'), `${local}.html`];
  return candidates.find((file) => existsSync(file) && statSync(file).isFile()) ?? null;
}

for (const [dir, base] of [
  ['dist', '/'],
  ['dist-base', '/gil-lab/'],
] as const) {
  test(`no broken internal link or fragment in ${dir}/ (base ${base})`, () => {
    const broken: string[] = [];
    let checked = 0;
    for (const file of htmlFiles(dir)) {
      const pageUrl = new URL(urlOf(dir, file, base), 'http://site.invalid');
      for (const link of linksIn(readFileSync(file, 'utf8'))) {
        if (link === '' || link.startsWith('#')) continue; // in-page anchors
        if (/^(https?:|mailto:|data:|blob:|javascript:)/i.test(link)) continue; // not this site
        const url = new URL(link, pageUrl);
        if (url.origin !== pageUrl.origin) continue;
        checked++;
        const where = `${relative(dir, file)} → ${link}`;
        if (!url.pathname.startsWith(base)) {
          broken.push(`${where} (outside the base path ${base})`);
          continue;
        }
        const target = fileFor(dir, url.pathname.slice(base.length));
        if (!target) {
          broken.push(`${where} (no such file)`);
          continue;
        }
        const fragment = decodeURIComponent(url.hash.slice(1));
        if (fragment && target.endsWith('.html') && !idsOf(target).has(fragment)) {
          broken.push(`${where} (no element with id "${fragment}")`);
        }
      }
    }
    expect(checked, 'links checked').toBeGreaterThan(100);
    expect(broken).toEqual([]);
  });
}
