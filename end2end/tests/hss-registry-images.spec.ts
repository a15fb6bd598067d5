import { expect, test, type Page } from '@playwright/test';
import { LAUNCH_URL } from '../fixtures/env';
import { jsEnabled, waitForApp } from '../fixtures/hydration';

// An HSS account's third-party registries on the Images page, and a sync
// task's registries on the Tasks page, on the launch console's embedded
// sandbox (account sandbox-huawei). The sandbox's Harbor (corp) and JFrog
// registries hold images of their own (billing, gateway, ledger, search,
// notifier, ci-runner); its Harbor (legacy) cannot be reached, so every
// sync of it fails with the registry's reason.

const IMAGES = `${LAUNCH_URL}/images?account=sandbox-huawei`;
const THIRD_PARTY_NAMES = /^(billing|gateway|ledger|search|notifier|ci-runner)$/;

const rows = (page: Page) => page.locator('table.registry-images tbody tr');

async function chooseRegistry(page: Page, name: string) {
  await page.getByLabel('Registry', { exact: true }).selectOption(name);
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect(page).toHaveURL(/registry=/);
  await expect(page.getByLabel('Registry', { exact: true })).toHaveValue(name);
}

async function fitsA375pxPhone(page: Page) {
  await page.setViewportSize({ width: 375, height: 812 });
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow, 'the page scrolls sideways at 375 px').toBeLessThanOrEqual(0);
}

test.describe('third-party registry images (HSS)', () => {
  test('the image-type choice lists a registry by name, and its filters narrow the list', async ({ page }, info) => {
    await page.goto(IMAGES);
    await waitForApp(page, info);
    await page.getByLabel('Image type').selectOption({ label: 'Third-party registries' });
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect(page).toHaveURL(/image_type=third_party/);
    // Registries are offered by name (SWR's own private and shared lists
    // have image types of their own).
    const registry = page.getByLabel('Registry', { exact: true });
    const offered = await registry.locator('option').allInnerTexts();
    expect(offered).toEqual(
      expect.arrayContaining(['Harbor (corp) (Harbor)', 'JFrog Artifactory (JFrog)', 'SWR enterprise: prod (SWR enterprise)']),
    );
    expect(offered.join()).not.toContain('SWR private');

    await chooseRegistry(page, 'Harbor (corp)');
    await expect(registry).toHaveValue('Harbor (corp)');
    await expect(rows(page).first()).toBeVisible();
    const harborTotal = Number((await page.locator('p.count').innerText()).match(/of (\d+)/)?.[1]);
    expect(harborTotal).toBeGreaterThan(0);
    for (const name of await rows(page).locator('td.image-name').allInnerTexts()) {
      expect(name.trim()).toMatch(THIRD_PARTY_NAMES);
    }

    // Severity: only high-risk images remain, fewer than before.
    await page.getByLabel('Risk').selectOption({ label: 'High' });
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect(page).toHaveURL(/severity=High/);
    const highTotal = Number((await page.locator('p.count').innerText()).match(/of (\d+)/)?.[1]);
    expect(highTotal).toBeGreaterThan(0);
    expect(highTotal).toBeLessThan(harborTotal);
    const levels = await rows(page).locator('.severity').allInnerTexts();
    expect(levels.length).toBeGreaterThan(0);
    for (const level of levels) expect(level).toBe('High');

    // Without findings: no counts, and no high risk left.
    await page.getByLabel('Risk').selectOption({ label: 'Any' });
    await page.getByLabel('Findings').selectOption({ label: 'Without findings' });
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect(page).toHaveURL(/risky=0/);
    await expect(rows(page).first()).toBeVisible();
    await expect(page.locator('table.registry-images td.num.risk')).toHaveCount(0);

    // Another registry, by name: other images.
    await chooseRegistry(page, 'JFrog Artifactory');
    await expect(rows(page).first()).toBeVisible();
    await fitsA375pxPhone(page);
  });

  test('chosen Harbor images are scanned with a confirmation, and the task appears', async ({ page }, info) => {
    test.skip(!jsEnabled(info), 'choosing and launching need the hydrated app');
    await page.goto(`${IMAGES}&image_type=third_party&registry=Harbor%20(corp)`);
    await waitForApp(page, info);
    const boxes = rows(page).locator('input[type=checkbox]');
    await expect(boxes.first()).toBeVisible();
    const box = boxes.first();
    await box.check();
    const picked = ((await box.getAttribute('aria-label')) ?? '').replace(/^Select /, '');
    await expect(page.getByText('1 image selected')).toBeVisible();
    // The list's filters have no scan-all counterpart.
    await expect(page.getByRole('button', { name: /^Scan all/ })).toHaveCount(0);

    let sent: { request?: { image_info?: Array<Record<string, string>> } } | null = null;
    page.on('request', (r) => {
      if (r.url().includes('/api/v1/hss/scan-tasks')) sent = r.postDataJSON();
    });
    await page.getByRole('button', { name: 'Scan selected' }).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog.getByRole('heading')).toHaveText('Scan 1 Harbor (corp) image?');
    await expect(dialog.getByText(picked)).toBeVisible();
    await dialog.getByRole('button', { name: 'Launch scan' }).click();
    await page.waitForURL(/\/tasks\?type=image_scan.*launched=1/);
    await expect(page.getByText('Scan launched.')).toBeVisible();
    const info0 = sent!.request!.image_info![0];
    expect(info0.registry_type).toBe('Harbor');
    expect(info0.registry_name).toBe('Harbor (corp)');
    expect(`${info0.namespace}/${info0.image_name}:${info0.image_version}`).toBe(picked);
    const row = page.locator('tr.task', { hasText: 'Manual scan: 1 image(s)' }).first();
    await expect(row).toBeVisible({ timeout: 30_000 });
    await expect(row.locator('.progress-label')).toHaveText(/Finished|Failed/, { timeout: 45_000 });
  });

  test('a viewer sees the images but no checkboxes', async ({ browser }, info) => {
    const { authState } = await import('../fixtures/env');
    const context = await browser.newContext({
      storageState: authState('viewer'),
      javaScriptEnabled: jsEnabled(info),
    });
    const page = await context.newPage();
    try {
      await page.goto(`${IMAGES}&image_type=third_party&registry=Harbor%20(corp)`);
      await waitForApp(page, info);
      await expect(rows(page).first()).toBeVisible();
      await expect(rows(page).locator('input[type=checkbox]')).toHaveCount(0);
      await expect(page.getByRole('button', { name: 'Scan selected' })).toHaveCount(0);
    } finally {
      await context.close();
    }
  });
});

