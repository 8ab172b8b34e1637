// `make bench`: every figure of the performance report measured side by side in one run, on this
// machine, with the release build (`make build`), the raw baseline (`server/examples/
// raw_baseline.rs`), the export benchmark (`server/benches/export.rs`) and the load tools
// (`scripts/bench-setup.sh`) built beforehand by the make target. Builds nothing itself.
//
// Core layout on a 2-core machine: everything that serves is pinned (taskset) to core 0 (the
// portal, the raw baseline), the load generator (oha) and the stand-in provider (a remote
// service in production) to core 1. PostgreSQL is the machine's own server and is not pinned.
// The two-instance row cannot keep that layout: see its note.
//
// Prints a Markdown table and writes it to target/bench/report.md (raw figures in report.json).
// A figure is a figure: nothing here fails on a missed goal; the table says so. The command
// fails only when a measurement could not be made (then the row would be empty).
//
// Settings (environment): BENCH_SECONDS (each load run, default 10), BENCH_CONNECTIONS (default
// 32), BENCH_WARMUP_SECONDS (2), BENCH_STORM_SHARE (the fixed rate of the pages measured during
// the sign-in storm, as a share of each page's maximum, 0.25), BENCH_STORM_CONNECTIONS (8),
// BENCH_POSTGRES_URL (an administrator's URL, default postgres://postgres@127.0.0.1:5432/postgres;
// the database `portal_bench` is made anew), BENCH_LIGHTHOUSE (0 skips it), BENCH_SERVER_CPU (0),
// BENCH_LOAD_CPU (1).

import { execFile, spawn } from 'node:child_process';
import { createReadStream, existsSync, openSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';

const run = promisify(execFile);
const ROOT = resolve(new URL('..', import.meta.url).pathname);
const env = process.env;
const num = (name, fallback) => (env[name] === undefined || env[name] === '' ? fallback : Number(env[name]));

const SECONDS = num('BENCH_SECONDS', 10);
const CONNECTIONS = num('BENCH_CONNECTIONS', 32);
const WARMUP = num('BENCH_WARMUP_SECONDS', 2);
const STORM_SHARE = num('BENCH_STORM_SHARE', 0.25);
const STORM_CONNECTIONS = num('BENCH_STORM_CONNECTIONS', 8);
const SERVER_CPU = String(num('BENCH_SERVER_CPU', 0));
const LOAD_CPU = String(num('BENCH_LOAD_CPU', 1));
const POSTGRES_ADMIN = env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const LIGHTHOUSE = env.BENCH_LIGHTHOUSE !== '0';

const TARGET = env.CARGO_TARGET_DIR ?? join(env.HOME, '.cache/privacy-portal/target');
const PORTAL = env.PORTAL_BIN ?? join(TARGET, 'release/portal');
const SIM = env.PROVIDER_SIM_BIN ?? join(TARGET, 'release/provider-sim');
const RAW = env.RAW_BASELINE_BIN ?? join(TARGET, 'release/examples/raw_baseline');
const SITE = resolve(ROOT, env.PORTAL_SITE_ROOT ?? 'target/site');
const OHA = env.OHA ?? join(env.HOME, '.cargo/bin/oha');
const LIGHTHOUSE_BIN = join(ROOT, 'node_modules/.bin/lighthouse');
const CHROMIUM = env.CHROMIUM ?? '/usr/bin/chromium';
const OUT = join(ROOT, 'target/bench');

const SIM_KEY = 'bench-stand-in-key-0123456';
// Demo accounts (`portal seed-demo`, README): one for the pages, another for the storm.
const READER = { email: 'sanne.devries@bakkerij-devries.example', password: 'Tulpen-Fiets-Gracht-2026', lang: 'nl' };
const STORMER = { email: 'mark.jansen@jansen-installatie.example', password: 'Molen-Kaas-Regen-Dijk-7', lang: 'en' };

const log = (...args) => console.error('bench:', ...args);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const children = new Set();

// ---------------------------------------------------------------------------------------------
// Processes

// Starts `bin args` pinned to `cpu`, its output in `logFile`; resolves once it says it listens.
async function launch(name, bin, args, { cpu, env: extra = {}, logFile }) {
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run \`make bench\` (it builds it)`);
  const out = openSync(logFile, 'a');
  const child = spawn('taskset', ['-c', cpu, bin, ...args], {
    env: { ...env, ...extra },
    stdio: ['ignore', out, out],
  });
  children.add(child);
  let exited = null;
  child.on('exit', (code, signal) => {
    exited = { code, signal };
    children.delete(child);
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    const text = await readFile(logFile, 'utf8').catch(() => '');
    const match = text.match(/listening on (http:\/\/[\d.]+:\d+)/);
    if (match) {
      return {
        name,
        url: match[1],
        pid: child.pid,
        async stop() {
          if (exited) return;
          const done = new Promise((r) => child.once('exit', r));
          child.kill('SIGTERM');
          const killer = setTimeout(() => child.kill('SIGKILL'), 35_000);
          await done;
          clearTimeout(killer);
        },
      };
    }
    if (exited) throw new Error(`${name} exited (${JSON.stringify(exited)}) before listening:\n${text.slice(-3000)}`);
    if (Date.now() > deadline) throw new Error(`${name} did not listen within 60 s:\n${text.slice(-3000)}`);
    await sleep(50);
  }
}

function stopAll() {
  for (const child of children) child.kill('SIGKILL');
}
process.on('SIGINT', () => {
  stopAll();
  process.exit(130);
});
process.on('SIGTERM', () => {
  stopAll();
  process.exit(143);
});

async function startStandIn(dir) {
  return launch('provider-sim', SIM, ['--listen', '127.0.0.1:0', '--api-key', SIM_KEY, '--seed-demo', '--database-url', `sqlite://${join(dir, 'sim.db')}`], {
    cpu: LOAD_CPU,
    logFile: join(dir, 'sim.log'),
  });
}

function portalEnv(dir, databaseUrl, standIn) {
  return {
    APP_LISTEN: '127.0.0.1:0',
    APP_DATABASE_URL: databaseUrl,
    APP_SITE_ROOT: SITE,
    APP_MAIL__OUTBOX: join(dir, 'outbox'),
    APP_EXPORTS__DIR: join(dir, 'exports'),
    APP_PROVIDER_API__BASE_URL: standIn.url,
    APP_PROVIDER_API__API_KEY: SIM_KEY,
    // Logs as production writes them (JSON, the default filter), to a file.
    APP_LOG_FORMAT: 'json',
    RUST_LOG: 'info,sqlx=warn',
  };
}

async function portalCommand(portalEnvironment, args) {
  await run(PORTAL, args, { env: { ...env, ...portalEnvironment }, maxBuffer: 1 << 24 });
}

async function startPortal(name, dir, portalEnvironment, cpu) {
  return launch(name, PORTAL, ['serve'], { cpu, env: portalEnvironment, logFile: join(dir, `${name}.log`) });
}

// ---------------------------------------------------------------------------------------------
// HTTP

// A GET without any decoding: status, headers and the exact bytes on the wire.
function rawGet(url, headers = {}) {
  return new Promise((resolveGet, reject) => {
    const request = http.get(url, { headers }, (response) => {
      const chunks = [];
      response.on('data', (c) => chunks.push(c));
      response.on('end', () => resolveGet({ status: response.statusCode, headers: response.headers, rawHeaders: response.rawHeaders, body: Buffer.concat(chunks) }));
      response.on('error', reject);
    });
    request.on('error', reject);
  });
}

// Signs in over HTTP as a browser's form without JavaScript does; returns the session cookie.
async function signIn(base, account) {
  const response = await fetch(`${base}/api/account/sign_in`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'text/html,application/xhtml+xml',
      'sec-fetch-site': 'same-origin',
      referer: `${base}/${account.lang}/sign-in`,
    },
    body: new URLSearchParams({ lang: account.lang, email: account.email, password: account.password }),
  });
  const session = response.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c.startsWith('session='));
  if (!session) throw new Error(`signing in as ${account.email} gave ${response.status} and no session cookie`);
  return session;
}

