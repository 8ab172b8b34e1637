// One layout on every screen: each page the app routes (read from app/src/shell.rs, like the
// accessibility test), in Dutch and in English, as the role that gets its content — a visitor,
// a demo customer, support and the admin — on a phone (390 px) and on a desktop (1280 px).
// Nothing may scroll sideways, every element of the page sits inside the centred container the
// header and footer use (a wide table may scroll inside its own labelled region), the cookie
// banner takes at most a third of a phone's screen with its three choices side by side, and
// the header shows the navigation of who is signed in. Screenshots of the main pages are
// written to target/screenshots/ (docs/screenshots/ keeps the ones the README shows).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { openPage, routedPaths, settle, signInWith, startDemo, totp } from './support/portal.mjs';

const SANNE = { email: 'sanne.devries@bakkerij-devries.example', password: 'Tulpen-Fiets-Gracht-2026' };
const MARK = { email: 'mark.jansen@jansen-installatie.example', password: 'Molen-Kaas-Regen-Dijk-7' };
const SUPPORT = { email: 'support@cloud4companies.example', password: 'Helpdesk-Koffie-Lamp-31' };
const ADMIN = { email: 'admin@cloud4companies.example', password: 'Beheer-Sleutel-Haven-58' };
const LANGS = ['nl', 'en'];
const SCREENS = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'desktop', width: 1280, height: 800 },
];

// Who sees each route's content; staff pages are visited by support and by the admin where
// both may open them.
const ROLES = {
  '': ['anonymous', 'customer'],
  'sign-in': ['anonymous'],
  'sign-in/code': ['anonymous'],
  register: ['anonymous'],
  'check-mail': ['anonymous'],
  'forgot-password': ['anonymous'],
  'reset-password': ['anonymous'],
  cookies: ['anonymous'],
  account: ['customer', 'support', 'admin'],
  'account/sessions': ['customer'],
  'account/provider': ['customer'],
  'account/two-step': ['customer'],
  'account/confirm-identity': ['customer'],
  'my-data': ['customer'],
  'my-data/export': ['customer'],
  'my-data/delete': ['customer'],
  requests: ['customer'],
  'requests/:id': ['customer'],
  'account-deletion/:token': ['leaver'],
  admin: ['support', 'admin'],
  'admin/requests/:id': ['support', 'admin'],
  'admin/staff': ['admin'],
  'admin/analytics': ['admin'],
  'admin/audit': ['admin'],
  'admin/retention': ['admin'],
};

// The pages whose screenshots the README shows, with their file names.
const SHOTS = {
  '/nl': 'policy',
  '/nl/sign-in': 'sign-in',
  '/nl/account': 'account',
  '/nl/my-data': 'my-data',
  '/nl/requests': 'requests',
  '/nl/admin': 'desk-queue',
  '/nl/admin/requests/:id': 'desk-request',
};

