// The policy pages in a real browser: Dutch and English, the language switch, hydration,
// console errors, the 404 page, and the whole policy without JavaScript.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { request } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { hydrated, openPage, startBrowser, startPortal } from './support/portal.mjs';

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

describe('the policy page', () => {
  test('a Dutch visitor at / gets the Dutch policy with its rights table and retention matrix', async () => {
    const { page, close } = await openPage(browser, { locale: 'nl-NL' });
    await page.goto(portal.url + '/');
    assert.equal(new URL(page.url()).pathname, '/nl');
    assert.equal(await page.getAttribute('html', 'lang'), 'nl');
    assert.equal(await page.locator('h1').innerText(), 'Privacybeleid & Security');

    const rightsHead = await page.locator('table.rights thead th').allInnerTexts();
    assert.deepEqual(rightsHead, ['Het recht', 'Onze actie', 'Hoe?']);
    assert.equal(await page.locator('table.rights tbody tr').count(), 6);
    assert.match(await page.locator('table.rights').innerText(), /Operator Online/);

    const matrix = page.locator('table.retention tbody tr');
    assert.ok((await matrix.count()) >= 10, 'the matrix lists every category');
    const invoices = await page.locator('#bewaartermijn-invoices').innerText();
    assert.match(invoices, /Facturen/);
    assert.match(invoices, /7 jaar/);
    assert.match(invoices, /art\. 52 Algemene wet inzake rijksbelastingen/);

    const contact = page.locator('article a[href="mailto:privacy@Cloud4Companies.nl"]');
    assert.equal(await contact.count(), 2, 'the contact address is a link, twice');
    assert.match(await page.locator('time[datetime="2019-07-30"]').first().innerText(), /30 juli 2019/);

    // The table of contents leads to the sections.
    await page.locator('nav.toc a', { hasText: 'Bewaartermijnmatrix' }).click();
    assert.equal(new URL(page.url()).hash, '#bewaartermijnmatrix');

    await mkdir('docs', { recursive: true });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(portal.url + '/nl');
    await hydrated(page);
    await page.screenshot({ path: 'docs/policy-nl.png' });
    await close();
  });

  test('an English-speaking visitor gets the English translation, marked as a translation', async () => {
    const { page, close } = await openPage(browser, { locale: 'en-GB' });
    await page.goto(portal.url + '/');
    assert.equal(new URL(page.url()).pathname, '/en');
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.equal(await page.locator('h1').innerText(), 'Privacy Policy & Security');
    assert.match(await page.locator('.policy-header aside.notice').innerText(), /translation.*Dutch text applies/s);
    assert.match(await page.locator('#bewaartermijn-invoices').innerText(), /7 years/);
    await close();
  });

  test('the language switch moves between Dutch and English and the page follows', async () => {
    const { page, errors, close } = await openPage(browser);
    await page.goto(portal.url + '/nl');
    await hydrated(page);
    await page.locator('.lang-switch a', { hasText: 'English' }).click();
    await page.waitForURL(/\/en$/);
    assert.equal(await page.locator('h1').innerText(), 'Privacy Policy & Security');
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    await page.locator('.lang-switch a', { hasText: 'Nederlands' }).click();
    await page.waitForURL(/\/nl$/);
    assert.equal(await page.locator('h1').innerText(), 'Privacybeleid & Security');
    assert.equal(await page.getAttribute('html', 'lang'), 'nl');
    assert.deepEqual(errors, []);
    await close();
  });

  test('after hydration the retention matrix filter narrows the rows as you type', async () => {
    const { page, errors, close } = await openPage(browser);
    await page.goto(portal.url + '/nl');
    await hydrated(page);
    const rows = page.locator('table.retention tbody tr');
    const total = await rows.count();
    await page.locator('#matrix-filter').fill('boekjaar');
    await page.waitForFunction(() => document.querySelectorAll('table.retention tbody tr:not([hidden])').length === 1);
    assert.match(await page.locator('table.retention tbody tr:not([hidden])').innerText(), /Facturen/);
    assert.equal(await page.locator('.matrix-count').innerText(), `1 van ${total} rijen getoond`);
    await page.locator('#matrix-filter').fill('');
    await page.waitForFunction((n) => document.querySelectorAll('table.retention tbody tr:not([hidden])').length === n, total);
    assert.deepEqual(errors, []);
    await close();
  });

  test('the Dutch and English pages load without a single console error', async () => {
    for (const path of ['/nl', '/en']) {
      const { page, errors, close } = await openPage(browser);
      await page.goto(portal.url + path);
      await hydrated(page);
      await page.waitForLoadState('networkidle');
      assert.deepEqual(errors, [], `console errors on ${path}`);
      await close();
    }
  });

  test('on a phone-sized screen the page never scrolls sideways; wide tables scroll in their own box', async () => {
    const { page, close } = await openPage(browser, { locale: 'nl-NL' });
    await page.setViewportSize({ width: 360, height: 740 });
    for (const path of ['/nl', '/en']) {
      await page.goto(portal.url + path);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 360, `${path} is ${width}px wide on a 360px screen`);
    }
    const scroller = page.locator('.matrix .table-scroll');
    assert.ok(await scroller.evaluate((el) => el.scrollWidth > el.clientWidth), 'the matrix scrolls inside its box');
    await close();
  });

  test('unknown addresses get a 404 page in the visitor\'s language', async () => {
    const nl = await openPage(browser, { locale: 'nl-NL' });
    let response = await nl.page.goto(portal.url + '/nl/bestaat-niet');
    assert.equal(response.status(), 404);
    assert.equal(await nl.page.locator('h1').innerText(), 'Pagina niet gevonden');
    await nl.close();

    const en = await openPage(browser, { locale: 'en-US' });
    response = await en.page.goto(portal.url + '/no-such-page');
    assert.equal(response.status(), 404);
    assert.equal(await en.page.locator('h1').innerText(), 'Page not found');
    assert.equal(await en.page.getAttribute('html', 'lang'), 'en');
    await en.close();
  });
});

