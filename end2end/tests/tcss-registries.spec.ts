import { expect, test, type Page } from '@playwright/test';
import { EMBEDDED_URL, LAUNCH_URL, authState } from '../fixtures/env';
import { jsEnabled, waitForApp } from '../fixtures/hydration';

// A Tencent account's registries (`sandbox-tencent` of the embedded
// sandboxes). The sandbox seeds three: tcr-prod and ccr-prod synced, and
// harbor-prod, whose credentials were revoked, so its syncs fail with the
// reason; the last sync of all of them failed for that reason.

const TCSS = '/registries?account=sandbox-tencent';

async function markPage(page: Page) {
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 7));
}
async function expectSamePage(page: Page) {
  expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(7);
}

test.describe('a TCSS account on the Registries page', () => {
  test('each registry shows its type, address, region, sync state, last sync, failure and connection', async ({ page }, info) => {
    await page.goto(`${EMBEDDED_URL}${TCSS}`);
    await waitForApp(page, info);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Registries');
    const rows = page.locator('table.registries.tcss tbody tr.registry');
    await expect(rows).toHaveCount(3);
    await expect(page.getByText('3 registries')).toBeVisible();

    const tcr = rows.filter({ has: page.getByRole('rowheader', { name: 'tcr-prod' }) });
    await expect(tcr).toContainText('TCR');
    await expect(tcr.locator('td.address')).toHaveText('https://tcr.tencentcloudcr.example');
    await expect(tcr).toContainText('ap-guangzhou');
    await expect(tcr.locator('.status.ok').first()).toHaveText('Synced');
    await expect(tcr.locator('time')).toHaveCount(1);
    await expect(tcr.locator('td.connection')).toHaveText('Reachable');

    const harbor = rows.filter({ has: page.getByRole('rowheader', { name: 'harbor-prod' }) });
    await expect(harbor.locator('.status.bad').first()).toHaveText('Sync failed');
    await expect(harbor.locator('td.reason')).toContainText('registry authentication failed: 401 Unauthorized');
    await expect(harbor.locator('td.reason')).toContainText('What to do: Update the registry');
    await expect(harbor.locator('td.connection')).toContainText('Unreachable');

    // The latest sync, as the service reports it.
    const progress = page.locator('section.sync-progress');
    await expect(progress.getByRole('heading')).toHaveText('Latest sync');
    await expect(progress.locator('[data-state]')).toHaveText('Failed');
    await expect(progress).toContainText('Error: harbor-prod: registry authentication failed');
    await expect(progress).toContainText('Last successful sync:');

    // The switcher offers both providers' accounts here, and keeps this one.
    const switcher = page.locator('details.account-switcher');
    await expect(switcher.locator('summary')).toContainText('sandbox-tencent');
    await expect(switcher.locator('summary')).toContainText('Tencent');
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Registries' })).toHaveAttribute(
      'href',
      TCSS,
    );
    if (!jsEnabled(info)) {
      await expect(page.getByText('Choosing and syncing registries needs JavaScript.')).toBeVisible();
      await expect(page.getByRole('button', { name: 'Sync all registries' })).toHaveCount(0);
    }
  });

  test('readable at 375 px', async ({ page }, info) => {
    await page.setViewportSize({ width: 375, height: 800 });
    await page.goto(`${EMBEDDED_URL}${TCSS}`);
    await waitForApp(page, info);
    await expect(page.locator('table.registries.tcss tbody tr.registry')).toHaveCount(3);
    // The page itself does not scroll sideways; the table scrolls in its frame.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
});

test.describe('syncing TCSS registries', () => {
  test.beforeEach(({}, info) => test.skip(!jsEnabled(info), 'syncing needs the hydrated app'));

  test('a chosen registry: confirm by name, then watch the sync finish without reloading', async ({ page }, info) => {
    await page.goto(`${LAUNCH_URL}${TCSS}`);
    await waitForApp(page, info);
    await markPage(page);
    const syncs: unknown[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/api/v1/tcss/sync')) syncs.push(r.postDataJSON());
    });
    await page.getByLabel('Select tcr-prod').check();
    await page.getByRole('button', { name: 'Sync selected (1)' }).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog.getByRole('heading')).toHaveText('Sync registries?');
    await expect(dialog.getByRole('listitem')).toHaveText(['tcr-prod']);
    await dialog.getByRole('button', { name: 'Start sync' }).click();
    await expect(page.getByText('The sync has started; its progress shows below.')).toBeVisible();

    const progress = page.locator('section.sync-progress');
    await expect(progress.locator('[data-state]')).toHaveText('Succeeded', { timeout: 20_000 });
    await expect(progress).not.toContainText('Error:');
    const tcr = page.locator('tr.registry', { has: page.getByRole('rowheader', { name: 'tcr-prod' }) });
    await expect(tcr).toHaveAttribute('data-sync-status', 'success');
    expect(syncs).toHaveLength(1);
    expect(syncs[0]).toMatchObject({ account: 'sandbox-tencent', request: { RegistryIds: [1] } });
    await expectSamePage(page);
  });

  test('all registries: the one that cannot connect fails the sync, which says why', async ({ page }, info) => {
    await page.goto(`${LAUNCH_URL}${TCSS}`);
    await waitForApp(page, info);
    await markPage(page);
    await page.getByRole('button', { name: 'Sync all registries' }).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog.getByRole('listitem')).toHaveText(['tcr-prod', 'ccr-prod', 'harbor-prod']);
    await dialog.getByRole('button', { name: 'Start sync' }).click();
    const progress = page.locator('section.sync-progress');
    await expect(progress.locator('[data-state]')).toHaveText('Failed', { timeout: 20_000 });
    await expect(progress).toContainText('Error: harbor-prod: registry authentication failed');
    const harbor = page.locator('tr.registry', { has: page.getByRole('rowheader', { name: 'harbor-prod' }) });
    await expect(harbor).toHaveAttribute('data-sync-status', 'failed');
    await expectSamePage(page);
  });
});

