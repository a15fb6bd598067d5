import { expect, test } from '@playwright/test';
import { CANARY_URL } from '../fixtures/env';
import { jsEnabled, waitForApp } from '../fixtures/hydration';

// A viewer in Shanghai (UTC+8).
test.use({ timezoneId: 'Asia/Shanghai' });

test('times show in the viewer’s time zone once interactive, in UTC without JavaScript', async ({ page }, info) => {
  await page.goto(`${CANARY_URL}/tasks`);
  await waitForApp(page, info);
  const time = page.locator('table.tasks tbody tr.task time').first();
  const iso = await time.getAttribute('datetime');
  expect(iso).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  const instant = new Date(iso!);
  const pad = (n: number) => String(n).padStart(2, '0');
  if (jsEnabled(info)) {
    const local = new Date(instant.getTime() + 8 * 3_600_000);
    await expect(time.locator('.date')).toHaveText(
      `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}`,
    );
    await expect(time.locator('.clock')).toHaveText(`${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())} UTC+8`);
  } else {
    await expect(time.locator('.clock')).toHaveText(`${pad(instant.getUTCHours())}:${pad(instant.getUTCMinutes())} UTC`);
  }
});
