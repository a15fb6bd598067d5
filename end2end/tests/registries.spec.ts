import { expect, test } from '@playwright/test';
import { CANARY_URL, EMBEDDED_URL } from '../fixtures/env';
import { waitForApp } from '../fixtures/hydration';

test.describe('registries', () => {
  test('every connected registry shows its type, address, status and last sync', async ({ page }, info) => {
    await page.goto(`${CANARY_URL}/registries`);
    await waitForApp(page, info);
    await expect(page.getByRole('heading', { name: 'Registries' })).toBeVisible();
    const rows = page.locator('table.registries tbody tr.registry');
    await expect(rows).toHaveCount(7);
    for (const type of ['SWR private', 'SWR shared', 'SWR enterprise', 'Harbor', 'JFrog', 'Other']) {
      await expect(rows.filter({ hasText: type }).first()).toBeVisible();
    }
    // The failing registries (GitLab, and a Harbor the cluster no longer reaches) say why.
    const failing = rows.filter({ has: page.locator('.status.bad') });
    await expect(failing).toHaveCount(2);
    for (const row of await failing.all()) {
      await expect(row.locator('.fail-reason')).toContainText('The cluster cannot reach the registry');
      await expect(row.locator('.fail-reason')).toHaveAttribute('title', 'REQUEST_API_ERROR');
    }
    await expect(failing.filter({ hasText: 'Harbor (legacy)' })).toHaveCount(1);
    // How HSS reaches a third-party registry: protocol, API version, user, cluster.
    const harbor = rows.filter({ hasText: 'harbor.corp.example' });
    await expect(harbor.locator('td.connection')).toContainText('https · API V2');
    await expect(harbor.locator('td.connection')).toContainText('User: robot$hss-scanner');
    await expect(harbor.locator('td.connection')).toContainText('Cluster: 4f2c9a1e-cce-prod');
    await expect(rows.first().locator('time')).toHaveText(/UTC$/);
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Registries' })).toHaveAttribute(
      'aria-current',
      'page',
    );
  });

  test('the account switcher names the account, its provider and region', async ({ page }, info) => {
    await page.goto(`${CANARY_URL}/registries`);
    await waitForApp(page, info);
    const switcher = page.locator('details.account-switcher');
    await expect(switcher.locator('summary')).toContainText('canary-huawei');
    await expect(switcher.locator('summary')).toContainText('Huawei HSS · ap-southeast-1');
    await switcher.locator('summary').click();
    const choice = switcher.getByRole('link', { name: /canary-huawei/ });
    await expect(choice).toHaveAttribute('href', '/registries?account=canary-huawei');
    await choice.click();
    await expect(page).toHaveURL(/\/registries\?account=canary-huawei$/);
    await expect(page.locator('table.registries tbody tr.registry')).toHaveCount(7);
    // The nav keeps the chosen account.
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Tasks' })).toHaveAttribute(
      'href',
      '/tasks?account=canary-huawei',
    );
  });

  test('the embedded sandbox is labelled as such', async ({ page }, info) => {
    await page.goto(`${EMBEDDED_URL}/tasks`);
    await waitForApp(page, info);
    await expect(page.locator('details.account-switcher summary')).toContainText('sandbox-huawei');
    await expect(page.locator('details.account-switcher summary')).toContainText('sandbox');
  });
});
