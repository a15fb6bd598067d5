import { expect, test } from '@playwright/test';
import fs from 'node:fs/promises';
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
    await expect(page.locator('.list-summary .count')).toHaveText('Tasks 1–24 of 24');

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
    await page.goto(`${EMBEDDED_URL}/tasks`);
    await waitForApp(page, info);
    await expect(page.locator('table.tasks[data-list="image_scan"] tbody tr.task').first()).toBeVisible();
  });

  test('an unknown page says so and links back', async ({ page }) => {
    const response = await page.goto(`${CANARY_URL}/no-such-page`);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Go to the task monitor' })).toBeVisible();
  });

  test('filters narrow the list, live in the URL and survive a reload', async ({ page }, info) => {
    await page.goto(`${CANARY_URL}/tasks`);
    await waitForApp(page, info);
    const rows = page.locator('table.tasks[data-list="image_scan"] tbody tr.task');
    await expect(rows).toHaveCount(24);
    await page.getByLabel('Task name contains').fill('Scheduled');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect(page).toHaveURL(/name=Scheduled/);
    await expect(rows).toHaveCount(8);
    for (const name of await rows.locator('.task-name').allInnerTexts()) expect(name).toMatch(/^Scheduled scan #\d+$/);

    await page.reload();
    await waitForApp(page, info);
    await expect(rows).toHaveCount(8);
    await expect(page.getByLabel('Task name contains')).toHaveValue('Scheduled');

    // Risk types are named, not a bitmask: only scheduled scans check the baseline.
    await page.goto(`${CANARY_URL}/tasks`);
    await waitForApp(page, info);
    await page.getByLabel('baseline').check();
    await page.getByLabel('Type', { exact: true }).selectOption('manual');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect(page).toHaveURL(/scope=baseline/);
    await expect(page.getByText('No task matches these filters. Clear a filter to see more.')).toBeVisible();
    await page.getByRole('link', { name: 'Clear' }).click();
    await expect(rows).toHaveCount(24);
  });

  test('values the page does not understand are named, not silently applied', async ({ page }, info) => {
    await page.goto(`${CANARY_URL}/tasks?status=soon&task_type=manual`);
    await waitForApp(page, info);
    await expect(page.getByText('Not understood, so not applied: status “soon”.')).toBeVisible();
    await expect(page.locator('table.tasks tbody tr.task')).toHaveCount(16);
  });

  test('pages: the total, the page and previous / next links', async ({ page }, info) => {
    await page.goto(`${CANARY_URL}/tasks?per_page=20`);
    await waitForApp(page, info);
    await expect(page.locator('.list-summary .count')).toHaveText('Tasks 1–20 of 24');
    await expect(page.locator('.pager .page-of')).toHaveText('Page 1 of 2');
    await page.getByRole('link', { name: 'Next →' }).click();
    await expect(page).toHaveURL(/page=2/);
    await expect(page.locator('.list-summary .count')).toHaveText('Tasks 21–24 of 24');
    await expect(page.locator('table.tasks tbody tr.task')).toHaveCount(4);
    await page.getByRole('link', { name: '← Previous' }).click();
    await expect(page.locator('table.tasks tbody tr.task')).toHaveCount(20);
  });

  test('the task list and a task\'s failed images download as CSV', async ({ page }, info) => {
    await page.goto(`${CANARY_URL}/tasks?name=Scheduled`);
    await waitForApp(page, info);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('.list-summary').getByRole('link', { name: 'Download CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('scanport-image-scan-tasks.csv');
    const lines = (await fs.readFile(await download.path(), 'utf8')).trim().split('\n');
    expect(lines[0]).toBe('task_id,name,type,state,succeeded,failed,risky,total,minutes_left,risk_types,started_utc,ended_utc');
    expect(lines).toHaveLength(1 + 8);
    for (const line of lines.slice(1)) expect(line).toMatch(/^scan-\d{4}-[0-9a-f]+,Scheduled scan #\d+,cycle,/);

    // The failed scan (a manual one): every one of its images failed.
    await page.goto(`${CANARY_URL}/tasks?status=finished`);
    await waitForApp(page, info);
    const task = page.locator('tr.task', { has: page.locator('.progress.failed') }).first();
    const failedCount = Number(await task.locator('td.num').nth(1).innerText());
    const failures = task.locator('xpath=following-sibling::tr[1]');
    await failures.locator('summary').click();
    const [images] = await Promise.all([
      page.waitForEvent('download'),
      failures.getByRole('link', { name: 'Download failed images (CSV)' }).click(),
    ]);
    const rows = (await fs.readFile(await images.path(), 'utf8')).trim().split('\n');
    expect(rows[0]).toBe('registry,namespace,image,tag,reason_code,reason');
    expect(rows).toHaveLength(1 + failedCount);
  });
});
