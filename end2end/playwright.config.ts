import { defineConfig } from '@playwright/test';
import path from 'node:path';
import { CANARY, DATA_DIR, FAULTS_SANDBOX_TOKEN, PORTS, SERVER_BIN, SITE_ROOT, USERS, authState } from './fixtures/env';

// Every console starts with a fresh database and one user of each role.
const consoleEnv = {
  SCANPORT_BIN: SERVER_BIN,
  SCANPORT_SITE_ROOT: SITE_ROOT,
  E2E_ADMIN_NAME: USERS.admin.name,
  E2E_ADMIN_PASSWORD: USERS.admin.password,
  E2E_OPERATOR_NAME: USERS.operator.name,
  E2E_OPERATOR_PASSWORD: USERS.operator.password,
  E2E_VIEWER_NAME: USERS.viewer.name,
  E2E_VIEWER_PASSWORD: USERS.viewer.password,
  // Tests sign in often; throttling has its own tests.
  SCANPORT_AUTH__LOGIN_ATTEMPTS_PER_NAME: '1000',
  SCANPORT_AUTH__LOGIN_ATTEMPTS_PER_ADDRESS: '1000',
  SCANPORT_AUTH__LOGIN_ATTEMPTS_PER_NAME_ANYWHERE: '1000',
};
const startConsole = (name: string, args = '') =>
  `bash fixtures/start-console.sh ${path.join(DATA_DIR, name)} ${args}`.trim();

// Every test runs twice: hydrated, and with JavaScript off (the server
// rendering alone must still show the tasks).
export default defineConfig({
  testDir: './tests',
  globalSetup: './fixtures/global-setup.ts',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    // Signed in as an operator unless a test says otherwise.
    storageState: authState('operator'),
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
      // Slow enough (20 s an image) that its running scan is still running
      // when the task tests come, minutes into the suite (at 12 s it had
      // ended before the no-JS pass of an 11-minute suite); a step still
      // comes well within the 40 s the "moves forward" test waits.
      command: `${SERVER_BIN} sandbox --listen 127.0.0.1:${PORTS.sandbox} --no-rate-limits --pace-ms 20000`,
      env: { SANDBOX_HUAWEI_AK: CANARY.ak, SANDBOX_HUAWEI_SK: CANARY.sk, SCANPORT_LOG: 'warn' },
      url: `http://127.0.0.1:${PORTS.sandbox}/v5/p/image/tasks`,
      ignoreHTTPSErrors: true,
      reuseExistingServer: false,
      timeout: 30_000,
    },
    {
      // The console with one Huawei account whose keys are the canaries.
      command: startConsole('canary', '--config fixtures/canary.toml'),
      env: { ...consoleEnv, CLOUD_SDK_AK: CANARY.ak, CLOUD_SDK_SK: CANARY.sk },
      url: `http://127.0.0.1:${PORTS.canary}/healthz`,
      reuseExistingServer: false,
      timeout: 30_000,
    },
    {
      // The console as the README runs it: no account, embedded sandbox.
      command: startConsole('embedded'),
      env: { ...consoleEnv, SCANPORT_LISTEN: `127.0.0.1:${PORTS.embedded}` },
      url: `http://127.0.0.1:${PORTS.embedded}/healthz`,
      reuseExistingServer: false,
      timeout: 30_000,
    },
    {
      // For launch, sync and stop tests: an embedded sandbox without rate
      // limits, scanning an image every half second, watched every second.
      command: startConsole('launch'),
      env: {
        ...consoleEnv,
        SCANPORT_LISTEN: `127.0.0.2:${PORTS.launch}`,
        SCANPORT_SANDBOX__RATE_LIMITS: 'false',
        SCANPORT_SANDBOX__PACE_MS: '500',
        SCANPORT_LIVE__BUSY_SECS: '1',
      },
      url: `http://127.0.0.2:${PORTS.launch}/healthz`,
      reuseExistingServer: false,
      timeout: 30_000,
    },
    {
      // For fault tests, deployed as a team would: nginx (deploy/nginx.conf)
      // on the faults port in front of two replicas sharing one PostgreSQL
      // database, calling a standalone sandbox on a known port (faults are
      // switched there) without rate limits; watched every second.
      command: `bash fixtures/start-replicas.sh ${path.join(DATA_DIR, 'faults')} ${PORTS.faults} ${PORTS.faultsSandbox} ${PORTS.faultsReplicas.join(' ')}`,
      env: {
        ...consoleEnv,
        SCANPORT_SANDBOX_CONTROL_TOKEN: FAULTS_SANDBOX_TOKEN,
        SCANPORT_LIVE__BUSY_SECS: '1',
        SCANPORT_HTTP__TIMEOUT_SECS: '2',
      },
      url: `http://127.0.0.1:${PORTS.faults}/readyz`,
      reuseExistingServer: false,
      timeout: 60_000,
      gracefulShutdown: { signal: 'SIGTERM', timeout: 10_000 },
    },
  ],
});
