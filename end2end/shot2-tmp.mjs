import { chromium } from '@playwright/test';
const base = 'http://127.0.0.1:3300';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--disable-gpu','--disable-background-networking','--disable-component-update','--no-first-run'] });
const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
const page = await ctx.newPage();
page.on('pageerror', e => console.log('page error at', page.url(), e.message));
for (const path of ['/login', '/setup']) {
  await page.goto(base + path); await page.waitForTimeout(1500);
  console.log(path, await page.evaluate(() => document.documentElement.hasAttribute('data-hydrated')));
}
await page.goto(base + '/login');
await page.fill('#login-name', 'admin'); await page.fill('#login-password', 'admin-password');
await page.click('button[type=submit]');
await page.waitForURL(base + '/');
for (const path of ['/', '/images', '/registries', '/admin', '/tasks?type=image_sync']) {
  await page.goto(base + path); await page.waitForTimeout(2500);
  console.log(path, await page.evaluate(() => document.documentElement.hasAttribute('data-hydrated')));
  await page.screenshot({ path: `/tmp/shot${path.replace(/[^a-z]/g,'_')}.png`, fullPage: true });
}
await browser.close();
