import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { EMBEDDED_URL } from '../fixtures/env';
import { jsEnabled, waitForApp } from '../fixtures/hydration';

// Language and theme (header switch, remembered in cookies, rendered by
// the server) and the per-provider account switcher, on the embedded
// console (one sandbox Huawei and one sandbox Tencent account).

const mainNav = (page: Page) => page.locator('header.app-header nav');

/** Picks an option of a header preference; without JavaScript, sends the form. */
async function choose(page: Page, info: TestInfo, id: 'pref-lang' | 'pref-theme', value: string) {
  await page.locator(`#${id}`).selectOption(value);
  if (!jsEnabled(info)) {
    await Promise.all([page.waitForURL(/.*/), page.locator('form.prefs button[type=submit]').click()]);
  }
}

test.describe('language', () => {
  test('switching to Spanish changes the nav and headings, survives reload, and dates follow', async ({ page }, info) => {
    await page.goto(`${EMBEDDED_URL}/images`);
    await waitForApp(page, info);
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Images');

    await choose(page, info, 'pref-lang', 'es');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Imágenes');
    await expect(mainNav(page).getByRole('link', { name: 'Registros' })).toBeVisible();

    await page.reload();
    await waitForApp(page, info);
    await expect(page.locator('html')).toHaveAttribute('lang', 'es');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Imágenes');
    await expect(page.locator('#pref-lang')).toHaveValue('es');

    // Dates as Spanish writes them: day/month/year.
    await page.goto(`${EMBEDDED_URL}/tasks`);
    await waitForApp(page, info);
    await expect(page.locator('table.tasks tbody time .date').first()).toHaveText(/^\d{2}\/\d{2}\/\d{4}$/);
  });

  test.describe('first visit', () => {
    test.use({ locale: 'zh-CN' });
    test('Accept-Language decides until a language is chosen', async ({ page }, info) => {
      await page.goto(`${EMBEDDED_URL}/registries`);
      await waitForApp(page, info);
      await expect(page.locator('html')).toHaveAttribute('lang', 'zh');
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('镜像仓库');
      await expect(mainNav(page).getByRole('link', { name: '任务' })).toBeVisible();
    });
  });
});

test.describe('theme', () => {
  test.use({ colorScheme: 'light' });
  test('dark from the header overrides the system, and survives reload', async ({ page }, info) => {
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await page.goto(`${EMBEDDED_URL}/tasks`);
    await waitForApp(page, info);
    const light = await background();
    expect(light).toBe('rgb(246, 247, 249)');

    await choose(page, info, 'pref-theme', 'dark');
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await expect.poll(background).toBe('rgb(15, 20, 25)');

    await page.reload();
    await waitForApp(page, info);
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    expect(await background()).toBe('rgb(15, 20, 25)');
    await expect(page.locator('#pref-theme')).toHaveValue('dark');

    // Back to the system's (light here).
    await choose(page, info, 'pref-theme', 'system');
    await expect(page.locator('html')).not.toHaveAttribute('data-theme', /.*/);
    await expect.poll(background).toBe(light);
  });
});

test.describe('account switcher', () => {
  test('offers both clouds’ accounts and carries the chosen one to every page', async ({ page }, info) => {
    await page.goto(`${EMBEDDED_URL}/schedule`);
    await waitForApp(page, info);
    const summary = page.locator('details.account-switcher summary');
    await expect(summary).toContainText('sandbox-tencent');
    await expect(summary).toContainText('Tencent TCSS · ');
    await expect(page.locator('details.account-switcher li')).toHaveCount(2);

    // The chosen Tencent account goes with every page's link; its task
    // monitor is its registry scan's page.
    await page.goto(`${EMBEDDED_URL}/schedule?account=sandbox-tencent`);
    await waitForApp(page, info);
    const nav = mainNav(page);
    await expect(nav.getByRole('link', { name: 'Tasks' })).toHaveAttribute('href', '/tasks/tcss?account=sandbox-tencent');
    await expect(nav.getByRole('link', { name: 'Images' })).toHaveAttribute('href', '/images?account=sandbox-tencent');
    await expect(nav.getByRole('link', { name: 'Schedule' })).toHaveAttribute(
      'href',
      '/schedule?account=sandbox-tencent',
    );

    // With none chosen, the account pages open on the Huawei account.
    await page.goto(`${EMBEDDED_URL}/images`);
    await waitForApp(page, info);
    await expect(summary).toContainText('sandbox-huawei');
    await expect(summary).toContainText('Huawei HSS · ');
    await expect(page.locator('details.account-switcher li')).toHaveCount(2);
  });
});
