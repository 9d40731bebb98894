// The element initiators (img, classic and module scripts and import(), stylesheet, fonts,
// video and audio) in the engine of this project, through the reference run's own path
// (runner/run-cases.ts): a sample of the matrix's element, cors-only and cookie cases, each
// crossorigin state against no Access-Control-Allow-Origin, `*`, and the request's origin with
// credentials, on the routes the matrix gives them (an opaque-origin frame among them, and
// the same cases from a data: iframe). Each result must get the reference run's verdict (the
// spec model, with the known divergences); beside it, what the page and the wire show.
import type { CorsCase } from '../../model/case.ts';
import { BROWSER_BLOCK_LINE, type EngineResult } from '../../model/results.ts';
import { runCases } from '../../runner/run-cases.ts';
import { expect, test } from '../../suites/fixtures.ts';
import { crossOrigin, inDataFrame, judged, pick, sentOrigin } from './matrix-cases.ts';

const ELEMENT_KINDS = new Set(['img', 'script', 'module-script', 'stylesheet', 'font', 'media']);

const SAMPLE: CorsCase[] = [
  ...pick('initiators/element', { acao: ['absent', 'star'], acac: ['absent'] }),
  ...pick('initiators/element', { crossorigin: ['use-credentials'], acao: ['echo'], acac: ['true'] }),
  ...pick('initiators/cors-only', { acao: ['absent', 'star', 'null'], acac: ['absent'] }),
  ...pick('initiators/cookie').filter((c) => ELEMENT_KINDS.has(c.request.initiator?.kind ?? 'fetch')),
];
const CASES: CorsCase[] = [...SAMPLE, ...SAMPLE.filter((c) => c.request.page.opaque === 'sandboxed-iframe').map(inDataFrame)];

test.describe.configure({ mode: 'serial' });

let results: Map<string, EngineResult> | null = null;

test.beforeAll(async ({ engine, harness, runId }, testInfo) => {
  testInfo.setTimeout(300_000);
  results = await runCases(engine, harness, CASES, { runId, concurrency: 4 });
});

function resultFor(c: CorsCase): EngineResult {
  const r = results?.get(c.id);
  if (!r) throw new Error(`the runner returned no result for ${c.id}`);
  return r;
}

for (const c of CASES) {
  // Named by the case id, as the reference run's results are; the title is the annotation.
  test(c.id, { annotation: { type: 'case', description: c.title } }, async ({ engine }, testInfo) => {
    const r = resultFor(c);
    const { spec, verdict, failure } = judged(c, engine.info.id, r);
    await testInfo.attach('observed', { body: JSON.stringify({ engine: engine.info, id: c.id, spec, result: r }, null, 2), contentType: 'application/json' });
    testInfo.annotations.push({ type: 'observed', description: `${r.outcome}; ${r.signal ?? 'no signal'}; server saw Origin ${r.server?.origin ?? '(none)'}` });
    if (verdict.divergence) testInfo.annotations.push({ type: 'known divergence', description: verdict.divergence });
    expect(failure, `the reference run's verdict (page saw: ${r.signal ?? 'nothing'})`).toBeNull();
    expect(r.signal, 'the page says what it saw').toBeTruthy();
    expect(r.status, 'an element shows no status').toBeNull();
    // The proxy saw the request; a CORS request to another origin carries the page's origin
    // (null from an opaque frame). WebKitGTK fetches fonts as if they were no-cors requests
    // (the known divergence webkitgtk-fonts-without-cors, cases/divergences.ts): with no Origin,
    // and with the cookie.
    expect(r.server?.requests ?? 0, 'the server saw the request').toBeGreaterThan(0);
    const fontWithoutCors = engine.info.id === 'webkit' && c.request.initiator?.kind === 'font';
    if (c.request.mode === 'cors' && crossOrigin(c)) expect(r.server?.origin ?? null, 'the Origin the server saw').toBe(fontWithoutCors ? null : sentOrigin(c));
    // The browser's own reason, where the engine reports the page's console (an opaque frame's
    // console is not the page's).
    if (r.outcome === 'blocked' && engine.consoleMessages && !c.request.page.opaque) {
      expect(r.reason ?? '', `the browser's own reason for the block (console: ${JSON.stringify(r.console ?? [])})`).toMatch(BROWSER_BLOCK_LINE);
    }
    // A cookie case asks whether the cookie goes along: a same-site target gets it exactly when
    // the credentials mode is "include" (the cookie is SameSite=Lax).
    if (c.question?.asks === 'cookie-sent' && c.question.site === 'same-site') {
      expect(r.server?.cookieSent, 'the server received the cookie').toBe(fontWithoutCors || c.request.credentials === 'include');
    }
  });
}
