// Accessibility in a real browser: axe-core (npm) runs on every page the app routes, in Dutch
// and in English, in light and in dark mode, each page seen by the role that gets its content —
// anonymous for the public pages, a demo customer for theirs (with a request they filed, an
// export, a provider request), the demo admin for the staff pages (the customer's request in
// the queue), the holder of a deletion link for its status page. The routes are read from
// app/src/shell.rs, so a new page cannot be left out: it fails here until it has a role.
// Not one serious or critical finding is allowed; the failure names page, rule and elements.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { openPage, routedPaths, settle, signInWith, startDemo, totp } from './support/portal.mjs';

const require = createRequire(import.meta.url);
const AXE_SOURCE = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');

const SANNE = { email: 'sanne.devries@bakkerij-devries.example', password: 'Tulpen-Fiets-Gracht-2026' };
const MARK = { email: 'mark.jansen@jansen-installatie.example', password: 'Molen-Kaas-Regen-Dijk-7' };
const ADMIN = { email: 'admin@cloud4companies.example', password: 'Beheer-Sleutel-Haven-58' };
const LANGS = ['nl', 'en'];
const SCHEMES = ['light', 'dark'];

// Who sees each route's content. A route of shell.rs missing here fails the test.
const ROLES = {
  '': 'anonymous',
  'sign-in': 'anonymous',
  'sign-in/code': 'anonymous',
  register: 'anonymous',
  'check-mail': 'anonymous',
  'forgot-password': 'anonymous',
  'reset-password': 'anonymous',
  cookies: 'anonymous',
  account: 'customer',
  'account/sessions': 'customer',
  'account/provider': 'customer',
  'account/two-step': 'customer',
  'account/confirm-identity': 'customer',
  'my-data': 'customer',
  'my-data/export': 'customer',
  'my-data/delete': 'customer',
  requests: 'customer',
  'requests/:id': 'customer',
  'account-deletion/:token': 'leaver',
  admin: 'admin',
  'admin/requests/:id': 'admin',
  'admin/staff': 'admin',
  'admin/analytics': 'admin',
  'admin/audit': 'admin',
  'admin/retention': 'admin',
};

let demo;
let portal;
let browser;

before(async () => {
  demo = await startDemo();
  ({ portal, browser } = demo);
});

after(async () => {
  await demo?.stop();
});

// Loads `path` of the portal and waits until the wasm app has taken over and is idle.
const visit = (page, path) => settle(page, portal.url + path);

// axe-core's serious and critical findings on the page as it is now, in each colour scheme:
// its violations, and what it could not decide on its own ("needs review"; an
// aria-labelledby naming an id that is not on the page is one), which count as well.
async function audit(page, label) {
  const found = [];
  for (const colorScheme of SCHEMES) {
    await page.emulateMedia({ colorScheme });
    if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(AXE_SOURCE);
    const results = await page.evaluate(async () => {
      const result = await window.axe.run(document, { resultTypes: ['violations', 'incomplete'] });
      const summary = (kind) => (v) => ({
        kind,
        id: v.id,
        impact: v.impact,
        help: v.help,
        helpUrl: v.helpUrl,
        nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })),
      });
      return [...result.violations.map(summary('violation')), ...result.incomplete.map(summary('needs review'))];
    });
    for (const v of results.filter((v) => v.impact === 'serious' || v.impact === 'critical')) {
      found.push({ page: `${label} (${colorScheme})`, ...v });
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  return found;
}

const signIn = (page, who) => signInWith(page, portal.url, who);

function report(violations) {
  return violations
    .map((v) =>
      [
        `${v.page}: ${v.id} [${v.impact} ${v.kind}] ${v.help} (${v.helpUrl})`,
        ...v.nodes.map((n) => `    ${n.target}\n      ${(n.summary ?? '').replace(/\n/g, '\n      ')}`),
      ].join('\n'),
    )
    .join('\n');
}

