import { expect, test, type Page } from '@playwright/test';
import path from 'node:path';
import { EMBEDDED_URL, LAUNCH_URL } from '../fixtures/env';
import { jsEnabled, waitForApp } from '../fixtures/hydration';

// What the scans found in one image, reached from the Images page of each
// cloud: its vulnerabilities, counted by severity, filtered through the
// URL (a plain form, so it works without JavaScript too).

const SHOTS = path.join(__dirname, '..', 'screenshots');

/** Opens the first image on this Images page whose vulnerability count is
 * above `min`, from its name; answers that count. */
async function openImageWithVulnerabilities(page: Page, min: number, countCell: string): Promise<number> {
  const rows = page.locator('table.images tbody tr');
  await expect(rows.first()).toBeVisible();
  const n = await rows.count();
  for (let i = 0; i < n; i++) {
    const row = rows.nth(i);
    const text = (await row.locator(countCell).first().innerText()).split('\n')[0].replace(/[^0-9]/g, '');
    const count = Number(text);
    if (count > min) {
      await row.locator('a.image-link').click();
      return count;
    }
  }
  throw new Error(`no image with more than ${min} vulnerabilities on this page`);
}

test.describe('an image page', () => {
  test('an HSS image: every vulnerability it has, and filtered by severity', async ({ page }, info) => {
    await page.goto(`${EMBEDDED_URL}/images?account=sandbox-huawei&scan_status=success`);
    await waitForApp(page, info);
    // The fifth cell after the name is the vulnerability count.
    const count = await openImageWithVulnerabilities(page, 12, 'td.num');
    await expect(page).toHaveURL(/\/image\?.*cloud=hss/);
    await waitForApp(page, info);
    const table = page.locator('table.vulnerabilities');
    await expect(table).toBeVisible();
    await expect(page.locator('p.count')).toContainText(`of ${count} vulnerabilities`);
    await expect(table.locator('tbody tr')).toHaveCount(Math.min(count, 50));
    await expect(table.locator('tbody tr').first().locator('td.vul-id a')).toHaveAttribute('href', /nvd\.nist\.gov/);
    await expect(page.locator('.freshness time')).toBeVisible();

    // The count of high ones leads to them, and only them.
    const high = page.locator('.sev-count.high');
    const highCount = Number(await high.locator('.n').innerText());
    expect(highCount).toBeGreaterThan(0);
    await high.click();
    await waitForApp(page, info);
    await expect(page).toHaveURL(/severity=high/);
    await expect(table.locator('tbody tr')).toHaveCount(Math.min(highCount, 50));
    for (const s of await table.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-severity'))))
      expect(s).toBe('high');
    // HSS does not say whether a fix exists: no such filter is offered.
    await expect(page.getByLabel('Only with a fix')).toHaveCount(0);
  });

  test('a TCSS image: critical with a fix, then one CVE searched for', async ({ page }, info) => {
    await page.goto(`${EMBEDDED_URL}/images?account=sandbox-tencent&scan_status=SCANNED`);
    await waitForApp(page, info);
    const count = await openImageWithVulnerabilities(page, 19, 'td.num');
    await expect(page).toHaveURL(/\/image\?.*cloud=tcss/);
    await waitForApp(page, info);
    const table = page.locator('table.vulnerabilities');
    await expect(page.locator('p.count')).toContainText(`of ${count} vulnerabilities`);
    const critical = Number(await page.locator('.sev-count.critical .n').innerText());
    expect(critical).toBeGreaterThan(0);

    // Critical with a fix, through the form.
    await page.getByLabel('Severity').selectOption('critical');
    await page.getByLabel('Only with a fix').check();
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await waitForApp(page, info);
    await expect(page).toHaveURL(/severity=critical/);
    await expect(page).toHaveURL(/fix=1/);
    const rows = table.locator('tbody tr');
    await expect(rows.first()).toBeVisible();
    expect(await rows.count()).toBeLessThanOrEqual(critical);
    for (const r of await rows.all()) {
      await expect(r).toHaveAttribute('data-severity', 'critical');
      await expect(r.locator('td.fixed code')).not.toBeEmpty();
    }
    if (jsEnabled(info)) await page.screenshot({ path: path.join(SHOTS, 'image-tcss-light-desktop.png'), fullPage: true });

    // One CVE by part of its id: the search keeps the image.
    const cve = await rows.first().locator('td.vul-id a').innerText();
    await page.getByLabel('Severity').selectOption('');
    await page.getByLabel('CVE, package or title').fill(cve.slice(4));
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await waitForApp(page, info);
    await expect(table.locator('td.vul-id a', { hasText: cve })).toBeVisible();
    await expect(page.locator('h1')).toContainText(':');
  });

  test('an operator scans the image again and follows the scan', async ({ page }, info) => {
    test.skip(!jsEnabled(info), 'launching needs the hydrated app');
    await page.goto(`${LAUNCH_URL}/image?account=sandbox-tencent&cloud=tcss&id=5&image=infra/trainer&tag=v1.5.2`);
    await waitForApp(page, info);
    await page.getByRole('button', { name: 'Scan this image again' }).click();
    await expect(page.getByText('Scan infra/trainer:v1.5.2 again?')).toBeVisible();
    await page.getByRole('button', { name: 'Launch scan' }).click();
    await expect(page.getByText('Scan started.')).toBeVisible();
    await page.getByRole('link', { name: 'Follow it on the Tasks page' }).click();
    await expect(page).toHaveURL(/\/tasks\/tcss\?account=sandbox-tencent/);
    await expect(page.locator('section.scan-card')).toBeVisible();
  });

  test('the other findings, in tabs, on both clouds', async ({ page }, info) => {
    await page.goto(`${EMBEDDED_URL}/images?account=sandbox-huawei&scan_status=success`);
    await waitForApp(page, info);
    await openImageWithVulnerabilities(page, 12, 'td.num');
    await waitForApp(page, info);
    const tabs = page.getByRole('navigation', { name: 'Findings' });
    await expect(tabs.getByRole('link', { name: 'Vulnerabilities' })).toHaveAttribute('aria-current', 'page');
    const rowsOrNone = page.locator('table.findings tbody tr').first().or(page.locator('p.empty'));

    await tabs.getByRole('link', { name: 'Malicious files' }).click();
    await waitForApp(page, info);
    await expect(page).toHaveURL(/tab=malware/);
    await expect(tabs.getByRole('link', { name: 'Malicious files' })).toHaveAttribute('aria-current', 'page');
    await expect(rowsOrNone).toBeVisible();
    await expect(page.locator('.freshness time')).toBeVisible();

    // Secrets are never shown in full.
    await tabs.getByRole('link', { name: 'Sensitive information' }).click();
    await waitForApp(page, info);
    await expect(page).toHaveURL(/tab=sensitive/);
    await expect(page.getByText('Secrets are shown masked')).toBeVisible();
    await expect(rowsOrNone).toBeVisible();
    for (const detail of await page.locator('table.findings td.detail').allInnerTexts())
      expect(detail).toMatch(/characters\)$/);

    // Baselines: what failed, out of how many checks.
    await tabs.getByRole('link', { name: 'Risky settings' }).click();
    await waitForApp(page, info);
    await expect(page).toHaveURL(/tab=settings/);
    await expect(rowsOrNone).toBeVisible();
    if (await page.locator('table.findings').count())
      await expect(page.getByRole('columnheader', { name: 'Failed checks' })).toBeVisible();

    // A TCSS image has no sensitive-information list; its malicious files,
    // counted by severity, filter like the vulnerabilities.
    await page.goto(`${EMBEDDED_URL}/images?account=sandbox-tencent&scan_status=SCANNED`);
    await waitForApp(page, info);
    await openImageWithVulnerabilities(page, 19, 'td.num');
    await waitForApp(page, info);
    await expect(tabs.getByRole('link', { name: 'Sensitive information' })).toHaveCount(0);
    await tabs.getByRole('link', { name: 'Malicious files' }).click();
    await waitForApp(page, info);
    await expect(rowsOrNone).toBeVisible();
    const summary = page.locator('.sev-summary .sev-count');
    if (await summary.count()) {
      const first = summary.first();
      const n = Number(await first.locator('.n').innerText());
      await first.click();
      await waitForApp(page, info);
      await expect(page).toHaveURL(/tab=malware.*severity=|severity=.*tab=malware/);
      await expect(page.locator('table.findings tbody tr')).toHaveCount(Math.min(n, 50));
    }
    if (jsEnabled(info)) await page.screenshot({ path: path.join(SHOTS, 'image-tcss-malware-light-desktop.png'), fullPage: true });
  });

  test('a link that names no image says so', async ({ page }, info) => {
    await page.goto(`${EMBEDDED_URL}/image?account=sandbox-tencent&cloud=tcss`);
    await waitForApp(page, info);
    await expect(page.getByText('This link does not name an image')).toBeVisible();
  });
});
