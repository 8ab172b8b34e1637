// Rights requests in a real browser: customers file from "Mijn verzoeken" (Sanne with
// JavaScript, Mark without), a support member works the queue without JavaScript — answers a
// provider-identity request from the configuration and extends another with a reason — and the
// customers read the answer, the new deadline, and who at the company looked at their data.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { hydrated, openPage, startBrowser, startPortal, startStandIn, totp } from './support/portal.mjs';

const SUPPORT = 'support.e2e@cloud4companies.example';
const PASSWORD = 'Zeilboot-Lantaarn-Heide-93';
const SANNE = { email: 'sanne.devries@bakkerij-devries.example', password: 'Tulpen-Fiets-Gracht-2026' };
const MARK = { email: 'mark.jansen@jansen-installatie.example', password: 'Molen-Kaas-Regen-Dijk-7' };

let standIn;
let portal;
let browser;
let support;
let identityRequest;

function unexpected(errors) {
  return errors.filter((e) => !/the server responded with a status of 422/.test(e));
}

async function open(javaScriptEnabled, locale = 'nl-NL') {
  const opened = await openPage(browser, { locale, javaScriptEnabled });
  const go = async (path) => {
    await opened.page.goto(portal.url + path);
    if (javaScriptEnabled) await hydrated(opened.page);
  };
  return { ...opened, go };
}

async function signIn({ page, go }, email, password, lang = 'nl') {
  const words = lang === 'nl'
    ? { email: 'E-mailadres', password: 'Wachtwoord', button: 'Inloggen' }
    : { email: 'E-mail address', password: 'Password', button: 'Sign in' };
  await go(`/${lang}/sign-in`);
  await page.getByLabel(words.email).fill(email);
  await page.getByLabel(words.password, { exact: true }).fill(password);
  await page.getByRole('button', { name: words.button }).click();
}

