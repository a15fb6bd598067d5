import { expect, test, type Response } from '@playwright/test';
import { CANARY, CANARY_URL } from '../fixtures/env';
import { jsEnabled, waitForApp } from '../fixtures/hydration';

// The console holds a Huawei account whose AK/SK are known canary strings.
// No byte the browser receives (HTML, JS, WASM, CSS, JSON, headers) may
// contain either.
const secrets = [CANARY.ak, CANARY.sk];

function assertClean(where: string, text: string) {
  for (const secret of secrets) {
    expect(text.includes(secret), `${where} contains a canary secret`).toBe(false);
  }
}

test('no canary secret reaches the browser', async ({ page, request }, info) => {
  const seen: Promise<void>[] = [];
  let responses = 0;
  page.on('response', (response: Response) => {
    responses += 1;
    seen.push(
      (async () => {
        const headers = JSON.stringify(await response.allHeaders());
        assertClean(`headers of ${response.url()}`, headers);
        // A live stream never ends; its first event is read directly below.
        if ((await response.headerValue('content-type'))?.includes('text/event-stream')) return;
        const body = await response.body().catch(() => Buffer.alloc(0));
        assertClean(`body of ${response.url()}`, body.toString('latin1'));
      })(),
    );
  });

  const pages = [
    '/',
    '/tasks',
    '/tasks?type=image_sync',
    '/tasks?type=image_scan&account=canary-huawei',
    '/registries',
    '/registries?account=canary-huawei',
    '/nope',
  ];
  for (const path of pages) {
    await page.goto(`${CANARY_URL}${path}`);
    await waitForApp(page, info);
  }
  if (jsEnabled(info)) {
    // Server-function answers too, through the app's own navigation.
    await page.goto(`${CANARY_URL}/tasks`);
    await waitForApp(page, info);
    await page.getByRole('link', { name: 'Sync tasks' }).click();
    await expect(page.locator('table.tasks[data-list="image_sync"]')).toBeVisible();
  }
  await Promise.all(seen);
  expect(responses).toBeGreaterThan(pages.length);

  // The live stream's first event.
  for (const type of ['image_scan', 'image_sync']) {
    const controller = new AbortController();
    const cookie = (await page.context().cookies(CANARY_URL)).map((c) => `${c.name}=${c.value}`).join('; ');
    const stream = await fetch(`${CANARY_URL}/api/v1/events/tasks?type=${type}`, {
      signal: controller.signal,
      headers: { cookie },
    });
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    assertClean('event stream headers', JSON.stringify([...stream.headers.entries()]));
    const reader = stream.body!.getReader();
    let text = '';
    while (!text.includes('\n\n')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    controller.abort();
    expect(text).toContain('event: tasks');
    assertClean('event stream body', text);
  }

  // Every asset and endpoint, fetched directly, including a server function
  // error answer.
  const direct = [
    '/pkg/scanport.js',
    '/pkg/scanport.wasm',
    '/pkg/scanport_bg.wasm',
    '/pkg/scanport.css',
    '/healthz',
    '/readyz',
    '/login',
    '/api/v1/accounts',
    '/api/v1/accounts/retry',
    '/api/v1/live/tasks',
    '/api/v1/ui/registries',
    '/api/v1/hss/tasks',
    '/api/v1/hss/registries',
    '/api/v1/hss/images',
    '/api/v1/hss/batch-scan',
  ];
  for (const path of direct) {
    for (const method of ['GET', 'POST'] as const) {
      const answer = await request.fetch(`${CANARY_URL}${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        data:
          method === 'POST'
            ? JSON.stringify({ account: 'canary-huawei', list: 'image_sync', request: { type: 'image_sync' } })
            : undefined,
      });
      assertClean(`${method} ${path} headers`, JSON.stringify(answer.headers()));
      assertClean(`${method} ${path} body`, (await answer.body()).toString('latin1'));
    }
  }
});