async function myDataPage(base, cookie) {
  const page = await rawGet(`${base}/nl/my-data`, { cookie, accept: 'text/html' });
  if (page.status !== 200 || !page.body.toString().includes('Bakkerij')) {
    throw new Error(`Mijn gegevens with the session did not show the account: ${page.status} ${page.body.toString().slice(0, 300)}`);
  }
  return page;
}

// ---------------------------------------------------------------------------------------------
// Load (oha, pinned to the load core unless `cpu` is null)

async function oha(url, { seconds = SECONDS, connections = CONNECTIONS, rate, method, headers = {}, body, cpu = LOAD_CPU } = {}) {
  const args = ['--no-tui', '--output-format', 'json', '-z', `${seconds}s`, '-c', String(connections)];
  if (rate) args.push('-q', String(Math.max(1, Math.round(rate))), '--latency-correction');
  if (method) args.push('-m', method);
  for (const [name, value] of Object.entries(headers)) args.push('-H', `${name}: ${value}`);
  if (body !== undefined) args.push('-d', body);
  args.push(url);
  const [bin, all] = cpu === null ? [OHA, args] : ['taskset', ['-c', cpu, OHA, ...args]];
  const { stdout } = await run(bin, all, { maxBuffer: 1 << 26 });
  const result = JSON.parse(stdout);
  const codes = result.statusCodeDistribution ?? {};
  const total = Object.values(codes).reduce((a, b) => a + b, 0);
  return {
    rps: result.summary.requestsPerSec,
    // oha counts only answered requests in requestsPerSec; `total` for the check below.
    total,
    successRate: result.summary.successRate,
    p50: result.latencyPercentiles.p50 * 1000,
    p99: result.latencyPercentiles.p99 * 1000,
    codes,
    errors: result.errorDistribution ?? {},
  };
}

