import type { Browser, Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { servers } from '../../playwright.config.ts';
import { test, expect, watchPage } from './fixtures.ts';

/**
 * Reading progress: marking lessons complete, seeing it in the sidebar and the progress bars,
 * keeping it across reloads and tabs, surviving bad storage, and moving it by export/import.
 * Nothing here knows how many lessons there are: the landing page's outline says.
 */

const KEY = 'gil-lab:progress';

interface Course {
  total: number;
  firstLesson: string;
}

/** The course as the landing page lists it: number of lessons and the first lesson's path. */
async function readCourse(page: Page, root = ''): Promise<Course> {
  await page.goto(`${root}/`);
  const links = page.locator('[data-lesson-list] li a');
  const total = await links.count();
  expect(total).toBeGreaterThan(0);
  const href = await links.first().getAttribute('href');
  return { total, firstLesson: new URL(href ?? '', page.url()).pathname };
}

const countText = (done: number, total: number) =>
  `${done} of ${total} ${total === 1 ? 'lesson' : 'lessons'} complete`;

const toggle = (page: Page) => page.getByRole('button', { name: 'Mark lesson complete' });
const bar = (page: Page) => page.getByRole('progressbar', { name: 'Course progress' });
const currentSidebarLink = (page: Page) =>
  page.locator('#starlight__sidebar a[aria-current="page"]');
const notice = (page: Page) => page.locator('gil-progress-notice');

async function expectLessonState(page: Page, done: boolean, total: number) {
  await expect(toggle(page)).toHaveAttribute('aria-pressed', String(done));
  await expect(bar(page)).toHaveAttribute('aria-valuetext', countText(done ? 1 : 0, total));
  await expect(bar(page)).toHaveAttribute('aria-valuenow', done ? '1' : '0');
  await expect(page.locator('gil-progress-bar')).toContainText(countText(done ? 1 : 0, total));
  await expect(currentSidebarLink(page).locator('[data-gil-lesson-tick]')).toHaveCount(
    done ? 1 : 0,
  );
  if (done) await expect(currentSidebarLink(page)).toContainText('(completed)');
}

test.describe('lesson progress', () => {
  test('mark complete survives a reload; undo works; sidebar and bar agree', async ({
    page,
    problems,
  }) => {
    const { total, firstLesson } = await readCourse(page);
    await expect(bar(page)).toHaveAttribute('aria-valuetext', countText(0, total));
    // One way on from the landing page: its course button.
    await expect(page.locator('gil-continue-link')).toHaveCount(0);
    const courseButton = page.locator('gil-home-actions [data-part="course"]');
    await expect(courseButton).toHaveText('Start the course');
    await expect(page.locator('gil-home-actions a[href$="/lab/"]')).toHaveText('Experiment lab');
    await expect(page.locator('gil-home-actions a[href$="/playground/"]')).toHaveText(
      'Python playground',
    );

    await page.goto(firstLesson);
    await expectLessonState(page, false, total);
    await toggle(page).click();
    await expectLessonState(page, true, total);
    await expect(page.getByRole('status').filter({ hasText: 'Lesson marked complete' })).toHaveText(
      `Lesson marked complete: ${countText(1, total)}.`,
    );
    await expect(page.locator('gil-lesson-complete')).toContainText('Completed on');

    await page.reload();
    await expectLessonState(page, true, total);
    const stored = await page.evaluate((key) => JSON.parse(localStorage.getItem(key) ?? ''), KEY);
    expect(stored.version).toBe(3);
    expect(Object.values(stored.completed)).toEqual([
      { completedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) },
    ]);

    // The landing page agrees: its bar, and a tick in its lesson list.
    await page.goto('/');
    await expect(bar(page)).toHaveAttribute('aria-valuetext', countText(1, total));
    await expect(page.locator('[data-lesson-list] [data-gil-lesson-tick]')).toHaveCount(1);
    if (total === 1) await expect(page.locator('gil-home-actions')).toContainText('every lesson');
    else {
      await expect(courseButton).toHaveText(/^Continue with lesson 2: /);
      await expect(page.getByRole('link', { name: /^Continue with lesson/ })).toHaveCount(1);
    }

    // Undo, with the keyboard.
    await page.goto(firstLesson);
    await toggle(page).focus();
    await page.keyboard.press('Space');
    await expectLessonState(page, false, total);
    await page.reload();
    await expectLessonState(page, false, total);
    void problems;
  });

  test('two tabs stay in sync without a reload', async ({ page, context, problems }) => {
    const { total, firstLesson } = await readCourse(page);
    await page.goto(firstLesson);
    const other = await context.newPage();
    const otherProblems = watchPage(other);
    await other.goto('/');
    await expect(bar(other)).toHaveAttribute('aria-valuetext', countText(0, total));

    await toggle(page).click();
    await expect(bar(other)).toHaveAttribute('aria-valuetext', countText(1, total));
    await expect(other.locator('[data-lesson-list] [data-gil-lesson-tick]')).toHaveCount(1);

    await other.goto(firstLesson);
    await toggle(other).click();
    await expectLessonState(page, false, total);
    expect(otherProblems.errors).toEqual([]);
    void problems;
  });
});

