// Starts `revdrill serve` on a free loopback port with a fresh database, and Debian's chromium
// with a fresh profile. The binary is the one `cargo build -p revdrill` made (or $REVDRILL_BIN).
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const root = resolve(here, '..', '..');
export const bin = process.env.REVDRILL_BIN || join(root, 'target', 'debug', 'revdrill');
export const artifacts = join(root, 'e2e', 'artifacts');
export const hostilePack = join(root, 'crates', 'revdrill-web', 'tests', 'fixtures', 'xss-pack');

// `opts.dir` reuses the folder (and database) of a stopped server; `opts.now` fixes the server's
// clock for review cards (REVDRILL_NOW, tests only).
export async function startServer(opts = {}) {
  const dir = opts.dir || mkdtempSync(join(tmpdir(), 'revdrill-e2e-'));
  const db = join(dir, 'attempts.sqlite');
  const env = { ...process.env, LANG: 'C', LC_ALL: '', LC_MESSAGES: '', NO_COLOR: '1' };
  if (opts.now !== undefined) env.REVDRILL_NOW = String(opts.now);
  const child = spawn(bin, ['--lang', 'en', '--db', db, '--packs', hostilePack, 'serve', '--addr', '127.0.0.1:0'], {
    env, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => { err += d; });
  const url = await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error('revdrill serve printed no URL in 30 s: ' + out + err)), 30000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/http:\/\/127\.0\.0\.1:\d+\//);
      if (m) { clearTimeout(timer); ok(m[0].replace(/\/$/, '')); }
    });
    child.on('exit', (code) => { clearTimeout(timer); fail(new Error(`revdrill serve exited ${code}: ${out}${err}`)); });
  });
  return {
    url, db, dir,
    history() {
      return JSON.parse(execFileSync(bin, ['--db', db, 'history', '--format', 'json'], { env, encoding: 'utf8' }));
    },
    // `keep`: leave the folder for another server (`startServer({ dir })`).
    async stop({ keep = false } = {}) {
      child.removeAllListeners('exit');
      child.kill('SIGINT');
      await new Promise((ok) => { if (child.exitCode !== null) ok(); else child.on('exit', ok); });
      if (!keep) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function startBrowser() {
  const profile = mkdtempSync(join(tmpdir(), 'revdrill-chromium-'));
  mkdirSync(artifacts, { recursive: true });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
