// Spaced review in the browser: a learner misses findings in a drill; on the day FSRS says
// (the server's clock fixed with REVDRILL_NOW, restarted a day later on the same database) the
// card is on "Due today"; the learner answers it, sees the verdict and the reference, and the
// card leaves the list. Screenshots go to e2e/artifacts/.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, startBrowser, artifacts } from './server.mjs';

const SEED = 'containerd-shimv1-leak';
const DAY = 86400;
const T0 = 1796115600; // 2026-12-01T09:00:00Z
let server;
let browser;

after(async () => {
  await browser?.close();
  await server?.stop();
});

function watch(page) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  return errors;
}

test('a missed finding comes back on Due today the next day, is answered, and leaves', async () => {
  server = await startServer({ now: T0 });
  browser = await startBrowser();
  let page = await browser.context.newPage();
  let errors = watch(page);

  // Day 0: a drill with a thin answer misses most findings.
  await page.goto(`${server.url}/drills/${SEED}`);
  await page.locator('textarea[data-item="concurrency"]').fill('Looks fine to me.');
  await Promise.all([page.waitForURL(/\/attempts\/\d+$/), page.locator('#submit').click()]);
  await page.goto(`${server.url}/review`);
  assert.equal(await page.locator('#review-empty').count(), 1, 'nothing is due the day of the miss');
  assert.match(await page.locator('#review-summary').textContent(), /^0 card\(s\) due today/);
  assert.deepEqual(errors, []);
  await page.close();

  // Day 1: the same database, the clock a day later.
  const dir = server.dir;
  await server.stop({ keep: true });
  server = await startServer({ dir, now: T0 + DAY });
  page = await browser.context.newPage();
  errors = watch(page);
  await page.goto(`${server.url}/review`);
  const summary = await page.locator('#review-summary').textContent();
  const due = Number(summary.match(/^(\d+) card/)[1]);
  assert.ok(due >= 5, summary);
  const card = page.locator('#review-card');
  const first = await card.getAttribute('data-card');
  assert.ok(await card.locator('tr.anchor').count() > 0, 'the anchor lines are marked');
  assert.equal(await card.locator('tr.anchor', { hasText: 'ctx.Done()' }).count(), 1, 'the finding\'s lines are in the hunk');
  assert.equal(await card.locator('label[for="review-answer"]').textContent(), 'What would you comment here?');
  await page.screenshot({ path: join(artifacts, 'review-card.png'), fullPage: true });

  // An empty answer is refused on the page, and nothing is sent.
  await page.locator('#review-send').click();
  assert.match(await page.locator('#review-status').textContent(), /Write your comment first/);

  await page.locator('#review-answer').fill('The goroutine leaks when ctx is never cancelled: it blocks forever.');
  await Promise.all([page.waitForURL(/\/review\/answers\/\d+$/), page.locator('#review-send').click()]);
  assert.equal(await page.locator('#review-verdict').textContent(), 'found');
  assert.match(await page.locator('#review-next-due').textContent(), /Next review in 2 day\(s\)\./);
  assert.match(await page.locator('blockquote.answer').textContent(), /blocks forever/);
  await page.screenshot({ path: join(artifacts, 'review-answer.png'), fullPage: true });

  // The card has left today's list.
  await Promise.all([page.waitForURL(/\/review$/), page.locator('#review-next').click()]);
  assert.match(await page.locator('#review-summary').textContent(), new RegExp(`^${due - 1} card\\(s\\) due today`));
  assert.notEqual(await page.locator('#review-card').getAttribute('data-card'), first);
  await page.goto(`${server.url}/progress`);
  assert.equal(await page.locator('#due-count').textContent(), String(due - 1));

  // In Chinese.
  await page.goto(`${server.url}/review?lang=zh`);
  assert.equal(await page.locator('h1').textContent(), '今日复习');
  assert.equal(await page.locator('label[for="review-answer"]').textContent(), '这里你会写什么评论？');
  assert.deepEqual(errors, []);
  await page.close();
});
