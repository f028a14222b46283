// Hostile probe 2 (docs/reliability.md): nothing the learner types in the browser is cut
// silently. A dispute note longer than the server takes (2,000 characters) is kept whole in
// the form and refused loudly on sending; before, the textarea's maxLength cut a paste to 2,000
// characters without a word.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, startBrowser } from './server.mjs';

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

test('a dispute note over the limit is kept whole and refused loudly', async () => {
  const page = await browser.context.newPage();
  const session = await (await page.request.get(`${server.url}/api/session`)).json();
  const res = await page.request.post(`${server.url}/api/drills/${SEED}/attempts`, {
    headers: { 'x-revdrill-csrf': session.csrf, 'content-type': 'application/json' },
    data: JSON.stringify({ answers: { concurrency: 'The goroutine might leak if ctx is never cancelled.' } }),
  });
  assert.equal(res.status(), 201);
  const { attempt } = await res.json();
  await page.goto(`${server.url}/attempts/${attempt}`);
  const hit = page.locator('.finding.v-hit').first();
  await hit.locator('button.dispute-open').click();
  const ta = hit.locator('form.dispute-form textarea');
  await ta.focus();
  const long = 'I only guessed this one, and here is why at length. '.repeat(50); // 2,600 characters
  await page.keyboard.insertText(long);
  assert.equal((await ta.inputValue()).length, long.length, 'the paste is kept whole');
  await hit.locator('button.dispute-send').click();
  await page.waitForFunction(() => document.getElementById('dispute-status').className === 'error');
  assert.match(await page.locator('#dispute-status').textContent(), /2,000 characters|2000/);
  assert.equal(await ta.inputValue(), long, 'still in the form after the refusal');
  assert.equal(server.history()[0].disputed, 0);
  await page.close();
});

// Before: when the browser could not keep the draft (storage full or turned off), the failure
// was swallowed; leaving the page or closing the tab lost every answer without a word. Now the
// page says so at once and asks before it is left.
test('a draft the browser cannot keep is said at once, and leaving asks first', async () => {
  const page = await browser.context.newPage();
  await page.addInitScript(() => {
    Storage.prototype.setItem = function () { throw new DOMException('full', 'QuotaExceededError'); };
  });
  await page.goto(`${server.url}/drills/${SEED}`);
  const ta = page.locator('textarea[data-item="concurrency"]');
  await ta.click();
  await page.keyboard.type('The goroutine leaks when ctx is never cancelled.');
  assert.match(await page.locator('#status').textContent(), /cannot keep a draft/);
  let asked = null;
  page.on('dialog', async (d) => { asked = d.type(); await d.dismiss(); });
  await page.close({ runBeforeUnload: true });
  await new Promise((ok) => setTimeout(ok, 1000));
  assert.equal(asked, 'beforeunload', 'leaving the page asks first');
  assert.equal(await ta.inputValue(), 'The goroutine leaks when ctx is never cancelled.', 'the page and its text are still there');
  await page.close();
});

// Before: an inline comment typed but not saved was dropped without a word when the learner
// clicked another line (the open form was replaced) or pressed Submit (only saved comments were
// sent; the draft was then cleared). Now the pending text is kept as a comment in both cases.
test('an inline comment typed but not saved is never dropped', async () => {
  const page = await browser.context.newPage();
  await page.goto(`${server.url}/drills/${SEED}`);
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await page.locator('textarea[data-item="concurrency"]').fill('The goroutine might leak if ctx is never cancelled.');
  await page.locator('table.diff.unified tr[data-line="258"] td.nn').click();
  await page.locator('tr.form-row textarea').fill('Get runs on the cancelled ctx, typed but not saved.');
  // Another line: the first comment is kept, a new form opens.
  await page.locator('table.diff.unified tr[data-line="259"] td.nn').click();
  assert.equal(await page.locator('table.diff.unified tr.comment-row[data-comment]').count(), 1);
  await page.locator('tr.form-row textarea').fill('Delete error ignored, typed and never saved either.');
  // Submit with that form still open: its text goes too.
  await page.locator('#submit').click();
  await page.waitForURL(/\/attempts\/\d+$/);
  const id = Number(page.url().match(/\/attempts\/(\d+)$/)[1]);
  const got = await (await page.request.get(`${server.url}/api/attempts/${id}`)).json();
  const bodies = got.answers.comments.map((c) => [c.line, c.body]);
  assert.deepEqual(bodies, [
    [258, 'Get runs on the cancelled ctx, typed but not saved.'],
    [259, 'Delete error ignored, typed and never saved either.'],
  ]);
  await page.close();
});

// Before: a dispute note typed on the feedback page was dropped without a word when another
// "Dispute…" button was pressed. Now the page asks first, and saying no keeps the note.
test('a typed dispute note is not dropped by opening another dispute', async () => {
  const page = await browser.context.newPage();
  const session = await (await page.request.get(`${server.url}/api/session`)).json();
  const res = await page.request.post(`${server.url}/api/drills/${SEED}/attempts`, {
    headers: { 'x-revdrill-csrf': session.csrf, 'content-type': 'application/json' },
    data: JSON.stringify({ answers: { concurrency: 'The goroutine might leak if ctx is never cancelled.' } }),
  });
  const { attempt } = await res.json();
  await page.goto(`${server.url}/attempts/${attempt}`);
  const hit = page.locator('.finding.v-hit').first();
  await hit.locator('button.dispute-open').click();
  await hit.locator('form.dispute-form textarea').fill('A long reason I typed.');
  let asked = 0;
  page.on('dialog', async (d) => { asked += 1; await d.dismiss(); });
  await page.locator('.finding.v-miss button.dispute-open').first().click();
  assert.equal(asked, 1, 'the page asked');
  assert.equal(await hit.locator('form.dispute-form textarea').inputValue(), 'A long reason I typed.');
  await page.close();
});
