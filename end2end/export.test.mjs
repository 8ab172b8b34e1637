// "Download je gegevens" in a real browser: ask for a copy, watch it being made (the stand-in
// answers slowly, so the provider's part takes a while), confirm the password again once the
// step-up window has passed, download the ZIP, and open its index.html.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hydrated, mailTo, openPage, startBrowser, startPortal, startStandIn } from './support/portal.mjs';

const REAUTH_SECONDS = 3;
const sanne = { email: 'sanne.devries@bakkerij-devries.example', password: 'Tulpen-Fiets-Gracht-2026' };

let standIn;
let portal;
let browser;
let unpacked;

before(async () => {
  standIn = await startStandIn();
  portal = await startPortal({
    standIn,
    env: {
      APP_PROVIDER_API__ATTEMPT_TIMEOUT: '5s',
      APP_JOBS__LEASE: '60s',
      APP_SESSION__REAUTH_VALID: `${REAUTH_SECONDS}s`,
    },
  });
  await portal.run(['seed-demo']);
  browser = await startBrowser();
  unpacked = await mkdtemp(join(tmpdir(), 'export-e2e-'));
});

after(async () => {
  await browser?.close();
  await portal?.stop();
  await standIn?.stop();
  if (unpacked) await rm(unpacked, { recursive: true, force: true });
});

test('ask for a copy, watch it being made, confirm the password, download it and read index.html', async () => {
  await standIn.faults({ latency_ms: 1500 });
  const { page, errors, close } = await openPage(browser, { locale: 'nl-NL' });
  await page.goto(`${portal.url}/nl/sign-in`);
  await hydrated(page);
  await page.getByLabel('E-mailadres').fill(sanne.email);
  await page.getByLabel('Wachtwoord', { exact: true }).fill(sanne.password);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.waitForURL(/\/nl\/account$/);
  const signedInAt = Date.now();

  await page.getByRole('main').getByRole('link', { name: 'Mijn gegevens' }).click();
  await page.getByRole('link', { name: 'Download een kopie van al je gegevens' }).click();
  await page.waitForURL(/\/nl\/my-data\/export$/);
  await page.getByText('Je hebt nog geen kopie aangevraagd.').waitFor();
  await page.getByRole('button', { name: 'Kopie van mijn gegevens aanvragen' }).click();

  // The page looks again every second: first the sources being read, with the provider's
  // (slow) part among them, then the finished copy.
  const item = page.locator('#exports li[data-export]').first();
  await item.locator('progress').waitFor();
  const provider = item.locator('[data-progress="provider"]');
  await provider.waitFor({ timeout: 15_000 });
  assert.match(await provider.innerText(), /Bezig: Operator Online — bron \d+ van 12, \d+ items tot nu toe\./);
  assert.equal(await page.getByRole('button', { name: 'Kopie van mijn gegevens aanvragen' }).isDisabled(), true);
  await page.locator('#exports li[data-state="ready"]').waitFor({ timeout: 20_000 });
  assert.match(await item.innerText(), /Klaar\. Te downloaden tot \d{1,2} [a-z]+ \d{4} om \d{2}:\d{2} \(\d+ KB\)\./);
  const mail = await mailTo(portal.outbox, sanne.email);
  assert.equal(mail.subject, 'Je gegevens staan klaar om te downloaden');

  // Past the step-up window: the download asks for the password first.
  const wait = REAUTH_SECONDS * 1000 + 500 - (Date.now() - signedInAt);
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  await item.getByRole('link', { name: 'Download (ZIP)' }).click();
  await page.waitForURL(/\/nl\/account\/confirm-identity\?next=/);
  await page.getByLabel('Wachtwoord', { exact: true }).fill(sanne.password);
  await page.getByRole('button', { name: 'Bevestigen' }).click();
  // Back on the downloads page; this time the download starts.
  await page.waitForURL(/\/nl\/my-data\/export$/);
  const downloading = page.waitForEvent('download');
  await page.locator('#exports li[data-state="ready"]').getByRole('link', { name: 'Download (ZIP)' }).click();
  const download = await downloading;
  assert.match(download.suggestedFilename(), /^mijn-gegevens-\d{4}-\d{2}-\d{2}\.zip$/);
  const zip = join(unpacked, 'export.zip');
  await download.saveAs(zip);
  execFileSync('unzip', ['-q', zip, '-d', join(unpacked, 'files')]);
  const files = (await readdir(join(unpacked, 'files'))).sort();
  assert.deepEqual(files, ['csv', 'data.json', 'index.html', 'manifest.json', 'schema.json']);

  const copy = await browser.newContext({ javaScriptEnabled: false });
  const reader = await copy.newPage();
  await reader.goto(`file://${join(unpacked, 'files', 'index.html')}`);
  assert.equal(await reader.locator('h1').innerText(), 'Jouw gegevens bij Cloud4Companies');
  assert.equal(await reader.locator('section[data-state]').count(), 12);
  const numbers = await reader.locator('#provider-numbers-services').innerText();
  assert.match(numbers, /\+31201234567/);
  assert.match(numbers, /Operator Online/);
  assert.match(await reader.locator('#rights').innerText(), /Autoriteit Persoonsgegevens/);
  await copy.close();

  assert.deepEqual(errors, []);
  await close();
  await standIn.faults({});
});