test.describe('a sync task, opened', () => {
  test('shows each registry with its type, status and why the Harbor failed', async ({ page }, info) => {
    await page.goto(`${LAUNCH_URL}/tasks?type=image_sync&account=sandbox-huawei`);
    await waitForApp(page, info);
    const row = page.locator('tr.task', { hasText: 'Automatic registry sync #12' });
    await row.getByRole('link', { name: 'Registries of Automatic registry sync #12' }).click();
    await expect(page).toHaveURL(/\/tasks\/sync\?task_id=sync-0012-[0-9a-f]+&account=sandbox-huawei/);
    await expect(page.getByRole('heading', { name: 'Sync task: registries' })).toBeVisible();
    const registries = page.locator('table.sync-registries tbody tr');
    await expect(registries).toHaveCount(7);
    await expect(page.locator('p.count')).toHaveText('2 of 7 registries failed');
    const legacy = registries.filter({ hasText: 'Harbor (legacy)' });
    await expect(legacy.locator('td').nth(0)).toHaveText('Harbor');
    await expect(legacy.locator('.status')).toHaveText('Failed');
    await expect(legacy.locator('.fail-reason')).toContainText('The cluster cannot reach the registry');
    await expect(legacy.locator('.fail-reason')).toHaveAttribute('title', 'REQUEST_API_ERROR');
    const corp = registries.filter({ hasText: 'Harbor (corp)' });
    await expect(corp.locator('.status')).toHaveText('Synced');
    await expect(corp.locator('.fail-reason')).toHaveCount(0);
    await expect(registries.filter({ hasText: 'JFrog Artifactory' }).locator('td').nth(0)).toHaveText('JFrog');
    // The Tasks link stays current, and the way back leads to sync tasks.
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Tasks' })).toHaveAttribute(
      'aria-current',
      'page',
    );
    await fitsA375pxPhone(page);
    await page.getByRole('link', { name: 'Back to sync tasks' }).click();
    await expect(page).toHaveURL(/\/tasks\?type=image_sync&account=sandbox-huawei/);
  });
});
