import fs from 'node:fs';
import { expect, test, type Browser, type Page, type TestInfo } from '@playwright/test';
import { CANARY_URL, USERS, authState } from '../fixtures/env';
import { jsEnabled, waitForApp } from '../fixtures/hydration';

// The team portal as its users meet it: signing in and out, roles, and the
// admin page (users, API tokens, the audit log). The database lives for the
// whole run and both projects use it, so every name made here is unique.

const BASE = CANARY_URL;
const signedOut = { cookies: [], origins: [] };
let counter = 0;
const unique = (prefix: string, info: TestInfo) => `${prefix}-${info.project.name}-${Date.now()}-${counter++}`;

/// Fills and sends the sign-in form on the current /login page.
async function submitSignIn(page: Page, name: string, password: string) {
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function signIn(page: Page, name: string, password: string) {
  await page.goto(`${BASE}/login`);
  await submitSignIn(page, name, password);
}

/// A fresh browser, signed out, with or without JavaScript like the project.
async function freshPage(browser: Browser, info: TestInfo) {
  const context = await browser.newContext({ storageState: signedOut, javaScriptEnabled: jsEnabled(info) });
  return { context, page: await context.newPage() };
}

const header = (page: Page) => page.getByRole('banner');
const mainNav = (page: Page) => page.getByRole('navigation', { name: 'Main' });
const usersSection = (page: Page) => page.getByRole('region', { name: 'Users' });
const tokensSection = (page: Page) => page.getByRole('region', { name: 'API tokens' });
const auditSection = (page: Page) => page.getByRole('region', { name: 'Audit log' });
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const userRow = (page: Page, name: string) =>
  usersSection(page)
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name: new RegExp(`^${escape(name)}( \\(you\\))?( service)?$`) }) });

/// Adds a user through the admin page's form; the page must be /admin.
async function addUser(page: Page, name: string, password: string, role: 'viewer' | 'operator' | 'admin') {
  const form = usersSection(page).getByRole('form', { name: 'Add a user' });
  await form.getByLabel('Name', { exact: true }).fill(name);
  await form.getByLabel('Password', { exact: true }).fill(password);
  await form.getByLabel('Role', { exact: true }).selectOption(role);
  await form.getByRole('button', { name: 'Add user' }).click();
  await expect(form.getByText(`Added ${name} as ${role}. They can sign in now.`)).toBeVisible();
  await expect(userRow(page, name)).toHaveCount(1);
}

test.describe('signing in and out', () => {
  test.use({ storageState: signedOut });

  test('the sign-in form lands on the overview with the name and role in the header', async ({ page }, info) => {
    await signIn(page, USERS.operator.name, USERS.operator.password);
    await expect(page).toHaveURL(`${BASE}/`);
    await waitForApp(page, info);
    await expect(page.getByRole('heading', { name: 'Overview', level: 1 })).toBeVisible();
    await expect(header(page).locator('.user-name')).toHaveText(USERS.operator.name);
    await expect(header(page).locator('.role-badge')).toHaveText('operator');
    await expect(header(page).getByRole('button', { name: 'Sign out' })).toBeVisible();
  });

  test('a wrong password says so and starts no session', async ({ page, context }) => {
    await signIn(page, USERS.operator.name, 'not-the-password');
    await expect(page).toHaveURL(/\/login\?error=credentials/);
    await expect(page.getByRole('alert')).toHaveText('Wrong name or password.');
    // No session cookie (the language preference cookie may be set).
    expect((await context.cookies(BASE)).filter((c) => !c.name.startsWith('i18n_'))).toEqual([]);
    await page.goto(`${BASE}/tasks`);
    await expect(page).toHaveURL(/\/login\?next=%2Ftasks$/);
  });

  test('a signed-out visit to /tasks goes to /login, and signing in returns to /tasks', async ({ page }, info) => {
    await page.goto(`${BASE}/tasks`);
    await expect(page).toHaveURL(/\/login\?next=%2Ftasks$/);
    await expect(page.getByRole('heading', { name: 'Sign in to Scanport' })).toBeVisible();
    await submitSignIn(page, USERS.viewer.name, USERS.viewer.password);
    await expect(page).toHaveURL(`${BASE}/tasks`);
    await waitForApp(page, info);
    await expect(page.getByRole('heading', { name: 'Tasks', level: 1 })).toBeVisible();
    await expect(header(page).locator('.user-name')).toHaveText(USERS.viewer.name);
  });

  test('"Sign out" ends the session', async ({ page }, info) => {
    // Its own session: signing the shared operator state out would break
    // the other tests.
    await signIn(page, USERS.operator.name, USERS.operator.password);
    await expect(page).toHaveURL(`${BASE}/`);
    await waitForApp(page, info);
    await header(page).getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/login\?error=signed_out/);
    await expect(page.getByRole('status')).toHaveText('You are signed out.');
    await page.goto(`${BASE}/tasks`);
    await expect(page).toHaveURL(/\/login\?next=%2Ftasks$/);
    // And the old page's back button shows no data either.
    const answer = await page.request.get(`${BASE}/api/v1/accounts`);
    expect(answer.status()).toBe(401);
  });
});

