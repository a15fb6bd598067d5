import { expect, test, type Page } from '@playwright/test';
import { EMBEDDED_URL } from '../fixtures/env';
import { waitForApp } from '../fixtures/hydration';

// The Vulnerabilities page: what the scans found across an account's
// images, on both clouds. A user searches a CVE, opens the images it
// affects, and reaches one image's page, which lists that CVE. Plain links
// and a GET form, so the same steps work without JavaScript.

/** Searches `cve` through the page's form. */
async function search(page: Page, cve: string, info: Parameters<typeof waitForApp>[1]) {
  await page.getByLabel('CVE id or name').fill(cve);
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await waitForApp(page, info);
  await expect(page).toHaveURL(new RegExp(`q=${cve}`));
}

for (const [cloud, account] of [
  ['HSS', 'sandbox-huawei'],
  ['TCSS', 'sandbox-tencent'],
] as const) {
  test(`${cloud}: search a CVE, open the images it affects, reach one`, async ({ page }, info) => {
    await page.goto(`${EMBEDDED_URL}/vulnerabilities?account=${account}`);
    await waitForApp(page, info);
    await expect(page.getByRole('heading', { level: 1, name: 'Vulnerabilities' })).toBeVisible();
    const rows = page.locator('table.account-vulnerabilities tbody tr');
    await expect(rows.first()).toBeVisible();
    await expect(page.locator('.freshness time')).toBeVisible();

    // The most widespread first: its count is the largest on the page.
    const counts = (await rows.locator('a.affected-link').allInnerTexts()).map((t) => Number(t.replace(/[^0-9]/g, '')));
    expect(counts[0]).toBeGreaterThan(1);
    expect(counts[0]).toBe(Math.max(...counts));
    const cve = (await rows.first().locator('td.vul-id a').first().innerText()).trim();
    expect(cve).toMatch(/^CVE-\d{4}-\d+$/);

    await search(page, cve, info);
    await expect(rows).toHaveCount(1);
    await expect(rows.first().locator('td.vul-id a').first()).toHaveText(cve);

    // Its images: as many as the count said, each a link to its page.
    await rows.first().locator('a.affected-link').click();
    await waitForApp(page, info);
    await expect(page).toHaveURL(/vul=/);
    const affected = page.locator('section.affected');
    await expect(affected.getByRole('heading', { name: `Images affected by ${cve}` })).toBeVisible();
    const images = affected.locator('table.affected-images tbody tr');
    // HSS pages repositories, a row per affected tag; the sandbox's all
    // fit on one page. TCSS pages images, 50 a page.
    await expect(images).toHaveCount(cloud === 'HSS' ? counts[0] : Math.min(counts[0], 50));
    await expect(affected.locator('p.count')).toContainText(cloud === 'HSS' ? 'repositories' : 'images');
    await images.first().locator('a.image-link').click();
    await waitForApp(page, info);
    await expect(page).toHaveURL(/\/image\?/);

    // The image's page lists the CVE.
    await page.getByLabel('CVE, package or title').fill(cve);
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await waitForApp(page, info);
    await expect(page.locator('table.vulnerabilities tbody tr td.vul-id a').first()).toHaveText(cve);
  });
}

test('a severity filter keeps that severity only, and the nav leads here', async ({ page }, info) => {
  await page.goto(`${EMBEDDED_URL}/tasks?account=sandbox-tencent`);
  await waitForApp(page, info);
  await page.getByRole('navigation', { name: /main|pages/i }).getByRole('link', { name: 'Vulnerabilities' }).click();
  await waitForApp(page, info);
  await expect(page).toHaveURL(/\/vulnerabilities\?account=sandbox-tencent/);
  await page.getByLabel('Severity').selectOption('critical');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await waitForApp(page, info);
  await expect(page).toHaveURL(/severity=critical/);
  const rows = page.locator('table.account-vulnerabilities tbody tr');
  await expect(rows.first()).toBeVisible();
  for (const s of await rows.evaluateAll((all) => all.map((r) => r.getAttribute('data-severity'))))
    expect(s).toBe('critical');
});
