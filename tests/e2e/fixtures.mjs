// The e2e suite's `test`. Every spec, whatever it is about, is also a check of two promises (issue 8):
//
// CSP (item 6): the browser reports no Content-Security-Policy violation (the `securitypolicyviolation`
// event, and Chromium's console wording for a malformed policy) and no uncaught page error.
//
// The token (item 1): every request, console message, navigation, storage write, download and clipboard
// write of the spec is captured. A token is any credential the page sent in an `Authorization` header, and
// every token the e2e fake knows. Then:
//   - requests carry `Authorization` only to the chosen API origin (`apiOrigins`, the e2e fake by default);
//   - no token appears in any URL (requests or navigations), request body, other header, console message,
//     download, clipboard text, or the page's final HTML;
//   - a token is written to storage only under the token key, to sessionStorage ("This tab only") or — only
//     in specs that chose "This device" (`tokenOnDevice`) — to localStorage; and what is left in storage at
//     the end obeys the same rule.
import { test as base, expect } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { FAKE } from './playwright.config.mjs';

/// Every token the e2e fake is started or seeded with (playwright.config.mjs, support/fake.mjs, specs).
const KNOWN_TOKENS = ['t-good', 't-narrow', 't-fine', 't-shop', 't-shop-reader', 't-hostile', 't-tidy-fine', 't-odd'];
const TOKEN_KEY = 'deploydeck.token:';

function bearer(value) {
  const match = /^(?:bearer|token)\s+(.+)$/i.exec(value ?? '');
  return match ? match[1].trim() : null;
}

/// Starts capturing on `page`; `finish()` returns `{ problems, leaks }` (CSP problems and page errors; every
/// place a token was found where it must not be).
export async function capture(page, { apiOrigins, tokenOnDevice }) {
  const problems = [];
  const requests = [];
  const texts = []; // [where, text]: everything that must never hold a token
  const writes = []; // storage writes: { area, key, value }
  const downloads = [];

  await page.exposeBinding('__deploydeckCapture', (_source, kind, a, b, c) => {
    if (kind === 'csp') problems.push(`CSP violation: ${a} blocked ${b} (${c})`);
    else if (kind === 'clipboard') texts.push(['clipboard', String(a)]);
    else if (kind === 'storage') writes.push({ area: a, key: String(b), value: String(c) });
  });
  await page.addInitScript(() => {
    const report = (...args) => window.__deploydeckCapture?.(...args);
    document.addEventListener('securitypolicyviolation', (e) =>
      report('csp', e.violatedDirective, e.blockedURI || 'inline', e.sourceFile || ''));
    const setItem = Storage.prototype.setItem;
    Storage.prototype.setItem = function (key, value) {
      report('storage', this === window.localStorage ? 'local' : 'session', key, value);
      return setItem.call(this, key, value);
    };
    if (navigator.clipboard) {
      const writeText = navigator.clipboard.writeText.bind(navigator.clipboard);
      navigator.clipboard.writeText = (text) => {
        report('clipboard', text);
        return writeText(text).catch(() => undefined);
      };
    }
  });

  page.on('console', (m) => {
    const text = m.text();
    texts.push(['console', text]);
    if (/Content Security Policy|Refused to (load|execute|connect|apply|evaluate)/i.test(text)) problems.push(text);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => requests.push(r));
  page.on('framenavigated', (f) => texts.push(['navigation', f.url()]));
  page.on('download', (d) => downloads.push(d));

  async function finish() {
    // What the page sent, with every header (Authorization is among the "security" ones `headers()` hides).
    const sent = [];
    for (const r of requests) {
      const headers = await r.allHeaders().catch(() => r.headers());
      sent.push({ url: r.url(), method: r.method(), headers, body: r.postData() ?? '' });
    }
    const tokens = new Set(KNOWN_TOKENS);
    for (const r of sent) {
      const token = bearer(r.headers.authorization);
      if (token) tokens.add(token);
    }
    const leaks = [];
    const scan = (where, text) => {
      for (const token of tokens) if (String(text).includes(token)) leaks.push(`${where}: ${String(text).slice(0, 200)}`);
    };
    for (const r of sent) {
      const origin = new URL(r.url).origin;
      if (r.headers.authorization !== undefined && !apiOrigins.includes(origin)) {
        leaks.push(`Authorization sent to ${origin} (${r.method} ${r.url})`);
      }
      scan('request URL', r.url);
      scan(`request body of ${r.method} ${r.url}`, r.body);
      for (const [name, value] of Object.entries(r.headers)) {
        if (name !== 'authorization') scan(`header ${name} of ${r.method} ${r.url}`, value);
      }
    }
    for (const [where, text] of texts) scan(where, text);
    for (const d of downloads) {
      const path = await d.path().catch(() => null);
      if (path) scan(`download ${d.suggestedFilename()}`, await readFile(path, 'utf8'));
    }
    const kept = (w) =>
      w.key.startsWith(TOKEN_KEY) && (w.area === 'session' || (w.area === 'local' && tokenOnDevice));
    for (const w of writes) if (!kept(w)) scan(`${w.area}Storage write of ${w.key}`, w.value);
    if (!page.isClosed()) {
      const end = await page
        .evaluate(() => ({
          html: document.documentElement.outerHTML,
          local: Object.entries(localStorage),
          session: Object.entries(sessionStorage),
        }))
        .catch(() => null);
      if (end) {
        scan('the page HTML', end.html);
        for (const [key, value] of end.local) if (!kept({ area: 'local', key })) scan(`localStorage ${key}`, value);
        for (const [key, value] of end.session) if (!kept({ area: 'session', key })) scan(`sessionStorage ${key}`, value);
      }
    }
    return { problems, leaks };
  }
  return { finish };
}

export const test = base.extend({
  apiOrigins: [[new URL(FAKE).origin], { option: true }],
  tokenOnDevice: [false, { option: true }],

  page: async ({ page, apiOrigins, tokenOnDevice }, use) => {
    const captured = await capture(page, { apiOrigins, tokenOnDevice });
    await use(page);
    const { problems, leaks } = await captured.finish();
    expect(problems, 'CSP violations or page errors').toEqual([]);
    expect(leaks, 'the token outside the Authorization header to the chosen API').toEqual([]);
  },
});

export { expect };
