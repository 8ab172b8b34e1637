// Cookie consent in a real browser, reading Chromium's own cookie jar: nothing but technical
// cookies before a choice or after "Reject all"; withdrawing analytical cookies removes them;
// the three first-layer choices have the same size; GPC is honoured and said so; a new cookie
// statement version asks again. Every test runs with JavaScript and without.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { hydrated, openPage, startBrowser, startPortal } from './support/portal.mjs';

const TECHNICAL = new Set(['session', 'portal_consent']);

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

async function cookieNames(context) {
  return (await context.cookies()).map((c) => c.name).sort();
}

async function onlyTechnical(context, when) {
  const names = await cookieNames(context);
  const others = names.filter((n) => !TECHNICAL.has(n));
  assert.deepEqual(others, [], `${when}: only technical cookies, found ${names.join(', ')}`);
}

async function open(page, path, js) {
  await page.goto(`${portal.url}${path}`);
  if (js) await hydrated(page);
}

const unexpected = (errors) => errors.filter((e) => !/status of 422/.test(e));

for (const js of [true, false]) {
  const mode = js ? 'with JavaScript' : 'without JavaScript';

  test(`before a choice and after "Reject all" only technical cookies exist, and the choices have one size (${mode})`, async () => {
    const { page, context, errors, close } = await openPage(browser, { javaScriptEnabled: js });
    await open(page, '/nl', js);
    const banner = page.locator('#cookie-banner');
    await banner.waitFor();
    await onlyTechnical(context, 'before a choice');

    // Focus starts on the banner, which is labelled by its heading.
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'cookie-banner');
    assert.equal(await banner.getAttribute('aria-labelledby'), 'cookie-banner-title');

    // Accept, reject and settings: the same rendered size, on a wide and on a phone screen.
    for (const viewport of [{ width: 1280, height: 900 }, { width: 360, height: 740 }]) {
      await page.setViewportSize(viewport);
      const boxes = await Promise.all(
        ['#cookies-accept', '#cookies-reject', '#cookies-settings'].map((id) => page.locator(id).boundingBox()),
      );
      for (const box of boxes) {
        assert.ok(Math.abs(box.width - boxes[0].width) < 0.5, `same width at ${viewport.width}px: ${JSON.stringify(boxes)}`);
        assert.ok(Math.abs(box.height - boxes[0].height) < 0.5, `same height at ${viewport.width}px: ${JSON.stringify(boxes)}`);
      }
      const weights = await Promise.all(
        ['#cookies-accept', '#cookies-reject', '#cookies-settings'].map((id) =>
          page.locator(id).evaluate((el) => getComputedStyle(el).fontWeight + getComputedStyle(el).fontSize + getComputedStyle(el).backgroundColor),
        ),
      );
      assert.equal(new Set(weights).size, 1, `same weight and colour: ${weights}`);
    }

    await page.getByRole('button', { name: 'Alles weigeren' }).click();
    await banner.waitFor({ state: 'detached' });
    await onlyTechnical(context, 'after "Reject all"');
    for (const path of ['/en', '/nl/cookies', '/nl']) {
      await open(page, path, js);
      await onlyTechnical(context, `after "Reject all", on ${path}`);
      assert.equal(await page.locator('#cookie-banner').count(), 0, `not asked again on ${path}`);
    }
    // The settings link stays, on every page.
    assert.equal(await page.locator('#cookie-settings-link').count(), 1);
    assert.deepEqual(unexpected(errors), []);
    await close();
  });

  test(`accepting and then withdrawing analytical cookies removes them (${mode})`, async () => {
    const { page, context, errors, close } = await openPage(browser, { javaScriptEnabled: js });
    await open(page, '/nl', js);
    await page.getByRole('button', { name: 'Alles accepteren' }).click();
    await page.locator('#cookie-banner').waitFor({ state: 'detached' });
    await open(page, '/nl', js);
    let names = await cookieNames(context);
    assert.ok(names.includes('portal_visit'), `the analytical cookie after accepting: ${names}`);
    assert.ok(names.includes('portal_lang'), `the functional cookie after accepting: ${names}`);

    // Changing your mind: as easy as the first choice, from every page's footer.
    await page.locator('#cookie-settings-link').click();
    await page.waitForURL(/\/nl\/cookies$/);
    if (js) await hydrated(page);
    const analytical = page.getByRole('checkbox', { name: 'Analytisch' });
    assert.equal(await analytical.isChecked(), true, 'the current choice is shown');
    const technical = page.getByRole('checkbox', { name: /Technisch noodzakelijk/ });
    assert.equal(await technical.isDisabled(), true, 'technical is always on');
    assert.equal(await technical.isChecked(), true);
    await analytical.uncheck();
    await page.getByRole('button', { name: 'Keuze opslaan' }).click();
    await page.waitForURL(/notice=cookies-saved/);
    await page.getByText('Je cookiekeuze is bewaard').waitFor();
    names = await cookieNames(context);
    assert.ok(!names.includes('portal_visit'), `the analytical cookie is gone: ${names}`);
    assert.ok(names.includes('portal_lang'), `the functional cookie stays: ${names}`);
    await open(page, '/en', js);
    names = await cookieNames(context);
    assert.ok(!names.includes('portal_visit'), `and stays gone: ${names}`);

    // The statement lists every registered cookie with its category.
    await open(page, '/nl/cookies', js);
    for (const [category, cookie] of [['technical', 'portal_consent'], ['functional', 'portal_lang'], ['analytical', 'portal_visit']]) {
      assert.equal(await page.locator(`#statement-${category} tr[data-cookie="${cookie}"]`).count(), 1, cookie);
    }
    assert.deepEqual(unexpected(errors), []);
    await close();
  });

  test(`GPC is honoured: the page says so and no analytical cookie is set (${mode})`, async () => {
    const { page, context, errors, close } = await openPage(browser, { javaScriptEnabled: js, gpc: true });
    await open(page, '/nl', js);
    const notice = page.locator('#gpc-notice');
    await notice.waitFor();
    assert.match(await notice.innerText(), /Global Privacy Control/);
    assert.equal(await page.locator('#cookie-banner').count(), 0, 'no question: the signal answered it');
    for (const path of ['/nl/cookies', '/en', '/nl']) {
      await open(page, path, js);
      await onlyTechnical(context, `with GPC, on ${path}`);
    }
    assert.match(await page.locator('#gpc-policy').innerText(), /Global Privacy Control/);
    assert.deepEqual(unexpected(errors), []);
    await close();
  });

  test(`the banner returns when the cookie statement's version changes (${mode})`, async () => {
    const { page, context, errors, close } = await openPage(browser, { javaScriptEnabled: js });
    await open(page, '/nl', js);
    await page.getByRole('button', { name: 'Alles weigeren' }).click();
    await page.locator('#cookie-banner').waitFor({ state: 'detached' });
    await open(page, '/nl', js);
    assert.equal(await page.locator('#cookie-banner').count(), 0);

    // The same browser (cookies are per host, not per port) meets a portal with a new statement.
    const changed = await startPortal({ env: { APP_COOKIES__VERSION: '2026-12-01' } });
    try {
      await page.goto(`${changed.url}/nl`);
      if (js) await hydrated(page);
      await page.locator('#cookie-banner').waitFor();
      await onlyTechnical(context, 'asked again');
      await page.goto(`${changed.url}/nl/cookies`);
      assert.equal(await page.locator('#statement-version').innerText(), '2026-12-01');
    } finally {
      await changed.stop();
    }
    assert.deepEqual(unexpected(errors), []);
    await close();
  });
}
