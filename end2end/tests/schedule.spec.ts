import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { LAUNCH_URL, authState } from '../fixtures/env';
import { jsEnabled, waitForApp } from '../fixtures/hydration';

// The Tencent timing scan, on the launch console (its embedded sandbox has
// the Tencent account `sandbox-tencent`). The sandbox seeds: every 1 day
// at 03:00 (UTC+8), CVE and VIRUS, latest versions, all images, TCR and
// CCR; last scan 2026-11-21 03:00:00 (UTC+8), Success.

const SEEDED = 'Every 1 day at 03:00 (UTC+8), CVE and virus, latest versions, all images.';
const UPDATE = '/api/v1/tcss/timing-scan/update';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

// A viewer in Shanghai, so local times read as Tencent's console does.
test.use({ timezoneId: 'Asia/Shanghai' });

/** Puts the sandbox's schedule back as seeded (through the public API). */
async function restoreSeed(request: APIRequestContext) {
  const response = await request.post(`${LAUNCH_URL}${UPDATE}`, {
    data: {
      account: 'sandbox-tencent',
      request: {
        ScanPeriod: 1,
        Enable: true,
        ScanTime: '03:00:00',
        ScanType: ['CVE', 'VIRUS'],
        All: true,
        Images: [],
        Id: [],
        Latest: true,
        ContainerRunning: false,
        ScanScope: 0,
        RegistryType: ['tcr', 'ccr'],
        Namespace: [],
        ExcludeImageAssetIds: [],
      },
    },
  });
  expect(response.status()).toBe(200);
}

/** Counts the update requests the page sends. */
function countUpdates(page: Page) {
  const sent: unknown[] = [];
  page.on('request', (r) => {
    if (r.url().includes(UPDATE)) sent.push(r.postDataJSON());
  });
  return sent;
}

/** The next run by the page's documented rule, from the last scan's day. */
function expectedNextRun(lastScanUtcMs: number, periodDays: number, atUtc8Ms: number, now: number) {
  const utc8Day = (ms: number) => Math.floor((ms + 8 * HOUR) / DAY);
  const runOn = (day: number) => day * DAY + atUtc8Ms - 8 * HOUR;
  const candidate = runOn(utc8Day(lastScanUtcMs) + periodDays);
  if (candidate >= now) return candidate;
  const today = runOn(utc8Day(now));
  return today >= now ? today : today + DAY;
}

const pad = (n: number) => String(n).padStart(2, '0');
const utc8Date = (ms: number) => {
  const d = new Date(ms + 8 * HOUR);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
};

