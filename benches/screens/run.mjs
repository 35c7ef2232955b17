// Each screen's cold open (a measurement, not a test; issue 30): the release build served as a CDN serves it
// (gzip, HTTP/2 over TLS), Chromium with slow 4G (562.5 ms round trip, 1.4 Mbit/s) and the CPU slowed 4×,
// fake-github with its demo data on loopback over TLS, as api.github.com (its answers throttled like everything
// else). For Create, History, a deployment's page, Cleanup, Reviews, the Fleet and Insights, two ways in:
//   - "click": connected, on a repository's overview; the screen's link clicked — from the page's click event
//     until it is usable (also reported: from Playwright's click call, as measured up to 2026-12-07);
//   - "deep link": a new browser (nothing cached, the token kept on this device) opening the screen's address.
// "Usable": the screen's own controls are in the page (its form or its list's frame), whatever data is still
// arriving. Also the bytes of code the open fetched (wasm and js). Medians of BENCH_RUNS opens (3 by default);
// prints a table and writes benches/screens/results.json (BENCH_SCREENS=Create,History: those alone, not written).
// Usage, after make build and make fake-bin-release:
//   node benches/screens/run.mjs [DIST]
import { writeFileSync } from 'node:fs';
import { serveDist, start, launchChromium, FAKE_BIN } from '../support.mjs';

const DIST = process.argv[2] ?? 'dist';
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
// BENCH_SCREENS=Deployment,Create: those screens only (results.json is then not written).
const ONLY = process.env.BENCH_SCREENS?.split(',');
const APP_PORT = 18931;
const FAKE_PORT = 18932;
const APP = `https://127.0.0.1:${APP_PORT}`;
const API = `https://127.0.0.1:${FAKE_PORT}`;
const REPO = 'acme/storefront';
const SLOW_4G = { offline: false, latency: 562.5, downloadThroughput: (1.4e6 / 8) * 0.9, uploadThroughput: (675e3 / 8) * 0.9 };

/// Each screen: how to reach it from the overview, its address, and what makes it usable.
const SCREENS = [
  { name: 'Create', link: 'Create', path: 'create', usable: '[data-testid=deployment-form]' },
  { name: 'History', link: 'History', path: 'history', usable: '[data-testid=history-view] form' },
  { name: 'Deployment', link: null, path: null, usable: '[data-testid=deployment-page] form' },
  { name: 'Cleanup', link: 'Cleanup', path: 'cleanup', usable: '[data-testid=cleanup-form], [data-testid=cleanup-run]' },
  { name: 'Reviews', link: 'Reviews', path: 'reviews', usable: '[data-testid=reviews]' },
  { name: 'Fleet', link: null, path: null, usable: '[data-testid=fleet-matrix], [data-testid=pin]' },
  // Not among issue 30's six; measured because its module is the largest a repository screen fetches.
  { name: 'Insights', link: 'Insights', path: 'insights', usable: '[data-testid=insights-period]' },
];

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : NaN;
};

async function throttle(context, page) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', SLOW_4G);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  let code = 0;
  const codeRequests = new Set();
  cdp.on('Network.requestWillBeSent', (e) => { if (/\.(wasm|js)(\?|$)/.test(e.request.url)) codeRequests.add(e.requestId); });
  cdp.on('Network.loadingFinished', (e) => { if (codeRequests.has(e.requestId)) code += e.encodedDataLength; });
  return { codeBytes: () => code, reset: () => { code = 0; } };
}

/// Connects through the form (the token kept on this device, so a later browser reads it) and waits for the
/// overview; returns the overview's address.
async function connect(page) {
  await page.goto(APP);
  await page.getByTestId('connect-form').waitFor({ timeout: 120_000 });
  await page.getByLabel('Custom API address').check();
  await page.getByLabel('API base URL').fill(API);
  await page.getByLabel('Personal access token').fill('demo-token');
  await page.getByLabel('This device').check();
  await page.getByLabel('Repository').fill(REPO);
  await page.getByRole('button', { name: 'Connect' }).click();
  await page.getByTestId('recent-deployments').waitFor({ timeout: 120_000 });
  return page.url();
}

