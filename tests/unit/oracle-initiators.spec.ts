// The spec model beyond fetch(): the request each initiator makes, what the page observes of
// it, and the cases no page could make.
import { test, expect } from '@playwright/test';
import type { CaseRequest, CaseResponse, CorsCase, CorsSettings, Header, Initiator, ResponseRecipe } from '../../model/case.ts';
import { INITIATOR_KINDS } from '../../model/case.ts';
import { ANCHOR, OracleCaseError, deriveInitiatorRequest, derivedRequestIsSafelisted, evaluate, initiatorRequestFields } from '../../oracle/index.ts';
import { referenceCases } from '../../cases/catalog.ts';

const PAGE = 'http://a.test';
const ACAO_ANY: Header = ['Access-Control-Allow-Origin', '*'];
const ACAO_PAGE: Header = ['Access-Control-Allow-Origin', PAGE];
const ACAC: Header = ['Access-Control-Allow-Credentials', 'true'];

interface Parts {
  url?: string;
  request?: Partial<CaseRequest>;
  preflight?: ResponseRecipe | null;
}

/** A case for this initiator with the mode and credentials the oracle derives for it. */
function initiatorCase(initiator: Initiator, actual: ResponseRecipe, parts: Parts = {}): CorsCase {
  const headers = parts.request?.headers ?? [];
  const fields = initiatorRequestFields(initiator, { body: parts.request?.body, headers });
  const response: CaseResponse = { preflight: parts.preflight ?? null, actual };
  return {
    id: 'unit',
    group: 'initiators',
    title: 'unit',
    request: { page: { origin: PAGE }, initiator, url: parts.url ?? 'http://b.test/r', headers, ...fields, ...parts.request },
    response,
  };
}

const png = (headers: Header[]): ResponseRecipe => ({ status: 200, headers, asset: 'png' });
const redirectTo = (to: string, next: ResponseRecipe, headers: Header[] = []): ResponseRecipe => ({
  status: 302,
  headers,
  redirect: { to, next: { preflight: null, actual: next } },
});

