// A learner reviews a drill in the browser: inline comments (click, drag, keyboard), answers,
// a reload that keeps the draft, submit, feedback and score, the language switch, and the
// attempt in `revdrill history`. Screenshots go to e2e/artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, startBrowser, artifacts } from './server.mjs';

const SEED = 'containerd-shimv1-leak';
let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await startBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

function watch(page) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('dialog', (d) => { errors.push('dialog: ' + d.message()); d.dismiss(); });
  return errors;
}

async function shoot(page, name) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(artifacts, name + '.png'), fullPage: true });
  await page.screenshot({ path: join(artifacts, name + '-top.png') });
}

async function lineCell(page, view, line) {
  return page.locator(`table.diff.${view} tr[data-line="${line}"] td.nn`);
}

test('review a drill, submit, read the feedback, switch language', async () => {
  const page = await browser.context.newPage();
  const errors = watch(page);
  await page.goto(`${server.url}/drills/${SEED}`);
  assert.equal(await page.locator('#drill-title').textContent(), 'fix: shimv1 leak issue');
  assert.equal(await page.locator('#reference').count(), 0, 'no reference review before submitting');

  // Click a line number: a comment form opens under that line.
  await (await lineCell(page, 'unified', 258)).click();
  const form = page.locator('tr.form-row');
  await form.locator('select.severity').selectOption('blocker');
  await form.locator('textarea').fill('This Get runs on the already cancelled ctx, so it returns context.Canceled and Delete is never reached.');
  await form.locator('button.save').click();
  assert.equal(await page.locator('tr.form-row').count(), 0);
  const first = page.locator('table.diff.unified tr.comment-row[data-comment]');
  assert.equal(await first.count(), 1);
  assert.match(await first.textContent(), /already cancelled ctx/);
  assert.match(await first.locator('.sev').textContent(), /blocker/i);

  // Edit it.
  await first.locator('button.edit').click();
  await page.locator('tr.form-row textarea').press('End');
  await page.locator('tr.form-row textarea').type(' Edited.');
  await page.locator('tr.form-row button.save').click();
  assert.match(await page.locator('table.diff.unified tr.comment-row[data-comment]').first().textContent(), /Edited\./);

  // Drag over two lines: one comment on the range.
  const a = await (await lineCell(page, 'unified', 256)).boundingBox();
  const b = await (await lineCell(page, 'unified', 257)).boundingBox();
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 4 });
  assert.equal(await page.locator('table.diff.unified tr.selected').count(), 2, 'both lines are selected while dragging');
  await page.mouse.up();
  assert.match(await page.locator('tr.form-row').textContent(), /lines 256–257/);
  await page.locator('tr.form-row textarea').fill('The goroutine can leak forever if ctx is never cancelled.');
  await page.locator('tr.form-row textarea').press('Control+Enter');
  assert.equal(await page.locator('table.diff.unified tr.comment-row[data-comment]').count(), 2);

  // Keyboard: j / k move, c comments, Escape cancels; then delete a comment.
  await page.locator('h1').click();
  for (const k of ['j', 'j', 'j', 'k']) await page.keyboard.press(k);
  const cursorLine = await page.locator('table.diff.unified tr.cursor').getAttribute('data-line');
  assert.ok(Number(cursorLine) > 0);
  await page.keyboard.press('c');
  assert.match(await page.locator('tr.form-row').textContent(), new RegExp(`line ${cursorLine}`));
  await page.locator('tr.form-row textarea').press('Escape');
  assert.equal(await page.locator('tr.form-row').count(), 0);
  await page.keyboard.press('c');
  await page.locator('tr.form-row textarea').fill('temporary');
  await page.locator('tr.form-row button.save').click();
  assert.equal(await page.locator('table.diff.unified tr.comment-row[data-comment]').count(), 3);
  await page.locator('table.diff.unified tr.comment-row[data-comment]', { hasText: 'temporary' }).locator('button.delete').click();
  assert.equal(await page.locator('table.diff.unified tr.comment-row[data-comment]').count(), 2);

  // Answers.
  await page.locator('textarea[data-item="concurrency"]').fill('The goroutine might leak if ctx is never cancelled.\nGet then Delete is not atomic: another goroutine can re-create the task with the same id in between.');
  await page.locator('textarea[data-item="error-paths"]').fill('Any other error from Get is silently dropped, and the error returned by Delete is ignored.');
  await page.locator('textarea[data-item="testing"]').fill('There is no test for this leak fix; add a regression test with a fake task store.');
  await page.locator('textarea[data-item="expression"]').fill('issue (blocking): after `<-ctx.Done()` the `s.tasks.Get` call reuses the cancelled `ctx`, so it fails and the task is never deleted. Could we use `context.WithoutCancel(ctx)` instead?');

  // Split view shows the same comments beside the new lines.
  await page.locator('#view-split').click();
  assert.ok(await page.locator('table.diff.split').isVisible());
  assert.ok(!(await page.locator('table.diff.unified').isVisible()));
  assert.equal(await page.locator('table.diff.split tr.comment-row[data-comment]').count(), 2);
  await shoot(page, 'drill-split');
  await page.locator('#view-unified').click();

  // A reload keeps the draft: answers, comments and the view.
  await page.reload();
  assert.match(await page.locator('textarea[data-item="concurrency"]').inputValue(), /never cancelled/);
  assert.equal(await page.locator('table.diff.unified tr.comment-row[data-comment]').count(), 2);
  assert.match(await page.locator('#status').textContent(), /restored/);
  await shoot(page, 'drill');
  await page.setViewportSize({ width: 390, height: 844 });
  await shoot(page, 'drill-phone');
  await page.setViewportSize({ width: 1280, height: 900 });

  // Submit: the feedback page with the score, verdicts quoting our words, the reference review.
  await page.locator('#submit').click();
  await page.waitForURL(/\/attempts\/\d+$/);
  const attempt = Number(page.url().match(/\/attempts\/(\d+)$/)[1]);
  const score = Number(await page.locator('#score span').textContent());
  assert.ok(score > 30 && score <= 100, `score ${score}`);
  assert.ok(await page.locator('#reference').isVisible());
  assert.ok(await page.locator('blockquote.evidence', { hasText: 'The goroutine might leak if ctx is never cancelled.' }).count() > 0);
  assert.ok(await page.locator('.finding.v-hit').count() >= 2);
  assert.ok(await page.locator('#comment table.dims tr').count() >= 7, 'the comment rubric');
  await shoot(page, 'feedback');

  // The same attempt in `revdrill history`.
  const hist = server.history();
  const row = hist.find((h) => h.id === attempt);
  assert.ok(row, JSON.stringify(hist));
  assert.equal(row.drill_id, SEED);
  assert.equal(row.score, score);

  // Language switch, remembered across a reload and a new page.
  await page.locator('#lang-zh').click();
  await page.waitForURL(/lang=zh/);
  assert.match(await page.locator('#reference h2').textContent(), /参考评审/);
  await page.goto(`${server.url}/attempts/${attempt}`);
  assert.match(await page.locator('#reference h2').textContent(), /参考评审/);
  assert.equal(await page.locator('html').getAttribute('lang'), 'zh-CN');
  await shoot(page, 'feedback-zh');
  await page.reload();
  assert.match(await page.locator('#reference h2').textContent(), /参考评审/);

  // The draft is gone after submitting; the drill page is in Chinese now.
  await page.goto(`${server.url}/drills/${SEED}`);
  assert.equal(await page.locator('textarea[data-item="concurrency"]').inputValue(), '');
  assert.match(await page.locator('#submit').textContent(), /提交评审/);

  await page.goto(`${server.url}/progress?lang=en`);
  assert.ok(await page.locator('svg.chart').first().isVisible());
  assert.ok((await page.locator('#next-drill').getAttribute('href')).startsWith('/drills/'));
  await shoot(page, 'progress');
  await page.emulateMedia({ colorScheme: 'dark' });
  await shoot(page, 'progress-dark');
  await page.goto(`${server.url}/attempts/${attempt}`);
  await shoot(page, 'feedback-dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(`${server.url}/`);
  await shoot(page, 'catalog');

  assert.deepEqual(errors, []);
  await page.close();
});

