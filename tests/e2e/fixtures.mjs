// The e2e suite's `test`: every spec also fails if the browser reports a Content-Security-Policy violation or
// a malformed policy, or an uncaught page error — so the CSP is checked on every screen the suite visits.
import { test as base, expect } from '@playwright/test';

export const test = base.extend({
  page: async ({ page }, use) => {
    const problems = [];
    page.on('console', (m) => {
      const text = m.text();
      if (/Content Security Policy|Refused to (load|execute|connect|apply|evaluate)/i.test(text)) problems.push(text);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    await use(page);
    expect(problems, 'CSP violations or page errors').toEqual([]);
  },
});

export { expect };