// The header's links for each role, in Dutch.
const NAVIGATION = {
  anonymous: ['Privacybeleid', 'Inloggen', 'Account aanmaken'],
  customer: ['Mijn gegevens', 'Mijn verzoeken', 'Mijn account'],
  support: ['Wachtrij', 'Mijn account'],
  admin: ['Wachtrij', 'Medewerkers', 'Auditlog', 'Bewaartermijnen', 'Bezoekcijfers', 'Mijn account'],
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

const signIn = (page, who) => signInWith(page, portal.url, who);

// Staff set up two-step sign-in at their first sign-in.
async function signInStaff(page, who) {
  await signIn(page, who);
  await page.waitForURL(/\/nl\/account\/two-step$/);
  const secret = await page.getByTestId('totp-secret').innerText();
  await page.getByLabel('Code uit de app').fill(totp(secret));
  await page.getByRole('button', { name: 'Aanzetten' }).click();
  await page.waitForURL(/\/nl\/account\?notice=two-step-on$/);
}

// What is wrong with the page's layout as it is now: a sideways scroll, an element outside
// the container of its part of the page (main, header, footer, cookie banner), containers
// that do not line up.
function layoutProblems() {
  const problems = [];
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth) {
    problems.push(`the page scrolls sideways: ${root.scrollWidth} px wide in ${root.clientWidth} px`);
  }
  const describe = (el) => {
    const id = el.id ? `#${el.id}` : '';
    const cls = typeof el.className === 'string' && el.className ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
    return `${el.tagName.toLowerCase()}${id}${cls} "${(el.textContent ?? '').trim().slice(0, 40)}"`;
  };
  // Inside a box that scrolls or clips (a table region, a menu), an element may be wider.
  const clipped = (el, container) => {
    for (let p = el.parentElement; p && p !== container; p = p.parentElement) {
      const overflow = getComputedStyle(p).overflowX;
      if (overflow === 'auto' || overflow === 'scroll' || overflow === 'hidden') return true;
    }
    return false;
  };
  const containers = [...document.querySelectorAll('main > .wrap, .site-header > .wrap, .site-footer > .wrap, .cookie-banner > .wrap')];
  if (!document.querySelector('main > .wrap')) problems.push('main has no container');
  const lefts = new Set(containers.map((c) => Math.round(c.getBoundingClientRect().left)));
  if (lefts.size > 1) problems.push(`the containers do not line up: left edges ${[...lefts].join(', ')}`);
  for (const container of containers) {
    const box = container.getBoundingClientRect();
    for (const el of container.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0 || clipped(el, container)) continue;
      if (r.left < box.left - 1 || r.right > box.right + 1) {
        problems.push(`${describe(el)} reaches ${Math.round(r.left)}–${Math.round(r.right)} outside ${Math.round(box.left)}–${Math.round(box.right)}`);
      }
    }
  }
  return problems.slice(0, 8);
}

// The cookie banner on a phone: at most a third of the screen, three equal choices on a line.
function bannerProblems() {
  const banner = document.querySelector('#cookie-banner');
  if (!banner) return ['no cookie banner'];
  const problems = [];
  const height = banner.getBoundingClientRect().height;
  if (height > window.innerHeight / 3) problems.push(`the banner is ${Math.round(height)} px high on a ${window.innerHeight} px screen`);
  const choices = [...banner.querySelectorAll('.choice')].map((c) => c.getBoundingClientRect());
  if (choices.length !== 3) problems.push(`${choices.length} choices`);
  if (new Set(choices.map((c) => Math.round(c.top))).size !== 1) problems.push('the choices are not on one line');
  if (new Set(choices.map((c) => Math.round(c.width))).size !== 1) problems.push('the choices differ in width');
  if (new Set(choices.map((c) => Math.round(c.height))).size !== 1) problems.push('the choices differ in height');
  return problems;
}

