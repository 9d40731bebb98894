// The reasons a load fails that are not CORS, in the spec model: the Cross-Origin-Resource-Policy
// check of opaque responses (every hop), blocking by MIME type and by nosniff, mixed content and
// bad ports. Each table holds the facts a web-platform-tests file establishes, and names it.
import { test, expect } from '@playwright/test';
import type { Asset, CaseRequest, CaseResponse, CorsCase, Header, Initiator, ResponseRecipe } from '../../model/case.ts';
import { ANCHOR } from '../../oracle/anchors.ts';
import type { Decision } from '../../oracle/decisions.ts';
import { evaluateDecisions } from '../../oracle/evaluate.ts';
import { initiatorRequestFields } from '../../oracle/index.ts';

const PAGE = 'http://a.test';
const PAGE_HTTPS = 'https://a.test';
const SAME_SITE = 'http://b.a.test';
const SAME_SITE_HTTPS = 'https://b.a.test';
const CROSS_SITE = 'http://b.test';
const CROSS_SITE_HTTPS = 'https://b.test';
const ACAO_ANY: Header = ['Access-Control-Allow-Origin', '*'];
const corp = (value: string): Header => ['Cross-Origin-Resource-Policy', value];
const type = (value: string): Header => ['Content-Type', value];
const NOSNIFF: Header = ['X-Content-Type-Options', 'nosniff'];

interface Parts {
  page?: string;
  initiator?: Initiator;
  mode?: CaseRequest['mode'];
  request?: Partial<CaseRequest>;
}

/** A GET from `parts.page` (http://a.test) to `url`, by fetch() in `parts.mode` (no-cors, with
 *  credentials; cors with fetch()'s default same-origin) or by the initiator, with the mode and
 *  credentials the oracle derives for it. */
function load(url: string, actual: ResponseRecipe, parts: Parts = {}): CorsCase {
  const mode = parts.mode ?? 'no-cors';
  const fields = parts.initiator
    ? initiatorRequestFields(parts.initiator)
    : { method: 'GET', mode, credentials: mode === 'cors' ? ('same-origin' as const) : ('include' as const) };
  const response: CaseResponse = { preflight: null, actual };
  return {
    id: 'unit',
    group: 'basics',
    title: 'unit',
    request: {
      page: { origin: parts.page ?? PAGE },
      url: `${url}/r`,
      headers: [],
      ...fields,
      ...(parts.initiator ? { initiator: parts.initiator } : {}),
      ...parts.request,
    },
    response,
  };
}

const ok = (headers: Header[], asset?: Asset): ResponseRecipe => (asset ? { status: 200, headers, asset } : { status: 200, headers, body: 'hello' });
const hopTo = (to: string, next: ResponseRecipe, headers: Header[] = []): ResponseRecipe => ({
  status: 302,
  headers,
  redirect: { to, next: { preflight: null, actual: next } },
});

/** The spec model's outcome, and the kind of the decision that settled it. */
function decided(c: CorsCase): { outcome: string; by: Decision['kind']; reason: Decision } {
  const d = evaluateDecisions(c);
  return { outcome: d.outcome, by: d.reason.kind, reason: d.reason };
}

const IMG: Initiator = { kind: 'img', crossorigin: 'absent' };
const IMG_CORS: Initiator = { kind: 'img', crossorigin: 'anonymous' };
const SCRIPT: Initiator = { kind: 'script', crossorigin: 'absent' };
const SCRIPT_CORS: Initiator = { kind: 'script', crossorigin: 'anonymous' };
const MODULE: Initiator = { kind: 'module-script', form: 'element', crossorigin: 'absent' };
const STYLE: Initiator = { kind: 'stylesheet', crossorigin: 'absent' };
const MODULE_WORKER: Initiator = { kind: 'worker', form: 'module-worker' };

