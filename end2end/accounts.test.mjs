// Account journeys in a real browser, each with JavaScript on (hydrated, forms sent by fetch)
// and off (plain form posts): register → confirm from the outbox → sign in → sign out; reset a
// forgotten password; staff sign-in with two-step verification.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { hydrated, mailTo, openPage, startBrowser, startPortal, totp } from './support/portal.mjs';

const PASSWORD = 'Zeilboot-Lantaarn-Heide-93';
const NEW_PASSWORD = 'Nieuwe-Regenjas-Tuinpad-88';

let portal;
let browser;

before(async () => {
  portal = await startPortal();
  browser = await startBrowser();
});

after(async () => {
  await browser?.close();
  await portal?.stop();
});

// A refused form answers the hydrated page's fetch with 4xx, which Chromium logs as an error;
// those are the journeys' expected refusals. Anything else is a real error.
function unexpected(errors) {
  return errors.filter((e) => !/the server responded with a status of (422|429)/.test(e));
}

async function open(javaScriptEnabled) {
  const opened = await openPage(browser, { locale: 'nl-NL', javaScriptEnabled });
  const go = async (path) => {
    await opened.page.goto(portal.url + path);
    if (javaScriptEnabled) await hydrated(opened.page);
  };
  return { ...opened, go };
}