test.describe('bad or missing storage', () => {
  for (const [label, value] of [
    ['invalid JSON', '{"version":1,"completed":'],
    ['wrong types', '{"version":1,"completed":"everything","lastVisited":7}'],
    ['a future schema version', '{"version":99,"lessons":[]}'],
  ] as const) {
    test(`${label}: the pages load cleanly and offer a reset`, async ({ page, problems }) => {
      const { total, firstLesson } = await readCourse(page);
      await page.evaluate(({ key, text }) => localStorage.setItem(key, text), {
        key: KEY,
        text: value,
      });

      await page.goto(firstLesson);
      await expect(notice(page)).toBeVisible();
      await expect(toggle(page)).toHaveAttribute('aria-pressed', 'false');
      // Marking still works for the visit, and the unreadable value is left alone.
      await toggle(page).click();
      await expectLessonState(page, true, total);
      expect(await page.evaluate((key) => localStorage.getItem(key), KEY)).toBe(value);

      await page.goto('/');
      await expect(notice(page)).toBeVisible();
      await notice(page).getByRole('button', { name: 'Reset progress…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Erase your progress?' });
      await expect(dialog).toBeVisible();
      await dialog.getByRole('button', { name: 'Erase progress' }).click();
      await expect(notice(page)).toBeHidden();
      expect(await page.evaluate((key) => localStorage.getItem(key), KEY)).toBeNull();

      await page.goto(firstLesson);
      await toggle(page).click();
      await page.reload();
      await expectLessonState(page, true, total);
      void problems;
    });
  }

  test('storage refused: progress works for the page and says it will not be kept', async ({
    page,
    problems,
  }) => {
    const { total, firstLesson } = await readCourse(page);
    // Writes of our key refused, as when the quota is used up. (Only our key: Starlight's theme
    // script writes localStorage on every load and does not catch a refusal.)
    await page.addInitScript((key) => {
      const { setItem, removeItem } = Storage.prototype;
      const refuse = <A extends [string, ...unknown[]]>(
        real: (this: Storage, ...args: A) => void,
      ) =>
        function (this: Storage, ...args: A) {
          if (args[0] === key) {
            throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
          }
          real.apply(this, args);
        };
      Storage.prototype.setItem = refuse(setItem);
      Storage.prototype.removeItem = refuse(removeItem);
    }, KEY);
    await page.goto(firstLesson);
    await expect(notice(page)).toContainText('will not be kept');
    await toggle(page).click();
    await expectLessonState(page, true, total);
    void problems;
  });

  for (const [label, refuse] of [
    [
      'reading localStorage throws (site data blocked)',
      () =>
        Object.defineProperty(window, 'localStorage', {
          configurable: true,
          get() {
            throw new DOMException('Access is denied for this document.', 'SecurityError');
          },
        }),
    ],
    [
      'every write is refused',
      () => {
        Storage.prototype.setItem = () => {
          throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        };
      },
    ],
  ] as const) {
    test(`storage blocked, ${label}: no error anywhere, theme and progress work for the visit`, async ({
      page,
      problems,
    }) => {
      const { total, firstLesson } = await readCourse(page);
      await page.addInitScript(refuse);
      await page.goto(firstLesson);
      await expect(page.locator('html')).toHaveAttribute('data-storage', 'memory');
      await expect(notice(page)).toContainText('will not be kept');
      await toggle(page).click();
      await expectLessonState(page, true, total);
      // Starlight's theme picker still switches the theme.
      await page.getByRole('combobox', { name: /theme/i }).first().selectOption('light');
      await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
      void problems; // the fixture fails the test on any console error or page error
    });
  }

  test('a corrupted theme entry is dropped: no error, the theme picker works', async ({
    page,
    problems,
  }) => {
    const { firstLesson } = await readCourse(page);
    await page.addInitScript(() => {
      if (!sessionStorage.getItem('corrupted')) {
        localStorage.setItem('starlight-theme', '{not json');
        sessionStorage.setItem('corrupted', '1');
      }
    });
    await page.goto(firstLesson);
    // Dropped, so Starlight starts from 'auto' (which it stores as '').
    expect(['', null]).toContain(
      await page.evaluate(() => localStorage.getItem('starlight-theme')),
    );
    await page.getByRole('combobox', { name: /theme/i }).first().selectOption('light');
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
    void problems; // the fixture fails the test on any console error or page error
  });

  test('storage full: saved progress still shows, and new marks are said not to be kept', async ({
    page,
    problems,
  }) => {
    const { total, firstLesson } = await readCourse(page);
    await page.goto(firstLesson);
    await toggle(page).click();
    await expectLessonState(page, true, total);
    await page.addInitScript(() => {
      Storage.prototype.setItem = () => {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      };
    });
    await page.goto(firstLesson);
    await expect(page.locator('html')).toHaveAttribute('data-storage', 'memory');
    await expectLessonState(page, true, total);
    await toggle(page).click();
    await expect(notice(page)).toContainText('will not be kept');
    await expectLessonState(page, false, total);
    void problems;
  });

  test('reset asks first, and Cancel keeps everything', async ({ page, problems }) => {
    const { total, firstLesson } = await readCourse(page);
    await page.goto(firstLesson);
    await toggle(page).click();
    await page.goto('/');
    await page.getByText('Export, import or reset your progress').click();
    const panel = page.locator('gil-progress-panel');
    await panel.getByRole('button', { name: 'Reset progress…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Erase your progress?' });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(bar(page)).toHaveAttribute('aria-valuetext', countText(1, total));

    await panel.getByRole('button', { name: 'Reset progress…' }).click();
    await page.keyboard.press('Escape');
    await expect(bar(page)).toHaveAttribute('aria-valuetext', countText(1, total));

    await panel.getByRole('button', { name: 'Reset progress…' }).click();
    await dialog.getByRole('button', { name: 'Erase progress' }).click();
    await expect(bar(page)).toHaveAttribute('aria-valuetext', countText(0, total));
    await expect(panel).toContainText('Progress reset');
    void problems;
  });
});