test.describe('roles', () => {
  test.describe('a viewer', () => {
    test.use({ storageState: authState('viewer') });

    test('does not see the Admin link, and /admin is refused', async ({ page }, info) => {
      await page.goto(`${BASE}/tasks`);
      await waitForApp(page, info);
      await expect(mainNav(page).getByRole('link', { name: 'Tasks' })).toBeVisible();
      await expect(mainNav(page).getByRole('link', { name: 'Admin' })).toHaveCount(0);

      const response = await page.goto(`${BASE}/admin`);
      expect(response?.status()).toBe(403);
      await waitForApp(page, info);
      await expect(page.getByRole('alert')).toContainText('Your role does not allow this.');
      await expect(page.getByRole('region', { name: 'Users' })).toHaveCount(0);
      await expect(page.getByRole('table')).toHaveCount(0);
      // The API agrees.
      const api = await page.request.post(`${BASE}/api/v1/admin/users`, { data: {} });
      expect(api.status()).toBe(403);
    });
  });

  test.describe('an admin', () => {
    test.use({ storageState: authState('admin') });

    test('sees the Admin link and the three sections', async ({ page }, info) => {
      await page.goto(`${BASE}/registries`);
      await waitForApp(page, info);
      await mainNav(page).getByRole('link', { name: 'Admin' }).click();
      await expect(page).toHaveURL(/\/admin/);
      await expect(page.getByRole('heading', { name: 'Administration', level: 1 })).toBeVisible();
      for (const name of ['Users', 'API tokens', 'Audit log']) {
        await expect(page.getByRole('heading', { name, level: 2 })).toBeVisible();
      }
      // The seeded users, with their roles; the admin is marked.
      await expect(userRow(page, USERS.admin.name)).toContainText('(you)');
      await expect(userRow(page, USERS.admin.name)).toContainText('admin');
      await expect(userRow(page, USERS.viewer.name)).toContainText('viewer');
      await expect(userRow(page, USERS.viewer.name)).toContainText('Active');
      await expect(userRow(page, USERS.viewer.name).locator('time')).toHaveText(/\d{4}-\d{2}-\d{2}/);
    });

    test('without JavaScript the lists still render and the changes say they need it', async ({ page }, info) => {
      test.skip(jsEnabled(info), 'covers the server-rendered page');
      await page.goto(`${BASE}/admin`);
      await expect(userRow(page, USERS.operator.name)).toContainText('operator');
      await expect(page.getByText('Adding and changing users needs JavaScript')).toBeVisible();
      await expect(page.getByRole('button', { name: 'Add user' })).toBeDisabled();
      await expect(page.getByRole('button', { name: 'Create token' })).toBeDisabled();
      await expect(auditSection(page).getByRole('table')).toBeVisible();
    });
  });
});