test.describe('Cross-Origin-Resource-Policy on opaque responses', () => {
  // fetch/cross-origin-resource-policy/fetch.any.js and fetch.https.any.js
  const fetches: Array<[title: string, c: CorsCase, outcome: 'allowed' | 'blocked']> = [
    ['same-origin fetch, CORP same-origin', load(PAGE, ok([corp('same-origin')]), { mode: 'cors' }), 'allowed'],
    ['same-origin fetch, CORP same-site', load(PAGE, ok([corp('same-site')]), { mode: 'cors' }), 'allowed'],
    ['cross-origin cors fetch, CORP same-origin', load(CROSS_SITE, ok([ACAO_ANY, corp('same-origin')]), { mode: 'cors' }), 'allowed'],
    ['cross-origin cors fetch, CORP same-site', load(CROSS_SITE, ok([ACAO_ANY, corp('same-site')]), { mode: 'cors' }), 'allowed'],
    ['cross-origin no-cors fetch, CORP same-origin', load(CROSS_SITE, ok([corp('same-origin')])), 'blocked'],
    ['cross-origin no-cors fetch, CORP same-site', load(CROSS_SITE, ok([corp('same-site')])), 'blocked'],
    ['cross-origin no-cors fetch to a same-site URL, CORP same-origin', load(SAME_SITE, ok([corp('same-origin')])), 'blocked'],
    ['valid cross-origin no-cors fetch, CORP same-site', load(SAME_SITE, ok([corp('same-site')])), 'allowed'],
    ['same-origin URL redirected to a cross-site one with CORP same-origin', load(PAGE, hopTo(CROSS_SITE, ok([corp('same-origin')]))), 'blocked'],
    ['cross-site URL redirected back to the page origin with CORP same-origin', load(CROSS_SITE, hopTo(PAGE, ok([corp('same-origin')]))), 'allowed'],
    ['cross-site redirect response with CORP same-origin', load(CROSS_SITE, hopTo(PAGE, ok([]), [corp('same-origin')])), 'blocked'],
    ['https page, cross-site no-cors fetch, CORP same-site', load(CROSS_SITE_HTTPS, ok([corp('same-site')]), { page: PAGE_HTTPS }), 'blocked'],
    ['https page, same-site no-cors fetch, CORP same-site', load(SAME_SITE_HTTPS, ok([corp('same-site')]), { page: PAGE_HTTPS }), 'allowed'],
  ];
  for (const [title, c, outcome] of fetches) {
    test(`${title} → ${outcome}`, () => {
      const d = decided(c);
      expect(d.outcome).toBe(outcome);
      if (outcome === 'blocked') expect(d.reason).toMatchObject({ kind: 'corp', result: 'blocked', anchor: ANCHOR.crossOriginResourcePolicyCheck });
    });
  }

  test('the redirect response is checked itself, and the hop it came from is named', () => {
    const d = decided(load(CROSS_SITE, hopTo(PAGE, ok([]), [corp('same-origin')])));
    expect(d.reason).toMatchObject({ kind: 'corp', facts: { status: 302, hop: { origin: CROSS_SITE, index: 0 }, policy: 'same-origin' } });
  });

  // fetch/cross-origin-resource-policy/scheme-restriction.any.js
  test('CORP same-site blocks an https response from an http page on the same site', () => {
    const d = decided(load(SAME_SITE_HTTPS, ok([corp('same-site')])));
    expect(d.outcome).toBe('blocked');
    expect(d.by).toBe('corp');
  });

  // fetch/cross-origin-resource-policy/syntax.any.js: a value that is not exactly one of the
  // three applies no policy, so the cross-origin no-cors fetch succeeds.
  for (const value of ['same', 'same, same-origin', 'SAME-ORIGIN', 'Same-Origin', 'same-origin, <>', 'same-origin, same-origin', 'https://www.example.com']) {
    test(`Cross-Origin-Resource-Policy: ${value} applies no policy`, () => {
      expect(decided(load(CROSS_SITE, ok([corp(value)]))).outcome).toBe('allowed');
    });
  }

  test('two same-origin lines combine into a value that matches nothing', () => {
    expect(decided(load(CROSS_SITE, ok([corp('same-origin'), corp('same-origin')]))).outcome).toBe('allowed');
  });

  // fetch/cross-origin-resource-policy/image-loads.html and script-loads.html
  const elements: Array<[title: string, c: CorsCase, outcome: 'allowed' | 'blocked']> = [
    ['same-origin image, CORP same-origin', load(PAGE, ok([corp('same-origin')], 'png'), { initiator: IMG }), 'allowed'],
    ['same-origin image, CORP same-site', load(PAGE, ok([corp('same-site')], 'png'), { initiator: IMG }), 'allowed'],
    ['cross-origin cors image, CORP same-origin', load(CROSS_SITE, ok([ACAO_ANY, corp('same-origin')], 'png'), { initiator: IMG_CORS }), 'allowed'],
    ['cross-origin cors image, CORP same-site', load(CROSS_SITE, ok([ACAO_ANY, corp('same-site')], 'png'), { initiator: IMG_CORS }), 'allowed'],
    ['cross-origin no-cors image, CORP same-origin', load(CROSS_SITE, ok([ACAO_ANY, corp('same-origin')], 'png'), { initiator: IMG }), 'blocked'],
    ['cross-origin no-cors image, CORP same-site', load(CROSS_SITE, ok([ACAO_ANY, corp('same-site')], 'png'), { initiator: IMG }), 'blocked'],
    ['same-origin script, CORP same-origin', load(PAGE, ok([corp('same-origin')], 'classic-script'), { initiator: SCRIPT }), 'allowed'],
    ['same-origin script, CORP same-site', load(PAGE, ok([corp('same-site')], 'classic-script'), { initiator: SCRIPT }), 'allowed'],
    [
      'cross-origin cors script, CORP same-origin',
      load(CROSS_SITE, ok([ACAO_ANY, corp('same-origin')], 'classic-script'), { initiator: SCRIPT_CORS }),
      'allowed',
    ],
    ['cross-origin cors script, CORP same-site', load(CROSS_SITE, ok([ACAO_ANY, corp('same-site')], 'classic-script'), { initiator: SCRIPT_CORS }), 'allowed'],
    [
      'cross-origin no-cors script, CORP same-origin',
      load(CROSS_SITE, ok([ACAO_ANY, corp('same-origin')], 'classic-script'), { initiator: SCRIPT }),
      'blocked',
    ],
    ['cross-origin no-cors script, CORP same-site', load(CROSS_SITE, ok([ACAO_ANY, corp('same-site')], 'classic-script'), { initiator: SCRIPT }), 'blocked'],
  ];
  for (const [title, c, outcome] of elements) {
    test(`${title} → ${outcome}`, () => {
      const d = evaluateDecisions(c);
      expect(d.outcome).toBe(outcome);
      if (outcome === 'blocked') expect(d.decisions.some((s) => s.kind === 'corp' && s.result === 'blocked')).toBe(true);
    });
  }

  test('an opaque-origin document is never same origin or same site with a response', () => {
    const sandboxed = load(CROSS_SITE, ok([corp('same-site')]), { request: { page: { origin: PAGE, opaque: 'sandboxed-iframe' } } });
    expect(decided(sandboxed)).toMatchObject({ outcome: 'blocked', by: 'corp' });
    const crossOrigin = load(CROSS_SITE, ok([corp('cross-origin')]), { request: { page: { origin: PAGE, opaque: 'sandboxed-iframe' } } });
    expect(decided(crossOrigin).outcome).toBe('allowed');
  });
});

