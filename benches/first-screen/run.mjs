// First-screen benchmark (a measurement, not a test): how soon a new visitor sees the first screen and can
// use it, cold (no cache), from the release build served as a CDN serves it (gzip). Two conditions:
//   - slow 4G (Chromium's network throttling: 562.5 ms round trip, 1.4 Mbit/s down, 675 kbit/s up) with the
//     CPU slowed 4×, the issue's yardstick for a phone on a poor network;
//   - loopback, no throttling.
// "Visible": the first contentful paint with the connect screen's heading in the page (the static screen, which
// takes typing and a Connect press from then on). "Usable": the app has taken the screen over (its connect form
// is in the page, checking what is typed). Also: when the first module and the app's own (split_app_root, fetched
// once the page is loaded and idle: no interaction here) began to download, and the bytes transferred — in all,
// and those of the first load (everything but the app's module). Medians of several cold loads; prints a table and writes
// benches/first-screen/results.json. Usage (from the repository root, after `make build`):
//   node benches/first-screen/run.mjs [DIST]   (BENCH_RUNS=n to change the number of loads)
import { writeFileSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { serveDist } from '../support.mjs';

const DIST = process.argv[2] ?? 'dist';
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const PORT = 18921;
const SLOW_4G = { offline: false, latency: 562.5, downloadThroughput: (1.4e6 / 8) * 0.9, uploadThroughput: (675e3 / 8) * 0.9 };

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : NaN;
};

/// One cold load of the page: { visible, usable, wasmStart, bytes } in ms since navigation started.
async function load(browser, throttled) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  if (throttled) {
    await cdp.send('Network.emulateNetworkConditions', SLOW_4G);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  }
  let bytes = 0;
  let appBytes = 0;
  const urls = new Map();
  cdp.on('Network.requestWillBeSent', (e) => urls.set(e.requestId, e.request.url));
  cdp.on('Network.loadingFinished', (e) => {
    bytes += e.encodedDataLength;
    if (/\/(pack|split|chunk)_[^/]*\.wasm$/.test(urls.get(e.requestId) ?? '')) appBytes += e.encodedDataLength;
  });
  await page.addInitScript(() => {
    window.__marks = {};
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        if (e.name === 'first-contentful-paint') window.__marks.fcp = e.startTime;
      }
    }).observe({ type: 'paint', buffered: true });
    const seen = () => {
      if (window.__marks.usable === undefined && document.querySelector('form[data-testid="connect-form"]')) {
        window.__marks.usable = performance.now();
      }
      if (window.__marks.heading === undefined && document.querySelector('h1')) window.__marks.heading = performance.now();
    };
    new MutationObserver(seen).observe(document, { childList: true, subtree: true });
  });
  await page.goto(`http://127.0.0.1:${PORT}/`, { waitUntil: 'commit' });
  await page.waitForFunction(() => window.__marks.usable !== undefined && window.__marks.fcp !== undefined, null, { timeout: 60_000, polling: 50 });
  const marks = await page.evaluate(() => window.__marks);
  const started = (file) => page.evaluate((f) => performance.getEntriesByType('resource').find((e) => e.name.endsWith(f))?.startTime, file);
  const wasm = await started('/deploydeck_bg.wasm');
  const app = await started('/split_app_root.wasm');
  await context.close();
  // Visible: the first paint, provided the heading was already in the page then (the static screen).
  const visible = marks.heading <= marks.fcp ? marks.fcp : marks.usable;
  return { visible, usable: marks.usable, wasmStart: wasm, appStart: app ?? NaN, bytes, firstLoadBytes: bytes - appBytes };
}

async function main() {
  const server = await serveDist(DIST, PORT, { gzip: true });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'],
  });
  const results = { dist: DIST, runs: RUNS, conditions: {} };
  try {
    for (const [name, throttled] of [['slow 4G, CPU ×4', true], ['loopback', false]]) {
      const loads = [];
      for (let i = 0; i < RUNS; i++) loads.push(await load(browser, throttled));
      const pick = (k) => loads.map((l) => Math.round(l[k]));
      results.conditions[name] = {
        visible_ms: median(pick('visible')),
        usable_ms: median(pick('usable')),
        wasm_download_starts_ms: median(pick('wasmStart')),
        app_download_starts_ms: median(pick('appStart')),
        bytes: median(pick('bytes')),
        first_load_bytes: median(pick('firstLoadBytes')),
        every_load: loads.map((l) => ({ visible: Math.round(l.visible), usable: Math.round(l.usable), wasm: Math.round(l.wasmStart), app: Math.round(l.appStart) })),
      };
    }
  } finally {
    await browser.close();
    server.close();
  }
  console.log(`first screen of ${DIST} (median of ${RUNS} cold loads)`);
  console.log(`${'condition'.padEnd(20)} ${'visible'.padStart(9)} ${'usable'.padStart(9)} ${'wasm from'.padStart(10)} ${'app from'.padStart(10)} ${'first load'.padStart(11)} ${'bytes'.padStart(9)}`);
  for (const [name, r] of Object.entries(results.conditions)) {
    console.log(`${name.padEnd(20)} ${`${r.visible_ms} ms`.padStart(9)} ${`${r.usable_ms} ms`.padStart(9)} ${`${r.wasm_download_starts_ms} ms`.padStart(10)} ${`${r.app_download_starts_ms} ms`.padStart(10)} ${String(r.first_load_bytes).padStart(11)} ${String(r.bytes).padStart(9)}`);
  }
  if (DIST === 'dist') writeFileSync('benches/first-screen/results.json', JSON.stringify(results, null, 2) + '\n');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
