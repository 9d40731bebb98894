// The rules every CORS explanation teaches, each checked in the engine of this project.
// The expectation is the rule itself (the case's `taught` field); the results attached
// to each test show what the browser and the server observed.
import { BASICS } from '../cases/basics/cases.ts';
import { runCases } from '../runner/run-cases.ts';
import { test, expect } from './fixtures.ts';
import { BROWSER_BLOCK_LINE, type EngineResult } from '../model/results.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluate } from '../oracle/index.ts';
import { Journal, foldResults, readJournals } from '../runner/results-store.ts';
import { judge } from '../runner/verdict.ts';
import { KNOWN_DIVERGENCES } from '../cases/divergences.ts';
import { resultsSchemaErrors } from '../model/schemas.ts';

test.describe.configure({ mode: 'serial' });

let results: Map<string, EngineResult> | null = null;

test.beforeAll(async ({ engine, harness, runId }) => {
  results = await runCases(engine, harness, [...BASICS], { runId });
});

for (const c of BASICS) {
  test(c.title, async ({ engine }, testInfo) => {
    const r = results?.get(c.id);
    expect(r, 'the runner returned a result for this case').toBeDefined();
    if (!r) return;
    await testInfo.attach('observed', { body: JSON.stringify({ engine: engine.info, result: r }, null, 2), contentType: 'application/json' });
    const t = c.taught;
    if (!t) throw new Error(`${c.id} states no rule`);
    expect(r.outcome, `outcome (${r.reason ?? 'no reason given'})`).toBe(t.outcome);
    // An engine that reports its console must give its own reason for every block here.
    if (r.outcome === 'blocked' && engine.consoleMessages) {
      expect(r.reason ?? '', `the browser's own reason for the block (console: ${JSON.stringify(r.console ?? [])})`).toMatch(BROWSER_BLOCK_LINE);
    }
    if (t.preflight !== undefined) expect(r.preflight, 'a preflight was sent').toBe(t.preflight);
    if (t.cookieSent !== undefined) expect(r.server?.cookieSent, 'the server received the cookie').toBe(t.cookieSent);
    if (t.requestMethodSeen !== undefined) expect(r.server?.preflightRequestMethod).toBe(t.requestMethodSeen);
    if (t.requestHeadersSeen !== undefined) expect(r.server?.preflightRequestHeaders).toBe(t.requestHeadersSeen);
    const readable = new Set((r.readable ?? []).map(([n]) => n.toLowerCase()));
    for (const name of t.readable ?? []) expect(readable.has(name), `${name} is readable`).toBe(true);
    for (const name of t.hidden ?? []) expect(readable.has(name), `${name} is hidden`).toBe(false);
  });
}

test('the results file this engine produces matches the published schema', async ({ engine }) => {
  const dir = mkdtempSync(join(tmpdir(), 'cc-results-'));
  try {
    const journal = new Journal(dir, engine.info.id);
    journal.engine(engine.info);
    journal.cases(
      engine.info.id,
      BASICS.map((c) => {
        const spec = evaluate(c);
        const result = results?.get(c.id) as EngineResult;
        return { case: c, spec, result, verdict: judge(c, engine.info.id, spec, result, KNOWN_DIVERGENCES) };
      }),
    );
    const file = foldResults(readJournals(dir), { startedAt: new Date().toISOString(), complete: true, excludedEngines: [], notes: [], divergences: [] });
    expect(file.cases).toHaveLength(BASICS.length);
    expect(file.engines.map((e) => e.id)).toEqual([engine.info.id]);
    expect(resultsSchemaErrors(file)).toEqual([]);
    expect(file.summary?.[engine.info.id]?.cases).toBe(BASICS.length);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