test.describe('blocking by MIME type', () => {
  // fetch/api/basic/block-mime-as-script.html: every one of these fails as a classic script, a
  // module script and a worker, with a body and without one.
  const blocked = [
    'text/csv',
    'audio/aiff',
    'audio/midi',
    'audio/whatever',
    'video/avi',
    'video/fli',
    'video/whatever',
    'image/jpeg',
    'image/gif',
    'image/whatever',
  ];
  const forms: Array<[label: string, initiator: Initiator, asset: Asset]> = [
    ['script', SCRIPT, 'classic-script'],
    ['module script', MODULE, 'module-script'],
    ['module worker', MODULE_WORKER, 'module-script'],
  ];
  for (const mime of blocked) {
    for (const [label, initiator, asset] of forms) {
      test(`a ${label} served as ${mime} is blocked by its MIME type`, () => {
        const same = load(PAGE, ok([type(mime)], asset), { initiator });
        expect(decided(same).reason).toMatchObject({ kind: 'mime-blocking', result: 'mime-type', anchor: ANCHOR.blockedDueToMimeType });
      });
    }
    test(`an empty classic script served as ${mime} is blocked by its MIME type`, () => {
      expect(decided(load(PAGE, { status: 200, headers: [type(mime)], body: '' }, { initiator: SCRIPT }))).toMatchObject({
        outcome: 'blocked',
        by: 'mime-blocking',
      });
    });
  }
  for (const mime of ['text/html', 'text/plain']) {
    test(`a classic script served as ${mime} loads`, () => {
      expect(decided(load(PAGE, ok([type(mime)], 'classic-script'), { initiator: SCRIPT })).outcome).toBe('allowed');
    });
  }

  test('blocking by MIME type applies to opaque responses, and not to images or fetch()', () => {
    expect(decided(load(CROSS_SITE, ok([type('image/png')], 'classic-script'), { initiator: SCRIPT })).by).toBe('mime-blocking');
    expect(decided(load(CROSS_SITE, ok([type('text/csv')], 'png'), { initiator: IMG })).outcome).toBe('allowed');
    expect(decided(load(CROSS_SITE, ok([type('text/csv')]))).outcome).toBe('allowed');
  });
});