test('every page fits a phone and a desktop inside one container, with the navigation of its role', async () => {
  const routes = await routedPaths();
  assert.deepEqual(routes.filter((r) => !(r in ROLES)), [], 'every routed page has roles in end2end/layout.test.mjs');
  await mkdir('target/screenshots', { recursive: true });

  const contexts = {};
  for (const role of ['anonymous', 'customer', 'support', 'admin', 'leaver']) {
    contexts[role] = await openPage(browser, { locale: 'nl-NL' });
  }
  await signIn(contexts.customer.page, SANNE);
  await contexts.customer.page.waitForURL(/\/nl\/account$/);
  await visit(contexts.customer.page, '/nl/requests');
  await contexts.customer.page.getByLabel('Soort verzoek').selectOption('question');
  await contexts.customer.page.getByLabel('Je vraag of toelichting').fill('Met welke leveranciers delen jullie mijn gegevens, en sinds wanneer?');
  await contexts.customer.page.getByRole('button', { name: 'Verzoek indienen' }).click();
  await contexts.customer.page.waitForURL(/\/nl\/requests\?notice=request-filed$/);
  const requestId = await contexts.customer.page.locator('#my-requests tbody tr[data-request]').first().getAttribute('data-request');
  await signInStaff(contexts.support.page, SUPPORT);
  await signInStaff(contexts.admin.page, ADMIN);
  await signIn(contexts.leaver.page, MARK);
  await contexts.leaver.page.waitForURL(/\/nl\/account$/);
  await visit(contexts.leaver.page, '/nl/my-data/delete');
  await contexts.leaver.page.getByLabel('Ja, verwijder mijn account en al mijn gegevens').check();
  await contexts.leaver.page.getByRole('button', { name: 'Account verwijderen' }).click();
  await contexts.leaver.page.waitForURL(/\/nl\/account-deletion\/[0-9a-f]{64}$/);
  const token = new URL(contexts.leaver.page.url()).pathname.split('/').pop();
  const values = { ':id': requestId, ':token': token };

  const problems = [];
  let checked = 0;
  for (const screen of SCREENS) {
    for (const { page } of Object.values(contexts)) await page.setViewportSize({ width: screen.width, height: screen.height });
    for (const route of routes) {
      for (const role of ROLES[route]) {
        const { page } = contexts[role];
        for (const lang of LANGS) {
          const template = `/${lang}${route ? `/${route}` : ''}`;
          const path = template.replace(/:[a-z]+/g, (p) => values[p]);
          const response = await visit(page, path);
          assert.equal(response.status(), 200, `${path} as ${role}`);
          for (const found of await page.evaluate(layoutProblems)) problems.push(`${screen.name} ${path} as ${role}: ${found}`);
          checked += 1;
          const shot = SHOTS[template];
          if (shot && role === ROLES[route][0]) {
            // The first screen: what a person sees before scrolling.
            await page.screenshot({ path: `target/screenshots/${shot}-${screen.name}.png` });
          }
        }
      }
    }
  }

  // The banner, for a visitor who has not chosen yet, on a phone.
  const { page } = contexts.anonymous;
  await page.setViewportSize({ width: 390, height: 844 });
  for (const lang of LANGS) {
    await visit(page, `/${lang}`);
    for (const found of await page.evaluate(bannerProblems)) problems.push(`phone /${lang} cookie banner: ${found}`);
  }

  // The header says who is signed in and where they are.
  for (const [role, links] of Object.entries(NAVIGATION)) {
    const { page } = contexts[role];
    await page.setViewportSize({ width: 1280, height: 800 });
    await visit(page, role === 'anonymous' ? '/nl' : '/nl/account');
    const nav = page.getByRole('navigation', { name: 'Hoofdmenu' });
    const names = (await nav.getByRole('link').allInnerTexts()).map((t) => t.trim());
    assert.deepEqual(names, links, `the header's links for ${role}`);
    const current = await nav.locator('a[aria-current="page"]').allInnerTexts();
    assert.deepEqual(current.map((t) => t.trim()), [role === 'anonymous' ? 'Privacybeleid' : 'Mijn account'], `the current page is marked for ${role}`);
    if (role !== 'anonymous') {
      assert.equal(await nav.getByRole('button', { name: 'Uitloggen' }).count(), 1, `${role} can sign out from the header`);
    }
  }
  // On a phone the links are behind the menu button, which opens without JavaScript.
  await contexts.customer.page.setViewportSize({ width: 390, height: 844 });
  await visit(contexts.customer.page, '/nl/my-data');
  const mine = contexts.customer.page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Mijn gegevens' });
  assert.equal(await mine.isVisible(), false, 'the menu starts closed on a phone');
  await contexts.customer.page.locator('#site-menu > summary').click();
  assert.equal(await mine.isVisible(), true, 'the menu opens');
  assert.equal(await mine.getAttribute('aria-current'), 'page');

  for (const { close } of Object.values(contexts)) await close();
  console.log(`layout checked on ${checked} page views`);
  assert.deepEqual(problems, [], `layout problems:\n${problems.join('\n')}`);
});