// Every answer should be the expected one. A few others are recorded and shown under the table
// (they are findings too); more than half make the figure meaningless and stop the run.
const unexpected = [];
function expectCodes(what, figures, wanted = ['200']) {
  const wrong = Object.entries(figures.codes).filter(([code]) => !wanted.includes(code));
  const errors = Object.entries(figures.errors).filter(([error]) => !/deadline/i.test(error));
  const count = [...wrong, ...errors].reduce((a, [, n]) => a + n, 0);
  if (count > 0) unexpected.push(`${what}: ${count} of ${figures.total + errors.reduce((a, [, n]) => a + n, 0)} answers unexpected (${[...wrong, ...errors].map(([k, n]) => `${n}× ${k}`).join(', ')})`);
  if (figures.total === 0 || count > figures.total / 2) {
    throw new Error(`${what}: unexpected answers ${JSON.stringify(figures.codes)} errors ${JSON.stringify(figures.errors)}`);
  }
}

// The maximum rate (closed loop, CONNECTIONS at once), then p99 at half of it (open loop, a fixed
// rate with latency correction: a late request counts from when it should have been sent).
async function maxAndHalf(what, url, headers = {}) {
  log(`${what}: warm-up, maximum rate, then half of it`);
  await oha(url, { seconds: WARMUP, headers });
  const max = await oha(url, { headers });
  expectCodes(`${what} at the maximum rate`, max);
  const half = await oha(url, { headers, rate: max.rps / 2 });
  expectCodes(`${what} at half the maximum rate`, half);
  return { max, half };
}

// ---------------------------------------------------------------------------------------------
// Memory of another process (Linux)

async function statusKb(pid, key) {
  const text = await readFile(`/proc/${pid}/status`, 'utf8');
  const line = text.split('\n').find((l) => l.startsWith(`${key}:`));
  return Number(line.split(/\s+/)[1]);
}

async function resetPeak(pid) {
  await writeFile(`/proc/${pid}/clear_refs`, '5');
}

// ---------------------------------------------------------------------------------------------
// Bytes shipped

async function gzip9(file) {
  // gzip -9 itself, so the figure is the one the README has always given.
  return new Promise((resolveSize, reject) => {
    const child = spawn('gzip', ['-9', '-c'], { stdio: ['pipe', 'pipe', 'inherit'] });
    let size = 0;
    child.stdout.on('data', (c) => (size += c.length));
    child.on('exit', (code) => (code === 0 ? resolveSize(size) : reject(new Error(`gzip: ${code}`))));
    createReadStream(file).pipe(child.stdin);
  });
}

async function bytesShipped(base) {
  const page = await rawGet(`${base}/nl`);
  const html = page.body.toString();
  // The script and wasm every hydrated page loads: named in the page itself.
  const names = [...new Set([...html.matchAll(/\/pkg\/[\w.-]+\.(?:js|wasm)/g)].map((m) => m[0]))];
  if (!names.some((n) => n.endsWith('.wasm'))) {
    // The wasm is loaded by the JS glue: named after it.
    for (const js of names.filter((n) => n.endsWith('.js'))) {
      const wasm = js.replace(/\.js$/, '.wasm');
      const bg = js.replace(/\.js$/, '_bg.wasm');
      for (const candidate of [wasm, bg]) if (existsSync(join(SITE, candidate))) names.push(candidate);
    }
  }
  const files = [];
  for (const name of names) {
    const path = join(SITE, name);
    const served = await rawGet(`${base}${name}`, { 'accept-encoding': 'gzip, deflate, br, zstd' });
    if (!existsSync(path) || served.status !== 200) {
      unexpected.push(`the policy page names ${name}, which the portal answers ${served.status} (the site has ${(await readdir(join(SITE, 'pkg'))).join(', ')})`);
      continue;
    }
    files.push({
      name,
      raw: (await stat(path)).size,
      gzip9: await gzip9(path),
      served: served.body.length,
      servedEncoding: served.headers['content-encoding'] ?? 'identity',
      status: served.status,
    });
  }
  return files;
}

