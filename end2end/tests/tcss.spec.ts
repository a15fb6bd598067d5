import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { LAUNCH_URL } from '../fixtures/env';
import { jsEnabled, waitForApp } from '../fixtures/hydration';

// A Tencent TCSS account on the same pages as a Huawei one: its registry
// images on the Images page, its registry scan live on the Tasks page.
// Against the launch console (its sandbox scans an image every 0.5 s and
// is watched every second), account `sandbox-tencent`.

const TC = 'sandbox-tencent';

/** Scans `ids` through the public API and waits for the scan to end. */
async function scanAndWait(request: APIRequestContext, ids: number[]) {
  const launch = await request.post(`${LAUNCH_URL}/api/v1/tcss/scan`, {
    data: { account: TC, request: { ScanScope: 1, Id: ids, ScanType: ['CVE'] } },
  });
  expect(launch.status()).toBe(200);
  await expect
    .poll(
      async () => {
        const r = await request.post(`${LAUNCH_URL}/api/v1/live/tcss-scan`, { data: { account: TC } });
        const { status } = (await r.json()) as { status: { Status?: string; ImageTotal?: number } };
        return `${status.ImageTotal} ${status.Status}`;
      },
      { timeout: 30_000 },
    )
    .toBe(`${ids.length} SCANNED`);
}

async function markPage(page: Page) {
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 7));
}
async function expectSamePage(page: Page) {
  expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(7);
}

test.describe('a TCSS account', () => {
  test('its registry images list with filters in the URL, with or without JavaScript', async ({ page, request }, info) => {
    // Image 17's scans always fail: scan it so a failed image is listed
    // whatever earlier tests left behind.
    await scanAndWait(request, [17]);
    await page.goto(`${LAUNCH_URL}/images?account=${TC}&scan_status=SCAN_ERR`);
    await waitForApp(page, info);
    const table = page.locator('table.tcss-images');
    await expect(table).toBeVisible();
    const rows = table.locator('tbody tr');
    expect(await rows.count()).toBeGreaterThan(0);
    // Every row is a failed scan, and says why.
    for (const status of await rows.locator('td.scan-status .status').allInnerTexts()) expect(status).toBe('Scan failed');
    await expect(rows.first().locator('.fail-reason')).toContainText('pull image failed');
    await expect(page.getByLabel('Scan status')).toHaveValue('SCAN_ERR');
    // The header's switcher shows the Tencent account on this page.
    await expect(page.locator('.account-switcher summary .account-id')).toHaveText(TC);

    // Filters are a plain form: the URL carries them.
    await page.getByLabel('Scan status').selectOption('');
    await page.getByRole('group', { name: 'Only images that' }).getByLabel('have findings').check();
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect(page).toHaveURL(/account=sandbox-tencent/);
    await expect(page).toHaveURL(/risky=1/);
    await expect(table.locator('tbody tr').first()).toBeVisible();
    // Tencent's "must fix" mark (HasNeedFixVul) is shown on exactly the
    // images the sandbox gives critical vulnerabilities.
    const critical = table.locator('tbody tr').filter({ has: page.locator('.sev.critical') });
    expect(await critical.count()).toBeGreaterThan(0);
    await expect(table.locator('.must-fix')).toHaveCount(await critical.count());
    await expect(critical.first().locator('.must-fix')).toHaveText('must fix');
  });

  test('two selected images: confirm, then watch the registry scan finish without reloading', async ({ page }, info) => {
    test.skip(!jsEnabled(info), 'launching needs the hydrated app');
    await page.goto(`${LAUNCH_URL}/images?account=${TC}&scan_status=SCANNED`);
    await waitForApp(page, info);
    // Tencent's scan of everything cannot narrow by scan status: with that
    // filter set there is no "Scan all N matching" that would scan more.
    await expect(page.getByRole('button', { name: /^Scan all/ })).toHaveCount(0);
    await expect(page.locator('.scan-all-off')).toContainText('“Scan all” is off');
    const boxes = page.locator('table.tcss-images tbody input[type=checkbox]');
    const picked: string[] = [];
    for (let i = 0; i < 2; i++) {
      await boxes.nth(i).check();
      picked.push(((await boxes.nth(i).getAttribute('aria-label')) ?? '').replace(/^Select /, ''));
    }
    await expect(page.getByText('2 images selected')).toBeVisible();
    await page.getByRole('button', { name: 'Scan selected' }).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog.getByRole('heading')).toHaveText('Scan 2 registry images?');
    for (const ref of picked) await expect(dialog.getByText(ref)).toBeVisible();
    await dialog.getByRole('button', { name: 'Launch scan' }).click();

    await page.waitForURL(/\/tasks\/tcss\?account=sandbox-tencent&launched=1/);
    await expect(page.getByText('Scan launched.')).toBeVisible();
    await markPage(page);
    const card = page.locator('.scan-card');
    await expect(card.locator('[data-count=total] dd')).toHaveText('2', { timeout: 30_000 });
    await expect(card).toHaveAttribute('data-status', 'SCANNED', { timeout: 30_000 });
    await expect(card.locator('[data-count=scanned] dd')).toHaveText('2');
    await expectSamePage(page);
    // Each image of the scan is listed with its state.
    await page.getByText('Every image in this scan (2)').click();
    await expect(page.locator('table.tcss-progress tbody tr')).toHaveCount(2);
  });

  test('a running registry scan can be stopped', async ({ page }, info) => {
    test.skip(!jsEnabled(info), 'stopping needs the hydrated app');
    // Every image (60, half a second each): still running when Stop comes.
    await page.goto(`${LAUNCH_URL}/images?account=${TC}`);
    await waitForApp(page, info);
    await page.getByRole('button', { name: /^Scan all \d+ matching…$/ }).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog.getByRole('heading')).toHaveText('Scan every registry image matching these filters?');
    await dialog.getByRole('checkbox', { name: /^Yes, scan all \d+ matching images$/ }).check();
    await dialog.getByRole('button', { name: 'Launch scan' }).click();
    await page.waitForURL(/\/tasks\/tcss\?account=sandbox-tencent&launched=1/);

    const card = page.locator('.scan-card');
    await expect(card).toHaveAttribute('data-status', 'SCANNING', { timeout: 30_000 });
    let stops = 0;
    page.on('request', (r) => {
      if (r.url().includes('/api/v1/tcss/scan/stop')) stops += 1;
    });
    await card.getByRole('button', { name: 'Stop scan' }).click();
    await expect(card).toHaveAttribute('data-status', 'CANCELED', { timeout: 30_000 });
    await expect(card.locator('.status').first()).toHaveText('Cancelled');
    await expect(card.getByRole('button', { name: 'Stop scan' })).toHaveCount(0);
    expect(stops).toBe(1);
  });

  test('the registry scan shows on the Tasks page without JavaScript too', async ({ page, request }, info) => {
    // A finished two-image scan to show.
    await scanAndWait(request, [21, 22]);
    // The Tasks page of a TCSS account is its registry scan's page.
    await page.goto(`${LAUNCH_URL}/tasks?account=${TC}`);
    await expect(page).toHaveURL(`${LAUNCH_URL}/tasks/tcss?account=${TC}`);
    await waitForApp(page, info);
    await expect(page.locator('nav a[aria-current=page]')).toHaveText('Tasks');
    const card = page.locator('.scan-card');
    await expect(card).toBeVisible();
    await expect(card.getByRole('heading', { name: 'Registry scan' })).toBeVisible();
    await expect(card.locator('[data-count=total] dd')).toHaveText('2');
    await expect(card).toHaveAttribute('data-status', 'SCANNED');
  });
});
