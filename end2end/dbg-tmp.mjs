import { chromium } from '@playwright/test';
const base = 'http://127.0.0.1:3300';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--disable-gpu','--disable-background-networking','--disable-component-update','--no-first-run'] });
const page = await (await browser.newContext()).newPage();
page.on('pageerror', e => console.log('page error at', page.url(), e.message));
await page.goto(base + '/login');
await page.fill('#login-name', 'otto'); await page.fill('#login-password', 'otto-password');
await page.click('button[type=submit]');
await page.waitForURL(base + '/');
for (const path of ['/images?namespace=payments&image_name=redis', '/images?namespace=payments', '/tasks', '/registries?account=sandbox-huawei', '/nope', '/tasks?type=image_scan&account=sandbox-huawei', '/']) {
  await page.goto(base + path); await page.waitForTimeout(2000);
  console.log(path, await page.evaluate(() => document.documentElement.hasAttribute('data-hydrated')));
}
await browser.close();
