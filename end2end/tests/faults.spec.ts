import { expect, test, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { DATA_DIR, FAULTS_SANDBOX_TOKEN, FAULTS_SANDBOX_URL, FAULTS_URL, PORTS, SERVER_BIN, SITE_ROOT, USERS } from '../fixtures/env';
import { jsEnabled, waitForApp } from '../fixtures/hydration';

// The Tasks page while the cloud fails, on a console of its own deployed
// as a team runs it: nginx in front of two replicas sharing one PostgreSQL
// database (fixtures/start-replicas.sh), so each page load, action and
// live stream may land on either replica. The page says the refresh
// failed, keeps the last good list and stays live, then recovers by itself
// once the fault clears, without a reload.

// This console shares 127.0.0.1 with the canary one: sign in here.
test.use({ storageState: { cookies: [], origins: [] } });

async function setFaults(faults: Record<string, unknown>) {
  const response = await fetch(`${FAULTS_SANDBOX_URL}/__sandbox/faults`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', 'x-sandbox-token': FAULTS_SANDBOX_TOKEN },
    body: JSON.stringify(faults),
  });
  expect(response.ok).toBe(true);
}

async function signIn(page: Page, role: 'viewer' | 'operator' = 'viewer') {
  const { name, password } = USERS[role];
  await page.goto(`${FAULTS_URL}/login`);
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

test.describe('the tasks page under cloud faults', () => {
  test.beforeEach(({}, info) => test.skip(!jsEnabled(info), 'live updates need the hydrated app'));
  test.afterEach(async () => setFaults({}));

  for (const [label, faults, says] of [
    ['5xx answers', { fail_percent: 100 }, 'Internal server error'],
    ['a hanging cloud', { hang: true }, 'did not answer'],
    ['throttling (APIGW.0308)', { throttle: true }, 'rate limited'],
    ['malformed JSON', { malformed: true }, 'not valid JSON'],
    ['slow past the timeout', { latency_ms: 3000 }, 'did not answer'],
    ['clock skew', { clock_skew_secs: 3600 }, 'clock is off'],
  ] as const) {
    test(`${label}: the failure shows, the list stays, and it recovers without a reload`, async ({ page }, info) => {
      await signIn(page);
      await page.goto(`${FAULTS_URL}/tasks`);
      await waitForApp(page, info);
      await page.evaluate(() => ((window as unknown as { marker: number }).marker = 11));
      await expect(page.locator('.conn.live')).toBeVisible();
      const rows = page.locator('table.tasks[data-list="image_scan"] tbody tr.task');
      await expect(rows.first()).toBeVisible();
      const count = await rows.count();

      await setFaults(faults);
      const notice = page.locator('p.notice.warn', { hasText: says });
      await expect(notice).toBeVisible({ timeout: 20_000 });
      // The last good list stays, and the stream to the console is up.
      await expect(rows).toHaveCount(count);
      await expect(page.locator('.conn.live')).toBeVisible();

      await setFaults({});
      // The hub retries 15 s after a failure.
      await expect(notice).toBeHidden({ timeout: 30_000 });
      await expect(rows).toHaveCount(count);
      await expect(page.locator('.conn.live')).toBeVisible();
      expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(11);
    });
  }
});

// The cloud refuses the account's key: after two refusals in a row the
// console stops polling (five would lock a Huawei AK), the Tasks page says
// so, every page of the account shows the notice, and an operator's Retry,
// once the key is good again, brings the live list back.
test.describe('an account whose key the cloud refuses', () => {
  test.beforeEach(({}, info) => test.skip(!jsEnabled(info), 'the live list and Retry need the hydrated app'));

  test('pauses polling, says so on its pages, and Retry resumes it', async ({ page }, info) => {
    await signIn(page, 'operator');
    try {
      await page.goto(`${FAULTS_URL}/tasks`);
      await waitForApp(page, info);
      await expect(page.locator('.conn.live')).toBeVisible();
      const rows = page.locator('table.tasks[data-list="image_scan"] tbody tr.task');
      await expect(rows.first()).toBeVisible();

      await setFaults({ refuse_auth: true });
      // The hub's second refusal comes 15 s after the first.
      await expect(page.locator('p.notice.warn', { hasText: 'polling paused' })).toBeVisible({ timeout: 45_000 });
      await expect(rows.first()).toBeVisible();

      // Every page of the account says so, in the header.
      const notice = page.locator('.app-header .account-paused');
      for (const path of ['/tasks', '/images', '/registries']) {
        await page.goto(`${FAULTS_URL}${path}`);
        await waitForApp(page, info);
        await expect(notice).toContainText('polling paused');
        await expect(notice).toContainText('sandbox-huawei');
      }
      // The key is good again. The TCSS account was never paused: its
      // page has no notice.
      await setFaults({});
      await page.goto(`${FAULTS_URL}/schedule`);
      await waitForApp(page, info);
      await expect(notice).toHaveCount(0);

      // The operator retries.
      await page.goto(`${FAULTS_URL}/tasks`);
      await waitForApp(page, info);
      await notice.getByRole('button', { name: 'Retry' }).click();
      // A successful retry reloads the page: no notice, a live fresh list.
      await expect(notice).toHaveCount(0, { timeout: 15_000 });
      await expect(page.locator('.conn.live')).toBeVisible();
      await expect(rows.first()).toBeVisible();
      await expect(page.locator('p.notice.warn', { hasText: 'polling paused' })).toBeHidden({ timeout: 20_000 });
    } finally {
      // Whatever happened, leave the console as the next test expects it.
      await setFaults({});
      await page.request.post(`${FAULTS_URL}/api/v1/accounts/retry`, { data: { account: 'sandbox-huawei' } });
    }
  });
});

// The console itself goes away while a page watches: restarted, and for a
// while answering the stream with 502 as a reverse proxy would. The page
// says "Reconnecting…", keeps its list, and is live again by itself once
// the console is back, without a reload.
test.describe('the tasks page while the console restarts', () => {
  const url = `http://127.0.0.1:${PORTS.restart}`;
  const dataDir = path.join(DATA_DIR, 'restart');
  let server: ChildProcess | undefined;

  const env = {
    ...process.env,
    SCANPORT_BIN: SERVER_BIN,
    SCANPORT_SITE_ROOT: SITE_ROOT,
    SCANPORT_LISTEN: `127.0.0.1:${PORTS.restart}`,
    SCANPORT_DATA_DIR: dataDir,
    SCANPORT_LOG: 'warn',
    E2E_ADMIN_NAME: USERS.admin.name,
    E2E_ADMIN_PASSWORD: USERS.admin.password,
    E2E_OPERATOR_NAME: USERS.operator.name,
    E2E_OPERATOR_PASSWORD: USERS.operator.password,
    E2E_VIEWER_NAME: USERS.viewer.name,
    E2E_VIEWER_PASSWORD: USERS.viewer.password,
  };

  // The first start makes a fresh database with the users; a restart
  // keeps it (and so the browser's session).
  async function start(fresh: boolean) {
    const [command, args] = fresh
      ? ['bash', [path.join(__dirname, '..', 'fixtures', 'start-console.sh'), dataDir]]
      : [SERVER_BIN, ['serve']];
    server = spawn(command, args, { env, stdio: 'inherit' });
    const deadline = Date.now() + 30_000;
    for (;;) {
      const up = await fetch(`${url}/readyz`).then((r) => r.ok, () => false);
      if (up) return;
      expect(Date.now(), 'the console did not start within 30 s').toBeLessThan(deadline);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  async function stop() {
    const running = server;
    server = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGTERM');
    await exited;
  }

  test.beforeEach(({}, info) => test.skip(!jsEnabled(info), 'live updates need the hydrated app'));
  test.afterEach(stop);

  test('shows reconnecting, keeps the list, and resumes by itself', async ({ page }, info) => {
    await start(true);
    const { name, password } = USERS.viewer;
    await page.goto(`${url}/login`);
    await page.getByLabel('Name').fill(name);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    await page.goto(`${url}/tasks`);
    await waitForApp(page, info);
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 12));
    await expect(page.locator('.conn.live')).toBeVisible();
    const rows = page.locator('table.tasks[data-list="image_scan"] tbody tr.task');
    await expect(rows.first()).toBeVisible();
    const count = await rows.count();

    // A proxy in front answers 502 while the console is away: the browser
    // gives up on such a stream, and the page must open a new one itself.
    let refused = 0;
    await page.route('**/api/v1/events/tasks**', (route) => {
      refused += 1;
      return route.fulfill({ status: 502, body: 'Bad Gateway' });
    });
    await stop();
    await expect(page.locator('.conn.reconnecting')).toBeVisible();
    await expect(rows).toHaveCount(count);
    await expect.poll(() => refused, { timeout: 15_000 }).toBeGreaterThanOrEqual(2);

    await page.unroute('**/api/v1/events/tasks**');
    await start(false);
    await expect(page.locator('.conn.live')).toBeVisible({ timeout: 40_000 });
    await expect(rows).toHaveCount(count);
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(12);
  });
});