test.describe('blocking by nosniff', () => {
  // fetch/nosniff/script.html: js.py answers with nosniff and the query's type.
  const scripts: Array<[contentType: Header[], outcome: 'allowed' | 'blocked']> = [
    [[], 'blocked'],
    [[type('')], 'blocked'],
    [[type('x')], 'blocked'],
    [[type('x/x')], 'blocked'],
    [[type('text/javascript')], 'allowed'],
    [[type('text/ecmascript')], 'allowed'],
    [[type('text/ecmascript;blah')], 'allowed'],
  ];
  for (const [contentType, outcome] of scripts) {
    test(`a nosniff script with ${contentType.length ? `Content-Type "${contentType[0]?.[1]}"` : 'no Content-Type'} → ${outcome}`, () => {
      const c = load(PAGE, { status: 200, headers: [NOSNIFF, ...contentType], body: 'void 0;' }, { initiator: SCRIPT });
      const d = decided(c);
      expect(d.outcome).toBe(outcome);
      if (outcome === 'blocked') expect(d.reason).toMatchObject({ kind: 'mime-blocking', result: 'nosniff', anchor: ANCHOR.blockedDueToNosniff });
    });
  }

  // fetch/nosniff/stylesheet.html: css.py answers with nosniff and the query's type.
  const sheets: Array<[contentType: string | null, outcome: 'allowed' | 'blocked']> = [
    [null, 'blocked'],
    ['', 'blocked'],
    ['x', 'blocked'],
    ['x/x', 'blocked'],
    ['text/css', 'allowed'],
    ['text/css;blah', 'allowed'],
  ];
  for (const [contentType, outcome] of sheets) {
    test(`a nosniff style sheet with ${contentType === null ? 'no Content-Type' : `Content-Type "${contentType}"`} → ${outcome}`, () => {
      const headers: Header[] = contentType === null ? [NOSNIFF] : [NOSNIFF, type(contentType)];
      const d = decided(load(PAGE, { status: 200, headers, body: '.x {}' }, { initiator: STYLE }));
      expect(d.outcome).toBe(outcome);
      if (outcome === 'blocked') expect(d.by).toBe('mime-blocking');
    });
  }

  test('nosniff does not apply to images (the standard leaves them out)', () => {
    expect(decided(load(CROSS_SITE, ok([NOSNIFF, type('text/plain')], 'png'), { initiator: IMG })).outcome).toBe('allowed');
  });

  // fetch/nosniff/resources/x-content-type-options.json, as parsing-nosniff.window.js loads it
  // as a script: nosniff is only the first value, got, decoded and split. (Its form-feed entry
  // is about how the network parses a header line, which the model receives already parsed.)
  const parsing: Array<[lines: string[], nosniff: boolean]> = [
    [['NOSNIFF'], true],
    [['nosniff,,@#$#%%&^&^*()()11!'], true],
    [['@#$#%%&^&^*()()11!,nosniff'], false],
    [['nosniff', 'no'], true],
    [['no', 'nosniff'], false],
    [['', 'nosniff'], false],
    [[',nosniff'], false],
    [['nosniff\u000B'], false],
    [['nosniff\u000B,nosniff'], false],
    [["'NosniFF'"], false],
    [['"nosniFF"'], false],
  ];
  for (const [lines, nosniff] of parsing) {
    test(`X-Content-Type-Options ${JSON.stringify(lines)} → nosniff ${nosniff}`, () => {
      const headers: Header[] = lines.map((v) => ['X-Content-Type-Options', v]);
      const c = load(PAGE, { status: 200, headers: [...headers, type('text/plain')], body: 'void 0;' }, { initiator: SCRIPT });
      expect(decided(c).outcome).toBe(nosniff ? 'blocked' : 'allowed');
    });
  }
});