// The cookie choice with no script at all: Chromium with JavaScript off, and every request for a
// .js or .wasm file refused and counted. The choice must still be made and kept.
async function cookieChoice(base) {
  const { chromium } = await import('playwright-core');
  const userDir = await mkdtemp(join(tmpdir(), 'bench-chromium-'));
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const context = await browser.newContext({ javaScriptEnabled: false, locale: 'nl-NL' });
    const page = await context.newPage();
    let refused = 0;
    let scriptBytes = 0;
    await page.route('**/*', (route) => {
      if (/\.(js|mjs|wasm)(\?|$)/.test(new URL(route.request().url()).pathname)) {
        refused += 1;
        return route.abort();
      }
      return route.continue();
    });
    page.on('response', async (response) => {
      const type = response.headers()['content-type'] ?? '';
      if (/javascript|wasm/.test(type)) scriptBytes += (await response.body().catch(() => Buffer.alloc(0))).length;
    });
    await page.goto(`${base}/nl`);
    const bannerBefore = await page.locator('#cookie-banner').count();
    await Promise.all([page.waitForNavigation(), page.locator('#cookies-reject').click()]);
    const cookies = (await context.cookies()).map((c) => c.name);
    await page.goto(`${base}/nl/cookies`);
    await page.goto(`${base}/nl`);
    const bannerAfter = await page.locator('#cookie-banner').count();
    const kept = bannerBefore === 1 && bannerAfter === 0 && cookies.includes('portal_consent');
    return { scriptBytes, refused, bannerBefore, bannerAfter, cookies, kept };
  } finally {
    await browser.close();
    await rm(userDir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Lighthouse (its default: a mobile device with simulated throttling), Chromium on the load core

const CHROME_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

async function lighthouse(url, cookie, dir, name) {
  const userDir = await mkdtemp(join(tmpdir(), 'bench-lighthouse-'));
  const output = join(dir, `lighthouse-${name}.json`);
  const args = [
    url,
    '--quiet',
    '--only-categories=performance,accessibility',
    '--output=json',
    `--output-path=${output}`,
    `--chrome-flags=${[...CHROME_FLAGS, `--user-data-dir=${userDir}`].join(' ')}`,
  ];
  if (cookie) args.push(`--extra-headers=${JSON.stringify({ Cookie: cookie })}`);
  try {
    await run('taskset', ['-c', LOAD_CPU, LIGHTHOUSE_BIN, ...args], { env: { ...env, CHROME_PATH: CHROMIUM }, maxBuffer: 1 << 26 });
  } finally {
    await rm(userDir, { recursive: true, force: true });
  }
  const report = JSON.parse(await readFile(output, 'utf8'));
  if (report.runtimeError) throw new Error(`Lighthouse on ${url}: ${JSON.stringify(report.runtimeError)}`);
  const score = (c) => Math.round(report.categories[c].score * 100);
  const audit = (id) => report.audits[id]?.displayValue ?? '';
  const failing = Object.values(report.categories.accessibility.auditRefs)
    .filter((ref) => ref.weight > 0 && report.audits[ref.id].score !== null && report.audits[ref.id].score < 1)
    .map((ref) => ref.id);
  return {
    url: report.finalDisplayedUrl ?? report.finalUrl,
    requested: url,
    performance: score('performance'),
    accessibility: score('accessibility'),
    fcp: audit('first-contentful-paint'),
    lcp: audit('largest-contentful-paint'),
    tbt: audit('total-blocking-time'),
    cls: audit('cumulative-layout-shift'),
    si: audit('speed-index'),
    accessibilityFailing: failing,
    version: report.lighthouseVersion,
    formFactor: report.configSettings?.formFactor,
  };
}

// ---------------------------------------------------------------------------------------------
// The export benchmark (server/benches/export.rs), already built by the make target

async function exportBench() {
  log('export of 100,000 records (cargo bench --bench export), pinned to the server core');
  await rm(join(OUT, 'export.json'), { force: true });
  // BENCH_EXPORT_BIN: the benchmark's executable, run as it is (no freshness check by cargo).
  const command = env.BENCH_EXPORT_BIN ? [env.BENCH_EXPORT_BIN, '--bench'] : ['cargo', 'bench', '--locked', '-q', '-p', 'server', '--bench', 'export'];
  const { stdout } = await run('taskset', ['-c', SERVER_CPU, ...command], {
    cwd: ROOT,
    env: { ...env, CARGO_TARGET_DIR: TARGET },
    maxBuffer: 1 << 24,
  });
  process.stderr.write(stdout);
  return JSON.parse(await readFile(join(OUT, 'export.json'), 'utf8'));
}

// ---------------------------------------------------------------------------------------------

async function machine() {
  const text = async (cmd, args) => (await run(cmd, args).catch((e) => ({ stdout: `? (${e.message.split('\n')[0]})` }))).stdout.trim();
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    commit: await text('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD']),
    dirty: (await text('git', ['-C', ROOT, 'status', '--porcelain', '--untracked-files=no'])) !== '',
    cpu: cpus()[0]?.model ?? '?',
    cores: cpus().length,
    kernel: await text('uname', ['-r']),
    oha: await text(OHA, ['--version']),
    chromium: await text(CHROMIUM, ['--version']),
    lighthouse: existsSync(LIGHTHOUSE_BIN) ? await text(LIGHTHOUSE_BIN, ['--version']) : 'not installed',
    node: process.version,
    postgres: await text('psql', [POSTGRES_ADMIN, '-tAc', 'show server_version']),
    load: (await readFile('/proc/loadavg', 'utf8')).split(' ').slice(0, 3).join(' '),
    // pgrep exits 1 when nothing matches, which is the answer 0 here.
    compiling: (await run('pgrep', ['-c', 'rustc']).catch(() => ({ stdout: '0' }))).stdout.trim() || '0',
  };
}