test.describe('export and import', () => {
  async function importFile(page: Page, file: { name: string; buffer: Buffer } | string) {
    await page.goto('/');
    await page.getByText('Export, import or reset your progress').click();
    await page
      .getByLabel('Import progress from a file')
      .setInputFiles(
        typeof file === 'string'
          ? file
          : { name: file.name, mimeType: 'application/json', buffer: file.buffer },
      );
  }

  async function freshPage(browser: Browser) {
    const context = await browser.newContext({ baseURL: servers.preview });
    const page = await context.newPage();
    return { context, page, problems: watchPage(page) };
  }

  test('an export imported in a fresh browser restores the same state', async ({
    page,
    browser,
    problems,
  }) => {
    const { total, firstLesson } = await readCourse(page);
    await page.goto(firstLesson);
    await toggle(page).click();
    const before = await page.evaluate((key) => localStorage.getItem(key), KEY);

    await page.goto('/');
    await page.getByText('Export, import or reset your progress').click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export progress' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^gil-lab-progress-\d{4}-\d\d-\d\d\.json$/);
    const path = await download.path();

    const fresh = await freshPage(browser);
    await importFile(fresh.page, path);
    await expect(fresh.page.locator('gil-progress-panel')).toContainText(
      `Progress imported: ${countText(1, total)}.`,
    );
    await expect(bar(fresh.page)).toHaveAttribute('aria-valuetext', countText(1, total));
    expect(await fresh.page.evaluate((key) => localStorage.getItem(key), KEY)).toBe(before);
    await fresh.page.goto(firstLesson);
    await expectLessonState(fresh.page, true, total);
    expect(fresh.problems.errors).toEqual([]);
    await fresh.context.close();
    void problems;
  });

  for (const [label, content, message] of [
    ['a file that is not JSON', 'hello, world', 'not a GIL Lab progress export'],
    ['a foreign JSON file', '{"name":"my-app","version":"1.0.0"}', 'not a GIL Lab progress export'],
    [
      'a damaged export',
      '{"format":"gil-lab-progress","exportedAt":"2025-01-01T00:00:00Z","progress":{"version":1}}',
      'damaged',
    ],
  ] as const) {
    test(`${label} is rejected with a message and changes nothing`, async ({ page, problems }) => {
      const { total, firstLesson } = await readCourse(page);
      await page.goto(firstLesson);
      await toggle(page).click();
      const before = await page.evaluate((key) => localStorage.getItem(key), KEY);

      await importFile(page, { name: 'progress.json', buffer: Buffer.from(content) });
      const status = page.locator('gil-progress-panel [role="status"]').first();
      await expect(status).toContainText(message);
      await expect(status).toContainText('Your progress was not changed.');
      expect(await page.evaluate((key) => localStorage.getItem(key), KEY)).toBe(before);
      await expect(bar(page)).toHaveAttribute('aria-valuetext', countText(1, total));
      void problems;
    });
  }
});