test.describe('the schedule, read', () => {
  test('in words, with the time zone, the last scan and the next run', async ({ page }, info) => {
    const before = Date.now();
    await page.goto(`${LAUNCH_URL}/schedule`);
    await waitForApp(page, info);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Scan schedule');
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Schedule' })).toHaveAttribute(
      'aria-current',
      'page',
    );
    await expect(page.locator('.schedule-account code')).toHaveText('sandbox-tencent');
    await expect(page.locator('.schedule-sentence')).toHaveText(SEEDED);
    await expect(page.locator('.schedule-state')).toHaveText('On');
    // The time zone is stated.
    await expect(page.locator('.schedule-zone')).toContainText('China Standard Time (UTC+8)');

    // Last scan: 2026-11-21 03:00:00 in Beijing is 19:00 UTC the day before.
    const last = page.locator('.last-scan time');
    await expect(last).toHaveAttribute('datetime', '2026-11-20T19:00:00Z');
    await expect(page.locator('.last-result')).toContainText('Succeeded');
    await expect(page.locator('.registries dd')).toHaveText('TCR and CCR');

    // Next run: at 03:00 (UTC+8), by the rule, in the viewer's time once
    // interactive (UTC before that).
    const next = page.locator('.next-run time');
    const iso = await next.getAttribute('datetime');
    expect(iso).toMatch(/T19:00:00Z$/);
    const at = Date.parse(iso!);
    const lastScan = Date.parse('2026-11-20T19:00:00Z');
    const candidates = [before, Date.now()].map((now) => expectedNextRun(lastScan, 1, 3 * HOUR, now));
    expect(candidates).toContain(at);
    if (jsEnabled(info)) {
      await expect(last.locator('.clock')).toHaveText('03:00 UTC+8');
      await expect(next.locator('.date')).toHaveText(utc8Date(at));
      await expect(next.locator('.clock')).toHaveText('03:00 UTC+8');
    } else {
      await expect(last.locator('.clock')).toHaveText('19:00 UTC');
      await expect(next.locator('.clock')).toHaveText('19:00 UTC');
    }
  });

  test('editing needs JavaScript, and says so without it', async ({ page }, info) => {
    await page.goto(`${LAUNCH_URL}/schedule`);
    await waitForApp(page, info);
    const note = page.getByText('Editing the schedule needs JavaScript.');
    const form = page.locator('form.schedule-form');
    if (jsEnabled(info)) {
      await expect(form).toBeVisible();
      await expect(note).toBeHidden();
      // The form starts as the schedule is.
      await expect(page.getByLabel('Scheduled scans are on')).toBeChecked();
      await expect(page.getByLabel('Every (days)')).toHaveValue('1');
      // As the service holds it (HH:MM:SS here; HH:MM shows as HH:MM).
      await expect(page.getByLabel('At (UTC+8)')).toHaveValue('03:00:00');
      await expect(page.getByLabel('Vulnerabilities (CVE)')).toBeChecked();
      await expect(page.getByLabel('Viruses and trojans')).toBeChecked();
      await expect(page.getByLabel('Risky settings and sensitive data')).not.toBeChecked();
      await expect(page.getByRole('radio', { name: /^All images/ })).toBeChecked();
      // The image list shows only for a scan of chosen images.
      await expect(page.getByLabel('Chosen images', { exact: true })).toBeHidden();
      await page.getByRole('radio', { name: /^Chosen images/ }).check();
      await expect(page.getByLabel('Chosen images', { exact: true })).toBeVisible();
      await page.getByRole('radio', { name: /^All images/ }).check();
      await expect(page.getByLabel('TCR', { exact: true })).toBeChecked();
      await expect(page.getByLabel('Harbor', { exact: true })).not.toBeChecked();
    } else {
      await expect(note).toBeVisible();
      await expect(form).toBeHidden();
      await expect(page.locator('.schedule-sentence')).toHaveText(SEEDED);
    }
  });

  test('the header link opens it within the app', async ({ page }, info) => {
    test.skip(!jsEnabled(info), 'client-side navigation needs the hydrated app');
    await page.goto(`${LAUNCH_URL}/registries`);
    await waitForApp(page, info);
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 7));
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Schedule' }).click();
    await expect(page.locator('.schedule-sentence')).toHaveText(SEEDED);
    await expect(page.locator('.next-run time .clock')).toHaveText('03:00 UTC+8');
    // The same page: no reload.
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(7);
  });

  test('an unknown account in the address shows the first Tencent account, and says why', async ({ page }, info) => {
    await page.goto(`${LAUNCH_URL}/schedule?account=nope`);
    await waitForApp(page, info);
    await expect(page.locator('.schedule-account code')).toHaveText('sandbox-tencent');
    await expect(page.getByRole('status').filter({ hasText: 'There is no account “nope”. Showing sandbox-tencent.' })).toBeVisible();
    await expect(page.locator('.schedule-sentence')).toHaveText(SEEDED);
  });
});

