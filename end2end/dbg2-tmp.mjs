import { chromium } from '@playwright/test';
const base = 'http://127.0.0.1:3300';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--disable-gpu','--disable-background-networking','--disable-component-update','--no-first-run'] });
const page = await (await browser.newContext()).newPage();
page.on('pageerror', e => console.log('page error at', page.url(), e.message));
page.on('console', m => { if (m.type() === 'error') console.log('console', m.text().slice(0, 200)); });
await page.goto(base + '/login');
await page.fill('#login-name', 'otto'); await page.fill('#login-password', 'otto-password');
await page.click('button[type=submit]');
await page.waitForURL(base + '/');
for (let i = 0; i < 12; i++) {
  await page.goto(base + '/tasks');
  await page.waitForSelector('html[data-hydrated]', { state: 'attached' });
  await page.getByRole('link', { name: 'Sync tasks' }).click();
  await page.waitForTimeout(1500);
  console.log(i, page.url(), await page.locator('table.tasks').getAttribute('data-list'), await page.locator('.conn').innerText().catch(() => '-'));
}
await browser.close();
