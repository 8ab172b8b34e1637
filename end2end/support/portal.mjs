// Starts the real `portal` binary on a free port with a fresh SQLite file, and a headless
// Debian Chromium to drive it. Both are stopped by the returned `stop` functions.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const BIN = process.env.PORTAL_BIN ?? 'target/release/portal';
const SITE_ROOT = process.env.PORTAL_SITE_ROOT ?? 'target/site';

export async function startPortal() {
  const dir = await mkdtemp(join(tmpdir(), 'portal-e2e-'));
  const child = spawn(BIN, ['serve'], {
    env: {
      ...process.env,
      APP_LISTEN: '127.0.0.1:0',
      APP_DATABASE_URL: `sqlite://${join(dir, 'portal.db')}`,
      APP_SITE_ROOT: SITE_ROOT,
      RUST_LOG: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let logs = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`portal did not start within 30 s:\n${logs}`)), 30_000);
    const onData = (chunk) => {
      logs += chunk;
      const match = logs.match(/listening on (http:\/\/[\d.]+:\d+)/);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`portal exited with ${code} before listening:\n${logs}`));
    });
  });
  return {
    url,
    logs: () => logs,
    async stop() {
      child.removeAllListeners('exit');
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}

// The flags that work on these machines (see shared/TOOLCHAIN.md).
export async function startBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

// A page that records console errors and uncaught exceptions.
export async function openPage(browser, { locale = 'nl-NL', javaScriptEnabled = true } = {}) {
  const context = await browser.newContext({ locale, javaScriptEnabled });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(String(error)));
  return { page, errors, close: () => context.close() };
}

// Resolves once the wasm app has taken over the server-rendered page.
export async function hydrated(page) {
  await page.locator('.matrix-filter').waitFor({ state: 'visible', timeout: 15_000 });
}
