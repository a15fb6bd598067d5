import { expect, test } from '@playwright/test';
import { CANARY_URL, EMBEDDED_URL } from '../fixtures/env';
import { jsEnabled, waitForApp } from '../fixtures/hydration';

test.describe('task monitor', () => {
  test('scan tasks show with progress, counts and start time', async ({ page }, info) => {
    await page.goto(`${CANARY_URL}/tasks`);
    await waitForApp(page, info);
    const table = page.locator('table.tasks[data-list="image_scan"]');
    await expect(table).toBeVisible();
    const rows = table.locator('tbody tr.task');
    await expect(rows).toHaveCount(24);
    await expect(page.getByText('24 of 24 tasks')).toBeVisible();

    // Every end state reads as words, and the running task as a percentage.
    const statuses = table.locator('.progress-label');
    await expect(statuses.filter({ hasText: /^\d{1,2}%$/ })).toHaveCount(1);
    await expect(statuses.filter({ hasText: /^Stopped$/ })).toHaveCount(1);
    await expect(statuses.filter({ hasText: /^Timed out$/ })).toHaveCount(1);
    await expect(statuses.filter({ hasText: /^Failed$/ })).toHaveCount(1);

    // Counts and the start time of a row.
    const first = rows.first();
    const cells = first.locator('td.num');
    await expect(cells).toHaveCount(4);
    const [succeeded, failed, risky, total] = (await cells.allInnerTexts()).map(Number);
    expect(succeeded + failed).toBeLessThanOrEqual(total);
    expect(risky).toBeLessThanOrEqual(succeeded);
    expect(total).toBeGreaterThan(0);
    // Running: a start time, no end time yet, and the time left.
    await expect(first.locator('time .date')).toHaveText(/^\d{4}-\d{2}-\d{2}$/);
    await expect(first.locator('time .clock')).toHaveText(/^\d{2}:\d{2} UTC$/);
    await expect(first.locator('.remaining')).toHaveText(/^\d+ min left$/);
  });

  test('switching to sync tasks re-fetches in place, without a page load', async ({ page }, info) => {
    test.skip(!jsEnabled(info), 'needs the hydrated app');
    await page.goto(`${CANARY_URL}/tasks?type=image_scan`);
    await waitForApp(page, info);
    await expect(page.locator('table.tasks[data-list="image_scan"]')).toBeVisible();
    // A page load would wipe this marker.
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));

    const fetched = page.waitForRequest((r) => r.url().includes('/api/v1/live/tasks') && r.method() === 'POST');
    await page.getByRole('link', { name: 'Sync tasks' }).click();
    await fetched;
    const sync = page.locator('table.tasks[data-list="image_sync"]');
    await expect(sync).toBeVisible();
    await expect(sync.locator('tbody tr.task')).toHaveCount(12);
    await expect(sync).toContainText('Automatic registry sync');
    await expect(page).toHaveURL(/type=image_sync/);
    await expect(page.getByRole('link', { name: 'Sync tasks' })).toHaveAttribute('aria-current', 'page');
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);

    // And back.
    await page.getByRole('link', { name: 'Scan tasks' }).click();
    await expect(page.locator('table.tasks[data-list="image_scan"] tbody tr.task')).toHaveCount(24);
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
  });

  test('a running scan moves forward without a reload, and the page says it is live', async ({ page }, info) => {
    test.skip(!jsEnabled(info), 'needs the hydrated app');
    await page.goto(`${CANARY_URL}/tasks`);
    await waitForApp(page, info);
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 7));
    await expect(page.locator('.conn.live')).toHaveText('Live');
    await expect(page.locator('.freshness .as-of')).toHaveText(/^as of \d+ s ago · (next refresh in \d+ s|refreshing…)$/);

    const running = page.locator('table.tasks tbody tr.task', { has: page.locator('.progress.running') }).first();
    const percent = async () => Number((await running.locator('.progress-label').innerText()).replace('%', ''));
    const before = await percent();
    await expect.poll(percent, { timeout: 40_000, intervals: [1_000] }).toBeGreaterThan(before);
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(7);
  });

  test("a task's failed images open grouped by reason, with a count per reason", async ({ page }, info) => {
    await page.goto(`${CANARY_URL}/tasks`);
    await waitForApp(page, info);
    // The failed scan: every one of its images failed.
    const task = page.locator('tr.task', { has: page.locator('.progress.failed') }).first();
    const failedCount = Number(await task.locator('td.num').nth(1).innerText());
    expect(failedCount).toBeGreaterThan(0);
    const failures = task.locator('xpath=following-sibling::tr[1]');
    await expect(failures).toHaveClass(/failures/);
    const summary = failures.locator('summary');
    await expect(summary).toContainText(`${failedCount} failed image`);
    await summary.click();

    const groups = failures.locator('.reason-group');
    await expect(groups.first()).toBeVisible();
    const headings = await groups.locator('h3').allInnerTexts();
    const perReason = headings.map((h) => Number(/\((\d+)\)$/.exec(h)?.[1]));
    expect(perReason.reduce((a, b) => a + b, 0)).toBe(failedCount);
    // Reasons read as words, not codes.
    for (const h of headings) expect(h).not.toMatch(/_/);
    await expect(failures.locator('table.failed-images tbody tr')).toHaveCount(failedCount);
    const firstImage = failures.locator('table.failed-images tbody tr').first().locator('td');
    await expect(firstImage).toHaveCount(4); // registry, namespace, image, tag

    if (jsEnabled(info)) {
      // Live updates (every 2 s here) do not close it.
      await page.waitForTimeout(5_000);
      await expect(groups.first()).toBeVisible();
    }
  });

  test('without JavaScript the page says when the data is from and offers a refresh', async ({ page }, info) => {
    test.skip(jsEnabled(info), 'covers the server-rendered path');
    await page.goto(`${CANARY_URL}/tasks`);
    await expect(page.locator('.freshness .as-of')).toHaveText(/^Updated \d{2}:\d{2}:\d{2} UTC$/);
    await page.getByRole('link', { name: 'Refresh' }).click();
    await expect(page).toHaveURL(/\/tasks\?type=image_scan/);
    await expect(page.locator('table.tasks[data-list="image_scan"] tbody tr.task')).toHaveCount(24);
  });

  test('without JavaScript the sync tab is a plain link to the sync list', async ({ page }, info) => {
    test.skip(jsEnabled(info), 'covers the server-rendered path');
    await page.goto(`${CANARY_URL}/tasks`);
    await page.getByRole('link', { name: 'Sync tasks' }).click();
    await expect(page).toHaveURL(/type=image_sync/);
    await expect(page.locator('table.tasks[data-list="image_sync"] tbody tr.task')).toHaveCount(12);
  });

  test('the embedded sandbox serves tasks with no account configured', async ({ page }, info) => {
    await page.goto(`${EMBEDDED_URL}/`);
    await waitForApp(page, info);
    await expect(page.locator('table.tasks[data-list="image_scan"] tbody tr.task').first()).toBeVisible();
  });

  test('an unknown page says so and links back', async ({ page }) => {
    const response = await page.goto(`${CANARY_URL}/no-such-page`);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Go to the task monitor' })).toBeVisible();
  });
});