test.describe('a plain static host under the /gil-lab/ base path', () => {
  test('marks, keeps and shows progress', async ({ page, problems }) => {
    // The service worker reloads the first page once to isolate it; wait for that first.
    await page.goto(`${servers.plainBase}/`);
    await expect
      .poll(() => page.evaluate(() => self.crossOriginIsolated).catch(() => false))
      .toBe(true);
    const { total, firstLesson } = await readCourse(page, servers.plainBase);
    expect(firstLesson).toMatch(/^\/gil-lab\/lessons\//);
    await page.goto(`${new URL(servers.plainBase).origin}${firstLesson}`);
    await toggle(page).click();
    await page.reload();
    await expectLessonState(page, true, total);
    await page.goto(`${servers.plainBase}/`);
    await expect(bar(page)).toHaveAttribute('aria-valuetext', countText(1, total));
    void problems;
  });
});

test('a quiz answer survives a reload, counts on the recap page, and travels in the export', async ({
  page,
  problems,
}) => {
  await page.goto('/lessons/what-is-the-gil/');
  const question = page.locator('[data-quiz] [data-quiz-question]').first();
  const wrong = question.locator('input[type="radio"][data-correct="false"]').first();
  await wrong.check();
  await question.getByRole('button', { name: 'Check' }).click();
  const feedback = question.locator('[data-feedback]');
  await expect(feedback).toContainText('Not quite.');
  await expect(feedback).toHaveAttribute('aria-live', 'polite');

  await page.reload();
  const restored = page.locator('[data-quiz] [data-quiz-question]').first();
  await expect(restored.locator('input[type="radio"][data-correct="false"]').first()).toBeChecked();
  const again = restored.locator('[data-feedback]');
  await expect(again).toContainText('Your answer last time: Not quite.');
  // Shown, not announced: the reader did not just do anything.
  await expect(again).toHaveAttribute('aria-live', 'off');
  // A new check is announced again, and replaces the kept answer.
  await restored.locator('input[type="radio"][data-correct="true"]').check();
  await restored.getByRole('button', { name: 'Check' }).click();
  await expect(again).toHaveAttribute('aria-live', 'polite');
  await expect(again).toContainText('Yes.');
  await expect(again).not.toContainText('last time');

  await page.goto('/lessons/recap/');
  const results = page.locator('gil-quiz-results');
  await expect(results).toContainText('1 of 1 answers you checked were right');
  await expect(results.getByRole('listitem').first()).toContainText(
    /^1\. .*: 1 of \d+ answered, 1 right$/,
  );

  await page.goto('/');
  await page.getByText('Export, import or reset your progress').click();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export progress' }).click(),
  ]);
  const file = JSON.parse(readFileSync((await download.path()) ?? '', 'utf8'));
  expect(file.progress.quizzes['lessons/what-is-the-gil#check-yourself']).toMatchObject({
    answers: { '1': { right: true } },
  });
  void problems;
});