async function signIn(page, go, email, password) {
  await go('/nl/sign-in');
  await page.getByLabel('E-mailadres').fill(email);
  await page.getByLabel('Wachtwoord', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Inloggen' }).click();
}

async function signOut(page) {
  await page.getByRole('button', { name: 'Uitloggen' }).click();
  await page.waitForURL(/\/nl\/sign-in\?notice=signed-out$/);
  assert.match(await page.locator('.notice').innerText(), /Je bent uitgelogd/);
}

for (const javaScriptEnabled of [true, false]) {
  const mode = javaScriptEnabled ? 'with JavaScript' : 'without JavaScript';
  const tag = javaScriptEnabled ? 'js' : 'nojs';

  describe(`account journeys ${mode}`, () => {
    test('register, confirm from the outbox, sign in and sign out', async () => {
      const email = `sanne.${tag}@bakkerij.example`;
      const { page, errors, close, go } = await open(javaScriptEnabled);

      await go('/nl/register');
      await page.getByLabel('E-mailadres').fill('geen-adres');
      await page.getByLabel('Wachtwoord').fill('kort');
      await page.getByRole('button', { name: 'Account aanmaken' }).click();
      await page.locator('.field-error').first().waitFor();
      assert.match(await page.locator('#field-email-error').innerText(), /geldig e-mailadres/);
      assert.match(await page.locator('#field-password-error').innerText(), /minstens 8/i);

      await page.getByLabel('E-mailadres').fill(email);
      await page.getByLabel('Wachtwoord').fill(PASSWORD);
      await page.getByRole('button', { name: 'Account aanmaken' }).click();
      await page.waitForURL(/\/nl\/check-mail$/);
      // "Check your mail" repeats the address, and sends the mail again, once a minute.
      assert.equal(await page.getByTestId('sent-to').innerText(), email);
      await page.getByRole('button', { name: 'Stuur de e-mail opnieuw' }).click();
      await page.waitForURL(/\/nl\/check-mail\?notice=mail-resent$/);
      await page.getByRole('button', { name: 'Stuur de e-mail opnieuw' }).click();
      await page.locator('.error-summary').waitFor();
      assert.match(await page.locator('.error-summary').innerText(), /opnieuw laten sturen/);

      const mail = await mailTo(portal.outbox, email);
      assert.equal(mail.subject, 'Bevestig je e-mailadres');
      const again = await mailTo(portal.outbox, email);
      assert.equal(again.subject, 'Bevestig je e-mailadres', 'the mail sent again');
      await page.goto(portal.url + again.link);
      await page.waitForURL(/\/nl\/sign-in\?notice=confirmed$/);
      assert.match(await page.locator('.notice').innerText(), /bevestigd/);
      assert.equal(await page.getByLabel('E-mailadres').inputValue(), email, 'the form starts with the confirmed address');

      await signIn(page, go, email, 'Verkeerd-Maar-Lang-Genoeg');
      // The error summary comes first, with and without JavaScript.
      await page.locator('.error-summary').waitFor();
      assert.match(await page.locator('.error-summary').innerText(), /Er is een probleem[\s\S]*horen niet bij elkaar/);
      if (!javaScriptEnabled) assert.match(page.url(), /\/nl\/sign-in#error-summary$/, 'a clean address, at the summary');

      await signIn(page, go, email, PASSWORD);
      await page.waitForURL(/\/nl\/account$/);
      assert.equal(await page.getByTestId('account-email').innerText(), email);
      await signOut(page);
      await go('/nl/account');
      await page.waitForURL(/\/nl\/sign-in$/);
      assert.deepEqual(unexpected(errors), []);
      await close();
    });

    test('reset a forgotten password', async () => {
      const email = `mark.${tag}@installatie.example`;
      const { page, errors, close, go } = await open(javaScriptEnabled);
      await go('/nl/register');
      await page.getByLabel('E-mailadres').fill(email);
      await page.getByLabel('Wachtwoord').fill(PASSWORD);
      await page.getByRole('button', { name: 'Account aanmaken' }).click();
      await page.waitForURL(/\/nl\/check-mail$/);
      await page.goto(portal.url + (await mailTo(portal.outbox, email)).link);

      await go('/nl/forgot-password');
      await page.getByLabel('E-mailadres').fill(email);
      await page.getByRole('button', { name: 'Stuur de link' }).click();
      await page.waitForURL(/\/nl\/check-mail\?sent=reset$/);
      const mail = await mailTo(portal.outbox, email);
      assert.equal(mail.subject, 'Nieuw wachtwoord instellen');

      await page.goto(portal.url + mail.link);
      await page.waitForURL(/\/nl\/reset-password$/, { timeout: 10_000 });
      assert.doesNotMatch(page.url(), /token/, 'the token leaves the address bar');
      if (javaScriptEnabled) await hydrated(page);
      await page.getByLabel('Nieuw wachtwoord').fill(NEW_PASSWORD);
      await page.getByRole('button', { name: 'Wachtwoord instellen' }).click();
      await page.waitForURL(/\/nl\/sign-in\?notice=password-reset$/);

      await signIn(page, go, email, NEW_PASSWORD);
      await page.waitForURL(/\/nl\/account$/);
      await signOut(page);

      await page.goto(portal.url + mail.link);
      await page.waitForURL(/\/nl\/forgot-password\?notice=link-invalid$/);
      assert.deepEqual(unexpected(errors), []);
      await close();
    });

    test('staff set up two-step sign-in at the first sign-in and use a code at every sign-in', async () => {
      const email = `support.${tag}@cloud4companies.example`;
      await portal.run(['create-staff', '--role', 'support', '--email', email], `${PASSWORD}\n`);
      const { page, errors, close, go } = await open(javaScriptEnabled);

      await signIn(page, go, email, PASSWORD);
      await page.waitForURL(/\/nl\/account\/two-step$/);
      // With JavaScript the router renders this page in the browser and fetches the set-up:
      // wait for it rather than counting at once.
      await page.locator('.qr svg').waitFor({ timeout: 10_000 });
      assert.equal(await page.locator('.qr svg').count(), 1, 'a QR code is shown');
      const secret = await page.getByTestId('totp-secret').innerText();
      await page.getByLabel('Code uit de app').fill('000000');
      await page.getByRole('button', { name: 'Aanzetten' }).click();
      await page.locator('#field-code-error').waitFor();
      await page.getByLabel('Code uit de app').fill(totp(secret));
      await page.getByRole('button', { name: 'Aanzetten' }).click();
      await page.waitForURL(/\/nl\/account\?notice=two-step-on$/);
      await signOut(page);

      await signIn(page, go, email, PASSWORD);
      await page.waitForURL(/\/nl\/sign-in\/code$/);
      if (javaScriptEnabled) await hydrated(page);
      await page.getByLabel('Code').fill(totp(secret, 1));
      await page.getByRole('button', { name: 'Verder' }).click();
      await page.waitForURL(/\/nl\/account$/);
      assert.equal(await page.getByTestId('account-email').innerText(), email);
      await signOut(page);
      assert.deepEqual(unexpected(errors), []);
      await close();
    });
  });
}