test.describe('editing the schedule', () => {
  test.beforeEach(({}, info) => test.skip(!jsEnabled(info), 'editing needs the hydrated app'));
  test.afterEach(async ({ request }) => restoreSeed(request));

  test('period, time and scan kinds: saved, read back, and kept after a reload', async ({ page }, info) => {
    await page.goto(`${LAUNCH_URL}/schedule`);
    await waitForApp(page, info);
    const sent = countUpdates(page);
    await page.getByLabel('Every (days)').fill('3');
    await page.getByLabel('At (UTC+8)').fill('21:30');
    await page.getByLabel('Viruses and trojans').uncheck();
    await page.getByLabel('Risky settings and sensitive data').check();
    await page.getByRole('button', { name: 'Save schedule' }).click();

    const expected = 'Every 3 days at 21:30 (UTC+8), CVE and risk, latest versions, all images.';
    await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
    await expect(page.locator('.schedule-sentence')).toHaveText(expected);
    expect(sent).toHaveLength(1);
    const body = sent[0] as { account: string; request: Record<string, unknown>; idempotency_key: string };
    expect(body.account).toBe('sandbox-tencent');
    expect(body.idempotency_key).toMatch(/^ui-/);
    expect(body.request).toMatchObject({
      ScanPeriod: 3,
      Enable: true,
      ScanTime: '21:30',
      ScanType: ['CVE', 'RISK'],
      All: true,
      ScanScope: 0,
      Latest: true,
      ContainerRunning: false,
      RegistryType: ['tcr', 'ccr'],
    });

    await page.reload();
    await waitForApp(page, info);
    await expect(page.locator('.schedule-sentence')).toHaveText(expected);
    await expect(page.getByLabel('Every (days)')).toHaveValue('3');
    await expect(page.getByLabel('At (UTC+8)')).toHaveValue('21:30');
    await expect(page.getByLabel('Vulnerabilities (CVE)')).toBeChecked();
    await expect(page.getByLabel('Viruses and trojans')).not.toBeChecked();
    await expect(page.getByLabel('Risky settings and sensitive data')).toBeChecked();
    // 21:30 in Beijing is 13:30 UTC; the viewer (in Shanghai) sees 21:30.
    const next = page.locator('.next-run time');
    await expect(next).toHaveAttribute('datetime', /T13:30:00Z$/);
    await expect(next.locator('.clock')).toHaveText('21:30 UTC+8');
  });

  test('turning it off, and every other field, reads back', async ({ page }, info) => {
    await page.goto(`${LAUNCH_URL}/schedule`);
    await waitForApp(page, info);
    await page.getByLabel('Scheduled scans are on').uncheck();
    await page.getByRole('radio', { name: /^Chosen images/ }).check();
    await page.getByLabel('Chosen images', { exact: true }).fill('payments/api:v2\n4242');
    await page.getByLabel('Only the latest version of each image').uncheck();
    await page.getByLabel('Only images that running containers use').check();
    await page.getByLabel('Harbor', { exact: true }).check();
    for (const ns of ['payments', 'web']) await page.getByRole('group', { name: 'Namespaces' }).getByLabel(ns).check();
    await page.getByLabel('Leave out image asset IDs').fill('7, 8');
    await page.getByRole('button', { name: 'Save schedule' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();

    const expected =
      'Off. When on: every 1 day at 03:00 (UTC+8), CVE and virus, all versions, ' +
      '2 chosen images of running containers in namespaces payments and web except 2 images.';
    await expect(page.locator('.schedule-sentence')).toHaveText(expected);
    await page.reload();
    await waitForApp(page, info);
    await expect(page.locator('.schedule-sentence')).toHaveText(expected);
    await expect(page.locator('.schedule-state')).toHaveText('Off');
    await expect(page.locator('.next-run dd')).toHaveText('None: scheduled scans are off');
    await expect(page.locator('.registries dd')).toHaveText('TCR, CCR and Harbor');
    await expect(page.getByLabel('Scheduled scans are on')).not.toBeChecked();
    await expect(page.getByRole('radio', { name: /^Chosen images/ })).toBeChecked();
    await expect(page.getByLabel('Chosen images', { exact: true })).toHaveValue('payments/api:v2\n4242');
    await expect(page.getByLabel('Only the latest version of each image')).not.toBeChecked();
    await expect(page.getByLabel('Only images that running containers use')).toBeChecked();
    for (const ns of ['payments', 'web']) await expect(page.getByRole('group', { name: 'Namespaces' }).getByLabel(ns)).toBeChecked();
    await expect(page.getByLabel('Leave out image asset IDs')).toHaveValue('7, 8');
  });

  // The sandbox keeps an end time once set (an update without one leaves
  // it), so this one is answered here rather than stored.
  test('an end time is sent as typed, the untouched start time as it was (UTC+8)', async ({ page }, info) => {
    await page.goto(`${LAUNCH_URL}/schedule`);
    await waitForApp(page, info);
    const sent: Record<string, unknown>[] = [];
    await page.route(`**${UPDATE}`, (route) => {
      sent.push(route.request().postDataJSON());
      return route.fulfill({ status: 200, contentType: 'application/json', body: '{"RequestId":"r-1"}' });
    });
    await page.getByLabel('Stop by (UTC+8, optional)').fill('5:15');
    await page.getByRole('button', { name: 'Save schedule' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
    expect(sent).toHaveLength(1);
    expect(sent[0].request).toMatchObject({ ScanTime: '03:00:00', ScanEndTime: '05:15' });
    await page.getByLabel('Stop by (UTC+8, optional)').fill('5pm');
    await page.getByRole('button', { name: 'Save schedule' }).click();
    await expect(page.locator('#sched-end-error')).toHaveText(
      'Enter a time of day as HH:MM or HH:MM:SS, 00:00 to 23:59 (got “5pm”).',
    );
    expect(sent).toHaveLength(1);
  });

  test('an invalid entry shows beside its field and sends nothing', async ({ page }, info) => {
    await page.goto(`${LAUNCH_URL}/schedule`);
    await waitForApp(page, info);
    const sent = countUpdates(page);
    const save = page.getByRole('button', { name: 'Save schedule' });

    const time = page.getByLabel('At (UTC+8)');
    await time.fill('25:00');
    await save.click();
    await expect(page.locator('#sched-time-error')).toHaveText(
      'Enter a time of day as HH:MM or HH:MM:SS, 00:00 to 23:59 (got “25:00”).',
    );
    await expect(time).toHaveAttribute('aria-invalid', 'true');
    await expect(time).toBeFocused();
    await time.fill('03:00');

    const period = page.getByLabel('Every (days)');
    await period.fill('0');
    await save.click();
    await expect(page.locator('#sched-period-error')).toHaveText('Must be 1 to 365 days (got 0).');
    await expect(page.locator('#sched-time-error')).toHaveCount(0);
    await period.fill('1');

    await page.getByLabel('Vulnerabilities (CVE)').uncheck();
    await page.getByLabel('Viruses and trojans').uncheck();
    await save.click();
    await expect(page.locator('#sched-types-error')).toHaveText('Choose at least one of CVE, VIRUS, RISK.');
    await page.getByLabel('Vulnerabilities (CVE)').check();

    await page.getByRole('radio', { name: /^Chosen images/ }).check();
    await save.click();
    await expect(page.locator('#sched-images-error')).toHaveText('A scan of chosen images needs Images or Id.');

    expect(sent).toHaveLength(0);
    await expect(page.locator('.schedule-sentence')).toHaveText(SEEDED);
  });

  test('the server’s refusal of a field shows beside it; other errors below the form', async ({ page }, info) => {
    await page.goto(`${LAUNCH_URL}/schedule`);
    await waitForApp(page, info);
    let answer: { status: number; body: unknown } = {
      status: 400,
      body: { error: { kind: 'invalid_input', field: 'ScanTime', message: 'not on the hour in this region' } },
    };
    await page.route(`**${UPDATE}`, (route) =>
      route.fulfill({ status: answer.status, contentType: 'application/json', body: JSON.stringify(answer.body) }),
    );
    const save = page.getByRole('button', { name: 'Save schedule' });
    await save.click();
    await expect(page.locator('#sched-time-error')).toHaveText('Not on the hour in this region.');
    await expect(page.getByLabel('At (UTC+8)')).toHaveAttribute('aria-invalid', 'true');

    answer = {
      status: 502,
      body: {
        error: {
          kind: 'upstream_rejected',
          message: 'The cloud refused the request (FailedOperation): license expired',
          upstream_code: 'FailedOperation',
          upstream_message: 'license expired',
          request_id: 'req-123',
        },
      },
    };
    await save.click();
    const notice = page.locator('form.schedule-form .notice.error');
    await expect(notice).toContainText('The cloud refused the request (FailedOperation)');
    await expect(notice).toContainText('req-123');
    await expect(page.locator('#sched-time-error')).toHaveCount(0);
    await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toHaveCount(0);
  });
});

test.describe('what a viewer sees', () => {
  test.use({ storageState: authState('viewer') });

  test('the schedule in words, and no form', async ({ page }, info) => {
    await page.goto(`${LAUNCH_URL}/schedule`);
    await waitForApp(page, info);
    await expect(page.locator('.schedule-sentence')).toHaveText(SEEDED);
    await expect(page.locator('.schedule-zone')).toContainText('UTC+8');
    await expect(page.locator('.next-run time')).toHaveCount(1);
    await expect(page.locator('form.schedule-form')).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Save schedule' })).toHaveCount(0);
    await expect(page.getByText('Operators and admins can change the schedule.')).toBeVisible();
  });
});