test.describe('the request each initiator makes', () => {
  const table: Array<[Initiator, string, string, string, string]> = [
    [{ kind: 'img', crossorigin: 'absent' }, 'no-cors', 'include', 'image', ANCHOR.createPotentialCorsRequest],
    [{ kind: 'img', crossorigin: 'anonymous' }, 'cors', 'same-origin', 'image', ANCHOR.createPotentialCorsRequest],
    [{ kind: 'img', crossorigin: 'use-credentials' }, 'cors', 'include', 'image', ANCHOR.createPotentialCorsRequest],
    [{ kind: 'script', crossorigin: 'absent' }, 'no-cors', 'include', 'script', ANCHOR.createPotentialCorsRequest],
    [{ kind: 'stylesheet', crossorigin: 'anonymous' }, 'cors', 'same-origin', 'style', ANCHOR.createPotentialCorsRequest],
    [{ kind: 'media', element: 'video', crossorigin: 'absent' }, 'no-cors', 'include', 'video', ANCHOR.createPotentialCorsRequest],
    [{ kind: 'media', element: 'audio', crossorigin: 'use-credentials' }, 'cors', 'include', 'audio', ANCHOR.createPotentialCorsRequest],
    [{ kind: 'module-script', form: 'element', crossorigin: 'absent' }, 'cors', 'same-origin', 'script', ANCHOR.corsSettingsAttributeCredentialsMode],
    [{ kind: 'module-script', form: 'element', crossorigin: 'anonymous' }, 'cors', 'same-origin', 'script', ANCHOR.corsSettingsAttributeCredentialsMode],
    [{ kind: 'module-script', form: 'element', crossorigin: 'use-credentials' }, 'cors', 'include', 'script', ANCHOR.corsSettingsAttributeCredentialsMode],
    [{ kind: 'module-script', form: 'import', crossorigin: 'absent' }, 'cors', 'same-origin', 'script', ANCHOR.hostLoadImportedModule],
    [{ kind: 'module-script', form: 'import', crossorigin: 'anonymous' }, 'cors', 'same-origin', 'script', ANCHOR.hostLoadImportedModule],
    [{ kind: 'font', form: 'font-face' }, 'cors', 'same-origin', 'font', ANCHOR.fontFetchingRequirements],
    [{ kind: 'font', form: 'font-face-api' }, 'cors', 'same-origin', 'font', ANCHOR.fontFetchingRequirements],
    [{ kind: 'eventsource', withCredentials: false }, 'cors', 'same-origin', '', ANCHOR.eventSourceConstructor],
    [{ kind: 'eventsource', withCredentials: true }, 'cors', 'include', '', ANCHOR.eventSourceConstructor],
    [{ kind: 'xhr', withCredentials: false }, 'cors', 'same-origin', '', ANCHOR.xhrSend],
    [{ kind: 'xhr', withCredentials: true }, 'cors', 'include', '', ANCHOR.xhrSend],
    [{ kind: 'worker', form: 'module-worker' }, 'same-origin', 'same-origin', 'worker', ANCHOR.fetchSingleModuleScript],
    [{ kind: 'worker', form: 'worker-import' }, 'cors', 'same-origin', 'script', ANCHOR.hostLoadImportedModule],
    [{ kind: 'beacon' }, 'no-cors', 'include', '', ANCHOR.sendBeacon],
    [{ kind: 'fetch-keepalive' }, 'cors', 'same-origin', '', ANCHOR.requestKeepalive],
    [{ kind: 'websocket' }, 'websocket', 'include', '', ANCHOR.websocketEstablish],
  ];
  for (const [initiator, mode, credentials, destination, anchor] of table) {
    test(`${JSON.stringify(initiator)} → ${mode}, ${credentials}`, () => {
      const d = deriveInitiatorRequest(initiator);
      expect([d.mode, d.credentials, d.destination]).toEqual([mode, credentials, destination]);
      expect(d.decisions[0]?.anchor).toBe(anchor);
    });
  }

  test('a beacon is no-cors for a CORS-safelisted Content-Type and cors otherwise', () => {
    expect(deriveInitiatorRequest({ kind: 'beacon' }, { body: 'x', headers: [] }).mode).toBe('no-cors');
    expect(deriveInitiatorRequest({ kind: 'beacon' }, { body: 'x', headers: [['Content-Type', 'Text/Plain']] }).mode).toBe('no-cors');
    expect(deriveInitiatorRequest({ kind: 'beacon' }, { body: '{}', headers: [['Content-Type', 'application/json']] }).mode).toBe('cors');
    // A Blob type with a byte outside U+0020..U+007E is empty: no Content-Type at all.
    expect(deriveInitiatorRequest({ kind: 'beacon' }, { body: '{}', headers: [['Content-Type', 'application/jsön']] }).mode).toBe('no-cors');
    expect(deriveInitiatorRequest({ kind: 'beacon' }).keepalive).toBe(true);
  });

  test('only xhr, beacons and fetch() (keepalive or not) can be preflighted; every other request is safelisted', () => {
    // Every initiator form the reference cases make, each kind once at least.
    const forms = [
      ...new Map(
        referenceCases(undefined)
          .map((c) => c.request.initiator ?? { kind: 'fetch' as const })
          .map((i) => [JSON.stringify(i), i]),
      ).values(),
    ];
    expect(new Set(forms.map((i) => i.kind))).toEqual(new Set(INITIATOR_KINDS));
    const canPreflight = INITIATOR_KINDS.filter((kind) =>
      forms.some((i) => i.kind === kind && deriveInitiatorRequest(i, { body: 'data', headers: [] }).canPreflight),
    );
    expect(canPreflight).toEqual(['fetch', 'fetch-keepalive', 'xhr', 'beacon']);
    for (const initiator of forms) {
      const d = deriveInitiatorRequest(initiator);
      if (!d.canPreflight) expect(derivedRequestIsSafelisted(d)).toBe(true);
    }
  });

  test('EventSource adds Accept: text/event-stream, a safelisted header, so it is never preflighted', () => {
    const d = deriveInitiatorRequest({ kind: 'eventsource', withCredentials: false });
    expect(d.userAgentHeaders).toEqual([['Accept', 'text/event-stream']]);
    expect(
      evaluate(initiatorCase({ kind: 'eventsource', withCredentials: false }, { status: 200, headers: [ACAO_ANY], asset: 'event-stream' })).preflight,
    ).toBe(false);
  });

  test('initiatorRequestFields fills the case fields: a WebSocket carries cors in place of mode websocket, a beacon POST', () => {
    expect(initiatorRequestFields({ kind: 'img', crossorigin: 'absent' })).toEqual({ mode: 'no-cors', credentials: 'include', method: 'GET' });
    expect(initiatorRequestFields({ kind: 'websocket' })).toEqual({ mode: 'cors', credentials: 'include', method: 'GET' });
    expect(initiatorRequestFields({ kind: 'beacon' }, { body: '{}', headers: [['Content-Type', 'application/json']] })).toEqual({
      mode: 'cors',
      credentials: 'include',
      method: 'POST',
    });
  });
});

