// The initiators that are not elements (XMLHttpRequest, EventSource, module workers,
// sendBeacon, WebSocket), each through the reference run's own path (runner/run-cases.ts →
// pipeline → engine → proxy) in this project's engine, from http://a.test to http://b.test.
// Each case states only what is clear-cut: what the page saw, whether a preflight went out, and
// what the server saw. The mode and credentials are what the standards derive for each
// initiator; a WebSocket has neither (its handshake is no fetch): `cors`/`include` stand in.
import type { CaseRequest, CaseResponse, CorsCase, Header, Initiator } from '../../model/case.ts';
import { ORIGINS } from '../../model/origins.ts';
import { BROWSER_BLOCK_LINE, type EngineResult } from '../../model/results.ts';
import { runCases } from '../../runner/run-cases.ts';
import { expect, test } from '../../suites/fixtures.ts';

const PAGE = ORIGINS.page;
const TARGET = ORIGINS.crossSite;

interface Want {
  outcome: 'allowed' | 'blocked';
  preflight?: boolean;
  /** The Origin the server saw on the measured request (or its preflight). */
  origin?: string | null;
  /** Header names the page must have read. */
  readable?: string[];
  requestHeadersSeen?: string;
  /** Whether the server received the signed-in cookie. */
  cookieSent?: boolean;
}

interface StreamCase {
  c: CorsCase;
  want: Want;
}

const ACAO = (value: string): Header => ['Access-Control-Allow-Origin', value];
const ACAC: Header = ['Access-Control-Allow-Credentials', 'true'];

function make(
  name: string,
  title: string,
  initiator: Initiator,
  request: Partial<CaseRequest> & Pick<CaseRequest, 'mode' | 'credentials'>,
  response: CaseResponse,
  want: Want,
): StreamCase {
  return {
    c: {
      id: `initiators/streams/${name}`,
      group: 'initiators',
      title,
      request: { page: { origin: PAGE }, url: `${TARGET}/streams/${name}`, method: 'GET', headers: [], initiator, ...request },
      response,
    },
    want,
  };
}

/** The same case between other origins. */
function between(page: string, target: string, s: StreamCase): StreamCase {
  const url = new URL(s.c.request.url);
  return { ...s, c: { ...s.c, request: { ...s.c.request, page: { ...s.c.request.page, origin: page }, url: `${target}${url.pathname}` } } };
}

const xhr = (withCredentials: boolean): Initiator => ({ kind: 'xhr', withCredentials });
const xhrMode = (withCredentials: boolean) => ({ mode: 'cors', credentials: withCredentials ? 'include' : 'same-origin' }) as const;
const es = (withCredentials: boolean): Initiator => ({ kind: 'eventsource', withCredentials });
const stream = (headers: Header[]): CaseResponse => ({ preflight: null, actual: { status: 200, headers, asset: 'event-stream' } });
const moduleScript = (headers: Header[]): CaseResponse => ({ preflight: null, actual: { status: 200, headers, asset: 'module-script' } });
const plain = (headers: Header[]): CaseResponse => ({ preflight: null, actual: { status: 200, headers, body: 'ok' } });

