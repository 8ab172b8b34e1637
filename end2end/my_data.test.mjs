// "Mijn gegevens" / "My data" in a real browser, with JavaScript on (Dutch) and off (English):
// every category with its facts, the holder's own items, the provider's part fetched live from
// the stand-in, readable on a phone without sideways scrolling; correcting the profile (the
// supplier that received it is told), a field at the provider (told once it applied it), a
// request with a statement, and objecting to direct marketing.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { hydrated, mailTo, openPage, startBrowser, startPortal, startStandIn } from './support/portal.mjs';

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
    words: { email: 'E-mailadres', password: 'Wachtwoord', signIn: 'Inloggen', link: 'Mijn gegevens', basis: 'Grondslag', fetched: 'Zojuist opgehaald bij Operator Online', empty: 'Hiervan bewaren we niets over jou.', phone: 'Telefoonnummer', postcode: 'Postcode', save: 'Correcties opslaan', badPhone: 'Vul een telefoonnummer in', saved: 'Je gegevens zijn gecorrigeerd.', wrong: 'Klopt hier iets niet? Corrigeer het', field: 'Gegeven', value: 'Juiste waarde', send: 'Correctie doorgeven', sent: 'aan onze leverancier doorgegeven', told: 'verteld op', kind: 'Soort verzoek', about: 'Over welke gegevens', statement: 'Je verklaring of toelichting', file: 'Verzoek indienen', emptyStatement: 'Schrijf hier wat je ons wilt vragen', filed: 'We hebben je verzoek ontvangen', toBeTold: 'wordt verteld zodra de correctie is gemaakt', stopMarketing: 'Geen direct marketing meer', objected: 'Je krijgt van ons geen direct marketing meer' },
    mine: '+31201234567', theirs: '+31307654321', supplier: 'offertes@glasvezelpartners.example', porting: 'Nummerbehoud (porteringen)',
    fix: { category: 'provider-directory', field: 'city', value: 'Zaandam' },
  },
  {
    javaScriptEnabled: false, locale: 'en-GB', lang: 'en',
    email: 'mark.jansen@jansen-installatie.example', password: 'Molen-Kaas-Regen-Dijk-7',
    words: { email: 'E-mail address', password: 'Password', signIn: 'Sign in', link: 'My data', basis: 'Legal basis', fetched: 'Just fetched from Operator Online', empty: 'We hold nothing of this kind about you.', phone: 'Phone number', postcode: 'Postcode', save: 'Save corrections', badPhone: 'Enter a phone number', saved: 'Your data was corrected.', wrong: 'Something wrong here? Correct it', field: 'Field', value: 'Correct value', send: 'Send correction', sent: 'passed your correction on to our provider', told: 'told on', kind: 'Kind of request', about: 'About which data', statement: 'Your statement or reason', file: 'File the request', emptyStatement: 'Write here what you want to ask or tell us', filed: 'We received your request', toBeTold: 'will be told once the correction is made', stopMarketing: 'No more direct marketing', objected: 'You will get no more direct marketing' },
    mine: '+31307654321', theirs: '+31201234567', supplier: 'sales@backupspecialisten.example', porting: 'Number porting',
    fix: { category: 'provider-numbers-services', field: 'holder_name', value: 'Jansen Installatie B.V.' },
  },
];