test.describe('the admin page', () => {
  test.use({ storageState: authState('admin') });

  test('adds a user who can then sign in; a taken name is refused beside the form', async ({ page, browser }, info) => {
    test.skip(!jsEnabled(info), 'changes need JavaScript');
    const name = unique('newbie', info);
    const password = 'newbie-password-1';
    await page.goto(`${BASE}/admin`);
    await waitForApp(page, info);
    await addUser(page, name, password, 'operator');
    await expect(userRow(page, name)).toContainText('operator');
    await expect(userRow(page, name)).toContainText('Active');

    // Too short a password: refused at the field before asking the server.
    const form = usersSection(page).getByRole('form', { name: 'Add a user' });
    await form.getByLabel('Name', { exact: true }).fill(`${name}-2`);
    await form.getByLabel('Password', { exact: true }).fill('short');
    await form.getByRole('button', { name: 'Add user' }).click();
    await expect(form.getByRole('alert')).toHaveText('Use at least 8 characters.');
    await expect(form.getByLabel('Password', { exact: true })).toHaveAttribute('aria-invalid', 'true');

    // The same name again: the server's reason shows at the name field.
    await form.getByLabel('Name', { exact: true }).fill(name);
    await form.getByLabel('Password', { exact: true }).fill(password);
    await form.getByRole('button', { name: 'Add user' }).click();
    await expect(form.getByRole('alert')).toHaveText(`A user named "${name}" already exists.`);
    await expect(form.getByLabel('Name', { exact: true })).toHaveAttribute('aria-invalid', 'true');

    // The new user signs in in their own browser.
    const other = await freshPage(browser, info);
    await signIn(other.page, name, password);
    await expect(other.page).toHaveURL(`${BASE}/`);
    await expect(header(other.page).locator('.user-name')).toHaveText(name);
    await expect(header(other.page).locator('.role-badge')).toHaveText('operator');
    await other.context.close();
  });

  test('changes a role, cannot disable itself, and disabling a user ends their session', async ({ page, browser }, info) => {
    test.skip(!jsEnabled(info), 'changes need JavaScript');
    const name = unique('leaver', info);
    const password = 'leaver-password-1';
    await page.goto(`${BASE}/admin`);
    await waitForApp(page, info);
    await addUser(page, name, password, 'operator');

    // The user is working, page open.
    const user = await freshPage(browser, info);
    await signIn(user.page, name, password);
    await expect(user.page).toHaveURL(`${BASE}/`);
    await waitForApp(user.page, info);
    await expect(header(user.page).locator('.role-badge')).toHaveText('operator');

    // A role change.
    const row = userRow(page, name);
    await row.getByLabel(`New role of ${name}`).selectOption('viewer');
    await row.getByRole('button', { name: `Change role of ${name}` }).click();
    await expect(usersSection(page).getByText(`${name} is now viewer.`)).toBeVisible();
    await expect(row.locator('.role-badge')).toHaveText('viewer');

    // Not oneself.
    await userRow(page, USERS.admin.name).getByRole('button', { name: `Disable ${USERS.admin.name}` }).click();
    await expect(usersSection(page).getByText('You cannot disable yourself.')).toBeVisible();
    await expect(userRow(page, USERS.admin.name)).toContainText('Active');

    // Disabled while their page is open: their next page is the sign-in.
    await row.getByRole('button', { name: `Disable ${name}` }).click();
    await expect(usersSection(page).getByText(`${name} is disabled and signed out everywhere.`)).toBeVisible();
    await expect(row).toContainText('Disabled');
    await expect(row.getByRole('button', { name: `Enable ${name}` })).toBeVisible();
    await user.page.goto(`${BASE}/registries`);
    await expect(user.page).toHaveURL(/\/login\?next=%2Fregistries$/);
    // And they cannot sign back in.
    await submitSignIn(user.page, name, password);
    await expect(user.page.getByRole('alert')).toHaveText('Wrong name or password.');

    // Enabled again, they can.
    await row.getByRole('button', { name: `Enable ${name}` }).click();
    await expect(row).toContainText('Active');
    await submitSignIn(user.page, name, password);
    await expect(user.page).toHaveURL(`${BASE}/registries`);
    await user.context.close();
  });

  // Known gap, outside the admin page: in the hydrated app a click on a
  // nav link is a client-side navigation, whose server calls answer 401;
  // the page then shows "Please sign in." instead of going to /login.
  test('a disabled user who clicks a link in the open page lands on /login', async ({ page, browser }, info) => {
    test.skip(!jsEnabled(info), 'changes need JavaScript');
    const name = unique('clicker', info);
    const password = 'clicker-password-1';
    await page.goto(`${BASE}/admin`);
    await waitForApp(page, info);
    await addUser(page, name, password, 'viewer');
    const user = await freshPage(browser, info);
    await user.page.goto(`${BASE}/login?next=%2Fregistries`);
    await submitSignIn(user.page, name, password);
    await expect(user.page).toHaveURL(`${BASE}/registries`);
    await waitForApp(user.page, info);
    await userRow(page, name).getByRole('button', { name: `Disable ${name}` }).click();
    await expect(userRow(page, name)).toContainText('Disabled');
    await mainNav(user.page).getByRole('link', { name: 'Tasks' }).click();
    await expect(user.page).toHaveURL(/\/login\?next=%2Ftasks/);
    await user.context.close();
  });

  test('creates an API token that works once shown, and revoking it stops it', async ({ page, playwright }, info) => {
    test.skip(!jsEnabled(info), 'changes need JavaScript');
    const label = unique('ci', info);
    const api = await playwright.request.newContext({ storageState: signedOut });
    expect((await api.get(`${BASE}/api/v1/accounts`)).status()).toBe(401);

    await page.goto(`${BASE}/admin`);
    await waitForApp(page, info);
    const section = tokensSection(page);
    const form = section.getByRole('form', { name: 'Create a token' });
    await form.getByLabel('User').selectOption(USERS.operator.name);
    await form.getByLabel('Label').fill(label);
    // Out of range: refused before asking the server.
    await form.getByLabel('Expires after (days)').fill('4000');
    await form.getByRole('button', { name: 'Create token' }).click();
    await expect(form.getByRole('alert')).toHaveText('Enter whole days from 1 to 3650, or leave it empty.');
    await form.getByLabel('Expires after (days)').fill('30');
    await form.getByRole('button', { name: 'Create token' }).click();

    // Shown once, read-only, with the warning.
    const shown = section.getByRole('region', { name: new RegExp(`New token for ${USERS.operator.name}: ${label}`) });
    await expect(shown).toBeVisible();
    await expect(shown).toContainText('it will not be shown again');
    const field = shown.getByLabel('API token');
    await expect(field).toHaveAttribute('readonly', '');
    await expect(field).toBeFocused();
    const token = await field.inputValue();
    expect(token).toMatch(/^spt_[0-9a-f]+$/);

    const row = section.getByRole('row').filter({ has: page.getByRole('rowheader', { name: label }) });
    await expect(row).toContainText(USERS.operator.name);
    await expect(row).toContainText('Active');

    // The token works as a bearer.
    const bearer = { Authorization: `Bearer ${token}` };
    const accounts = await api.fetch(`${BASE}/api/v1/accounts`, { headers: bearer });
    expect(accounts.status()).toBe(200);
    expect(Array.isArray(await accounts.json())).toBe(true);

    // Dismissed, it is gone from the page for good.
    await shown.getByRole('button', { name: 'Done, I copied it' }).click();
    await expect(shown).toHaveCount(0);
    expect(await page.content()).not.toContain(token);

    // Revoked after a confirmation; Cancel first changes nothing.
    const revoke = row.getByRole('button', { name: `Revoke token ${label} of ${USERS.operator.name}` });
    await revoke.click();
    const dialog = page.getByRole('dialog', { name: 'Revoke this token?' });
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText(label);
    await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect(row).toContainText('Active');
    await revoke.click();
    await dialog.getByRole('button', { name: 'Revoke token' }).click();
    await expect(section.getByText(`Revoked “${label}” of ${USERS.operator.name}`)).toBeVisible();
    await expect(row).toContainText('Revoked');
    await expect(row.getByRole('button', { name: /Revoke/ })).toHaveCount(0);

    const after = await api.fetch(`${BASE}/api/v1/accounts`, { headers: bearer });
    expect(after.status()).toBe(401);
    await api.dispose();
  });

  test('makes a service user and a token limited to viewer on one account, which is refused beyond that', async ({ page, browser, playwright }, info) => {
    test.skip(!jsEnabled(info), 'changes need JavaScript');
    const bot = unique('bot', info);
    await page.goto(`${BASE}/admin`);
    await waitForApp(page, info);

    // A service user: ticking the box takes the password field away.
    const addForm = usersSection(page).getByRole('form', { name: 'Add a user' });
    await addForm.getByLabel('Name', { exact: true }).fill(bot);
    await addForm.getByLabel('Service user (a bot)').check();
    await expect(addForm.getByLabel('Password', { exact: true })).toBeHidden();
    await addForm.getByLabel('Role', { exact: true }).selectOption('operator');
    await addForm.getByRole('button', { name: 'Add user' }).click();
    await expect(addForm.getByText(`Added ${bot}, a service user (operator). Create a token for it below.`)).toBeVisible();
    await expect(userRow(page, bot)).toContainText('service');

    // A token for it: at most viewer, on the first account only. (This
    // console has one account; a token limited to it is refused on any
    // other name before the console even looks the name up.)
    const accounts: { id: string }[] = await (await page.request.get(`${BASE}/api/v1/accounts`)).json();
    const [only, other] = [accounts[0].id, `not-${accounts[0].id}`];
    const section = tokensSection(page);
    const form = section.getByRole('form', { name: 'Create a token' });
    await form.getByLabel('User').selectOption(bot);
    await form.getByLabel('Label').fill('dashboards');
    await form.getByLabel('Role at most').selectOption('viewer');
    await form.getByRole('group', { name: 'Accounts' }).getByLabel(only, { exact: true }).check();
    await form.getByRole('button', { name: 'Create token' }).click();
    const shown = section.getByRole('region', { name: new RegExp(`New token for ${escape(bot)}: dashboards`) });
    const token = await shown.getByLabel('API token').inputValue();
    const row = section.getByRole('row').filter({ hasText: bot });
    await expect(row).toContainText(`viewer · ${only}`);

    // The token sees its one account and may not reach the other.
    const api = await playwright.request.newContext({ storageState: signedOut });
    const bearer = { Authorization: `Bearer ${token}` };
    const seen: { id: string }[] = await (await api.get(`${BASE}/api/v1/accounts`, { headers: bearer })).json();
    expect(seen.map((a) => a.id)).toEqual([only]);
    const refused = await api.post(`${BASE}/api/v1/accounts/retry`, { headers: bearer, data: { account: other } });
    expect(refused.status()).toBe(403);
    expect((await refused.json()).error.message).toBe('This token is limited to the viewer role.');
    const stream = await api.get(`${BASE}/api/v1/events/tasks?account=${other}`, { headers: bearer });
    expect(stream.status()).toBe(403);
    expect((await stream.json()).error.message).toBe(`This token is limited to the account ${only}.`);
    await api.dispose();

    // And the bot cannot sign in with any password.
    const fresh = await freshPage(browser, info);
    await signIn(fresh.page, bot, 'any-password-at-all');
    await expect(fresh.page).toHaveURL(/\/login\?error=credentials/);
    await fresh.context.close();
  });

  test('the audit log shows sign-ins and user changes, filters by actor across reloads, pages, and exports CSV', async ({
    page,
    playwright,
  }, info) => {
    // Entries of our own, made through the public API, so the test runs
    // with JavaScript off too: 55 failed sign-ins under an unused name,
    // then a user added by the admin (newest, so on the first page).
    const stamp = unique('audit', info);
    const added = `${stamp}-user`;
    const ghost = `${stamp}-ghost`;
    const anon = await playwright.request.newContext({ storageState: signedOut });
    for (let i = 0; i < 55; i++) {
      const r = await anon.post(`${BASE}/login`, {
        form: { name: ghost, password: 'wrong-password', next: '/' },
        maxRedirects: 0,
      });
      expect(r.status()).toBe(303);
    }
    await anon.dispose();
    const add = await page.request.post(`${BASE}/api/v1/admin/users/add`, {
      data: { name: added, password: 'audit-password-1', role: 'viewer' },
    });
    expect(add.status()).toBe(200);

    await page.goto(`${BASE}/admin`);
    await waitForApp(page, info);
    const audit = auditSection(page);
    const table = audit.getByRole('table');
    // Sign-ins (the fixtures' own) and the change just made.
    await expect(table.getByRole('row').filter({ hasText: 'login' }).first()).toBeVisible();
    const change = table.getByRole('row').filter({ hasText: 'admin/users/add' }).filter({ hasText: added });
    await expect(change).toHaveCount(1);
    await expect(change).toContainText(USERS.admin.name);
    await expect(change.locator('.status.ok')).toHaveText('OK');
    await expect(audit.getByText(/^1–50 of \d+/)).toBeVisible();

    // Filter by actor: only the ghost's failed sign-ins, in red, 50 a page.
    await audit.getByLabel('Actor').fill(ghost);
    await audit.getByRole('button', { name: 'Apply filters' }).click();
    await expect(page).toHaveURL(new RegExp(`[?&]actor=${ghost}(&|#|$)`));
    await expect(audit.getByText('1–50 of 55')).toBeVisible();
    const rows = table.locator('tbody tr');
    await expect(rows).toHaveCount(50);
    await expect(table.locator('td.actor').filter({ hasNotText: ghost })).toHaveCount(0);
    await expect(rows.first().locator('.status.bad')).toHaveText('Failed');
    await expect(rows.first()).toContainText('wrong name or password');

    // The filter survives a reload.
    await page.reload();
    await waitForApp(page, info);
    await expect(audit.getByLabel('Actor')).toHaveValue(ghost);
    await expect(audit.getByText('1–50 of 55')).toBeVisible();

    // Paging keeps the filter.
    await audit.getByRole('link', { name: 'Next' }).click();
    await expect(page).toHaveURL(/[?&]page=2/);
    await expect(audit.getByText('51–55 of 55')).toBeVisible();
    await expect(rows).toHaveCount(5);
    await audit.getByRole('link', { name: 'Previous' }).click();
    await expect(audit.getByText('1–50 of 55')).toBeVisible();

    // Outcome and dates narrow it further.
    await audit.getByLabel('Outcome').selectOption('ok');
    await audit.getByRole('button', { name: 'Apply filters' }).click();
    await expect(page).toHaveURL(/[?&]outcome=ok/);
    await expect(audit.getByText('No entries match these filters.', { exact: false })).toBeVisible();

    // Days are UTC: today has them, tomorrow nothing.
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    await page.goto(`${BASE}/admin?actor=${ghost}&from=${day(0)}&to=${day(0)}`);
    await expect(audit.getByText('1–50 of 55')).toBeVisible();
    await expect(audit.getByLabel('From (UTC day)')).toHaveValue(day(0));
    await page.goto(`${BASE}/admin?actor=${ghost}&from=${day(1)}`);
    await expect(audit.getByText('No entries match these filters.', { exact: false })).toBeVisible();

    // The export: the same filters, as CSV.
    await page.goto(`${BASE}/admin?actor=${ghost}`);
    await waitForApp(page, info);
    const exportLink = audit.getByRole('link', { name: 'Export CSV' });
    await expect(exportLink).toHaveAttribute('href', `/api/v1/admin/audit.csv?actor=${ghost}`);
    const [download] = await Promise.all([page.waitForEvent('download'), exportLink.click()]);
    const csv = fs.readFileSync(await download.path(), 'utf8');
    const lines = csv.trim().split('\n');
    expect(lines[0].startsWith('id,time_ms,actor')).toBe(true);
    expect(lines).toHaveLength(56);
    for (const line of lines.slice(1)) expect(line.split(',')[2]).toBe(ghost);
  });

  test('at 375 px wide the admin page fits the screen; the tables scroll inside their frames', async ({ page }, info) => {
    await page.setViewportSize({ width: 375, height: 800 });
    await page.goto(`${BASE}/admin`);
    await waitForApp(page, info);
    await expect(usersSection(page).getByRole('table')).toBeVisible();
    // Nothing in the page's content sticks out to the right except inside
    // a table's scrolling frame. (The shared header is not this page's.)
    const sticking = await page.locator('main').evaluate((main) => {
      const width = document.documentElement.clientWidth;
      return [...main.querySelectorAll('*')]
        .filter((el) => !el.closest('.table-wrap') && el.getBoundingClientRect().right > width + 0.5)
        .map((el) => `${el.tagName.toLowerCase()}.${el.className}`);
    });
    expect(sticking).toEqual([]);
    for (const section of [usersSection(page), auditSection(page)]) {
      const [scroll, client] = await section.locator('.table-wrap').evaluate((el) => [el.scrollWidth, el.clientWidth]);
      expect(scroll).toBeGreaterThan(client);
    }
  });
});
