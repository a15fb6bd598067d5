import { expect, test, type Page } from '@playwright/test';
import { LAUNCH_URL, authState } from '../fixtures/env';
import { jsEnabled, waitForApp } from '../fixtures/hydration';

// Launching, syncing and stopping, against a console of their own (its
// sandbox scans an image every 0.5 s and is watched every second).

async function markPage(page: Page) {
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 7));
}
async function expectSamePage(page: Page) {
  expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(7);
}

test.describe('launching scans', () => {
  test.beforeEach(({}, info) => test.skip(!jsEnabled(info), 'launching needs the hydrated app'));

  test('three selected images: confirm, then watch the task reach 100% without reloading', async ({ page }, info) => {
    await page.goto(`${LAUNCH_URL}/images?namespace=payments&image_name=redis`);
    await waitForApp(page, info);
    const boxes = page.locator('table.images tbody input[type=checkbox]');
    await expect(boxes.first()).toBeVisible();
    const picked: string[] = [];
    for (let i = 0; i < 3; i++) {
      const box = boxes.nth(i);
      await box.check();
      picked.push(((await box.getAttribute('aria-label')) ?? '').replace(/^Select /, ''));
    }
    await expect(page.getByText('3 images selected')).toBeVisible();

    await page.getByRole('button', { name: 'Scan selected' }).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog.getByRole('heading')).toHaveText('Scan 3 private images?');
    for (const ref of picked) await expect(dialog.getByText(ref)).toBeVisible();

    await dialog.getByRole('button', { name: 'Launch scan' }).click();
    await page.waitForURL(/\/tasks\?type=image_scan.*launched=1/);
    await expect(page.getByText('Scan launched.')).toBeVisible();
    await markPage(page);

    const row = page.locator('tr.task', { hasText: 'Manual scan: 3 image(s)' }).first();
    await expect(row).toBeVisible({ timeout: 30_000 });
    await expect(row.locator('.progress-label')).toHaveText('Finished', { timeout: 45_000 });
    await expectSamePage(page);
    const [succeeded, failed, , total] = (await row.locator('td.num').allInnerTexts()).map(Number);
    expect(total).toBe(3);
    expect(succeeded + failed).toBe(3);
  });

  test('scan all matching a filter needs its own confirmation', async ({ page }, info) => {
    await page.goto(`${LAUNCH_URL}/images?namespace=platform&image_name=checkout`);
    await waitForApp(page, info);
    const count = await page.locator('p.count').innerText();
    const total = Number(count.match(/of (\d+) images/)?.[1]);
    expect(total).toBeGreaterThan(0);

    await page.getByRole('button', { name: `Scan all ${total} matching…` }).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog.getByRole('heading')).toHaveText('Scan every private image matching these filters?');
    await expect(dialog).toContainText('namespace “platform”, name “checkout”');
    const launch = dialog.getByRole('button', { name: 'Launch scan' });
    await expect(launch).toBeDisabled();
    await dialog.getByRole('checkbox', { name: `Yes, scan all ${total} matching images` }).check();
    await launch.click();
    await page.waitForURL(/\/tasks\?type=image_scan.*launched=1/);
    await expect(page.locator('tr.task', { hasText: `Manual scan: ${total} image(s)` }).first()).toBeVisible({
      timeout: 30_000,
    });
  });

  test('cancel sends nothing; Escape closes the dialog', async ({ page }, info) => {
    await page.goto(`${LAUNCH_URL}/images?namespace=payments`);
    await waitForApp(page, info);
    let launches = 0;
    page.on('request', (r) => {
      if (r.url().includes('/api/v1/hss/batch-scan')) launches += 1;
    });
    await page.locator('table.images tbody input[type=checkbox]').first().check();
    await page.getByRole('button', { name: 'Scan selected' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    await expect(page.getByRole('dialog')).toHaveCount(0);
    await page.getByRole('button', { name: 'Scan selected' }).click();
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog')).toHaveCount(0);
    expect(launches).toBe(0);
  });

  test('a running scan can be stopped, and shows as stopped', async ({ page }, info) => {
    await page.goto(`${LAUNCH_URL}/images?namespace=platform`);
    await waitForApp(page, info);
    const boxes = page.locator('table.images tbody input[type=checkbox]');
    for (let i = 0; i < 10; i++) await boxes.nth(i).check();
    await page.getByRole('button', { name: 'Scan selected' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Launch scan' }).click();
    await page.waitForURL(/launched=1/);
    const row = page.locator('tr.task', { hasText: 'Manual scan: 10 image(s)' }).first();
    const stop = row.getByRole('button', { name: /^Stop Manual scan/ });
    await expect(stop).toBeEnabled({ timeout: 30_000 });
    await stop.click();
    await expect(row.locator('.progress-label')).toHaveText('Stopped', { timeout: 30_000 });
    await expect(row.getByRole('button', { name: /^Stop/ })).toHaveCount(0);
  });

  test('a scan of everything matching cannot be stopped, and says why', async ({ page }, info) => {
    await page.goto(`${LAUNCH_URL}/images?namespace=payments`);
    await waitForApp(page, info);
    const total = Number((await page.locator('p.count').innerText()).match(/of (\d+) images/)?.[1]);
    await page.getByRole('button', { name: `Scan all ${total} matching…` }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('checkbox').check();
    await dialog.getByRole('button', { name: 'Launch scan' }).click();
    await page.waitForURL(/launched=1/);
    const row = page.locator('tr.task', { hasText: `Manual scan: ${total} image(s)` }).first();
    const stop = row.getByRole('button', { name: /^Stop/ });
    await expect(stop).toBeDisabled({ timeout: 30_000 });
    await expect(stop).toHaveAttribute('title', 'An all-images scan cannot be stopped');
  });
});

test.describe('syncing', () => {
  test.beforeEach(({}, info) => test.skip(!jsEnabled(info), 'syncing needs the hydrated app'));

  test('refresh the SWR list and sync all registries; the sync task appears', async ({ page }, info) => {
    await page.goto(`${LAUNCH_URL}/registries`);
    await waitForApp(page, info);
    await page.getByRole('button', { name: 'Refresh SWR private image list' }).click();
    await expect(page.getByRole('status')).toContainText('The SWR private image list is being refreshed.');
    await page.getByRole('button', { name: 'Sync all registries' }).click();
    await expect(page.getByRole('status')).toContainText('A sync of all registries has started.');
    await page.getByRole('link', { name: 'Follow it in Sync tasks' }).click();
    await expect(page.locator('table.tasks[data-list="image_sync"] tr.task').first()).toBeVisible();
  });

  test('sync selected registries', async ({ page }, info) => {
    await page.goto(`${LAUNCH_URL}/registries`);
    await waitForApp(page, info);
    const sync = page.getByRole('button', { name: /^Sync selected/ });
    await expect(sync).toBeDisabled();
    const boxes = page.locator('table.registries tbody input[type=checkbox]:enabled');
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    await expect(sync).toHaveText('Sync selected (2)');
    await sync.click();
    await expect(page.getByRole('status')).toContainText('A sync of 2 registries has started.');
  });
});

test.describe('what a viewer sees', () => {
  test.use({ storageState: authState('viewer') });

  test('no selection, launch or sync controls', async ({ page }, info) => {
    await page.goto(`${LAUNCH_URL}/images`);
    await waitForApp(page, info);
    await expect(page.locator('table.images')).toBeVisible();
    await expect(page.locator('table.images input[type=checkbox]')).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Scan selected' })).toHaveCount(0);
    await page.goto(`${LAUNCH_URL}/registries`);
    await waitForApp(page, info);
    await expect(page.locator('table.registries')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Sync all registries' })).toHaveCount(0);
  });
});

test.describe('image filters', () => {
  test('shared images name their owner; multi-arch images list their architectures', async ({ page }, info) => {
    await page.goto(`${LAUNCH_URL}/images?image_type=shared_image&namespace=payments&image_name=trainer`);
    await waitForApp(page, info);
    const shared = page.locator('table.images tbody tr').first();
    await expect(shared.locator('.shared-by')).toHaveText('Shared by vendor-acme');
    await expect(shared.locator('.share-expired')).toHaveText('share expired');
    await page.goto(`${LAUNCH_URL}/images?namespace=payments&image_name=nginx&latest=1`);
    await waitForApp(page, info);
    const archs = page.locator('table.images details.architectures').first();
    await expect(archs.locator('summary')).toHaveText('2 architectures');
    await archs.locator('summary').click();
    await expect(archs.locator('li')).toHaveCount(2);
    await expect(archs.locator('li').first()).toContainText('-amd64');
  });

  test('live in the URL and survive a reload', async ({ page }, info) => {
    await page.goto(`${LAUNCH_URL}/images`);
    await waitForApp(page, info);
    await page.getByLabel('Namespace').fill('payments');
    await page.getByLabel('Scan status').selectOption('success');
    await page.getByLabel('are the latest version').check();
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/namespace=payments/);
    expect(page.url()).toContain('scan_status=success');
    expect(page.url()).toContain('latest=1');
    await page.reload();
    await waitForApp(page, info);
    await expect(page.getByLabel('Namespace')).toHaveValue('payments');
    await expect(page.getByLabel('Scan status')).toHaveValue('success');
    await expect(page.getByLabel('are the latest version')).toBeChecked();
    const rows = page.locator('table.images tbody tr');
    await expect(rows.first()).toBeVisible();
    for (const text of await rows.allInnerTexts()) {
      expect(text).toContain('payments');
      expect(text).toContain('Scanned');
      expect(text).toContain('latest');
    }
  });
});
