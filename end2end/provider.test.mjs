// Data at the provider, in a real browser with JavaScript on and off: a demo customer asks for
// their numbers to be taken out of the telephone directory while the stand-in provider is down,
// sees the request pending with its last attempt (never an error page, never "done"), and sees
// it carried out once the provider is back.
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

// Reloads until the request's row shows `text`; the page is never an error page meanwhile.
async function rowShows(page, text) {
  for (let i = 0; i < 100; i++) {
    const response = await page.reload();
    assert.equal(response.status(), 200);
    const row = page.locator('[data-testid="provider-requests"] tbody tr').first();
    if ((await row.count()) > 0 && (await row.innerText()).includes(text)) return row;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.fail(`the request never showed "${text}"`);
}

const journeys = [
  {
    javaScriptEnabled: true,
    locale: 'nl-NL',
    lang: 'nl',
    email: 'sanne.devries@bakkerij-devries.example',
    password: 'Tulpen-Fiets-Gracht-2026',
    words: {
      email: 'E-mailadres', password: 'Wachtwoord', signIn: 'Inloggen', link: 'Gegevens bij onze leverancier',
      ask: 'Haal mijn nummers uit de telefoongids', asked: 'verzoek doorgegeven', pending: 'laatste poging', done: 'Uitgevoerd door Operator Online',
    },
  },
  {
    javaScriptEnabled: false,
    locale: 'en-GB',
    lang: 'en',
    email: 'mark.jansen@jansen-installatie.example',
    password: 'Molen-Kaas-Regen-Dijk-7',
    words: {
      email: 'E-mail address', password: 'Password', signIn: 'Sign in', link: 'Data at our provider',
      ask: 'Remove my numbers from the directory', asked: 'passed your request on', pending: 'last attempt', done: 'Carried out by Operator Online',
    },
  },
];

for (const { javaScriptEnabled, locale, lang, email, password, words } of journeys) {
  const mode = javaScriptEnabled ? 'with JavaScript' : 'without JavaScript';
  describe(`data at the provider ${mode}`, () => {
    test('a directory unlisting is pending while the provider is down and done when it is back', async () => {
      const { page, errors, close } = await openPage(browser, { locale, javaScriptEnabled });
      const go = async (path) => {
        await page.goto(portal.url + path);
        if (javaScriptEnabled) await hydrated(page);
      };
      await standIn.faults({ down: true });

      await go(`/${lang}/sign-in`);
      await page.getByLabel(words.email).fill(email);
      await page.getByLabel(words.password, { exact: true }).fill(password);
      await page.getByRole('button', { name: words.signIn }).click();
      await page.waitForURL(new RegExp(`/${lang}/account`));
      await page.getByRole('link', { name: words.link }).click();
      await page.waitForURL(new RegExp(`/${lang}/account/provider$`));

      await page.getByRole('button', { name: words.ask }).click();
      await page.waitForURL(/notice=unlist-requested$/);
      assert.match(await page.locator('.notice').innerText(), new RegExp(words.asked));

      const pending = await rowShows(page, words.pending);
      assert.equal(await pending.getAttribute('data-state'), 'pending');
      if (javaScriptEnabled) await page.screenshot({ path: 'docs/provider-pending.png', fullPage: true });

      await standIn.faults({});
      const done = await rowShows(page, words.done);
      assert.equal(await done.getAttribute('data-state'), 'done');
      assert.equal(await page.locator('[data-testid="provider-requests"] tbody tr').count(), 1);

      assert.deepEqual(errors, []);
      await close();
    });
  });
}
