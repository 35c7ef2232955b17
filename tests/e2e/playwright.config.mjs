// End-to-end tests of the release build (dist/, served as a static host serves it) against a real
// fake-github. Chromium is Debian's (/usr/bin/chromium): Playwright never downloads a browser here.
import { defineConfig } from '@playwright/test';

export const FAKE = 'http://127.0.0.1:18788';
export const APP = 'http://127.0.0.1:18080';
export const APP_UNDER_SUB_PATH = 'http://127.0.0.1:18081/sub';

export default defineConfig({
  testDir: './specs',
  outputDir: './artifacts/results',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 30_000,
  reporter: [['list']],
  use: {
    baseURL: APP,
    browserName: 'chromium',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    },
    trace: 'retain-on-failure',
  },
  webServer: [
    {
      command: '../../target/debug/fake-github --addr 127.0.0.1:18788 --repo acme/web --token t-good=repo --token t-narrow=read:org --token t-fine=fine:deployments:read',
      url: `${FAKE}/rate_limit`,
      reuseExistingServer: false,
      timeout: 30_000,
    },
    {
      command: 'node serve-dist.mjs ../../dist / 18080',
      url: `${APP}/`,
      reuseExistingServer: false,
      timeout: 30_000,
    },
    {
      command: 'node serve-dist.mjs ../../dist-sub /sub/ 18081',
      url: `${APP_UNDER_SUB_PATH}/`,
      reuseExistingServer: false,
      timeout: 30_000,
    },
  ],
});