const CASES: StreamCase[] = [
  // XMLHttpRequest: the fetch rules, seen through load and error events.
  make('xhr-acao-star', 'xhr: Access-Control-Allow-Origin * is readable', xhr(false), xhrMode(false), plain([ACAO('*'), ['X-CC', 'x']]), {
    outcome: 'allowed',
    preflight: false,
    origin: PAGE,
  }),
  make('xhr-no-acao', 'xhr: no Access-Control-Allow-Origin is an error event', xhr(false), xhrMode(false), plain([]), {
    outcome: 'blocked',
    preflight: false,
    origin: PAGE,
  }),
  make(
    'xhr-preflight',
    'xhr: a custom header is preflighted; the preflight allows it, Access-Control-Expose-Headers exposes X-CC',
    xhr(false),
    { ...xhrMode(false), headers: [['X-CC-Test', '1']], readHeaders: ['X-CC'] },
    {
      preflight: { status: 204, headers: [ACAO(PAGE), ['Access-Control-Allow-Headers', 'x-cc-test']] },
      actual: { status: 200, headers: [ACAO(PAGE), ['X-CC', 'x'], ['Access-Control-Expose-Headers', 'X-CC']], body: 'ok' },
    },
    { outcome: 'allowed', preflight: true, origin: PAGE, readable: ['X-CC'], requestHeadersSeen: 'x-cc-test' },
  ),
  make(
    'xhr-preflight-refused',
    'xhr: a custom header whose preflight gets no CORS answer is blocked',
    xhr(false),
    { ...xhrMode(false), headers: [['X-CC-Test', '1']] },
    { preflight: null, actual: { status: 200, headers: [ACAO(PAGE)], body: 'ok' } },
    { outcome: 'blocked', preflight: true, requestHeadersSeen: 'x-cc-test' },
  ),
  make('xhr-credentials-star', 'xhr: withCredentials and Access-Control-Allow-Origin * is blocked', xhr(true), xhrMode(true), plain([ACAO('*')]), {
    outcome: 'blocked',
    preflight: false,
  }),
  // EventSource.
  make('es-acao', 'eventsource: Access-Control-Allow-Origin of the page delivers the message', es(false), xhrMode(false), stream([ACAO(PAGE)]), {
    outcome: 'allowed',
    preflight: false,
    origin: PAGE,
  }),
  make('es-no-acao', 'eventsource: no Access-Control-Allow-Origin is an error before open', es(false), xhrMode(false), stream([]), {
    outcome: 'blocked',
    preflight: false,
    origin: PAGE,
  }),
  make('es-credentials-star', 'eventsource: withCredentials and Access-Control-Allow-Origin * is blocked', es(true), xhrMode(true), stream([ACAO('*')]), {
    outcome: 'blocked',
    preflight: false,
  }),
  make(
    'es-credentials-ok',
    'eventsource: withCredentials with the page origin and Allow-Credentials delivers the message',
    es(true),
    xhrMode(true),
    stream([ACAO(PAGE), ACAC]),
    { outcome: 'allowed', preflight: false, origin: PAGE },
  ),
  // sendBeacon: the page sees only whether it was queued; the wire decides.
  make(
    'beacon-text',
    'beacon: a text/plain body is a no-cors POST that reaches the server without a preflight, CORS headers or not',
    { kind: 'beacon' },
    { mode: 'no-cors', credentials: 'include', method: 'POST', headers: [['Content-Type', 'text/plain']], body: 'cc-beacon', withCookie: true },
    plain([]),
    { outcome: 'allowed', preflight: false, origin: PAGE },
  ),
  // Same site (b.a.test): the signed-in cookie (SameSite=Lax) goes with credentials mode "include".
  between(
    PAGE,
    ORIGINS.sameSite,
    make(
      'beacon-text-same-site',
      'beacon: to a same-site origin, the no-cors POST carries the cookie',
      { kind: 'beacon' },
      { mode: 'no-cors', credentials: 'include', method: 'POST', headers: [['Content-Type', 'text/plain']], body: 'cc-beacon', withCookie: true },
      plain([]),
      { outcome: 'allowed', preflight: false, origin: PAGE, cookieSent: true },
    ),
  ),
  make(
    'beacon-json-allowed',
    'beacon: an application/json body is preflighted; a preflight that allows it lets the POST go',
    { kind: 'beacon' },
    { mode: 'cors', credentials: 'include', method: 'POST', headers: [['Content-Type', 'application/json']], body: '{"cc":1}' },
    {
      preflight: { status: 204, headers: [ACAO(PAGE), ACAC, ['Access-Control-Allow-Headers', 'content-type']] },
      actual: { status: 200, headers: [ACAO(PAGE), ACAC], body: 'ok' },
    },
    { outcome: 'allowed', preflight: true, origin: PAGE, requestHeadersSeen: 'content-type' },
  ),
  make(
    'beacon-json-refused',
    'beacon: an application/json body whose preflight gets no CORS answer never sends the POST',
    { kind: 'beacon' },
    { mode: 'cors', credentials: 'include', method: 'POST', headers: [['Content-Type', 'application/json']], body: '{"cc":1}' },
    { preflight: null, actual: { status: 200, headers: [ACAO(PAGE), ACAC], body: 'ok' } },
    { outcome: 'blocked', preflight: true, requestHeadersSeen: 'content-type' },
  ),
  // Workers.
  make(
    'worker-top-level',
    'worker: a module worker on another origin is refused, whatever its CORS headers',
    { kind: 'worker', form: 'module-worker' },
    { mode: 'same-origin', credentials: 'same-origin' },
    moduleScript([ACAO('*')]),
    { outcome: 'blocked', preflight: false },
  ),
  make(
    'worker-import-star',
    'worker: import() in a same-origin module worker loads a module with Access-Control-Allow-Origin *',
    { kind: 'worker', form: 'worker-import' },
    { mode: 'cors', credentials: 'same-origin' },
    moduleScript([ACAO('*')]),
    { outcome: 'allowed', preflight: false, origin: PAGE },
  ),
  make(
    'worker-import-no-acao',
    'worker: import() in a same-origin module worker rejects a module without Access-Control-Allow-Origin',
    { kind: 'worker', form: 'worker-import' },
    { mode: 'cors', credentials: 'same-origin' },
    moduleScript([]),
    { outcome: 'blocked', preflight: false, origin: PAGE },
  ),
  // WebSocket: no CORS at all; the server sees the Origin and must decide itself.
  make(
    'ws-wrong-acao',
    'websocket: opens although the handshake answer names another origin in Access-Control-Allow-Origin',
    { kind: 'websocket' },
    { mode: 'cors', credentials: 'include' },
    plain([ACAO(ORIGINS.other)]),
    { outcome: 'allowed', preflight: false, origin: PAGE },
  ),
  between(
    ORIGINS.pageHttps,
    ORIGINS.crossSiteHttps,
    make(
      'wss-wrong-acao',
      'websocket: wss: from an https page opens too, whatever Access-Control-Allow-Origin says',
      { kind: 'websocket' },
      { mode: 'cors', credentials: 'include' },
      plain([ACAO(ORIGINS.other)]),
      { outcome: 'allowed', preflight: false, origin: ORIGINS.pageHttps },
    ),
  ),
  make(
    'ws-refused',
    'websocket: a handshake answered 403 fails before open',
    { kind: 'websocket' },
    { mode: 'cors', credentials: 'include' },
    { preflight: null, actual: { status: 403, headers: [ACAO('*')], body: 'no' } },
    { outcome: 'blocked', preflight: false, origin: PAGE },
  ),
];

