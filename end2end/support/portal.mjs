// Starts the real `portal` binary on a free port with a fresh SQLite file, and a headless
// Debian Chromium to drive it. Both are stopped by the returned `stop` functions.
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const BIN = process.env.PORTAL_BIN ?? 'target/release/portal';
const SITE_ROOT = process.env.PORTAL_SITE_ROOT ?? 'target/site';
const SIM_BIN = process.env.PROVIDER_SIM_BIN ?? 'target/release/provider-sim';

// Starts `bin` and resolves with the URL it says it listens on (and its logs so far).
async function launch(bin, args, env) {
  const child = spawn(bin, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let logs = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${bin} did not start within 30 s:\n${logs}`)), 30_000);
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
      reject(new Error(`${bin} exited with ${code} before listening:\n${logs}`));
    });
  });
  const stop = async () => {
    child.removeAllListeners('exit');
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  return { url, logs: () => logs, stop };
}

// The stand-in provider (`provider-sim`) on a free port with the demo subscribers; `faults`
// changes how it misbehaves (`{ down: true }`, `{}` for none).
export async function startStandIn() {
  const dir = await mkdtemp(join(tmpdir(), 'stand-in-e2e-'));
  const key = 'e2e-stand-in-key-0123456';
  const args = ['--listen', '127.0.0.1:0', '--api-key', key, '--seed-demo', '--database-url', `sqlite://${join(dir, 'sim.db')}`];
  const sim = await launch(SIM_BIN, args, process.env);
  return {
    url: sim.url,
    key,
    async faults(faults) {
      const response = await fetch(`${sim.url}/admin/faults`, {
        method: 'PUT',
        headers: { 'x-api-key': key, 'content-type': 'application/json' },
        body: JSON.stringify(faults),
      });
      if (response.status !== 204) throw new Error(`faults not set: ${response.status}`);
    },
    async stop() {
      await sim.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

// The portal on a free port with a fresh SQLite file; with `standIn`, it calls that stand-in
// and retries quickly; `env` adds or overrides settings (APP_…).
export async function startPortal({ standIn, env: extra = {} } = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'portal-e2e-'));
  const env = {
    ...process.env,
    APP_LISTEN: '127.0.0.1:0',
    APP_DATABASE_URL: `sqlite://${join(dir, 'portal.db')}`,
    APP_SITE_ROOT: SITE_ROOT,
    APP_MAIL__OUTBOX: join(dir, 'outbox'),
    APP_MAIL__POLL_INTERVAL: '100ms',
    APP_EXPORTS__DIR: join(dir, 'exports'),
    // The logs as production writes them, with the portal's own crates at debug: every line
    // is checked for e-mail addresses when the portal stops.
    APP_LOG_FORMAT: 'json',
    RUST_LOG: 'info,server=debug,app=debug,workflows=debug,store=debug,provider=debug,tower_http=debug',
    ...(standIn
      ? {
          APP_PROVIDER_API__BASE_URL: standIn.url,
          APP_PROVIDER_API__API_KEY: standIn.key,
          APP_PROVIDER_API__ATTEMPT_TIMEOUT: '250ms',
          APP_PROVIDER_API__CIRCUIT_COOLDOWN: '300ms',
          APP_JOBS__LEASE: '2s',
          APP_JOBS__POLL_INTERVAL: '100ms',
          APP_JOBS__RETRY_BASE: '200ms',
          APP_JOBS__RETRY_MAX: '500ms',
          APP_JOBS__OPERATION_POLL: '100ms',
        }
      : {}),
    ...extra,
  };
  const portal = await launch(BIN, ['serve'], env);
  const url = portal.url;
  const logs = portal.logs;
  return {
    url,
    outbox: join(dir, 'outbox'),
    logs,
    // Runs another `portal` command on the same database, with `input` on its stdin.
    run(args, input = '') {
      return new Promise((resolve, reject) => {
        const command = spawn(BIN, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
        let output = '';
        command.stdout.on('data', (c) => (output += c));
        command.stderr.on('data', (c) => (output += c));
        command.on('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(`portal ${args.join(' ')}: ${code}\n${output}`))));
        command.stdin.end(input);
      });
    },
    async stop() {
      await portal.stop();
      await rm(dir, { recursive: true, force: true });
      const line = lineWithAnAddress(logs());
      if (line) throw new Error(`a log line of the portal holds an e-mail address: ${line}`);
    },
  };
}

// An e-mail address as it might slip into a log line (the server tests use the same pattern).
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/;

export function lineWithAnAddress(logs) {
  return logs.split('\n').find((line) => EMAIL.test(line));
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

// A page that records console errors and uncaught exceptions; `gpc` sends Global Privacy
// Control (`Sec-GPC: 1`) with every request.
export async function openPage(browser, { locale = 'nl-NL', javaScriptEnabled = true, gpc = false } = {}) {
  const context = await browser.newContext({
    locale,
    javaScriptEnabled,
    ...(gpc ? { extraHTTPHeaders: { 'Sec-GPC': '1' } } : {}),
  });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(String(error)));
  return { page, context, errors, close: () => context.close() };
}

// Resolves once the wasm app has taken over the server-rendered page.
export async function hydrated(page) {
  await page.locator('main[data-hydrated="true"]').waitFor({ state: 'attached', timeout: 15_000 });
}

// Quoted-printable, as lettre encodes the plain-text part.
function decodeQuotedPrintable(text) {
  return text
    .replace(/=\r?\n/g, '')
    .replace(/((?:=[0-9A-F]{2})+)/g, (run) => Buffer.from(run.replace(/=/g, ''), 'hex').toString('utf8'));
}

// Waits (up to 10 s) for a message to `address` in the outbox; returns its subject, its text
// and the path of its link, and removes it.
export async function mailTo(outbox, address) {
  for (let i = 0; i < 200; i++) {
    const files = await readdir(outbox).catch(() => []);
    for (const file of files.filter((f) => f.endsWith('.eml'))) {
      const raw = await readFile(join(outbox, file), 'utf8');
      const unfolded = raw.replace(/\r?\n[ \t]+/g, ' ');
      const to = unfolded.match(/^To: (.*)$/im)?.[1] ?? '';
      if (!to.toLowerCase().includes(address.toLowerCase())) continue;
      const text = decodeQuotedPrintable(raw);
      const link = text.match(/https?:\/\/\S+token=[0-9a-f]{64}/)?.[0];
      await rm(join(outbox, file));
      return {
        subject: unfolded.match(/^Subject: (.*)$/im)?.[1] ?? '',
        text,
        link: link ? new URL(link).pathname + new URL(link).search : undefined,
      };
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no mail to ${address} in ${outbox}`);
}

// An RFC 6238 code (SHA-1, 6 digits, 30 s) for a base32 secret, `offset` steps from now.
export function totp(secret, offset = 0) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secret.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 30_000) + offset));
  const mac = createHmac('sha1', key).update(counter).digest();
  const at = mac[mac.length - 1] & 0xf;
  const value = (mac.readUInt32BE(at) & 0x7fffffff) % 1_000_000;
  return String(value).padStart(6, '0');
}

// The stand-in, the portal with the demo accounts, and a browser, for the tests that visit
// every page; `stop` ends all three.
export async function startDemo() {
  const standIn = await startStandIn();
  const portal = await startPortal({ standIn });
  await portal.run(['seed-demo']);
  const browser = await startBrowser();
  return {
    standIn,
    portal,
    browser,
    async stop() {
      await browser.close();
      await portal.stop();
      await standIn.stop();
    },
  };
}

// The `<Route path=path!("…")` entries under `/:lang` in app/src/shell.rs, so a test that
// visits every page cannot leave a new one out.
export async function routedPaths() {
  const shell = await readFile(new URL('../../app/src/shell.rs', import.meta.url), 'utf8');
  return [...shell.matchAll(/<Route\s+path=path!\("([^"]*)"\)/g)].map((m) => m[1]);
}

// Loads `url` and waits until the wasm app has taken over and nothing is loading any more.
export async function settle(page, url) {
  const response = await page.goto(url);
  await hydrated(page);
  await page.waitForLoadState('networkidle');
  return response;
}

// Signs `who` in through the Dutch sign-in form of the portal at `base`.
export async function signInWith(page, base, who) {
  await settle(page, `${base}/nl/sign-in`);
  await page.getByLabel('E-mailadres').fill(who.email);
  await page.getByLabel('Wachtwoord', { exact: true }).fill(who.password);
  await page.getByRole('button', { name: 'Inloggen' }).click();
}