test.describe('bad ports', () => {
  // fetch/api/request/request-bad-port.any.js: through a proxy that answers every port, a no-cors
  // fetch to each bad port rejects with a TypeError, and one to a port that is not bad succeeds.
  const WPT_BAD_PORTS = [
    0, 1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104, 109, 110, 111, 113, 115, 117, 119, 123, 135,
    137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993, 995, 1719, 1720,
    1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
  ];
  for (const port of WPT_BAD_PORTS) {
    test(`a no-cors fetch to port ${port} is a network error before anything is sent`, () => {
      const d = decided(load(`http://b.test:${port}`, ok([])));
      expect(d.reason).toMatchObject({ kind: 'bad-port', result: 'blocked', facts: { port }, anchor: ANCHOR.blockBadPort });
    });
  }
  test('a no-cors fetch to port 30303 is opaque', () => {
    const d = evaluateDecisions(load('http://b.test:30303', ok([])));
    expect(d.outcome).toBe('allowed');
    expect(d.reason).toMatchObject({ kind: 'filtered-response', result: 'opaque' });
  });
  test('a redirect to a bad port is blocked at that hop', () => {
    const d = decided(load(CROSS_SITE, hopTo('http://b.test:6667', ok([]))));
    expect(d.reason).toMatchObject({ kind: 'bad-port', facts: { port: 6667, hop: { index: 1 } } });
  });
  test('a WebSocket to a bad port fails before its handshake', () => {
    const c = load(CROSS_SITE.replace('b.test', 'b.test:6667'), { status: 101, headers: [] }, { initiator: { kind: 'websocket' } });
    expect(decided(c)).toMatchObject({ outcome: 'blocked', by: 'bad-port' });
  });
});

