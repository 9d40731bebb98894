// The initiators that are not elements (XMLHttpRequest, fetch with keepalive, EventSource,
// module workers, sendBeacon, WebSocket), each through the reference run's own path
// (runner/run-cases.ts → pipeline → engine → proxy) in this project's engine: a sample of the
// matrix's blocks for them and their cookie cases, on the routes the matrix gives them (a
// sandboxed iframe among them, and the same cases from a data: iframe), and WebSockets between
// https origins too. Each result must get the reference run's verdict (the spec model, with the
// known divergences); beside it, what the wire shows: the Origin the server saw, what a
// preflight asked for, whether the cookie went along.
import type { CorsCase } from '../../model/case.ts';
import { BROWSER_BLOCK_LINE, type EngineResult } from '../../model/results.ts';
import { corsPreflightRequest } from '../../oracle/index.ts';
import { runCases } from '../../runner/run-cases.ts';
import { expect, test } from '../../suites/fixtures.ts';
import { crossOrigin, inDataFrame, judged, overHttps, pick, sentOrigin } from './matrix-cases.ts';

const STREAM_KINDS = new Set(['fetch', 'fetch-keepalive', 'xhr', 'eventsource', 'worker', 'beacon', 'websocket']);

const SAMPLE: CorsCase[] = [
  ...pick('initiators/xhr', { trigger: ['none', 'header', 'method'], acao: ['absent', 'star', 'echo'], acac: ['absent'] }),
  ...pick('initiators/xhr', { initiator: ['xhr-credentials'], trigger: ['none'], acao: ['star', 'echo'], acac: ['true'] }),
  ...pick('initiators/keepalive', { trigger: ['none', 'header'], acao: ['absent', 'star'], acac: ['absent'] }),
  ...pick('initiators/eventsource', { acao: ['absent', 'star', 'echo'] }),
  ...pick('initiators/worker', { acao: ['absent', 'star'] }),
  ...pick('initiators/beacon'),
  ...pick('initiators/websocket', { acao: ['absent', 'other'] }),
  ...pick('initiators/cookie').filter((c) => STREAM_KINDS.has(c.request.initiator?.kind ?? 'fetch')),
];
const CASES: CorsCase[] = [
  ...SAMPLE,
  ...SAMPLE.filter((c) => c.request.page.opaque === 'sandboxed-iframe').map(inDataFrame),
  // wss: from an https page; the answer names another origin, which a WebSocket never checks.
  ...pick('initiators/websocket', { route: ['cross-site'], acao: ['other'] }).map(overHttps),
];

test.describe.configure({ mode: 'serial' });

let results: Map<string, EngineResult> | null = null;

test.beforeAll(async ({ engine, harness, runId }, testInfo) => {
  testInfo.setTimeout(300_000);
  results = await runCases(engine, harness, CASES, { runId });
});

for (const c of CASES) {
  // Named by the case id, as the reference run's results are; the title is the annotation.
  test(c.id, { annotation: { type: 'case', description: c.title } }, async ({ engine }, testInfo) => {
    const r = results?.get(c.id);
    expect(r, 'the runner returned a result for this case').toBeDefined();
    if (!r) return;
    const { spec, verdict, failure } = judged(c, engine.info.id, r);
    await testInfo.attach('observed', { body: JSON.stringify({ engine: engine.info, id: c.id, spec, result: r }, null, 2), contentType: 'application/json' });
    if (verdict.divergence) testInfo.annotations.push({ type: 'known divergence', description: verdict.divergence });
    expect(failure, `the reference run's verdict (${r.signal ?? ''}; ${r.reason ?? 'no reason given'})`).toBeNull();
    const kind = c.request.initiator?.kind ?? 'fetch';
    // Every request to another origin that reached the server carries the document's origin
    // ("null" from an opaque one): CORS requests, a beacon's POST, a WebSocket handshake.
    // Observed in WebKitGTK 2.50: a beacon's POST sent from a sandboxed iframe carries the
    // embedding page's origin, where every other request of that frame (its preflight too) and
    // a beacon from a data: iframe carry `null`.
    if (crossOrigin(c) && (r.server?.requests ?? 0) > 0) {
      const webkitBeacon = engine.info.id === 'webkit' && kind === 'beacon' && c.request.page.opaque === 'sandboxed-iframe' && r.outcome === 'allowed';
      expect(r.server?.origin, 'the Origin the server saw').toBe(webkitBeacon ? new URL(c.request.page.origin).origin : sentOrigin(c));
    }
    // A preflight asks for what the spec model's preflight asks for.
    if (r.preflight && spec.preflight) {
      const asked = corsPreflightRequest(c.request);
      expect(r.server?.preflightRequestMethod, 'Access-Control-Request-Method').toBe(asked?.method);
      expect(r.server?.preflightRequestHeaders ?? null, 'Access-Control-Request-Headers').toBe(asked?.headers ?? null);
    }
    // A cookie case asks whether the cookie goes along: a same-site target gets it exactly when
    // the credentials mode is "include" (the cookie is SameSite=Lax).
    if (c.question?.asks === 'cookie-sent' && c.question.site === 'same-site') {
      expect(r.server?.cookieSent, 'the server received the cookie').toBe(c.request.credentials === 'include');
    }
    // The browser's own reason, where the engine reports the page's console. Not for WebSocket
    // handshakes (no CORS), nor workers: a top-level module worker on another origin throws in
    // Chromium and WebKit before any request, and Chromium's worker console is not the page's;
    // nor from an opaque frame, whose console is not the page's either. Firefox ESR 153 logs
    // nothing when it blocks a keepalive fetch (the page sees its TypeError alone).
    const silent = kind === 'websocket' || kind === 'worker' || (kind === 'fetch-keepalive' && engine.info.id === 'firefox');
    if (r.outcome === 'blocked' && engine.consoleMessages && !silent && !c.request.page.opaque) {
      expect(r.reason ?? '', `the browser's own reason for the block (console: ${JSON.stringify(r.console ?? [])})`).toMatch(BROWSER_BLOCK_LINE);
    }
  });
}
