import { defineConfig } from '@playwright/test';
import { CANARY, PORTS, SERVER_BIN, SITE_ROOT } from './fixtures/env';

// Every test runs twice: hydrated, and with JavaScript off (the server
// rendering alone must still show the tasks).
export default defineConfig({
  testDir: './tests',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--disable-sync',
      ],
    },
  },
  projects: [
    { name: 'hydrated', use: { javaScriptEnabled: true } },
    { name: 'no-js', use: { javaScriptEnabled: false } },
  ],
  webServer: [
    {
      // A standalone sandbox that only accepts the canary credentials.
      command: `${SERVER_BIN} sandbox --listen 127.0.0.1:${PORTS.sandbox} --no-rate-limits`,
      env: { SANDBOX_HUAWEI_AK: CANARY.ak, SANDBOX_HUAWEI_SK: CANARY.sk, SCANPORT_LOG: 'warn' },
      url: `http://127.0.0.1:${PORTS.sandbox}/v5/p/image/tasks`,
      ignoreHTTPSErrors: true,
      reuseExistingServer: false,
      timeout: 30_000,
    },
    {
      // The console with one Huawei account whose keys are the canaries.
      command: `${SERVER_BIN} --config fixtures/canary.toml`,
      env: { CLOUD_SDK_AK: CANARY.ak, CLOUD_SDK_SK: CANARY.sk, SCANPORT_SITE_ROOT: SITE_ROOT },
      url: `http://127.0.0.1:${PORTS.canary}/healthz`,
      reuseExistingServer: false,
      timeout: 30_000,
    },
    {
      // The console as the README runs it: no account, embedded sandbox.
      command: SERVER_BIN,
      env: { SCANPORT_LISTEN: `127.0.0.1:${PORTS.embedded}`, SCANPORT_SITE_ROOT: SITE_ROOT },
      url: `http://127.0.0.1:${PORTS.embedded}/healthz`,
      reuseExistingServer: false,
      timeout: 30_000,
    },
  ],
});