async function main() {
  await mkdir(OUT, { recursive: true });
  const dir = await mkdtemp(join(tmpdir(), 'portal-bench-'));
  const started = Date.now();
  const before = await machine();
  const results = { settings: { SECONDS, CONNECTIONS, WARMUP, STORM_SHARE, STORM_CONNECTIONS, SERVER_CPU, LOAD_CPU }, machine: before };

  results.export = await exportBench();

  // -- SQLite: the stand-in, the portal, the demo accounts -----------------------------------
  const standIn = await startStandIn(dir);
  const sqliteEnv = portalEnv(dir, `sqlite://${join(dir, 'portal.db')}`, standIn);
  await portalCommand(sqliteEnv, ['seed-demo']);
  const portal = await startPortal('portal', dir, sqliteEnv, SERVER_CPU);

  // The policy page's exact bytes and headers, for the raw baseline.
  const policy = await rawGet(`${portal.url}/nl`, { accept: 'text/html' });
  if (policy.status !== 200) throw new Error(`the policy page answered ${policy.status}`);
  const skip = new Set(['content-length', 'date', 'transfer-encoding', 'connection', 'keep-alive']);
  const headerLines = [];
  for (let i = 0; i < policy.rawHeaders.length; i += 2) {
    if (!skip.has(policy.rawHeaders[i].toLowerCase())) headerLines.push(`${policy.rawHeaders[i]}: ${policy.rawHeaders[i + 1]}`);
  }
  await writeFile(join(dir, 'policy.html'), policy.body);
  await writeFile(join(dir, 'policy.headers'), headerLines.join('\n') + '\n');
  const raw = await launch('raw_baseline', RAW, ['127.0.0.1:0', join(dir, 'policy.html'), join(dir, 'policy.headers')], {
    cpu: SERVER_CPU,
    logFile: join(dir, 'raw.log'),
  });
  const rawCopy = await rawGet(`${raw.url}/nl`);
  if (!rawCopy.body.equals(policy.body)) throw new Error('the raw baseline does not serve the same bytes');
  results.pageBytes = policy.body.length;

  results.raw = await maxAndHalf('raw axum baseline', `${raw.url}/nl`);
  await raw.stop();
  results.policy = await maxAndHalf('policy page', `${portal.url}/nl`);

  const cookie = await signIn(portal.url, READER);
  const myData = await myDataPage(portal.url, cookie);
  results.myDataBytes = myData.body.length;
  results.myData = await maxAndHalf('Mijn gegevens (SQLite)', `${portal.url}/nl/my-data`, { cookie });

  // -- The sign-in storm ---------------------------------------------------------------------
  // The policy page and Mijn gegevens at a fixed rate, unloaded, then while sign-ins keep the
  // password hashing busy (every permit taken); the portal's resident memory meanwhile.
  const policyRate = results.policy.max.rps * STORM_SHARE;
  const myDataRate = results.myData.max.rps * STORM_SHARE;
  const pages = () =>
    Promise.all([
      oha(`${portal.url}/nl`, { rate: policyRate, connections: 8 }),
      oha(`${portal.url}/nl/my-data`, { rate: myDataRate, connections: 8, headers: { cookie } }),
    ]);
  log('sign-in storm: the pages at a fixed rate, unloaded');
  const [policyCalm, myDataCalm] = await pages();
  expectCodes('policy page, unloaded', policyCalm);
  expectCodes('Mijn gegevens, unloaded', myDataCalm);
  const rssBefore = await statusKb(portal.pid, 'VmRSS');
  await resetPeak(portal.pid);
  log('sign-in storm: the same pages during the storm');
  const stormSeconds = SECONDS + 2 * WARMUP;
  const storm = oha(`${portal.url}/api/account/sign_in`, {
    seconds: stormSeconds,
    connections: STORM_CONNECTIONS,
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'text/html,application/xhtml+xml',
      'sec-fetch-site': 'same-origin',
      referer: `${portal.url}/${STORMER.lang}/sign-in`,
    },
    body: new URLSearchParams({ lang: STORMER.lang, email: STORMER.email, password: STORMER.password }).toString(),
  });
  await sleep(WARMUP * 1000);
  const [policyStorm, myDataStorm] = await pages();
  const stormFigures = await storm;
  expectCodes('policy page, during the storm', policyStorm);
  expectCodes('Mijn gegevens, during the storm', myDataStorm);
  // A successful sign-in without JavaScript is a redirect to the account page.
  expectCodes('the sign-in storm', stormFigures, ['302', '303']);
  const rssPeak = await statusKb(portal.pid, 'VmHWM');
  const rssAfter = await statusKb(portal.pid, 'VmRSS');
  results.storm = {
    policyRate,
    myDataRate,
    policyCalm,
    myDataCalm,
    policyStorm,
    myDataStorm,
    signIns: stormFigures,
    rssBeforeKb: rssBefore,
    rssPeakKb: rssPeak,
    rssAfterKb: rssAfter,
  };

  // -- Bytes shipped and the cookie choice ---------------------------------------------------
  log('bytes shipped, the cookie choice without script');
  results.bytes = await bytesShipped(portal.url);
  results.cookieChoice = await cookieChoice(portal.url);

  // -- Lighthouse ----------------------------------------------------------------------------
  if (LIGHTHOUSE) {
    results.lighthouse = {};
    const fresh = await signIn(portal.url, READER);
    for (const [name, path, session] of [
      ['policy', '/nl', null],
      ['sign-in', '/nl/sign-in', null],
      ['my-data', '/nl/my-data', fresh],
    ]) {
      log(`Lighthouse: ${path}`);
      results.lighthouse[name] = await lighthouse(`${portal.url}${path}`, session, OUT, name);
    }
  }
  await portal.stop();

  // -- PostgreSQL: one instance, then two ----------------------------------------------------
  log('PostgreSQL: a fresh database portal_bench');
  const adminUrl = new URL(POSTGRES_ADMIN);
  await run('psql', [POSTGRES_ADMIN, '-qc', 'DROP DATABASE IF EXISTS portal_bench WITH (FORCE)']);
  await run('psql', [POSTGRES_ADMIN, '-qc', 'CREATE DATABASE portal_bench']);
  adminUrl.pathname = '/portal_bench';
  const pgEnv = portalEnv(dir, adminUrl.toString(), standIn);
  await portalCommand(pgEnv, ['seed-demo']);
  const one = await startPortal('pg-a', dir, pgEnv, SERVER_CPU);
  const pgCookie = await signIn(one.url, READER);
  await myDataPage(one.url, pgCookie);
  log('PostgreSQL: one instance at its maximum rate');
  await oha(`${one.url}/nl/my-data`, { seconds: WARMUP, headers: { cookie: pgCookie } });
  const single = await oha(`${one.url}/nl/my-data`, { headers: { cookie: pgCookie } });
  expectCodes('one instance', single);
  const two = await startPortal('pg-b', dir, pgEnv, LOAD_CPU);
  await myDataPage(two.url, pgCookie);
  log('PostgreSQL: two instances at their maximum rate (a load generator each, not pinned)');
  const both = (seconds) =>
    Promise.all([one, two].map((instance) => oha(`${instance.url}/nl/my-data`, { seconds, headers: { cookie: pgCookie }, cpu: null })));
  await both(WARMUP);
  const [a, b] = await both(SECONDS);
  expectCodes('two instances, first', a);
  expectCodes('two instances, second', b);
  results.postgres = { single, a, b };
  await two.stop();
  await one.stop();
  await standIn.stop();
  await run('psql', [POSTGRES_ADMIN, '-qc', 'DROP DATABASE IF EXISTS portal_bench WITH (FORCE)']).catch(() => {});

  results.machine.after = { load: (await readFile('/proc/loadavg', 'utf8')).split(' ').slice(0, 3).join(' '), compiling: before.compiling };
  // What the servers logged as errors (a panic is caught and answered 500).
  let errorLines = 0;
  let panics = 0;
  for (const file of (await readdir(dir)).filter((f) => f.endsWith('.log'))) {
    const text = await readFile(join(dir, file), 'utf8');
    errorLines += (text.match(/"level":"ERROR"/g) ?? []).length;
    panics += (text.match(/ panicked at /g) ?? []).length;
  }
  if (errorLines || panics) unexpected.push(`the portal logged ${errorLines} error lines and ${panics} panics over the whole run`);
  results.minutes = (Date.now() - started) / 60_000;
  results.unexpected = unexpected;
  await writeFile(join(OUT, 'report.json'), JSON.stringify(results, null, 2));
  const report = render(results);
  await writeFile(join(OUT, 'report.md'), report);
  process.stdout.write(report);
  await rm(dir, { recursive: true, force: true });
}