test.describe('<img>: crossorigin × Access-Control-Allow-Origin × Access-Control-Allow-Credentials', () => {
  const acaos: Array<[string, Header[]]> = [
    ['no ACAO', []],
    ['ACAO *', [ACAO_ANY]],
    ['ACAO * + ACAC', [ACAO_ANY, ACAC]],
    ['ACAO origin', [ACAO_PAGE]],
    ['ACAO origin + ACAC', [ACAO_PAGE, ACAC]],
  ];
  // [outcome, contentReadable] per crossorigin state, in the order of `acaos`.
  const expected: Record<CorsSettings, Array<[string, boolean | undefined]>> = {
    absent: [
      ['allowed', false],
      ['allowed', false],
      ['allowed', false],
      ['allowed', false],
      ['allowed', false],
    ],
    anonymous: [
      ['blocked', undefined],
      ['allowed', true],
      ['allowed', true],
      ['allowed', true],
      ['allowed', true],
    ],
    'use-credentials': [
      ['blocked', undefined],
      ['blocked', undefined],
      ['blocked', undefined],
      ['blocked', undefined],
      ['allowed', true],
    ],
  };
  for (const state of ['absent', 'anonymous', 'use-credentials'] as const) {
    acaos.forEach(([label, headers], i) => {
      test(`crossorigin ${state}, ${label}`, () => {
        const e = evaluate(initiatorCase({ kind: 'img', crossorigin: state }, png(headers)));
        expect([e.outcome, e.contentReadable]).toEqual(expected[state][i]);
        expect(e.preflight).toBe(false);
        if (e.outcome === 'blocked') expect(e.steps.at(-1)?.anchor).toBe(ANCHOR.updateTheImageData);
        else expect(e.anchors).toContain(ANCHOR.canvasOriginClean);
      });
    });
  }

  test('a same-origin image is readable without crossorigin', () => {
    const e = evaluate(initiatorCase({ kind: 'img', crossorigin: 'absent' }, png([]), { url: `${PAGE}/r` }));
    expect([e.outcome, e.contentReadable]).toEqual(['allowed', true]);
  });

  test('a same-origin image redirected to another origin taints the canvas', () => {
    const e = evaluate(initiatorCase({ kind: 'img', crossorigin: 'absent' }, redirectTo('http://b.test', png([])), { url: `${PAGE}/r` }));
    expect([e.outcome, e.contentReadable]).toEqual(['allowed', false]);
    expect(e.reason).toContain('after a redirect to another origin');
  });

  test('with crossorigin, a cross-origin redirect makes the origin "null": * passes, the page origin does not', () => {
    const viaB = (headers: Header[]) =>
      initiatorCase({ kind: 'img', crossorigin: 'anonymous' }, redirectTo('http://c.test', png(headers), [ACAO_ANY]), { url: 'http://b.test/r' });
    expect(evaluate(viaB([ACAO_ANY])).contentReadable).toBe(true);
    expect(evaluate(viaB([ACAO_PAGE])).outcome).toBe('blocked');
  });

  test('a body that is not an image is an error event, whatever CORS says', () => {
    const e = evaluate(initiatorCase({ kind: 'img', crossorigin: 'absent' }, { status: 200, headers: [], body: 'ok' }));
    expect(e.outcome).toBe('blocked');
    expect(e.anchors).toContain(ANCHOR.updateTheImageData);
  });
});

