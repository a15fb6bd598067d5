import { expect, test, type Browser, type Page } from '@playwright/test';
import path from 'node:path';
import { EMBEDDED_URL, LAUNCH_URL, authState } from '../fixtures/env';

// Screenshots of every page, light and dark, desktop and phone width, into
// end2end/screenshots/ (see the README). Each shot also checks that the
// page fits the width: a phone user must never scroll sideways.

const OUT = path.join(__dirname, '..', 'screenshots');
const PAGES = [
  { name: 'overview', path: '/', ready: 'ul.overview-figures' },
  { name: 'tasks', path: '/tasks', ready: 'table.tasks' },
  { name: 'sync-tasks', path: '/tasks?type=image_sync', ready: 'table.tasks' },
  { name: 'images', path: '/images', ready: 'table' },
  { name: 'images-third-party', path: '/images?image_type=third_party&registry=Harbor%20(corp)', ready: 'table.registry-images' },
  { name: 'registries', path: '/registries', ready: 'table' },
  { name: 'schedule', path: '/schedule?account=sandbox-tencent', ready: 'h1' },
  { name: 'schedule-hss', path: '/schedule?account=sandbox-huawei', ready: 'form.schedule-form' },
  { name: 'tcss-images', path: '/images?account=sandbox-tencent', ready: 'table.tcss-images' },
  { name: 'image-tcss', path: '/image?account=sandbox-tencent&cloud=tcss&id=3&image=web/redis&tag=v1.1.1', ready: 'ul.sev-summary' },
  { name: 'tcss-registries', path: '/registries?account=sandbox-tencent', ready: 'table' },
  { name: 'vulnerabilities', path: '/vulnerabilities?account=sandbox-huawei', ready: 'table.account-vulnerabilities' },
  { name: 'vulnerabilities-tcss-images', path: '/vulnerabilities?account=sandbox-tencent&severity=critical', ready: 'table.affected-images', link: 'Images affected by' },
  // The launch console's fast sandbox, after a three-image scan with one failure.
  { name: 'tcss-tasks', path: '/tasks/tcss?account=sandbox-tencent', ready: 'section.scan-card', base: LAUNCH_URL, scan: [3, 17, 5] },
  // A sync task's registries: its id has a random suffix, so it is reached
  // through its row's link.
  {
    name: 'sync-task',
    path: '/tasks?type=image_sync&account=sandbox-huawei',
    link: 'Registries of Automatic registry sync #12',
    ready: 'table.sync-registries',
    base: LAUNCH_URL,
  },
  { name: 'admin', path: '/admin', ready: 'h1', role: 'admin' as const },
  { name: 'login', path: '/login', ready: 'form', signedOut: true },
];
const SIZES = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: '375', width: 375, height: 812 },
];
const SCHEMES = ['light', 'dark'] as const;
// The Chinese and Spanish pages, once each (Accept-Language decides).
const LOCALES = [
  { name: 'zh', locale: 'zh-CN', path: '/images?account=sandbox-tencent', ready: 'table.tcss-images' },
  { name: 'zh', locale: 'zh-CN', path: '/image?account=sandbox-tencent&cloud=tcss&id=3&image=web/redis&tag=v1.1.1', ready: 'ul.sev-summary' },
  { name: 'es', locale: 'es-ES', path: '/tasks/tcss?account=sandbox-tencent', ready: 'h1', base: LAUNCH_URL },
  { name: 'zh', locale: 'zh-CN', path: '/vulnerabilities?account=sandbox-tencent', ready: 'table.account-vulnerabilities' },
  { name: 'es', locale: 'es-ES', path: '/vulnerabilities?account=sandbox-huawei', ready: 'table.account-vulnerabilities' },
  { name: 'zh', locale: 'zh-CN', path: '/', ready: 'ul.overview-figures' },
  { name: 'es', locale: 'es-ES', path: '/', ready: 'ul.overview-figures' },
];

/** Runs a registry scan of `ids` on the launch console and waits for its end. */
async function scanAndWait(page: Page, ids: number[]) {
  const launch = await page.request.post(`${LAUNCH_URL}/api/v1/tcss/scan`, {
    data: { account: 'sandbox-tencent', request: { ScanScope: 1, Id: ids, ScanType: ['CVE'] } },
  });
  expect(launch.status()).toBe(200);
  await expect
    .poll(
      async () => {
        const r = await page.request.post(`${LAUNCH_URL}/api/v1/live/tcss-scan`, {
          data: { account: 'sandbox-tencent' },
        });
        const { status } = (await r.json()) as { status: { Status?: string; ImageTotal?: number } };
        return `${status.ImageTotal} ${status.Status}`;
      },
      { timeout: 30_000 },
    )
    .toBe(`${ids.length} SCANNED`);
}

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
        if (p.scan) await scanAndWait(page, p.scan);
        let target = p.path;
        if (p.link) {
          await page.goto(`${p.base ?? EMBEDDED_URL}${p.path}`);
          target = (await page.getByRole('link', { name: p.link }).first().getAttribute('href')) ?? p.path;
        }
        for (const size of SIZES) {
          await page.setViewportSize({ width: size.width, height: size.height });
          for (const scheme of SCHEMES) {
            await page.emulateMedia({ colorScheme: scheme });
            await page.goto(`${p.base ?? EMBEDDED_URL}${target}`);
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

  for (const l of LOCALES) {
    test(`${l.name}: ${l.path}`, async ({ browser }) => {
      const context = await browser.newContext({ storageState: authState('operator'), locale: l.locale });
      const page = await context.newPage();
      try {
        await page.goto(`${l.base ?? EMBEDDED_URL}${l.path}`);
        await settle(page);
        await expect(page.locator(l.ready).first()).toBeVisible();
        await expect(page.locator('html')).toHaveAttribute('lang', new RegExp(`^${l.name}`));
        await page.screenshot({ path: path.join(OUT, `${l.name}-${l.path.split('?')[0].slice(1).replace('/', '-') || 'overview'}.png`), fullPage: true });
      } finally {
        await context.close();
      }
    });
  }
});