// ---------------------------------------------------------------------------------------------
// The report

const f0 = (x) => Math.round(x).toLocaleString('en-US');
const f1 = (x) => x.toFixed(1);
const f2 = (x) => x.toFixed(2);
const ms = (x) => `${x < 10 ? x.toFixed(2) : x.toFixed(1)} ms`;
const kb = (bytes) => `${(bytes / 1024).toFixed(0)} KB`;
const mb = (kbs) => `${(kbs / 1024).toFixed(1)} MB`;
const met = (ok) => (ok ? 'yes' : '**no**');

function render(r) {
  const rows = [];
  const row = (...cells) => rows.push(`| ${cells.join(' | ')} |`);
  const rps = (x) => `${f0(x)} req/s`;

  const policyRatio = r.policy.max.rps / r.raw.max.rps;
  row('Policy page `/nl`, anonymous: maximum rate', rps(r.policy.max.rps), `raw axum, same bytes: ${rps(r.raw.max.rps)}`, `${f2(policyRatio)}×`, '≥ 0.5×', met(policyRatio >= 0.5));
  row(
    `Policy page: p99 at half its maximum (${f0(r.policy.max.rps / 2)} req/s)`,
    ms(r.policy.half.p99),
    `raw at ${f0(r.raw.max.rps / 2)} req/s: ${ms(r.raw.half.p99)}`,
    `p50 ${ms(r.policy.half.p50)}`,
    '≤ 10 ms',
    met(r.policy.half.p99 <= 10),
  );
  const myRatio = r.myData.max.rps / r.raw.max.rps;
  row('"Mijn gegevens" `/nl/my-data`, signed in, SQLite: maximum rate', rps(r.myData.max.rps), `raw axum: ${rps(r.raw.max.rps)}`, `${f2(myRatio)}×`, '≥ 0.25×', met(myRatio >= 0.25));
  row(`"Mijn gegevens": p99 at half its maximum (${f0(r.myData.max.rps / 2)} req/s)`, ms(r.myData.half.p99), '—', `p50 ${ms(r.myData.half.p50)}`, '≤ 25 ms', met(r.myData.half.p99 <= 25));
  const twoRps = r.postgres.a.rps + r.postgres.b.rps;
  const scale = twoRps / r.postgres.single.rps;
  row(
    'Two instances on one PostgreSQL, "Mijn gegevens": maximum rate¹',
    `${rps(twoRps)} (${f0(r.postgres.a.rps)} + ${f0(r.postgres.b.rps)})`,
    `one instance: ${rps(r.postgres.single.rps)}`,
    `${f2(scale)}×`,
    '≥ 1.6×',
    met(scale >= 1.6),
  );
  const s = r.storm;
  const policyStormRatio = s.policyStorm.p99 / s.policyCalm.p99;
  const myStormRatio = s.myDataStorm.p99 / s.myDataCalm.p99;
  row(
    `Sign-in storm² (${f1(s.signIns.rps)} sign-ins/s): policy page p99 at ${f0(s.policyRate)} req/s`,
    ms(s.policyStorm.p99),
    `unloaded: ${ms(s.policyCalm.p99)}`,
    `${f2(policyStormRatio)}×`,
    '≤ 2×',
    met(policyStormRatio <= 2),
  );
  row(
    `Sign-in storm: "Mijn gegevens" p99 at ${f0(s.myDataRate)} req/s`,
    ms(s.myDataStorm.p99),
    `unloaded: ${ms(s.myDataCalm.p99)}`,
    `${f2(myStormRatio)}×`,
    '≤ 2×',
    met(myStormRatio <= 2),
  );
  const growth = s.rssPeakKb - s.rssBeforeKb;
  row(
    'Sign-in storm: growth of the portal\'s resident memory (peak `VmHWM` − `VmRSS` before)',
    mb(growth),
    `before: ${mb(s.rssBeforeKb)}`,
    `after: ${mb(s.rssAfterKb)} (+${mb(s.rssAfterKb - s.rssBeforeKb)} kept)`,
    '≤ 64 MB',
    met(growth <= 64 * 1024),
  );
  const e = r.export;
  row(
    `Export of ${f0(e.records)} records: wall time³`,
    `${f2(e.export.seconds)} s`,
    `reading them all: ${f2(e.baseline.seconds)} s`,
    `${f1(e.export.seconds / e.baseline.seconds)}×; ${f0(e.export.items)} items, ${f1(e.export.zip_mb)} MB ZIP`,
    '< 5 s',
    met(e.export.seconds < 5),
  );
  row(`Export of ${f0(e.records)} records: peak RSS growth`, `${f1(e.export.peak_growth_mb)} MB`, `reading them all: ${f1(e.baseline.peak_growth_mb)} MB`, '—', '< 16 MB', met(e.export.peak_growth_mb < 16));
  const wasm = r.bytes.filter((b) => b.name.endsWith('.wasm'));
  const js = r.bytes.filter((b) => b.name.endsWith('.js'));
  const sum = (list, key) => list.reduce((a, b) => a + b[key], 0);
  const shipped = sum(r.bytes, 'gzip9');
  const encodings = [...new Set(r.bytes.map((b) => b.servedEncoding))].join(', ');
  row(
    'Bytes shipped to a hydrated page: wasm + JS, gzip -9⁴',
    kb(shipped),
    `raw: ${kb(sum(r.bytes, 'raw'))}; as the portal sends them: ${kb(sum(r.bytes, 'served'))} (${encodings})`,
    `wasm ${kb(sum(wasm, 'gzip9'))} + JS ${kb(sum(js, 'gzip9'))}`,
    '≤ 250 KB',
    met(shipped <= 250 * 1024),
  );
  const c = r.cookieChoice;
  row(
    'Bytes of script needed for the cookie choice⁵',
    `${c.scriptBytes} B`,
    '—',
    c.kept ? `"Alles weigeren" kept with JavaScript off and ${c.refused} script/wasm requests refused` : `the choice was NOT kept (banner ${c.bannerBefore}→${c.bannerAfter}, cookies ${c.cookies.join(', ')})`,
    '0 B',
    met(c.scriptBytes === 0 && c.kept),
  );
  if (r.lighthouse) {
    for (const [name, title] of [
      ['policy', 'policy `/nl`'],
      ['sign-in', 'sign-in `/nl/sign-in`'],
      ['my-data', '"Mijn gegevens" `/nl/my-data`, signed in'],
    ]) {
      const l = r.lighthouse[name];
      row(`Lighthouse⁶, ${title}: performance`, String(l.performance), '—', `FCP ${l.fcp}, LCP ${l.lcp}, TBT ${l.tbt}, CLS ${l.cls}`, '≥ 95', met(l.performance >= 95));
      row(`Lighthouse, ${title}: accessibility`, String(l.accessibility), '—', l.accessibilityFailing.length ? `failing: ${l.accessibilityFailing.join(', ')}` : 'no failing audit', '100', met(l.accessibility >= 100));
    }
  }

  const m = r.machine;
  const findings = r.unexpected.length
    ? `\nUnexpected answers during the run (counted in the figures above; see the portal's log):\n\n${r.unexpected.map((u) => `- ${u}`).join('\n')}\n`
    : '\nEvery answer during the run was the expected one.\n';
  const lh = r.lighthouse ? Object.values(r.lighthouse)[0] : null;
  return `## Performance (\`make bench\`)

| Row | Measured | Baseline | Ratio / figure | Goal | Met? |
| --- | ---: | --- | --- | --- | --- |
${rows.join('\n')}
${findings}
How measured:

- ${m.date}, commit ${m.commit}${m.dirty ? ' (with uncommitted changes)' : ''}, release build; ${m.cores} cores (${m.cpu}), Linux ${m.kernel}, ${m.oha}, ${m.chromium}, Lighthouse ${m.lighthouse}, Node ${m.node}, PostgreSQL ${m.postgres}. Load average at the start ${m.load} (${m.compiling} rustc processes running elsewhere), at the end ${m.after.load}. The whole run took ${f1(r.minutes)} min.
- Cores: the portal and the raw baseline pinned (\`taskset\`) to core ${SERVER_CPU}, each alone there while measured (the other idle); oha and the stand-in provider (\`provider-sim\`, a remote service in production, called live by "Mijn gegevens") pinned to core ${LOAD_CPU}. Pinned to one core, the portal runs one Tokio worker and hashes one password at a time.
- Load: oha over HTTP/1.1 keep-alive on loopback. Maximum rate: ${CONNECTIONS} connections, as fast as answered, for ${SECONDS} s after a ${WARMUP} s warm-up. p99 at half the maximum: a fixed rate (\`-q\`, open loop, with latency correction, so a late request counts from when it should have been sent), ${SECONDS} s. Every answer was checked (200, or the redirect of a successful sign-in).
- The raw baseline (\`server/examples/raw_baseline.rs\`) is a bare axum handler answering every GET with the policy page's bytes (${f0(r.pageBytes)} B) and headers, fetched from the portal just before. "Mijn gegevens" is ${f0(r.myDataBytes)} B for the demo customer (session cookie from an HTTP sign-in; it reads the session, the store and the stand-in on every request).
- ¹ Two instances: a 2-core machine has no core to spare for them, so here instance A is on core 0 and instance B on core 1, and each has its own oha (not pinned) sharing the cores with them, the stand-in and PostgreSQL (not pinned). One instance is measured as above (portal on core 0, oha on core 1). The figure shows that instances add capacity against one shared database; it cannot show a machine's worth per instance.
- ² Sign-in storm: ${STORM_CONNECTIONS} connections posting a demo customer's correct password to the sign-in server function as fast as answered (${f0(r.storm.signIns.total)} sign-ins in ${SECONDS + 2 * WARMUP} s, every one a redirect to the account page), after a ${WARMUP} s head start; meanwhile the policy page and "Mijn gegevens" at ${STORM_SHARE * 100}% of their maximum rate (8 connections each, open loop), compared with the same rates without the storm. Memory: \`/proc/<pid>/status\`, \`VmHWM\` reset through \`clear_refs\` before the storm.
- ³ \`server/benches/export.rs\` (\`cargo bench -p server --bench export\`, pinned to core ${SERVER_CPU}): one account with 100,000 records on SQLite through the job runner, beside reading the same records page by page; peak RSS growth via \`VmHWM\`. Goals from the export issue.
- ⁴ The files the policy page names (${r.bytes.map((b) => `\`${b.name}\``).join(', ')}; every hydrated page loads the same ones), each compressed with \`gzip -9\`; "as the portal sends them": the bytes of a GET with \`Accept-Encoding: gzip, deflate, br, zstd\`.
- ⁵ Chromium (Playwright) with JavaScript off and every .js/.wasm request refused: "Alles weigeren" on the banner of \`/nl\`, then \`/nl\` again: the banner is gone and \`portal_consent\` is set. Measured: the bytes of script or wasm the browser received.
- ⁶ Lighthouse ${lh?.version ?? ''} defaults (form factor ${lh?.formFactor ?? 'mobile'}, simulated slow 4G and 4× CPU slowdown), Debian Chromium headless, pinned to core ${LOAD_CPU}; "Mijn gegevens" with the session cookie as an extra header; no cookie choice made (the banner shows).

Reproduce: \`make bench\` (builds, installs oha and Lighthouse, runs everything; about ${Math.max(1, Math.round(r.minutes))} minutes after the builds). Settings: \`BENCH_SECONDS\`, \`BENCH_CONNECTIONS\`, \`BENCH_STORM_SHARE\`, \`BENCH_LIGHTHOUSE=0\` (see \`bench/run.mjs\`). Figures only: a missed goal does not fail the command.
`;
}

main().catch((error) => {
  console.error(error);
  console.error('bench: the servers\' logs are in /tmp/portal-bench-*');
  stopAll();
  process.exit(1);
});