test('every page in Dutch and English has no serious or critical axe-core violations', async () => {
  const routes = await routedPaths();
  assert.ok(routes.length >= 20 && routes.length <= 60, `a plausible number of routes in shell.rs: ${routes.length}`);
  const unmapped = routes.filter((r) => !(r in ROLES));
  assert.deepEqual(unmapped, [], 'every routed page has a role to visit it as in end2end/accessibility.test.mjs');
  const gone = Object.keys(ROLES).filter((r) => !routes.includes(r));
  assert.deepEqual(gone, [], 'every page listed here is still routed');

  const anonymous = await openPage(browser, { locale: 'nl-NL' });
  const customer = await openPage(browser, { locale: 'nl-NL' });
  const admin = await openPage(browser, { locale: 'nl-NL' });
  const leaver = await openPage(browser, { locale: 'en-GB' });
  const contexts = { anonymous, customer, admin, leaver };
  const violations = [];
  const audited = [];
  const check = async (page, label) => {
    violations.push(...(await audit(page, label)));
    audited.push(label);
  };

  // The customer: a request that stays open, a provider request, a finished export.
  await signIn(customer.page, SANNE);
  await customer.page.waitForURL(/\/nl\/account$/);
  await visit(customer.page, '/nl/requests');
  await customer.page.getByLabel('Soort verzoek').selectOption('question');
  await customer.page.getByLabel('Je vraag of toelichting').fill('Met welke leveranciers delen jullie mijn gegevens?');
  await customer.page.getByRole('button', { name: 'Verzoek indienen' }).click();
  await customer.page.waitForURL(/\/nl\/requests\?notice=request-filed$/);
  const row = customer.page.locator('#my-requests tbody tr[data-request]').first();
  await row.waitFor();
  const requestId = await row.getAttribute('data-request');
  assert.match(requestId ?? '', /\S/);
  await visit(customer.page, '/nl/account/provider');
  await customer.page.getByRole('button', { name: 'Haal mijn nummers uit de telefoongids' }).click();
  await customer.page.waitForURL(/notice=unlist-requested$/);
  await visit(customer.page, '/nl/my-data/export');
  await customer.page.getByRole('button', { name: 'Kopie van mijn gegevens aanvragen' }).click();
  await customer.page.locator('#exports li[data-state="ready"]').waitFor({ timeout: 20_000 });

  // The admin sets up two-step sign-in at the first sign-in (that page is checked as it is then).
  await signIn(admin.page, ADMIN);
  await admin.page.waitForURL(/\/nl\/account\/two-step$/);
  for (const lang of LANGS) {
    await visit(admin.page, `/${lang}/account/two-step`);
    await admin.page.getByTestId('totp-secret').waitFor();
    await check(admin.page, `/${lang}/account/two-step as a staff member setting it up`);
  }
  const secret = await admin.page.getByTestId('totp-secret').innerText();
  await admin.page.getByLabel('Code from the app').fill(totp(secret));
  await admin.page.getByRole('button', { name: 'Turn on' }).click();
  await admin.page.waitForURL(/\/en\/account\?notice=two-step-on$/);

  // The leaver asks for their account to be deleted, with the cool-off; the link is theirs.
  await signIn(leaver.page, MARK);
  await leaver.page.waitForURL(/\/nl\/account$/);
  await visit(leaver.page, '/nl/my-data/delete');
  await leaver.page.getByLabel('Ja, verwijder mijn account en al mijn gegevens').check();
  await leaver.page.getByRole('button', { name: 'Account verwijderen' }).click();
  await leaver.page.waitForURL(/\/nl\/account-deletion\/[0-9a-f]{64}$/);
  const token = new URL(leaver.page.url()).pathname.split('/').pop();

  const values = { ':id': requestId, ':token': token };
  for (const route of routes) {
    const role = ROLES[route];
    const { page } = contexts[role];
    for (const lang of LANGS) {
      const path = `/${lang}${route ? `/${route.replace(/:[a-z]+/g, (p) => values[p])}` : ''}`;
      const response = await visit(page, path);
      assert.equal(response.status(), 200, `${path} as ${role}`);
      assert.equal(new URL(page.url()).pathname, path, `${path} as ${role} stays on the page`);
      await check(page, `${path} as ${role}`);
    }
  }

  // States the plain visits do not show: a form answered with field errors, a notice, the
  // 404 page, the account page of staff.
  for (const lang of LANGS) {
    const { page } = anonymous;
    await visit(page, `/${lang}/register`);
    await page.getByRole('button', { name: lang === 'nl' ? 'Account aanmaken' : 'Create account' }).click();
    await page.locator('#field-email-error').waitFor();
    await check(page, `/${lang}/register with field errors as anonymous`);
    const missing = await visit(page, `/${lang}/no-such-page`);
    assert.equal(missing.status(), 404);
    await check(page, `/${lang}/no-such-page (not found) as anonymous`);
    await visit(customer.page, `/${lang}/requests?notice=request-filed`);
    await customer.page.locator('.notice').waitFor();
    await check(customer.page, `/${lang}/requests with a notice as customer`);
    await visit(admin.page, `/${lang}/account`);
    await check(admin.page, `/${lang}/account as admin`);
  }

  for (const { close } of Object.values(contexts)) await close();
  console.log(`axe-core checked ${audited.length} pages (each in light and dark mode)`);
  assert.equal(violations.length, 0, `serious or critical axe-core violations:\n${report(violations)}`);
});
