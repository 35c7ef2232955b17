// axe-core (npm) in the page: the serious and critical violations of the screen as it is now. axe is put
// in the page through the DevTools protocol (as @axe-core/playwright does), so the app's CSP stays in force
// and the fixture would report axe itself breaking it.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const source = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/// `[]` when the screen has no serious or critical violation; else one line per violation and element.
export async function seriousViolations(page) {
  // Colours are read once transitions have finished (a scheme just switched, a button just hovered), as a
  // user sees them: read mid-transition, a colour is neither the old nor the new one.
  await page.waitForFunction(() => document.getAnimations().length === 0);
  const injected = await page.evaluate(() => typeof window.axe === 'object');
  if (!injected) await page.evaluate(source);
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => `${n.target.join(' ')} — ${n.failureSummary?.split('\n').slice(1).join(' ')}`),
    }));
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.impact} ${v.id} (${v.help}): ${n}`));
}