test.describe('mixed content', () => {
  // mixed-content/{img,audio,video}-tag/no-opt-in/…/optionally-blockable/no-opt-in-allows.https.html
  // and mixed-content/audio-upgrade.https.sub.html: from an https page an http image, audio or
  // video request is upgraded to https; mixed-content/{script,link-css,fetch-request,
  // xhr-request,beacon-request}-tag/no-opt-in/…/blockable/no-opt-in-blocks.https.html: every
  // other http request is blocked, a redirect from https to http too (swap-scheme-redirect).
  const upgraded: Array<[label: string, initiator: Initiator, asset: Asset, destination: string]> = [
    ['<img>', IMG, 'png', 'image'],
    ['<img crossorigin>', IMG_CORS, 'png', 'image'],
    ['<video>', { kind: 'media', element: 'video', crossorigin: 'absent' }, 'video', 'video'],
    ['<audio>', { kind: 'media', element: 'audio', crossorigin: 'absent' }, 'audio', 'audio'],
  ];
  for (const [label, initiator, asset, destination] of upgraded) {
    test(`an http ${label} from an https page is upgraded to https and loads`, () => {
      const d = evaluateDecisions(load(CROSS_SITE, ok([ACAO_ANY], asset), { page: PAGE_HTTPS, initiator }));
      expect(d.outcome).toBe('allowed');
      expect(d.decisions[1]).toMatchObject({
        kind: 'mixed-content',
        result: 'upgraded',
        facts: { from: CROSS_SITE, to: CROSS_SITE_HTTPS, destination },
        anchor: ANCHOR.mixedContentUpgrade,
      });
    });
  }
  test('an upgraded image of the page host is same origin after the upgrade', () => {
    const d = evaluateDecisions(load(PAGE, ok([], 'png'), { page: PAGE_HTTPS, initiator: IMG }));
    expect(d).toMatchObject({ outcome: 'allowed', contentReadable: true });
  });
  const blockable: Array<[label: string, parts: Parts, asset?: Asset]> = [
    ['<script>', { initiator: SCRIPT }, 'classic-script'],
    ['<script type=module>', { initiator: MODULE }, 'module-script'],
    ['<link rel=stylesheet>', { initiator: STYLE }, 'stylesheet'],
    ['fetch() in mode cors', { mode: 'cors' }],
    ['fetch() in mode no-cors', {}],
    ['an XMLHttpRequest', { initiator: { kind: 'xhr', withCredentials: false } }],
    ['an EventSource', { initiator: { kind: 'eventsource', withCredentials: false } }, 'event-stream'],
    ['a font', { initiator: { kind: 'font', form: 'font-face-api' } }, 'font'],
  ];
  for (const [label, parts, asset] of blockable) {
    for (const target of [CROSS_SITE, PAGE]) {
      test(`${label} to ${target} from an https page is blocked before anything is sent`, () => {
        const d = evaluateDecisions(load(target, ok([ACAO_ANY], asset), { page: PAGE_HTTPS, ...parts }));
        expect(d.outcome).toBe('blocked');
        expect(d.reason).toMatchObject({ kind: 'mixed-content', result: 'blocked', anchor: ANCHOR.mixedContentShouldBlockFetch });
      });
    }
  }
  test('a beacon to http from an https page is not sent', () => {
    const c = load(CROSS_SITE, ok([]), { page: PAGE_HTTPS, initiator: { kind: 'beacon' }, request: { method: 'POST', body: 'x' } });
    expect(evaluateDecisions(c)).toMatchObject({ outcome: 'blocked', reason: { kind: 'mixed-content' } });
  });
  test('an https script redirected to http is blocked at that hop; an image is upgraded there', () => {
    const script = decided(load(CROSS_SITE_HTTPS, hopTo(CROSS_SITE, ok([], 'classic-script')), { page: PAGE_HTTPS, initiator: SCRIPT }));
    expect(script.reason).toMatchObject({ kind: 'mixed-content', result: 'blocked', facts: { hop: { index: 1 } } });
    const img = evaluateDecisions(load(CROSS_SITE_HTTPS, hopTo(CROSS_SITE, ok([], 'png')), { page: PAGE_HTTPS, initiator: IMG }));
    expect(img.outcome).toBe('allowed');
    expect(img.decisions.some((s) => s.kind === 'mixed-content' && s.result === 'upgraded')).toBe(true);
  });
  test('a sandboxed frame in an https page prohibits mixed content too; an http page does not', () => {
    const framed = load(CROSS_SITE, ok([]), { page: PAGE_HTTPS, request: { page: { origin: PAGE_HTTPS, opaque: 'sandboxed-iframe' } } });
    expect(decided(framed).by).toBe('mixed-content');
    expect(decided(load(CROSS_SITE, ok([]))).outcome).toBe('allowed');
  });
  test('http://localhost and http://127.0.0.1 are potentially trustworthy, so not mixed content', () => {
    expect(decided(load('http://127.0.0.1:8080', ok([]), { page: PAGE_HTTPS })).outcome).toBe('allowed');
    expect(decided(load('http://localhost:8080', ok([]), { page: PAGE_HTTPS })).outcome).toBe('allowed');
  });
});