async function open(browser, screen, how, storage) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, storageState: storage });
  const page = await context.newPage();
  try {
    if (how === 'click') {
      await connect(page);
    }
    const meter = await throttle(context, page);
    meter.reset();
    // A click is timed in the page, from its click event to the moment the screen's controls are there: what
    // Playwright does before it clicks (scrolling into view, checking the target is still, hovering — some 0.3 s
    // with the CPU slowed 4×) is not the app's time. Also kept: the time from Playwright's call, as measured before.
    if (how === 'click') {
      await page.evaluate((usable) => {
        document.addEventListener('click', () => { window.__clickAt ??= performance.now(); }, { capture: true, once: true });
        new MutationObserver((_, observer) => {
          if (window.__clickAt !== undefined && document.querySelector(usable)) {
            window.__usableAt = performance.now();
            observer.disconnect();
          }
        }).observe(document, { childList: true, subtree: true, attributes: true });
      }, screen.usable);
    }
    const t0 = Date.now();
    if (how === 'click') {
      if (screen.name === 'Deployment') await page.locator('[data-testid=recent-deployments] a[href*="/deployments/"]').first().click();
      else if (screen.name === 'Fleet') await page.getByTestId('fleet-link').click();
      else await page.getByRole('navigation', { name: 'Repository views' }).getByRole('link', { name: screen.link }).click();
    } else {
      await page.goto(screen.address, { waitUntil: 'commit' });
    }
    await page.locator(screen.usable).first().waitFor({ timeout: 120_000 });
    const fromCall = Date.now() - t0;
    if (how === 'click') {
      await page.waitForFunction(() => window.__usableAt !== undefined, null, { timeout: 120_000 });
      const inPage = await page.evaluate(() => window.__usableAt - window.__clickAt);
      return { ms: Math.round(inPage), fromCall, codeBytes: meter.codeBytes() };
    }
    return { ms: fromCall, fromCall, codeBytes: meter.codeBytes() };
  } finally {
    await context.close();
  }
}

async function main() {
  const server = await serveDist(DIST, APP_PORT, { gzip: true, http2: true });
  const fake = await start(FAKE_BIN, ['--demo', '--tls', '--addr', `127.0.0.1:${FAKE_PORT}`]);
  const browser = await launchChromium();
  const results = { dist: DIST, runs: RUNS, network: 'slow 4G, CPU ×4', screens: {} };
  try {
    // The addresses of the screens reached through links (a deployment, the fleet), and the kept token.
    const context = await browser.newContext();
    const page = await context.newPage();
    const overview = await connect(page);
    const deployment = await page.locator('[data-testid=recent-deployments] a[href*="/deployments/"]').first().getAttribute('href');
    const fleet = await page.getByTestId('fleet-link').getAttribute('href');
    const storage = await context.storageState();
    await context.close();
    for (const screen of SCREENS.filter((s) => !ONLY || ONLY.includes(s.name))) {
      screen.address = screen.name === 'Deployment' ? `${APP}${deployment}`
        : screen.name === 'Fleet' ? `${APP}${fleet}`
        : overview.replace('/overview', `/${screen.path}`);
      const entry = {};
      for (const how of ['click', 'deep link']) {
        const opens = [];
        for (let i = 0; i < RUNS; i++) opens.push(await open(browser, screen, how, storage));
        entry[how] = { usable_ms: median(opens.map((o) => o.ms)), code_kb_gzip: Math.round(median(opens.map((o) => o.codeBytes)) / 102.4) / 10 };
        if (how === 'click') entry[how].from_playwright_call_ms = median(opens.map((o) => o.fromCall));
      }
      results.screens[screen.name] = entry;
      console.log(`${screen.name.padEnd(12)} click ${entry.click.usable_ms} ms (${entry.click.from_playwright_call_ms} from the call; ${entry.click.code_kb_gzip} KB of code)   deep link ${entry['deep link'].usable_ms} ms (${entry['deep link'].code_kb_gzip} KB)`);
    }
  } finally {
    await browser.close();
    server.close();
    fake.kill();
  }
  if (DIST === 'dist' && !ONLY) writeFileSync('benches/screens/results.json', JSON.stringify(results, null, 2) + '\n');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
