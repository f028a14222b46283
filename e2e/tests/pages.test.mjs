// The learning tracks and the phrasebook pages in the browser: tracks list their drills with
// completion that moves when a drill is done; the phrasebook filters by kind and switches to
// Chinese.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, startBrowser } from './server.mjs';

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
  return errors;
}

test('tracks show their drills, and completion moves when the next drill is done', async () => {
  const page = await browser.context.newPage();
  const errors = watch(page);
  await page.goto(`${server.url}/tracks`);
  assert.equal(await page.locator('h1').textContent(), 'Learning tracks');
  const track = page.locator('section.track').first();
  assert.ok(await page.locator('section.track').count() >= 2);
  const before = await track.locator('.done-count').textContent();
  const [done, total] = before.split('/').map(Number);
  assert.equal(done, 0);
  assert.equal(await track.locator('ol li').count(), total);

  // "Next drill" opens the track's first undone drill; submitting it counts it done.
  await Promise.all([page.waitForURL(/\/drills\//), track.locator('a.next').click()]);
  await page.locator('textarea[data-item]').first().fill('The error is ignored, so a failure is silently lost.');
  await Promise.all([page.waitForURL(/\/attempts\/\d+$/), page.locator('#submit').click()]);
  await page.goto(`${server.url}/tracks`);
  assert.equal(await page.locator('section.track').first().locator('.done-count').textContent(), `1/${total}`);
  assert.match(await page.locator('section.track').first().locator('ol li').first().textContent(), /done/);

  await page.goto(`${server.url}/tracks?lang=zh`);
  assert.equal(await page.locator('h1').textContent(), '学习路线');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the phrasebook filters by kind and reads in Chinese', async () => {
  const page = await browser.context.newPage();
  const errors = watch(page);
  await page.goto(`${server.url}/phrases?lang=en`); // the tracks test left the language cookie on zh
  assert.equal(await page.locator('h1').textContent(), 'Phrasebook');
  const kinds = await page.locator('section.phrases h2').count();
  assert.ok(kinds >= 6, `${kinds} kinds`);
  await Promise.all([page.waitForURL(/kind=nit/), page.locator('nav.kinds a[href="/phrases?kind=nit"]').click()]);
  assert.deepEqual(await page.locator('section.phrases h2').allTextContents(), ['Nit']);
  assert.ok(await page.locator('section.phrases dt').count() > 0);
  assert.equal(await page.locator('nav.kinds a[aria-current="true"]').textContent(), 'Nit');
  await page.locator('#lang-zh').click();
  await page.waitForURL(/lang=zh/);
  assert.equal(await page.locator('h1').textContent(), '评审用语手册');
  assert.ok((await page.locator('section.phrases dd').first().textContent()).length > 0);
  assert.deepEqual(errors, []);
  await page.close();
});