// The date `months` calendar months after `day` (YYYY-MM-DD), on the month's last day when it
// is shorter — written out here, so the test does not use the code it checks.
function addMonths(day, months) {
  const [y, m, d] = day.split('-').map(Number);
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

// A day (YYYY-MM-DD) as the portal writes it: "31 mei 2027" / "31 May 2027".
function inWords(day, lang = 'nl') {
  return new Date(`${day}T00:00:00Z`).toLocaleDateString(lang === 'nl' ? 'nl-NL' : 'en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}

function todayInAmsterdam() {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam' }).format(new Date());
}

before(async () => {
  standIn = await startStandIn();
  portal = await startPortal({ standIn });
  await portal.run(['seed-demo']);
  await portal.run(['create-staff', '--role', 'support', '--email', SUPPORT], `${PASSWORD}\n`);
  browser = await startBrowser();
  // The support member signs in once, without JavaScript, and sets up two-step sign-in.
  support = await open(false);
  await signIn(support, SUPPORT, PASSWORD);
  await support.page.waitForURL(/\/nl\/account\/two-step$/);
  const secret = await support.page.getByTestId('totp-secret').innerText();
  await support.page.getByLabel('Code uit de app').fill(totp(secret));
  await support.page.getByRole('button', { name: 'Aanzetten' }).click();
  await support.page.waitForURL(/\/nl\/account\?notice=two-step-on$/);
});

after(async () => {
  await support?.close();
  await browser?.close();
  await portal?.stop();
  await standIn?.stop();
});

test('a customer files a provider-identity request, support answers it from the queue, the customer reads the answer', async () => {
  const sanne = await open(true);
  await signIn(sanne, SANNE.email, SANNE.password);
  await sanne.page.waitForURL(/\/nl\/account$/);
  await sanne.page.getByRole('main').getByRole('link', { name: 'Mijn verzoeken' }).click();
  await sanne.page.waitForURL(/\/nl\/requests$/);
  await hydrated(sanne.page);
  await sanne.page.getByLabel('Soort verzoek').selectOption('provider-identity');
  await sanne.page.getByLabel('Je vraag of toelichting').fill('Wie is de externe aanbieder achter mijn telefonie?');
  await sanne.page.getByRole('button', { name: 'Verzoek indienen' }).click();
  await sanne.page.waitForURL(/\/nl\/requests\?notice=request-filed$/);
  const row = sanne.page.locator('#my-requests tbody tr', { hasText: 'Wie onze leverancier is' }).first();
  await row.waitFor();
  identityRequest = await row.getAttribute('data-request');
  assert.equal(await row.getAttribute('data-stage'), 'open');
  assert.match(await row.locator('.due').innerText(), new RegExp(inWords(addMonths(todayInAmsterdam(), 1))));

  await support.go('/nl/admin');
  const queued = support.page.locator(`#queue tr[data-request="${identityRequest}"]`);
  assert.equal(await queued.count(), 1, 'the request is in the queue');
  await queued.getByRole('link').click();
  await support.page.waitForURL(new RegExp(`/nl/admin/requests/${identityRequest}$`));
  await support.page.getByRole('button', { name: 'Beantwoorden uit de configuratie' }).click();
  await support.page.waitForURL(/notice=request-completed$/);
  assert.equal(await support.page.locator('#request-stage').getAttribute('data-stage'), 'completed');

  await sanne.go(`/nl/requests/${identityRequest}`);
  assert.equal(await sanne.page.locator('#request-stage').getAttribute('data-stage'), 'completed');
  const answer = sanne.page.locator('#thread li[data-event="completed"] .body');
  assert.match(await answer.innerText(), /Onze externe wholesale-aanbieder is Operator Online/);
  assert.deepEqual(unexpected(sanne.errors), []);
  await sanne.close();
});

test('support extends a request with a reason and the customer sees the new deadline', async () => {
  const mark = await open(false, 'en-GB');
  await signIn(mark, MARK.email, MARK.password, 'en');
  await mark.page.waitForURL(/\/en\/account$/);
  await mark.go('/en/requests');
  await mark.page.getByLabel('Kind of request').selectOption('question');
  await mark.page.getByLabel('Your question or explanation').fill('Which of my data do you share with suppliers?');
  await mark.page.getByRole('button', { name: 'File the request' }).click();
  await mark.page.waitForURL(/\/en\/requests\?notice=request-filed$/);
  const id = await mark.page.locator('#my-requests tbody tr', { hasText: 'Question, tip or complaint' }).first().getAttribute('data-request');

  await support.go(`/nl/admin/requests/${id}`);
  // One thing first (take it on); extending waits behind its own heading.
  await support.page.getByRole('button', { name: 'Neem in behandeling' }).waitFor();
  await support.page.locator('#extend-action > summary').click();
  await support.page.getByRole('button', { name: 'Verlengen' }).click();
  await support.page.locator('#extend-reason-error').waitFor();
  await support.page.locator('#extend-months').selectOption('2');
  await support.page.locator('#extend-reason').fill('We need the supplier list from the provider first.');
  await support.page.getByRole('button', { name: 'Verlengen' }).click();
  await support.page.waitForURL(/notice=request-extended$/);

  await mark.go(`/en/requests/${id}`);
  assert.equal(await mark.page.locator('#request-due').innerText(), inWords(addMonths(todayInAmsterdam(), 3), 'en'));
  const reason = mark.page.locator('#thread li[data-event="extended"] .body');
  assert.equal(await reason.innerText(), 'We need the supplier list from the provider first.');
  assert.deepEqual(unexpected(mark.errors), []);
  await mark.close();
});

test('the customer sees that support looked at their data, and when', async () => {
  assert.ok(identityRequest, 'the first test filed a request');
  const sanne = await open(true);
  await signIn(sanne, SANNE.email, SANNE.password);
  await sanne.page.waitForURL(/\/nl\/account$/);
  await sanne.go('/nl/my-data');
  const entries = sanne.page.locator('#staff-access li[data-access]');
  assert.ok((await entries.count()) >= 1, 'an entry');
  const entry = await entries.first().innerText();
  assert.match(entry, new RegExp(`${SUPPORT.replace(/\./g, '\\.')} \\(klantenservice\\)`));
  // Kept two years with the requests, deleted the day after (calendar dates, as the purge counts).
  // Calendar years: 29 February + 2 years is 28 February (then the day after).
  const now = new Date();
  const kept = new Date(Date.UTC(now.getUTCFullYear() + 2, now.getUTCMonth(), 1));
  const lastDay = new Date(Date.UTC(kept.getUTCFullYear(), kept.getUTCMonth() + 1, 0)).getUTCDate();
  kept.setUTCDate(Math.min(now.getUTCDate(), lastDay) + 1);
  const gone = kept.toLocaleDateString('nl-NL', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
  assert.match(entry, new RegExp(`Verzoek ${identityRequest} — verwijderd op ${gone}$`));
  assert.match(entry, /^\d{1,2} [a-z]+ \d{4} om \d{2}:\d{2}/);
  assert.deepEqual(unexpected(sanne.errors), []);
  await sanne.close();
});