test.describe('classic scripts: muted errors', () => {
  const script = (headers: Header[], status = 200): ResponseRecipe => ({ status, headers, asset: 'classic-script' });

  test('a cross-origin script without crossorigin runs with its errors muted', () => {
    const e = evaluate(initiatorCase({ kind: 'script', crossorigin: 'absent' }, script([])));
    expect([e.outcome, e.contentReadable]).toEqual(['allowed', false]);
    expect(e.anchors).toContain(ANCHOR.mutedErrors);
  });

  test('a same-origin script redirected to another origin has its errors muted', () => {
    const e = evaluate(initiatorCase({ kind: 'script', crossorigin: 'absent' }, redirectTo('http://b.test', script([])), { url: `${PAGE}/r` }));
    expect([e.outcome, e.contentReadable]).toEqual(['allowed', false]);
  });

  test('crossorigin with a passing CORS check unmutes; with a failing one the script does not load', () => {
    expect(evaluate(initiatorCase({ kind: 'script', crossorigin: 'anonymous' }, script([ACAO_ANY]))).contentReadable).toBe(true);
    const blocked = evaluate(initiatorCase({ kind: 'script', crossorigin: 'anonymous' }, script([])));
    expect(blocked.outcome).toBe('blocked');
    expect(blocked.steps.at(-1)?.anchor).toBe(ANCHOR.fetchClassicScript);
  });

  test('the status is read from the internal response: an opaque 200 runs, a 404 is an error event', () => {
    expect(evaluate(initiatorCase({ kind: 'script', crossorigin: 'absent' }, script([]))).outcome).toBe('allowed');
    const e = evaluate(initiatorCase({ kind: 'script', crossorigin: 'absent' }, script([], 404)));
    expect(e.outcome).toBe('blocked');
    expect(e.reason).toContain('got 404');
  });
});

test.describe('module scripts, stylesheets, fonts, media', () => {
  const module = (headers: Header[]): ResponseRecipe => ({ status: 200, headers, asset: 'module-script' });

  test('a module script is always a CORS request: no ACAO, no load; when it loads it is readable', () => {
    for (const crossorigin of ['absent', 'anonymous'] as const) {
      expect(evaluate(initiatorCase({ kind: 'module-script', form: 'element', crossorigin }, module([]))).outcome).toBe('blocked');
      const e = evaluate(initiatorCase({ kind: 'module-script', form: 'element', crossorigin }, module([ACAO_ANY])));
      expect([e.outcome, e.contentReadable]).toEqual(['allowed', true]);
    }
    expect(evaluate(initiatorCase({ kind: 'module-script', form: 'element', crossorigin: 'use-credentials' }, module([ACAO_ANY]))).outcome).toBe('blocked');
  });

  test("import() from the page's script: cors with credentials same-origin, and a JavaScript MIME type", () => {
    const imp: Initiator = { kind: 'module-script', form: 'import', crossorigin: 'absent' };
    expect(evaluate(initiatorCase(imp, module([ACAO_ANY]))).outcome).toBe('allowed');
    const text = evaluate(initiatorCase(imp, { status: 200, headers: [ACAO_ANY, ['Content-Type', 'text/plain']], body: 'export {}' }));
    expect(text.outcome).toBe('blocked');
    expect(text.anchors).toContain(ANCHOR.javascriptMimeType);
  });

  test('a stylesheet without crossorigin applies but its cssRules are not readable; it needs text/css', () => {
    const sheet = (headers: Header[]): ResponseRecipe => ({ status: 200, headers, asset: 'stylesheet' });
    const e = evaluate(initiatorCase({ kind: 'stylesheet', crossorigin: 'absent' }, sheet([])));
    expect([e.outcome, e.contentReadable]).toEqual(['allowed', false]);
    expect(e.anchors).toContain(ANCHOR.styleSheetOriginClean);
    expect(evaluate(initiatorCase({ kind: 'stylesheet', crossorigin: 'anonymous' }, sheet([ACAO_ANY]))).contentReadable).toBe(true);
    expect(evaluate(initiatorCase({ kind: 'stylesheet', crossorigin: 'absent' }, sheet([['Content-Type', 'text/plain']]))).outcome).toBe('blocked');
  });

  test('a font is a CORS request with credentials same-origin: * suffices, no ACAO fails', () => {
    const font = (headers: Header[]): ResponseRecipe => ({ status: 200, headers, asset: 'font' });
    expect(evaluate(initiatorCase({ kind: 'font', form: 'font-face' }, font([ACAO_ANY]))).outcome).toBe('allowed');
    const e = evaluate(initiatorCase({ kind: 'font', form: 'font-face-api' }, font([])));
    expect([e.outcome, e.contentReadable]).toEqual(['blocked', undefined]);
  });

  test('media works as img: a video without crossorigin plays and taints; audio has no content test', () => {
    const video = evaluate(initiatorCase({ kind: 'media', element: 'video', crossorigin: 'absent' }, { status: 200, headers: [], asset: 'video' }));
    expect([video.outcome, video.contentReadable]).toEqual(['allowed', false]);
    const audio = evaluate(initiatorCase({ kind: 'media', element: 'audio', crossorigin: 'absent' }, { status: 200, headers: [], asset: 'audio' }));
    expect([audio.outcome, audio.contentReadable]).toEqual(['allowed', undefined]);
  });
});