/** One case per initiator inside a sandboxed iframe: its requests carry `Origin: null`. */
const OPAQUE: StreamCase[] = [
  CASES.find((s) => s.c.id.endsWith('/xhr-acao-star')),
  CASES.find((s) => s.c.id.endsWith('/es-acao')),
  CASES.find((s) => s.c.id.endsWith('/beacon-text')),
  CASES.find((s) => s.c.id.endsWith('/worker-import-star')),
  CASES.find((s) => s.c.id.endsWith('/ws-wrong-acao')),
].map((s) => {
  if (!s) throw new Error('an opaque-frame case names a case that is not in the list');
  const name = `${s.c.id.split('/').pop()}-opaque`;
  const c: CorsCase = {
    ...s.c,
    id: `initiators/streams/${name}`,
    title: `${s.c.title} (sandboxed iframe)`,
    request: { ...s.c.request, page: { origin: PAGE, opaque: 'sandboxed-iframe' }, url: `${TARGET}/streams/${name}` },
  };
  // ACAO of the page origin does not match null: the opaque EventSource case needs *.
  if (name === 'es-acao-opaque') c.response = stream([ACAO('*')]);
  return { c, want: { outcome: 'allowed', origin: 'null' } };
});

test.describe.configure({ mode: 'serial' });

let results: Map<string, EngineResult> | null = null;

test.beforeAll(async ({ engine, harness, runId }) => {
  results = await runCases(
    engine,
    harness,
    [...CASES, ...OPAQUE].map((s) => s.c),
    { runId },
  );
});

for (const { c, want } of CASES) {
  test(c.title, async ({ engine }, testInfo) => {
    const r = results?.get(c.id);
    expect(r, 'the runner returned a result for this case').toBeDefined();
    if (!r) return;
    await testInfo.attach('observed', { body: JSON.stringify({ engine: engine.info, result: r }, null, 2), contentType: 'application/json' });
    expect(r.outcome, `outcome (${r.signal ?? ''}; ${r.reason ?? 'no reason given'})`).toBe(want.outcome);
    if (want.preflight !== undefined) expect(r.preflight, 'a preflight was sent').toBe(want.preflight);
    if (want.origin !== undefined) expect(r.server?.origin, 'the Origin the server saw').toBe(want.origin);
    if (want.requestHeadersSeen !== undefined) expect(r.server?.preflightRequestHeaders).toBe(want.requestHeadersSeen);
    if (want.cookieSent !== undefined) expect(r.server?.cookieSent, 'the server received the cookie').toBe(want.cookieSent);
    const readable = new Set((r.readable ?? []).map(([n]) => n.toLowerCase()));
    for (const name of want.readable ?? []) expect(readable.has(name.toLowerCase()), `${name} is readable`).toBe(true);
    // The browser's own reason, where the engine reports its console. Not for WebSocket
    // handshakes (no CORS), nor workers: a top-level module worker on another origin throws in
    // Chromium and WebKit before any request, and Chromium's worker console is not the page's.
    const kind = c.request.initiator?.kind;
    if (r.outcome === 'blocked' && engine.consoleMessages && kind !== 'websocket' && kind !== 'worker') {
      expect(r.reason ?? '', `the browser's own reason for the block (console: ${JSON.stringify(r.console ?? [])})`).toMatch(BROWSER_BLOCK_LINE);
    }
  });
}

for (const { c, want } of OPAQUE) {
  test(c.title, async ({ engine }, testInfo) => {
    const r = results?.get(c.id);
    expect(r, 'the runner returned a result for this case').toBeDefined();
    if (!r) return;
    await testInfo.attach('observed', { body: JSON.stringify({ engine: engine.info, result: r }, null, 2), contentType: 'application/json' });
    expect(r.outcome, `no harness error (${r.reason ?? ''})`).not.toBe('error');
    expect(r.outcome, `outcome (${r.signal ?? ''}; ${r.reason ?? 'no reason given'})`).toBe(want.outcome);
    // Observed in WebKitGTK 2.50: a beacon sent from the sandboxed frame carries the embedding
    // page's origin, where every other request of that frame carries `null`.
    const webkitBeacon = engine.info.id === 'webkit' && c.request.initiator?.kind === 'beacon';
    expect(r.server?.origin, 'the Origin the server saw').toBe(webkitBeacon ? PAGE : want.origin);
  });
}
