import { expect, test, type Page } from '@playwright/test';
import { EMBEDDED_URL } from '../fixtures/env';
import { waitForApp } from '../fixtures/hydration';

// The Overview, the landing page: every account of both clouds at a
// glance, each number a link to the list behind it. Its figures are
// gathered in the background after the console starts, so the test
// reloads until both accounts have them. Plain links: the same without
// JavaScript.

function section(page: Page, account: string) {
  return page.locator('section.account-overview', {
    has: page.getByRole('heading', { level: 2, name: new RegExp(account) }),
  });
}

async function number(link: ReturnType<Page['locator']>): Promise<number> {
  return Number((await link.locator('.n').innerText()).replace(/[^0-9]/g, ''));
}

test('the landing page shows both accounts, gathered', async ({ page }, info) => {
  await page.goto(`${EMBEDDED_URL}/`);
  await waitForApp(page, info);
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Overview' })).toHaveAttribute('aria-current', 'page');
  await expect(async () => {
    await page.reload();
    await expect(page.locator('section.account-overview ul.overview-figures')).toHaveCount(2, { timeout: 1_000 });
  }).toPass({ timeout: 45_000 });
  for (const [account, provider] of [
    ['sandbox-huawei', 'Huawei Cloud HSS'],
    ['sandbox-tencent', 'Tencent Cloud TCSS'],
  ]) {
    const card = section(page, account);
    await expect(card.locator('h2 .provider')).toHaveText(provider);
    await expect(card.locator('.freshness time')).toBeVisible();
    const figures = card.locator('ul.overview-figures a');
    await expect(figures).toHaveCount(4);
    expect(await number(figures.first())).toBeGreaterThan(0);
    // Scanned images by their worst vulnerability: the sandbox's scans
    // found something.
    const bySeverity = card.locator('ul.overview-severity a');
    const counts = await Promise.all((await bySeverity.all()).map(number));
    expect(counts.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    await expect(card.locator('table.overview-top tbody tr')).toHaveCount(5);
  }
});

for (const [cloud, account, status] of [
  ['HSS', 'sandbox-huawei', 'scan_status=unscan'],
  ['TCSS', 'sandbox-tencent', 'scan_status=NOT_SCAN'],
] as const) {
  test(`${cloud}: a number opens the list behind it, a CVE its images`, async ({ page }, info) => {
    await page.goto(`${EMBEDDED_URL}/`);
    await expect(async () => {
      await page.reload();
      await expect(section(page, account).locator('ul.overview-figures')).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 45_000 });
    await waitForApp(page, info);
    const card = section(page, account);

    await card.locator('ul.overview-figures a.never').click();
    await waitForApp(page, info);
    await expect(page).toHaveURL(new RegExp(`/images\\?.*${status}`));
    await expect(page).toHaveURL(new RegExp(`account=${account}`));
    await expect(page.locator('p.count')).toContainText('images');

    await page.goBack();
    await waitForApp(page, info);
    const top = section(page, account).locator('table.overview-top tbody tr').first();
    const cve = (await top.locator('th a').innerText()).trim();
    expect(cve).toMatch(/^CVE-\d{4}-\d+$/);
    await top.locator('td.num a').click();
    await waitForApp(page, info);
    await expect(page).toHaveURL(/\/vulnerabilities\?.*vul=/);
    await expect(page.getByRole('heading', { name: `Images affected by ${cve}` })).toBeVisible();
  });
}