test('a hostile pack and hostile answers run no script', async () => {
  const page = await browser.context.newPage();
  const errors = watch(page);
  await page.goto(`${server.url}/drills/xss-drill?lang=en`);
  assert.match(await page.locator('#drill-title').textContent(), /<script>window.__xss='title'<\/script>/);
  assert.equal(await page.locator('img').count(), 0);
  await (await lineCell(page, 'unified', 3)).click();
  await page.locator('tr.form-row textarea').fill(`"><img src=x onerror="window.__xss='comment'"> <script>window.__xss='c2'</script> script tag`);
  await page.locator('tr.form-row button.save').click();
  assert.match(await page.locator('tr.comment-row .body').textContent(), /<img src=x/);
  await page.locator('textarea[data-item="safety"]').fill(`<script>window.__xss='answer'</script> an inject bug "><img src=x onerror="window.__xss='a2'">`);
  await page.reload();
  assert.equal(await page.locator('img').count(), 0);
  await page.locator('#submit').click();
  await page.waitForURL(/\/attempts\/\d+$/);
  assert.match(await page.locator('#answers .answer').first().textContent(), /<script>window.__xss='answer'<\/script>/);
  assert.equal(await page.locator('img').count(), 0);
  assert.equal(await page.evaluate(() => typeof window.__xss), 'undefined');
  // CSP reports refused inline scripts as console errors; none may come from our pages.
  assert.deepEqual(errors.filter((e) => !/Content Security Policy/.test(e)), []);
  await page.close();
});