test.describe('EventSource, workers, XMLHttpRequest', () => {
  const stream = (headers: Header[], status = 200): ResponseRecipe => ({ status, headers, asset: 'event-stream' });

  test('EventSource withCredentials needs the credentialed CORS check; without it * suffices', () => {
    const es = (withCredentials: boolean, headers: Header[]) => evaluate(initiatorCase({ kind: 'eventsource', withCredentials }, stream(headers))).outcome;
    expect(es(false, [ACAO_ANY])).toBe('allowed');
    expect(es(true, [ACAO_ANY, ACAC])).toBe('blocked');
    expect(es(true, [ACAO_PAGE])).toBe('blocked');
    expect(es(true, [ACAO_PAGE, ACAC])).toBe('allowed');
  });

  test('EventSource fails the connection on a status other than 200 or a type other than text/event-stream', () => {
    expect(evaluate(initiatorCase({ kind: 'eventsource', withCredentials: false }, stream([ACAO_ANY], 204))).outcome).toBe('blocked');
    const typed = stream([ACAO_ANY, ['Content-Type', 'text/plain']]);
    expect(evaluate(initiatorCase({ kind: 'eventsource', withCredentials: false }, typed)).outcome).toBe('blocked');
  });

  test('a cross-origin module worker is a network error; a same-origin one loads', () => {
    const worker: Initiator = { kind: 'worker', form: 'module-worker' };
    const cross = evaluate(initiatorCase(worker, { status: 200, headers: [ACAO_ANY], asset: 'module-script' }));
    expect(cross.outcome).toBe('blocked');
    expect(cross.reason).toContain('Mode same-origin');
    expect(cross.steps.at(-1)?.anchor).toBe(ANCHOR.workerConstructor);
    expect(evaluate(initiatorCase(worker, { status: 200, headers: [], asset: 'module-script' }, { url: `${PAGE}/w` })).outcome).toBe('allowed');
  });

  test("a module worker's import() of another origin is a CORS request", () => {
    const imp: Initiator = { kind: 'worker', form: 'worker-import' };
    expect(evaluate(initiatorCase(imp, { status: 200, headers: [ACAO_ANY], asset: 'module-script' })).outcome).toBe('allowed');
    expect(evaluate(initiatorCase(imp, { status: 200, headers: [], asset: 'module-script' })).outcome).toBe('blocked');
  });

  test('XMLHttpRequest: custom headers preflight, readable headers as for fetch(), withCredentials needs ACAC', () => {
    const xhr = (withCredentials: boolean, actual: ResponseRecipe, request: Partial<CaseRequest> = {}, preflight: ResponseRecipe | null = null) =>
      evaluate(initiatorCase({ kind: 'xhr', withCredentials }, actual, { request, preflight }));
    const pre = xhr(
      false,
      { status: 200, headers: [ACAO_ANY, ['X-Out', '1'], ['Access-Control-Expose-Headers', 'X-Out']] },
      { headers: [['X-In', '1']], readHeaders: ['X-Out', 'X-Hidden'] },
      { status: 204, headers: [ACAO_ANY, ['Access-Control-Allow-Headers', 'X-In']] },
    );
    expect([pre.outcome, pre.preflight, pre.readable]).toEqual(['allowed', true, ['X-Out']]);
    expect(xhr(true, { status: 200, headers: [ACAO_ANY] }).outcome).toBe('blocked');
    expect(xhr(true, { status: 200, headers: [ACAO_PAGE, ACAC] }).outcome).toBe('allowed');
  });

  test("XMLHttpRequest's own methods: a forbidden method throws, a forbidden header is ignored, a GET body is dropped", () => {
    const ok: ResponseRecipe = { status: 200, headers: [ACAO_ANY] };
    const trace = evaluate(initiatorCase({ kind: 'xhr', withCredentials: false }, ok, { request: { method: 'TRACE' } }));
    expect([trace.outcome, trace.reason]).toEqual(['blocked', 'open() throws a SecurityError: TRACE is a forbidden method.']);
    const dropped = evaluate(initiatorCase({ kind: 'xhr', withCredentials: false }, ok, { request: { headers: [['Cookie', 'a=b']], body: 'x' } }));
    expect([dropped.outcome, dropped.preflight]).toEqual(['allowed', false]);
    expect(dropped.anchors).toContain(ANCHOR.xhrSetRequestHeader);
    expect(dropped.steps.map((s) => s.decision)).toContain('send() ignores the body of a GET request.');
  });
});

