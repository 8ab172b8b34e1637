// "Mijn gegevens" / "My data" in a real browser, with JavaScript on (Dutch) and off (English):
// every category with its facts, the holder's own items, the provider's part fetched live from
// the stand-in, readable on a phone without sideways scrolling.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { hydrated, openPage, startBrowser, startPortal, startStandIn } from './support/portal.mjs';

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

const visits = [
  {
    javaScriptEnabled: true, locale: 'nl-NL', lang: 'nl',
    email: 'sanne.devries@bakkerij-devries.example', password: 'Tulpen-Fiets-Gracht-2026',
    words: { email: 'E-mailadres', password: 'Wachtwoord', signIn: 'Inloggen', link: 'Mijn gegevens', basis: 'Grondslag', fetched: 'Zojuist opgehaald bij Operator Online', empty: 'Hiervan bewaren we niets over jou.', phone: 'Telefoonnummer', postcode: 'Postcode', save: 'Correcties opslaan', badPhone: 'Vul een telefoonnummer in', saved: 'Je gegevens zijn gecorrigeerd.' },
    mine: '+31201234567', theirs: '+31307654321',
  },
  {
    javaScriptEnabled: false, locale: 'en-GB', lang: 'en',
    email: 'mark.jansen@jansen-installatie.example', password: 'Molen-Kaas-Regen-Dijk-7',
    words: { email: 'E-mail address', password: 'Password', signIn: 'Sign in', link: 'My data', basis: 'Legal basis', fetched: 'Just fetched from Operator Online', empty: 'We hold nothing of this kind about you.', phone: 'Phone number', postcode: 'Postcode', save: 'Save corrections', badPhone: 'Enter a phone number', saved: 'Your data was corrected.' },
    mine: '+31307654321', theirs: '+31201234567',
  },
];

for (const { javaScriptEnabled, locale, lang, email, password, words, mine, theirs } of visits) {
  const mode = javaScriptEnabled ? 'with JavaScript' : 'without JavaScript';
  describe(`my data ${mode} (${lang})`, () => {
    test('every category with its facts and the holder’s own items, on a phone too', async () => {
      const { page, errors, close } = await openPage(browser, { locale, javaScriptEnabled });
      await page.goto(`${portal.url}/${lang}/sign-in`);
      if (javaScriptEnabled) await hydrated(page);
      await page.getByLabel(words.email).fill(email);
      await page.getByLabel(words.password, { exact: true }).fill(password);
      await page.getByRole('button', { name: words.signIn }).click();
      await page.waitForURL(new RegExp(`/${lang}/account`));
      await page.getByRole('link', { name: words.link }).click();
      await page.waitForURL(new RegExp(`/${lang}/my-data$`));

      const sections = page.locator('section[data-category]');
      // With JavaScript the router renders the page in the browser once its data has arrived.
      await sections.last().waitFor();
      assert.equal(await sections.count(), 12);
      for (let i = 0; i < 12; i++) {
        assert.match(await sections.nth(i).locator('dl.facts').innerText(), new RegExp(words.basis));
      }
      const provider = await page.locator('[data-category="provider-numbers-services"]').innerText();
      assert.match(provider, new RegExp(words.fetched));
      const body = await page.locator('main').innerText();
      assert.ok(body.includes(mine) && !body.includes(theirs), 'only the holder’s own numbers');
      assert.ok(body.includes(email));
      assert.match(await page.locator('[data-category="quote-requests"]').innerText(), new RegExp(words.empty));

      await page.setViewportSize({ width: 360, height: 740 });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `no sideways scrolling on a phone (${overflow}px)`);
      if (javaScriptEnabled) {
        await page.setViewportSize({ width: 1280, height: 900 });
        await page.screenshot({ path: 'docs/my-data.png', fullPage: false });
      }
      assert.deepEqual(errors, []);
      await close();
    });

    test('correcting the profile: a bad value gets a message at its field, a good one is saved', async () => {
      const { page, errors, close } = await openPage(browser, { locale, javaScriptEnabled });
      await page.goto(`${portal.url}/${lang}/sign-in`);
      if (javaScriptEnabled) await hydrated(page);
      await page.getByLabel(words.email).fill(email);
      await page.getByLabel(words.password, { exact: true }).fill(password);
      await page.getByRole('button', { name: words.signIn }).click();
      await page.waitForURL(new RegExp(`/${lang}/account`));
      await page.goto(`${portal.url}/${lang}/my-data`);
      if (javaScriptEnabled) await hydrated(page);

      await page.getByLabel(words.phone).fill('bel me');
      await page.getByRole('button', { name: words.save }).click();
      await page.locator('#field-phone-error').waitFor();
      assert.match(await page.locator('#field-phone-error').innerText(), new RegExp(words.badPhone));
      assert.equal(await page.getByLabel(words.phone).getAttribute('aria-invalid'), 'true');

      await page.getByLabel(words.phone).fill('06 12345678');
      await page.getByLabel(words.postcode).fill('3511ab');
      await page.getByRole('button', { name: words.save }).click();
      await page.waitForURL(/notice=profile-corrected/);
      assert.match(await page.locator('.notice').innerText(), new RegExp(words.saved));
      const account = page.locator('[data-category="account"] dl.item');
      await account.filter({ hasText: '+31612345678' }).waitFor();
      assert.match(await account.innerText(), /3511 AB/);
      // With JavaScript the browser caught the bad value itself: the server only saw the good one.
      assert.deepEqual(errors.filter((e) => !/status of 422/.test(e)), []);
      await close();
    });
  });
}