test('comments on a diff of two files stay on their file', async () => {
  const page = await browser.context.newPage();
  const errors = watch(page);
  await page.goto(`${server.url}/drills/two-files?lang=en`);
  const second = page.locator('.file[data-file="test_retry.py"]');
  await second.locator('table.diff.unified tr[data-line="2"] td.nn').click();
  await page.locator('tr.form-row textarea').fill('There is no test for failure.');
  await page.locator('tr.form-row button.save').click();
  await page.reload();
  assert.equal(await second.locator('tr.comment-row[data-comment]').count(), 1);
  assert.equal(await page.locator('.file[data-file="retry.py"] tr.comment-row').count(), 0);
  await page.locator('#submit').click();
  await page.waitForURL(/\/attempts\/\d+$/);
  const id = page.url().match(/(\d+)$/)[1];
  const res = await page.request.get(`${server.url}/api/attempts/${id}`);
  const body = await res.json();
  assert.deepEqual(body.answers.comments, [{ line: 2, file: 'test_retry.py', severity: 'major', body: 'There is no test for failure.' }]);
  assert.equal(body.report.findings[0].verdict, 'hit');
  assert.deepEqual(errors, []);
  await page.close();
});

test('catalog filters and the review template', async () => {
  const page = await browser.context.newPage();
  const errors = watch(page);
  await page.goto(`${server.url}/?lang=en`);
  const all = await page.locator('li.drill-card').count();
  assert.ok(all >= 7);
  await page.locator('select[name="language"]').selectOption('rust');
  await page.locator('form.filters button[type="submit"]').click();
  await page.waitForURL(/language=rust/);
  const rust = await page.locator('li.drill-card .chip.lang').allTextContents();
  assert.ok(rust.length > 0 && rust.length < all && rust.every((l) => l === 'rust'), JSON.stringify(rust));
  assert.equal(await page.locator('select[name="language"]').inputValue(), 'rust', 'the filter stays selected');

  await page.goto(`${server.url}/template`);
  assert.match(await page.locator('pre.md').textContent(), /Pull request review/);
  const href = await page.locator('#download').getAttribute('href');
  const res = await page.request.get(server.url + href);
  assert.equal(res.status(), 200);
  assert.match(res.headers()['content-disposition'], /attachment; filename="review-template\.en\.md"/);
  assert.match(await res.text(), /^# Pull request review/);
  await page.locator('#lang-zh').click();
  await page.waitForURL(/lang=zh/);
  assert.match(await page.locator('#download').textContent(), /下载/);
  assert.deepEqual(errors, []);
  await page.close();
});
