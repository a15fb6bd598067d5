import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { LAUNCH_URL, authState } from '../fixtures/env';
import { jsEnabled, waitForApp } from '../fixtures/hydration';

// The HSS scan policy of the Huawei account, on the launch console's
// embedded sandbox. The sandbox seeds: on, every 7 days, every kind of
// risk, images of the last 7 days, 200 images an hour, the SWR private
// and shared registries.

const PAGE = `${LAUNCH_URL}/schedule?account=sandbox-huawei`;
const UPDATE = '/api/v1/hss/scan-policy/update';
const SEEDED = 'Every 7 days, every kind of risk, images of the last 7 days, up to 200 images an hour.';

/** Puts the sandbox's policy back as seeded (through the public API). */
async function restoreSeed(request: APIRequestContext) {
  const response = await request.post(`${LAUNCH_URL}${UPDATE}`, {
    data: {
      account: 'sandbox-huawei',
      request: {
        enabled: true,
        scan_cycle: 7,
        scan_scope: 0x7fffffff,
        rate_limit: 200,
        time_scope: 7,
        registry_info: [
          { registry_id: 'reg-swr-private', registry_name: 'SWR private', registry_type: 'SwrPrivate' },
          { registry_id: 'reg-swr-shared', registry_name: 'SWR shared', registry_type: 'SwrShared' },
        ],
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

test.describe('the HSS scan policy, read', () => {
  test('in words, with its registries; editing needs JavaScript', async ({ page }, info) => {
    await page.goto(PAGE);
    await waitForApp(page, info);
    await expect(page.locator('.schedule-account code')).toHaveText('sandbox-huawei');
    await expect(page.getByRole('heading', { level: 2, name: 'Scheduled scan of registry images (HSS)' })).toBeVisible();
    await expect(page.locator('.schedule-sentence')).toHaveText(SEEDED);
    await expect(page.locator('.schedule-state')).toHaveText('On');
    await expect(page.locator('.registries dd')).toHaveText('SWR private and SWR shared');
    const note = page.getByText('Editing the schedule needs JavaScript.');
    const form = page.locator('form.schedule-form');
    if (jsEnabled(info)) {
      await expect(note).toBeHidden();
      await expect(form).toBeVisible();
      await expect(page.getByLabel('Scheduled scans are on')).toBeChecked();
      await expect(page.getByLabel('Every', { exact: true })).toHaveValue('7');
      await expect(page.getByLabel('Images pushed')).toHaveValue('7');
      await expect(page.getByLabel('At most (images an hour)')).toHaveValue('200');
      for (const kind of ['Vulnerabilities', 'Baseline checks', 'Malicious files', 'Sensitive information', 'Software compliance']) {
        await expect(page.getByLabel(kind, { exact: true })).toBeChecked();
      }
      await expect(page.getByLabel('SWR private', { exact: true })).toBeChecked();
      await expect(page.getByLabel('Harbor (corp)', { exact: true })).not.toBeChecked();
    } else {
      await expect(note).toBeVisible();
      await expect(form).toBeHidden();
    }
  });

  test('the account switcher offers both clouds on the Schedule page', async ({ page }, info) => {
    await page.goto(`${LAUNCH_URL}/schedule`);
    await waitForApp(page, info);
    await page.locator('details.account-switcher summary').click();
    await page.locator('details.account-switcher').getByRole('link', { name: /sandbox-huawei/ }).click();
    await waitForApp(page, info);
    await expect(page).toHaveURL(/account=sandbox-huawei/);
    await expect(page.locator('.schedule-sentence')).toHaveText(SEEDED);
  });
});

test.describe('editing the HSS scan policy', () => {
  test.beforeEach(({}, info) => test.skip(!jsEnabled(info), 'editing needs the hydrated app'));
  test.afterEach(async ({ request }) => restoreSeed(request));

  test('every field: saved, read back, and kept after a reload', async ({ page }, info) => {
    await page.goto(PAGE);
    await waitForApp(page, info);
    const sent = countUpdates(page);
    await page.getByLabel('Every', { exact: true }).selectOption('14');
    await page.getByLabel('Images pushed').selectOption('1');
    await page.getByLabel('At most (images an hour)').fill('50');
    await page.getByLabel('Baseline checks', { exact: true }).uncheck();
    await page.getByLabel('Sensitive information', { exact: true }).uncheck();
    await page.getByLabel('Software compliance', { exact: true }).uncheck();
    await page.getByLabel('SWR shared', { exact: true }).uncheck();
    await page.getByLabel('Harbor (corp)', { exact: true }).check();
    await page.getByRole('button', { name: 'Save schedule' }).click();

    const expected = 'Every 14 days, vulnerabilities and malicious files, images of the last day, up to 50 images an hour.';
    await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
    await expect(page.locator('.schedule-sentence')).toHaveText(expected);
    await expect(page.locator('.registries dd')).toHaveText('SWR private and Harbor (corp)');
    expect(sent).toHaveLength(1);
    const body = sent[0] as { account: string; request: Record<string, unknown>; idempotency_key: string };
    expect(body.account).toBe('sandbox-huawei');
    expect(body.idempotency_key).toMatch(/^ui-/);
    expect(body.request).toEqual({
      enabled: true,
      scan_cycle: 14,
      scan_scope: 0x0f0f00,
      rate_limit: 50,
      time_scope: 1,
      registry_info: [
        { registry_id: 'reg-swr-private', registry_name: 'SWR private', registry_type: 'SwrPrivate' },
        { registry_id: 'reg-harbor', registry_name: 'Harbor (corp)', registry_type: 'Harbor' },
      ],
    });

    await page.reload();
    await waitForApp(page, info);
    await expect(page.locator('.schedule-sentence')).toHaveText(expected);
    await expect(page.getByLabel('Every', { exact: true })).toHaveValue('14');
    await expect(page.getByLabel('Images pushed')).toHaveValue('1');
    await expect(page.getByLabel('At most (images an hour)')).toHaveValue('50');
    await expect(page.getByLabel('Baseline checks', { exact: true })).not.toBeChecked();
    await expect(page.getByLabel('Harbor (corp)', { exact: true })).toBeChecked();
    await expect(page.getByLabel('SWR shared', { exact: true })).not.toBeChecked();

    // Off, and read back as off.
    await page.getByLabel('Scheduled scans are on').uncheck();
    await page.getByRole('button', { name: 'Save schedule' }).click();
    await expect(page.locator('.schedule-state')).toHaveText('Off');
    await expect(page.locator('.schedule-sentence')).toHaveText(`Off. When on: ${expected.charAt(0).toLowerCase()}${expected.slice(1)}`);
  });

  test('an invalid entry shows beside its field and sends nothing', async ({ page }, info) => {
    await page.goto(PAGE);
    await waitForApp(page, info);
    const sent = countUpdates(page);
    const save = page.getByRole('button', { name: 'Save schedule' });
    const rate = page.getByLabel('At most (images an hour)');
    await rate.fill('5000');
    await save.click();
    await expect(page.locator('#policy-rate-error')).toHaveText(
      'Enter a whole number of images an hour, 0 to 1000 (got “5000”).',
    );
    await expect(rate).toHaveAttribute('aria-invalid', 'true');
    await expect(rate).toBeFocused();
    await rate.fill('200');

    await page.getByLabel('SWR private', { exact: true }).uncheck();
    await page.getByLabel('SWR shared', { exact: true }).uncheck();
    await save.click();
    await expect(page.locator('#policy-registries-error')).toHaveText('Choose at least one registry to scan.');
    await expect(page.locator('#policy-rate-error')).toHaveCount(0);
    expect(sent).toHaveLength(0);
    await expect(page.locator('.schedule-sentence')).toHaveText(SEEDED);
  });
});

test.describe('what a viewer sees of the HSS policy', () => {
  test.use({ storageState: authState('viewer') });

  test('the policy in words, and no form', async ({ page }, info) => {
    await page.goto(PAGE);
    await waitForApp(page, info);
    await expect(page.locator('.schedule-sentence')).toHaveText(SEEDED);
    await expect(page.locator('form.schedule-form')).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Save schedule' })).toHaveCount(0);
    await expect(page.getByText('Operators and admins can change the schedule.')).toBeVisible();
  });
});