// Needs a browser: the quiz's custom element judges kept answers again when the page loads.
test('a kept answer that no longer fits its rewritten question is dropped, not shown', async ({
  page,
  problems,
}) => {
  await page.goto('/lessons/what-is-the-gil/');
  const quizId = 'lessons/what-is-the-gil#check-yourself';
  const at = '2026-01-01T00:00:00.000Z';
  await page.evaluate(
    ([key, id, when]) => {
      const kept = {
        version: 3,
        completed: {},
        lastVisited: null,
        exercises: {},
        quizzes: {
          [id]: {
            questions: 4,
            answers: {
              // Still fits question 2 (its right choice is the second).
              '2': { answer: '1', right: true, answeredAt: when },
              // Kept as right for an earlier question 3; "0" is no right answer to today's.
              '3': { answer: '0', right: true, answeredAt: when },
            },
          },
        },
      };
      localStorage.setItem(key, JSON.stringify(kept));
    },
    [KEY, quizId, at] as const,
  );
  await page.reload();
  const questions = page.locator('[data-quiz] [data-quiz-question]');
  await expect(questions.nth(1).locator('[data-feedback]')).toContainText(
    'Your answer last time: Yes.',
  );
  await expect(questions.nth(2).locator('input[data-numeric]')).toHaveValue('');
  await expect(questions.nth(2).locator('[data-feedback]')).toBeEmpty();
  const stored = await page.evaluate((key) => JSON.parse(localStorage.getItem(key) ?? '{}'), KEY);
  expect(Object.keys(stored.quizzes[quizId].answers)).toEqual(['2']);
  void problems;
});

test('suggests marking a lesson once its experiment ran and its quiz was answered, never marks it', async ({
  page,
  problems,
}) => {
  await page.goto('/lessons/what-is-the-gil/');
  const detail = page.locator('gil-lesson-complete [data-part="detail"]');
  await expect(detail).toHaveText('Not marked complete yet.');
  const widget = page.locator('[data-experiment]').first();
  await widget.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(widget).toHaveAttribute('data-state', 'done', { timeout: 45_000 });
  await expect(detail).toHaveText('Not marked complete yet.');
  const firstQuestion = page.locator('[data-quiz] [data-quiz-question]').first();
  await firstQuestion.getByRole('radio').first().check();
  await firstQuestion.getByRole('button', { name: 'Check' }).click();
  await expect(detail).toContainText('mark the lesson complete whenever you are ready');
  await expect(toggle(page)).toHaveAttribute('aria-pressed', 'false');
  void problems;
});
