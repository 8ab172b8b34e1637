// "Verwijder mijn account" in a real browser: delete with the cool-off and call it off by
// signing in again (with JavaScript); delete at once while the provider is down, watch the
// status page say so honestly, then see it complete once the provider is back (without
// JavaScript: the forms and the "Vernieuwen" link are plain HTML).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { hydrated, mailTo, openPage, startBrowser, startPortal, startStandIn } from './support/portal.mjs';

const sanne = { email: 'sanne.devries@bakkerij-devries.example', password: 'Tulpen-Fiets-Gracht-2026' };
const mark = { email: 'mark.jansen@jansen-installatie.example', password: 'Molen-Kaas-Regen-Dijk-7' };

let standIn;
let portal;
let browser;

before(async () => {
  standIn = await startStandIn();
  portal = await startPortal({ standIn });
  await portal.run(['seed-demo']);
  browser = await startBrowser();
});

after(async () => {
  await browser?.close();
  await portal?.stop();
  await standIn?.stop();
});

async function signIn(page, who, { js = true } = {}) {
  await page.goto(`${portal.url}/nl/sign-in`);
  if (js) await hydrated(page);
  await page.getByLabel('E-mailadres').fill(who.email);
  await page.getByLabel('Wachtwoord', { exact: true }).fill(who.password);
  await page.getByRole('button', { name: 'Inloggen' }).click();
}

async function mailsTo(address, count) {
  const subjects = [];
  for (let i = 0; i < count; i++) subjects.push((await mailTo(portal.outbox, address)).subject);
  return subjects.sort();
}

test('delete with the cool-off, then call it off by signing in again', async () => {
  const { page, errors, close } = await openPage(browser, { locale: 'nl-NL' });
  await signIn(page, mark);
  await page.waitForURL(/\/nl\/account$/);
  await page.getByRole('main').getByRole('link', { name: 'Mijn gegevens' }).click();
  await page.getByRole('link', { name: 'Je account en al je gegevens laten verwijderen' }).click();
  await page.waitForURL(/\/nl\/my-data\/delete$/);

  // What goes, what stays and why, who is told.
  await page.locator('#erased-here li[data-category="account"]').waitFor();
  assert.match(await page.locator('#erased-at-provider').innerText(), /Nummers, diensten en simkaarten — \d+ items?/);
  const invoices = page.locator('#kept li[data-kept="invoices"]');
  assert.match(await invoices.innerText(), /Facturen \(2 items\): bewaard, losgemaakt van je account\. Fiscale bewaarplicht .* Uiterlijk tot 31 december \d{4}\./);
  assert.match(await page.locator('#told').innerText(), /Backup Specialisten B\.V\./);

  // Without the box ticked nothing happens, and the field says why.
  await page.getByRole('button', { name: 'Account verwijderen' }).click();
  await page.locator('#field-confirm-error').waitFor();
  assert.equal(await page.locator('#field-confirm-error').innerText(), 'Vink aan dat je je account en je gegevens wilt laten verwijderen.');
  assert.equal(await page.locator('#field-confirm').getAttribute('aria-invalid'), 'true');

  await page.getByLabel('Ja, verwijder mijn account en al mijn gegevens').check();
  await page.getByRole('button', { name: 'Account verwijderen' }).click();
  await page.waitForURL(/\/nl\/account-deletion\/[0-9a-f]{64}$/);
  const statusPage = page.url();
  const summary = page.locator('#deletion-summary');
  await summary.waitFor();
  assert.equal(await summary.getAttribute('data-phase'), 'scheduled');
  assert.match(await summary.innerText(), /Je account is gedeactiveerd\. Op \d{1,2} [a-z]+ \d{4} om \d{2}:\d{2} wissen we je gegevens\./);
  assert.equal(await page.locator('#deletion-steps li[data-system="portal"]').getAttribute('data-state'), 'waiting');

  // Deactivated: signed out everywhere.
  await page.goto(`${portal.url}/nl/account`);
  await page.waitForURL(/\/nl\/sign-in$/);

  // Signing in during the cool-off calls the deletion off.
  await signIn(page, mark);
  await page.waitForURL(/\/nl\/account\?notice=deletion-cancelled$/);
  await page.getByText('de verwijdering van je account is ingetrokken').waitFor();
  await page.goto(statusPage);
  await hydrated(page);
  assert.equal(await page.locator('#deletion-summary').getAttribute('data-phase'), 'cancelled');
  assert.deepEqual(await mailsTo(mark.email, 2), ['De verwijdering van je account is ingetrokken', 'We verwijderen je account']);
  // The one refusal was on purpose (the box not ticked).
  assert.deepEqual(errors.filter((e) => !/status of 422/.test(e)), []);
  await close();
});

test('delete at once while the provider is down: the status says so, then completes (without JavaScript)', async () => {
  const { page, errors, close } = await openPage(browser, { locale: 'nl-NL', javaScriptEnabled: false });
  await signIn(page, sanne, { js: false });
  await page.waitForURL(/\/nl\/account$/);
  await page.goto(`${portal.url}/nl/my-data/delete`);
  await page.locator('#delete-account').waitFor();

  await standIn.faults({ down: true });
  await page.getByLabel('Meteen (dit kan niet worden teruggedraaid)').check();
  await page.getByLabel('Ja, verwijder mijn account en al mijn gegevens').check();
  await page.getByRole('button', { name: 'Account verwijderen' }).click();
  await page.waitForURL(/\/nl\/account-deletion\/[0-9a-f]{64}$/);

  // Ours is gone at once; the provider's part is failing and retried — and the page says so.
  const step = (system) => page.locator(`#deletion-steps li[data-system="${system}"]`);
  for (let i = 0; i < 100 && (await step('directory').getAttribute('data-state')) !== 'retrying'; i++) {
    await new Promise((r) => setTimeout(r, 200));
    await page.getByRole('link', { name: 'Vernieuwen' }).click();
  }
  assert.equal(await step('portal').getAttribute('data-state'), 'done');
  assert.equal(await step('directory').getAttribute('data-state'), 'retrying');
  assert.match(await step('directory').innerText(), /Mislukt sinds .*; we proberen het vanzelf opnieuw/);
  assert.equal(await page.locator('#deletion-summary').getAttribute('data-complete'), 'false');
  assert.equal(await page.locator('#deletion-summary').getAttribute('data-phase'), 'running');

  await standIn.faults({});
  for (let i = 0; i < 100 && (await page.locator('#deletion-summary').getAttribute('data-complete')) !== 'true'; i++) {
    await new Promise((r) => setTimeout(r, 200));
    await page.getByRole('link', { name: 'Vernieuwen' }).click();
  }
  assert.equal(await page.locator('#deletion-summary').getAttribute('data-complete'), 'true');
  assert.match(await page.locator('#deletion-summary').innerText(), /Je account en je gegevens zijn gewist op/);
  for (const system of ['portal', 'directory', 'provider', 'recipients', 'confirmation']) {
    assert.equal(await step(system).getAttribute('data-state'), 'done', system);
  }
  assert.match(await page.locator('#deletion-recipients').innerText(), /Glasvezel Partners B\.V\.: ingelicht op/);
  assert.equal(await page.getByRole('link', { name: 'Vernieuwen' }).count(), 0, 'nothing left to wait for');

  // Signing in again finds no account.
  await signIn(page, sanne, { js: false });
  await page.getByText('Dit e-mailadres en dit wachtwoord horen niet bij elkaar').waitFor();
  assert.deepEqual(errors, []);
  await close();
});