test.describe('beacons, keepalive, WebSocket', () => {
  test('a text/plain beacon is no-cors: sent without a preflight, whatever the response', () => {
    const e = evaluate(initiatorCase({ kind: 'beacon' }, { status: 200, headers: [] }, { request: { body: 'hello' } }));
    expect([e.outcome, e.preflight]).toEqual(['allowed', false]);
  });

  test('an application/json beacon is preflighted: a failed preflight keeps it from being sent, a passing one sends it', () => {
    const json: Partial<CaseRequest> = { body: '{}', headers: [['Content-Type', 'application/json']] };
    const failed = evaluate(initiatorCase({ kind: 'beacon' }, { status: 200, headers: [] }, { request: json }));
    expect([failed.outcome, failed.preflight]).toEqual(['blocked', true]);
    const preflight: ResponseRecipe = { status: 204, headers: [ACAO_PAGE, ACAC, ['Access-Control-Allow-Headers', 'Content-Type']] };
    // The actual response fails the CORS check, but the page never sees it: the POST was sent.
    const sent = evaluate(initiatorCase({ kind: 'beacon' }, { status: 200, headers: [] }, { request: json, preflight }));
    expect([sent.outcome, sent.preflight]).toEqual(['allowed', true]);
  });

  test('a body over the 64 KiB keepalive quota: sendBeacon() sends nothing, fetch keepalive is a network error', () => {
    const big = 'x'.repeat(64 * 1024 + 1);
    const beacon = evaluate(initiatorCase({ kind: 'beacon' }, { status: 200, headers: [] }, { request: { body: big } }));
    expect(beacon.outcome).toBe('blocked');
    const keepalive = evaluate(initiatorCase({ kind: 'fetch-keepalive' }, { status: 200, headers: [ACAO_ANY] }, { request: { method: 'POST', body: big } }));
    expect(keepalive.outcome).toBe('blocked');
    expect(keepalive.anchors).toContain(ANCHOR.httpNetworkOrCacheFetch);
  });

  test('fetch keepalive is fetch(): it can be preflighted and reads headers as fetch() does', () => {
    const e = evaluate(
      initiatorCase(
        { kind: 'fetch-keepalive' },
        { status: 200, headers: [ACAO_ANY] },
        { request: { method: 'PUT' }, preflight: { status: 204, headers: [ACAO_ANY, ['Access-Control-Allow-Methods', 'PUT']] } },
      ),
    );
    expect([e.outcome, e.preflight, e.contentReadable]).toEqual(['allowed', true, undefined]);
  });

  test('a WebSocket opens when the server accepts the upgrade, with no CORS header at all', () => {
    // A recipe status of 200 or 101 is the server accepting the upgrade.
    for (const status of [101, 200]) {
      const open = evaluate(initiatorCase({ kind: 'websocket' }, { status, headers: [['Access-Control-Allow-Origin', 'http://other.test']] }));
      expect([open.outcome, open.preflight]).toEqual(['allowed', false]);
      expect(open.anchors).toEqual([ANCHOR.websocketEstablish]);
    }
    expect(evaluate(initiatorCase({ kind: 'websocket' }, { status: 403, headers: [ACAO_ANY] })).outcome).toBe('blocked');
    const redirected = evaluate(initiatorCase({ kind: 'websocket' }, redirectTo('http://c.test', { status: 101, headers: [] })));
    expect(redirected.outcome).toBe('blocked');
  });
});