describe('without JavaScript', () => {
  test('the whole policy is readable: every section, the rights table and the matrix', async () => {
    const { page, close } = await openPage(browser, { javaScriptEnabled: false });
    await page.goto(portal.url + '/nl');
    const headings = await page.locator('article h2, article h3').allInnerTexts();
    for (const heading of ['Jij beslist', 'Cookies', 'Beveiliging', 'Bewaartermijnmatrix', 'Subverwerkers', 'Rechten betrokkenen']) {
      assert.ok(headings.includes(heading), `heading ${heading}`);
    }
    assert.equal(await page.locator('table.rights tbody tr').count(), 6);
    assert.ok((await page.locator('table.retention tbody tr:not([hidden])').count()) >= 10);
    assert.match(await page.locator('article').innerText(), /Dit privacybeleid is laatst gewijzigd op 30 juli 2019\./);
    assert.equal(await page.locator('.matrix-filter').isVisible(), false, 'no dead controls without JS');

    // The language switch is a plain link.
    await page.locator('.lang-switch a', { hasText: 'English' }).click();
    await page.waitForURL(/\/en$/);
    assert.equal(await page.locator('h1').innerText(), 'Privacy Policy & Security');
    await close();
  });
});

// The raw bytes of a response, as sent (node's fetch would undo the compression).
function rawGet(url, headers) {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

describe('the static files', () => {
  test('the wasm and script a page loads are sent compressed to browsers that accept it, and whole to others', async () => {
    const html = await (await fetch(portal.url + '/nl')).text();
    const files = [...new Set(html.match(/\/pkg\/[\w.-]+\.(?:wasm|js)/g))];
    assert.ok(files.some((f) => f.endsWith('.wasm')) && files.some((f) => f.endsWith('.js')), `the page names its wasm and script: ${files}`);
    for (const file of files) {
      const plain = await rawGet(portal.url + file, {});
      assert.equal(plain.headers['content-encoding'], undefined, `${file} without Accept-Encoding`);
      for (const [encoding, decode] of [['br', brotliDecompressSync], ['gzip', gunzipSync]]) {
        const packed = await rawGet(portal.url + file, { 'accept-encoding': encoding });
        assert.equal(packed.headers['content-encoding'], encoding, `${file} as ${encoding}`);
        assert.match(packed.headers.vary ?? '', /accept-encoding/i, `${file} as ${encoding} says it varies`);
        assert.ok(packed.body.length < plain.body.length / 2, `${file} as ${encoding}: ${packed.body.length} of ${plain.body.length} bytes`);
        assert.ok(decode(packed.body).equals(plain.body), `${file} as ${encoding} unpacks to the file`);
      }
    }
  });
});
