// A learner disputes verdicts on the feedback page: "I said this…" under a missed finding, then
// a click on their own numbered statement; "This credit is wrong…" under a credited one; then a
// withdrawal. The disputes reach `revdrill disputes`, and the score does not move.
// Screenshots go to e2e/artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { startServer, startBrowser, artifacts, bin } from './server.mjs';

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

function disputes() {
  const env = { ...process.env, LANG: 'C', LC_ALL: '', LC_MESSAGES: '' };
  return JSON.parse(execFileSync(bin, ['--db', server.db, 'disputes', '--format', 'json'], { env, encoding: 'utf8' }));
}

test('dispute a missed verdict by clicking a statement, and a credit, then withdraw one', async () => {
  const page = await browser.context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });

  // Submit through the API, as the drill page does.
  const session = await (await page.request.get(`${server.url}/api/session`)).json();
  const res = await page.request.post(`${server.url}/api/drills/${SEED}/attempts`, {
    headers: { 'x-revdrill-csrf': session.csrf, 'content-type': 'application/json' },
    data: JSON.stringify({ answers: {
      concurrency: 'The goroutine might leak if ctx is never cancelled. Between Get and Delete someone may create the same id again, I think.',
      'error-paths': 'Errors other than NotFound are silently ignored.',
    } }),
  });
  assert.equal(res.status(), 201);
  const { attempt, score } = await res.json();
  await page.goto(`${server.url}/attempts/${attempt}`);
  assert.equal(await page.locator('#score span').textContent(), String(score));
  assert.equal(await page.locator('.disputed').count(), 0);

  // A finding not credited: "I said this…", then click statement 2.
  const missed = page.locator('.finding.v-miss, .finding.v-partial').first();
  const missedId = (await missed.getAttribute('id')).slice(2);
  await missed.locator('button.dispute-open').click();
  assert.ok(await page.evaluate(() => document.body.classList.contains('picking')), 'statements become clickable');
  assert.match(await page.locator('#dispute-status').textContent(), /Click the statement/);
  await page.locator('.stmt[data-n="2"]').click();
  const form = missed.locator('form.dispute-form');
  assert.match(await form.locator('blockquote').textContent(), /Between Get and Delete/);
  await form.locator('textarea').fill('This is the check-then-act race, in other words.');
  await page.screenshot({ path: join(artifacts, 'dispute-form.png'), fullPage: false });
  await Promise.all([page.waitForEvent('load'), form.locator('button.dispute-send').click()]);
  const mark = page.locator(`#f-${missedId} .disputed`);
  assert.equal(await mark.count(), 1);
  assert.match(await mark.textContent(), /you say you stated it in checklist item 1/);
  assert.match(await mark.textContent(), /check-then-act race, in other words/);
  assert.equal(await page.locator('#score span').textContent(), String(score), 'the score does not move');

  // A credit: "This credit is wrong…" needs no statement.
  const hit = page.locator('.finding.v-hit').first();
  const hitId = (await hit.getAttribute('id')).slice(2);
  await hit.locator('button.dispute-open').click();
  await hit.locator('form.dispute-form textarea').fill('I only guessed.');
  await Promise.all([page.waitForEvent('load'), hit.locator('button.dispute-send').click()]);
  assert.match(await page.locator('#disputed-count').textContent(), /2 verdict\(s\) disputed/);
  await page.locator('#reference').screenshot({ path: join(artifacts, 'disputed.png') });

  let all = disputes();
  assert.deepEqual(all.map((d) => [d.finding, d.kind]), [[missedId, 'said-it'], [hitId, 'wrong-credit']]);
  assert.match(all[0].statement, /Between Get and Delete/);
  assert.equal(server.history()[0].disputed, 2);

  // Withdraw the second.
  await Promise.all([page.waitForEvent('load'), page.locator(`#f-${hitId} button.dispute-withdraw`).click()]);
  assert.match(await page.locator('#disputed-count').textContent(), /1 verdict\(s\) disputed/);
  all = disputes();
  assert.equal(all.length, 1);

  // Chinese page: the same marks, in Chinese.
  await page.goto(`${server.url}/attempts/${attempt}?lang=zh`);
  assert.match(await page.locator(`#f-${missedId} .disputed`).textContent(), /有异议/);
  await page.goto(`${server.url}/progress?lang=en`);
  assert.match(await page.locator('ul.history').textContent(), /⚑ 1 disputed/);
  assert.deepEqual(errors, []);
  await page.close();
});
