import { expect, test, type Browser, type Page } from '@playwright/test';
import path from 'node:path';
import { EMBEDDED_URL, authState } from '../fixtures/env';

// Screenshots of every page, light and dark, desktop and phone width, into
// end2end/screenshots/ (see the README). Each shot also checks that the
// page fits the width: a phone user must never scroll sideways.

const OUT = path.join(__dirname, '..', 'screenshots');
const PAGES = [
  { name: 'tasks', path: '/tasks', ready: 'table.tasks' },
  { name: 'sync-tasks', path: '/tasks?type=image_sync', ready: 'table.tasks' },
  { name: 'images', path: '/images', ready: 'table' },
  { name: 'images-third-party', path: '/images?image_type=third_party&registry=Harbor%20(corp)', ready: 'table.registry-images' },
  { name: 'registries', path: '/registries', ready: 'table' },
  { name: 'schedule', path: '/schedule?account=sandbox-tencent', ready: 'h1' },
  { name: 'schedule-hss', path: '/schedule?account=sandbox-huawei', ready: 'form.schedule-form' },
  { name: 'admin', path: '/admin', ready: 'h1', role: 'admin' as const },
  { name: 'login', path: '/login', ready: 'form', signedOut: true },
];
const SIZES = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: '375', width: 375, height: 812 },
];
const SCHEMES = ['light', 'dark'] as const;

async function open(browser: Browser, role: 'operator' | 'admin' | null) {
  const context = await browser.newContext(role ? { storageState: authState(role) } : {});
  return { context, page: await context.newPage() };
}

async function settle(page: Page) {
  await page.locator('html[data-hydrated]').waitFor({ state: 'attached', timeout: 30_000 });
  // Fonts and the first live update.
  await page.evaluate(() => document.fonts.ready);
}

test.describe('screenshots', () => {
  test.skip(({ javaScriptEnabled }) => !javaScriptEnabled, 'taken once, from the hydrated app');

  for (const p of PAGES) {
    test(`${p.name}: light and dark, desktop and 375 px`, async ({ browser }) => {
      const { context, page } = await open(browser, p.signedOut ? null : (p.role ?? 'operator'));
      try {
        for (const size of SIZES) {
          await page.setViewportSize({ width: size.width, height: size.height });
          for (const scheme of SCHEMES) {
            await page.emulateMedia({ colorScheme: scheme });
            await page.goto(`${EMBEDDED_URL}${p.path}`);
            await settle(page);
            await expect(page.locator(p.ready).first()).toBeVisible();
            const overflow = await page.evaluate(
              () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
            );
            expect(overflow, `${p.name} at ${size.name} scrolls sideways`).toBeLessThanOrEqual(0);
            await page.screenshot({
              path: path.join(OUT, `${p.name}-${scheme}-${size.name}.png`),
              fullPage: true,
            });
          }
        }
      } finally {
        await context.close();
      }
    });
  }
});
