// Makes the README's screenshot (docs/screenshot-demo.png): the demo's overview, from the release build in dist/,
// at 1280 px in the light scheme. Usage (after `make build`): node scripts/readme-screenshot.mjs
import { chromium } from '@playwright/test';
import { serveDist } from '../benches/support.mjs';

const PORT = 18931;
const server = await serveDist('dist', PORT);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless=new', '--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 860 }, colorScheme: 'light' });
  await page.goto(`http://127.0.0.1:${PORT}/demo/acme/storefront/overview`);
  await page.getByTestId('recent-deployments').waitFor();
  await page.screenshot({ path: 'docs/screenshot-demo.png' });
  console.log('wrote docs/screenshot-demo.png');
} finally {
  await browser.close();
  server.close();
}