test.describe('a viewer of TCSS registries', () => {
  test.use({ storageState: authState('viewer') });

  test('sees the registries and the progress, but nothing to tick or sync', async ({ page }, info) => {
    await page.goto(`${LAUNCH_URL}${TCSS}`);
    await waitForApp(page, info);
    await expect(page.locator('table.registries.tcss tbody tr.registry')).toHaveCount(3);
    await expect(page.locator('section.sync-progress')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Sync all registries' })).toHaveCount(0);
    await expect(page.locator('table.registries.tcss input[type=checkbox]')).toHaveCount(0);
  });
});

test.describe('the schedule namespaces', () => {
  test.beforeEach(({}, info) => test.skip(!jsEnabled(info), 'editing needs the hydrated app'));

  test('are ticked from the registries’ namespaces, not typed', async ({ page }, info) => {
    await page.goto(`${LAUNCH_URL}/schedule?account=sandbox-tencent`);
    await waitForApp(page, info);
    const group = page.getByRole('group', { name: 'Namespaces' });
    for (const ns of ['payments', 'platform', 'web']) await expect(group.getByLabel(ns)).toBeVisible();
    await expect(group.getByRole('textbox')).toHaveCount(0);
    const sent: { request: { Namespace?: string[] } }[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/api/v1/tcss/timing-scan/update')) sent.push(r.postDataJSON());
    });
    await group.getByLabel('payments').check();
    await page.getByRole('button', { name: 'Save schedule' }).click();
    await expect(page.locator('.schedule-sentence')).toContainText('in namespace payments');
    expect(sent[0].request.Namespace).toEqual(['payments']);
    // Back as seeded: no namespace.
    await page.getByRole('group', { name: 'Namespaces' }).getByLabel('payments').uncheck();
    await page.getByRole('button', { name: 'Save schedule' }).click();
    await expect(page.locator('.schedule-sentence')).not.toContainText('namespace');
    expect(sent[1].request.Namespace).toEqual([]);
  });
});