for (const { javaScriptEnabled, locale, lang, email, password, words, mine, theirs, supplier, porting, fix } of visits) {
  const mode = javaScriptEnabled ? 'with JavaScript' : 'without JavaScript';
  describe(`my data ${mode} (${lang})`, () => {
    test('every category with its facts and the holder’s own items, on a phone too', async () => {
      const { page, errors, close } = await openPage(browser, { locale, javaScriptEnabled });
      await signIn(page, { lang, email, password, words, javaScriptEnabled });
      await page.getByRole('main').getByRole('link', { name: words.link }).click();
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
      // Consent records arrive with the cookie banner; until then the category says it is empty.
      assert.match(await page.locator('[data-category="consent-records"]').innerText(), new RegExp(words.empty));
      assert.match(await page.locator('[data-category="quote-requests"] dl.item').innerText(), /OFF-\d{6}/);

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
      await signIn(page, { lang, email, password, words, javaScriptEnabled });
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
      // The supplier that received these details with a quote request is told (Art. 19).
      const mail = await mailTo(portal.outbox, supplier);
      assert.match(mail.text, /\+31612345678/);
      assert.match(await reloadUntil(page, `/${lang}/my-data`, '#corrections li[data-told="yes"]', /./), new RegExp(words.told));
      // With JavaScript the browser caught the bad value itself: the server only saw the good one.
      assert.deepEqual(errors.filter((e) => !/status of 422/.test(e)), []);
      await close();
    });

    test('correcting a field at the provider, filing a request with a statement, objecting to marketing', async () => {
      const { page, errors, close } = await openPage(browser, { locale, javaScriptEnabled });
      await signIn(page, { lang, email, password, words, javaScriptEnabled });
      await page.goto(`${portal.url}/${lang}/my-data`);
      if (javaScriptEnabled) await hydrated(page);

      const item = page.locator(`[data-category="${fix.category}"] details.correct-at-provider`).first();
      await item.getByText(words.wrong).click();
      await item.getByLabel(words.field).selectOption(fix.field);
      await item.getByLabel(words.value).fill(fix.value);
      await item.getByRole('button', { name: words.send }).click();
      await page.waitForURL(/notice=correction-requested/);
      assert.match(await page.locator('.notice').innerText(), new RegExp(words.sent));
      // The job runs within a second or two; the provider is told once it has applied it.
      const told = await reloadUntil(page, `/${lang}/my-data`, '#corrections li[data-told="yes"]', /Operator Online/);
      assert.match(told, new RegExp(`Operator Online: ${words.told}`));
      assert.match(await reloadUntil(page, `/${lang}/my-data`, `[data-category="${fix.category}"] dl.item`, new RegExp(fix.value)), new RegExp(fix.value));
      if (javaScriptEnabled) await hydrated(page);

      const form = page.locator('#rights');
      await form.getByRole('button', { name: words.file }).click();
      await page.locator('#field-details-error').waitFor();
      assert.match(await page.locator('#field-details-error').innerText(), new RegExp(words.emptyStatement));
      await form.getByLabel(words.kind).selectOption('rectification');
      await form.getByLabel(words.about).selectOption({ label: porting });
      const statement = 'Het nummer kwam op 15 juni over, niet op 14 juni. — Zoë';
      await form.getByLabel(words.statement).fill(statement);
      await form.getByRole('button', { name: words.file }).click();
      await page.waitForURL(/notice=request-filed/);
      assert.match(await page.locator('.notice').innerText(), new RegExp(words.filed));
      const request = await page.locator('#requests li[data-open="yes"]').first().innerText();
      assert.ok(request.includes(statement), request);
      assert.match(request, new RegExp(words.toBeTold));

      if (javaScriptEnabled) await hydrated(page);
      await page.getByRole('button', { name: words.stopMarketing }).click();
      await page.waitForURL(/notice=marketing-objected/);
      assert.match(await page.locator('.notice').innerText(), new RegExp(words.objected));
      await page.locator('[data-marketing="objected"]').waitFor();

      assert.deepEqual(errors.filter((e) => !/status of 422/.test(e)), []);
      await close();
    });
  });
}

// Hydration must not depend on how fast the server happened to read things: the page is loaded
// many times over and must take over without a single error each time.
test('my data hydrates without an error on every one of ten loads', async () => {
  const { page, errors, close } = await openPage(browser, { locale: 'nl-NL', javaScriptEnabled: true });
  const { email, password, words } = visits[0];
  await signIn(page, { lang: 'nl', email, password, words, javaScriptEnabled: true });
  for (let i = 0; i < 10; i++) {
    await page.goto(`${portal.url}/nl/my-data`);
    await hydrated(page);
    await page.locator('#rights button').first().waitFor();
  }
  assert.deepEqual(errors, []);
  await close();
});

// Loads `path` until the text of the elements `css` matches `pattern` (up to 10 s); that text.
async function reloadUntil(page, path, css, pattern) {
  let text = '';
  for (let i = 0; i < 20; i++) {
    await page.goto(`${portal.url}${path}`);
    text = (await page.locator(css).allInnerTexts()).join(' | ');
    if (pattern.test(text)) return text;
    await page.waitForTimeout(500);
  }
  return text;
}

async function signIn(page, { lang, email, password, words, javaScriptEnabled }) {
  await page.goto(`${portal.url}/${lang}/sign-in`);
  if (javaScriptEnabled) await hydrated(page);
  await page.getByLabel(words.email).fill(email);
  await page.getByLabel(words.password, { exact: true }).fill(password);
  await page.getByRole('button', { name: words.signIn }).click();
  await page.waitForURL(new RegExp(`/${lang}/account`));
}