test.describe('cases no page could make', () => {
  const img: Initiator = { kind: 'img', crossorigin: 'absent' };
  const errors: Array<[string, () => CorsCase, RegExp]> = [
    ['custom headers on an img', () => initiatorCase(img, png([]), { request: { headers: [['X-A', '1']] } }), /request\.headers has X-A/],
    ['mode cors on an img without crossorigin', () => initiatorCase(img, png([]), { request: { mode: 'cors' } }), /request\.mode is "cors".*"no-cors"/],
    [
      'credentials omit on an anonymous img',
      () => initiatorCase({ kind: 'img', crossorigin: 'anonymous' }, png([]), { request: { credentials: 'omit' } }),
      /request\.credentials is "omit".*"same-origin"/,
    ],
    [
      'POST from a script element',
      () => initiatorCase({ kind: 'script', crossorigin: 'absent' }, png([]), { request: { method: 'POST' } }),
      /request\.method is "POST"/,
    ],
    [
      'a body on an EventSource',
      () => initiatorCase({ kind: 'eventsource', withCredentials: false }, png([]), { request: { body: 'x' } }),
      /request\.body is set/,
    ],
    ['readable headers of an img', () => initiatorCase(img, png([]), { request: { readHeaders: ['X-A'] } }), /request\.readHeaders/],
    [
      'another header on a beacon',
      () => initiatorCase({ kind: 'beacon' }, png([]), { request: { body: 'x', headers: [['X-A', '1']] } }),
      /request\.headers has X-A, but a beacon/,
    ],
    ['redirect mode follow on a WebSocket', () => initiatorCase({ kind: 'websocket' }, png([]), { request: { redirect: 'follow' } }), /request\.redirect/],
    [
      'import() with crossorigin use-credentials',
      () =>
        initiatorCase({ kind: 'module-script', form: 'import', crossorigin: 'absent' }, png([]), {
          request: { initiator: { kind: 'module-script', form: 'import', crossorigin: 'use-credentials' } },
        }),
      /request\.initiator\.crossorigin is "use-credentials"/,
    ],
  ];
  for (const [title, make, message] of errors) {
    test(title, () => {
      let thrown: unknown;
      try {
        evaluate(make());
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(OracleCaseError);
      expect((thrown as Error).message).toMatch(message);
    });
  }
});

test.describe('fetch() cases are untouched', () => {
  test('every reference case evaluates the same with initiator fetch as without one', () => {
    const cases = referenceCases(undefined).filter((c) => c.request.initiator === undefined);
    expect(cases.length).toBeGreaterThan(1000);
    const differing = cases.filter((c) => {
      const withFetch: CorsCase = { ...c, request: { ...c.request, initiator: { kind: 'fetch' } } };
      return JSON.stringify(evaluate(withFetch)) !== JSON.stringify(evaluate(c));
    });
    expect(differing.map((c) => c.id)).toEqual([]);
  });
});
