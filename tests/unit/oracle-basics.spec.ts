// The hand-written basics state the rules every CORS explanation teaches; the spec model
// must reach the same outcomes from the standard's algorithms alone.
import { test, expect } from '@playwright/test';
import { BASICS } from '../../cases/basics/cases.ts';
import { evaluate } from '../../oracle/index.ts';

for (const c of BASICS) {
  test(`spec model agrees with the taught rule: ${c.id}`, () => {
    const spec = evaluate(c);
    const t = c.taught;
    expect(t).toBeDefined();
    if (!t) return;
    expect(spec.outcome, spec.reason).toBe(t.outcome);
    if (t.preflight !== undefined) expect(spec.preflight, spec.reason).toBe(t.preflight);
    for (const name of t.readable ?? []) expect(spec.readable ?? []).toContain(name);
    for (const name of t.hidden ?? []) expect(spec.readable ?? []).not.toContain(name);
    expect(spec.anchors.length).toBeGreaterThan(0);
  });
}
