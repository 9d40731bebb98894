// Facts web-platform-tests establishes, held against the spec model for the rules that closed the
// model's gaps: the user agent's own Accept in the 1,024-byte safelisted total, fetch() of a URL
// with credentials, data: URLs, XMLHttpRequest's send() charset rewrite, the method-override
// headers split quote-aware, exact range numbers, a response's MIME type extracted quote-aware,
// and the Origin header each request carries. Each test names the WPT file it comes from; where a
// fact goes past what WPT checks, the test says it follows from the standard's own steps.
import { test, expect } from '@playwright/test';
import type { CaseRequest, CaseResponse, CorsCase, Header, Initiator, ResponseRecipe } from '../../model/case.ts';
import { corsPreflightRequest, evaluate, isCorsSafelistedRequestHeader, isForbiddenRequestHeader } from '../../oracle/index.ts';
import { responseMimeEssence, xhrRequest } from '../../oracle/initiators.ts';

const PAGE = 'http://a.test';
const ACAO_ANY: Header = ['Access-Control-Allow-Origin', '*'];

interface Parts {
  request?: Partial<CaseRequest>;
  preflight?: ResponseRecipe | null;
  actual?: ResponseRecipe;
}

function makeCase(parts: Parts = {}): CorsCase {
  const response: CaseResponse = { preflight: parts.preflight ?? null, actual: parts.actual ?? { status: 200, headers: [ACAO_ANY] } };
  return {
    id: 'unit',
    group: 'basics',
    title: 'unit',
    request: { page: { origin: PAGE }, url: 'http://b.test/r', method: 'GET', headers: [], credentials: 'omit', mode: 'cors', ...parts.request },
    response,
  };
}

const pageRequest = (headers: Header[], url = 'http://b.test/r') => ({ page: { origin: PAGE }, url, method: 'GET', headers, mode: 'cors' as const });

test.describe("the user agent's Accept counts toward the 1,024-byte total", () => {
  // fetch/api/basic/accept-header.any.js: a fetch() without an Accept of its own sends `Accept: */*`.
  const eight = Array.from({ length: 8 }, (): Header => ['Accept-Language', 'a'.repeat(128)]);

  test('eight 128-byte Accept-Language lines and the Accept: */* fetch appends need a preflight for accept and accept-language', () => {
    expect(corsPreflightRequest(pageRequest(eight))).toEqual({ method: 'GET', headers: 'accept,accept-language' });
    const spec = evaluate(makeCase({ request: { headers: eight } }));
    expect(spec.preflight).toBe(true);
    expect(spec.outcome).toBe('blocked');
    expect(spec.steps.some((s) => s.anchor === 'https://fetch.spec.whatwg.org/#concept-fetch')).toBe(true);
  });

  test('over the limit, Access-Control-Request-Headers names accept too', () => {
    const nine = Array.from({ length: 9 }, (): Header => ['Accept-Language', 'a'.repeat(114)]);
    expect(corsPreflightRequest(pageRequest(nine))).toEqual({ method: 'GET', headers: 'accept,accept-language' });
  });

  test("a page's own Accept replaces the user agent's; 1021 + 3 bytes stay within the limit", () => {
    expect(corsPreflightRequest(pageRequest(eight))).toEqual({ method: 'GET', headers: 'accept,accept-language' });
    const own: Header[] = [...Array.from({ length: 7 }, (): Header => ['Accept-Language', 'a'.repeat(128)]), ['Accept-Language', 'a'.repeat(125)]];
    expect(corsPreflightRequest(pageRequest(own))).toBeNull();
    expect(corsPreflightRequest(pageRequest([...own, ['Accept', 'text/html']]))).toEqual({ method: 'GET', headers: 'accept,accept-language' });
  });
});

test.describe('fetch() of a URL with credentials', () => {
  // fetch/api/request/request-error.js: "Input URL has credentials" (http://user:pass@test.url) is a TypeError.
  for (const url of ['http://user:pass@b.test/r', 'http://user@b.test/r', 'http://:pass@b.test/r']) {
    test(`${url}: new Request() throws, so nothing is sent`, () => {
      const spec = evaluate(makeCase({ request: { url } }));
      expect(spec.outcome).toBe('blocked');
      expect(spec.steps.at(-1)?.anchor).toBe('https://fetch.spec.whatwg.org/#dom-request');
      expect(spec.reason).toContain('TypeError');
      expect(corsPreflightRequest({ ...pageRequest([['X-Custom', '1']], url) })).toBeNull();
    });
  }

  test('XMLHttpRequest takes the same URL (open() uses its userinfo as credentials); fetch() does not', () => {
    expect(evaluate(makeCase({ request: { url: 'http://user:pass@b.test/r' } })).outcome).toBe('blocked');
    const spec = evaluate(
      makeCase({ request: { url: 'http://user:pass@b.test/r', initiator: { kind: 'xhr', withCredentials: false }, credentials: 'same-origin' } }),
    );
    expect(spec.outcome).toBe('allowed');
  });
});

test.describe('data: URLs get basic tainting before the mode checks', () => {
  // fetch/api/basic/scheme-data.any.js: data:,response%27s%20body is "OK" in the default mode and
  // in same-origin and cors modes, with response type basic and Content-Type
  // text/plain;charset=US-ASCII; data:text/plain;base64,… has Content-Type text/plain.
  const data = 'data:,response%27s%20body';
  for (const mode of ['cors', 'same-origin', 'no-cors'] as const) {
    test(`mode ${mode}: a basic response, readable`, () => {
      const spec = evaluate(makeCase({ request: { url: data, mode, readHeaders: ['Content-Type'] } }));
      expect(spec.outcome).toBe('allowed');
      expect(spec.preflight).toBe(false);
      expect(spec.readable).toEqual(['Content-Type']);
      expect(spec.steps.some((s) => s.decision.includes('text/plain;charset=US-ASCII'))).toBe(true);
    });
  }

  test('POST and HEAD are OK too, with no preflight for a custom header, and nothing on the wire', () => {
    for (const method of ['POST', 'HEAD']) {
      const spec = evaluate(makeCase({ request: { url: data, method, headers: [['X-Custom', '1']] } }));
      expect(spec.outcome, method).toBe('allowed');
      expect(spec.preflight, method).toBe(false);
      expect(spec.origin, method).toBeUndefined();
    }
  });

  test('a base64 data: URL has its own MIME type; from an opaque-origin frame it is still basic', () => {
    const spec = evaluate(makeCase({ request: { url: 'data:text/plain;base64,cmVzcG9uc2UncyBib2R5', page: { origin: PAGE, opaque: 'sandboxed-iframe' } } }));
    expect(spec.outcome).toBe('allowed');
    expect(spec.steps.some((s) => s.decision.includes('Content-Type text/plain.'))).toBe(true);
  });

  test('an <img> of a data: URL is CORS-same-origin: the canvas stays origin-clean', () => {
    const img: Initiator = { kind: 'img', crossorigin: 'absent' };
    const spec = evaluate(
      makeCase({
        request: { url: 'data:image/png;base64,iVBORw0KGgo=', initiator: img, mode: 'no-cors', credentials: 'include' },
        actual: { status: 200, headers: [], asset: 'png' },
      }),
    );
    expect(spec.outcome).toBe('allowed');
    expect(spec.contentReadable).toBe(true);
  });
});

test.describe("XMLHttpRequest's send() rewrites the charset before the CORS protocol sees it", () => {
  // xhr/send-content-type-charset.htm: the Content-Type the server receives for send("TEST").
  const table: Array<[input: string, sent: string]> = [
    ['text; charset=ascii', 'text; charset=ascii'],
    ['charset=ascii', 'charset=ascii'],
    ['text/plain;charset=utf-8', 'text/plain;charset=utf-8'],
    ['text/x-pink-unicorn', 'text/x-pink-unicorn'],
    ['text/plain;  hi=bye', 'text/plain;  hi=bye'],
    ['text/x-thepiano;charset= waddup', 'text/x-thepiano;charset=UTF-8'],
    ['text/plain;charset=utf-8;charset=waddup', 'text/plain;charset=utf-8;charset=waddup'],
    ['text/plain;charset=shift-jis', 'text/plain;charset=UTF-8'],
    ['text/x-pink-unicorn; charset=windows-1252; charset=bogus; notrelated; charset=ascii', 'text/x-pink-unicorn;charset=UTF-8'],
    ['text/plain;charset= utf-8', 'text/plain;charset=UTF-8'],
    ['text/plain;charset="utf-8"', 'text/plain;charset="utf-8"'],
    ['text/plain;charset=" utf-8"', 'text/plain;charset=UTF-8'],
    ['text/plain;charset="u\\t\\f-8"', 'text/plain;charset="u\\t\\f-8"'],
    ['YO/yo;charset=x;yo=YO; X=y', 'yo/yo;charset=UTF-8;yo=YO;x=y'],
  ];
  test('the Content-Type each value is sent with', () => {
    for (const [input, sent] of table) {
      const built = xhrRequest('POST', [['Content-Type', input]], 'TEST');
      expect(built.ok && built.headers, input).toEqual([['Content-Type', sent]]);
    }
  });

  test('the rewritten value is what the safelist judges: quotes that made it CORS-unsafe are gone', () => {
    // Follows from the standard's steps: `"` is a CORS-unsafe request-header byte, and the
    // serialized MIME type does not quote a token value.
    const input = 'text/plain; charset=latin1; x="y"';
    expect(isCorsSafelistedRequestHeader('Content-Type', input)).toBe(false);
    const xhr: Initiator = { kind: 'xhr', withCredentials: false };
    const spec = evaluate(
      makeCase({ request: { method: 'POST', body: 'TEST', headers: [['Content-Type', input]], initiator: xhr, credentials: 'same-origin' } }),
    );
    expect(spec.preflight).toBe(false);
    expect(spec.outcome).toBe('allowed');
  });
});

test.describe('X-HTTP-Method-Override and its siblings are got, decoded and split', () => {
  // fetch/api/basic/request-forbidden-headers.any.js: each name, in either case, is forbidden with
  // TRACE, TRACK, CONNECT (any case), "trace,", "GET,track " and " connect", and allowed with
  // GETTRACE, GET and `",TRACE",`.
  const names = ['x-http-method-override', 'x-http-method', 'x-method-override', 'X-HTTP-METHOD-OVERRIDE', 'X-HTTP-METHOD', 'X-METHOD-OVERRIDE'];
  const forbidden = ['TRACE', 'TRACK', 'CONNECT', 'trace', 'track', 'connect', 'trace,', 'GET,track ', ' connect'];
  const allowed = ['GETTRACE', 'GET', '",TRACE",'];

  test('the WPT values, and a forbidden method inside a quoted string, which is not a value of its own', () => {
    for (const name of names) {
      for (const value of forbidden) expect(isForbiddenRequestHeader(name, value.trim()), `${name}: ${value}`).toBe(true);
      for (const value of allowed) expect(isForbiddenRequestHeader(name, value), `${name}: ${value}`).toBe(false);
      // Past what WPT checks, from the standard's get-decode-split: `"GET,TRACE,GET"` is one value.
      expect(isForbiddenRequestHeader(name, '"GET,TRACE,GET"'), name).toBe(false);
      expect(isForbiddenRequestHeader(name, '"GET",TRACE'), name).toBe(true);
    }
  });
});

test.describe('range numbers are compared exactly', () => {
  // fetch/range/general.any.js checks the Range safelist on small numbers; past 2^53 (where
  // Number() rounds both ends to one value) the fact follows from the standard's "start > end".
  test('a reversed range past 2^53 is not a single range, so it is not safelisted', () => {
    expect(isCorsSafelistedRequestHeader('Range', 'bytes=9007199254740993-9007199254740992')).toBe(false);
    expect(isCorsSafelistedRequestHeader('Range', 'bytes=9007199254740992-9007199254740993')).toBe(true);
    expect(isCorsSafelistedRequestHeader('Range', 'bytes=10-0')).toBe(false);
  });
});

test.describe("a response's MIME type is extracted quote-aware", () => {
  // fetch/content-type/resources/content-types.json (fetch/content-type/response.window.js): the
  // Content-Type lines a response carries, and the MIME type the page sees.
  const table: Array<[lines: string[], essence: string]> = [
    [['', 'text/plain'], 'text/plain'],
    [['text/plain', ''], 'text/plain'],
    [['text/html', 'text/plain'], 'text/plain'],
    [['text/plain;charset=gbk', 'text/html'], 'text/html'],
    [['text/html;charset=gbk', 'text/html;x=",text/plain'], 'text/html'],
    [['text/plain', '*/*'], 'text/plain'],
    [['*/*', 'text/html'], 'text/html'],
    [['text/html;x="', 'text/plain'], 'text/html'],
    [['text/html;"', 'text/plain'], 'text/html'],
  ];
  test('the essence of each list of lines', () => {
    for (const [lines, essence] of table) {
      expect(responseMimeEssence({ headers: lines.map((v): Header => ['Content-Type', v]), asset: null }), JSON.stringify(lines)).toBe(essence);
    }
  });

  test('so a module script served as text/javascript;x=", text/plain loads', () => {
    const script: Initiator = { kind: 'module-script', form: 'element', crossorigin: 'anonymous' };
    const spec = evaluate(
      makeCase({
        request: { initiator: script, credentials: 'same-origin' },
        actual: { status: 200, headers: [ACAO_ANY, ['Content-Type', 'text/javascript;x="'], ['Content-Type', 'text/plain']], asset: 'module-script' },
      }),
    );
    expect(spec.outcome).toBe('allowed');
  });
});

test.describe('the Origin header each request carries', () => {
  // fetch/origin/assorted.window.js: a no-cors POST redirected from another origin back to the
  // page's own carries the page's origin on the first hop and "null" on the second (redirect-
  // tainted), and a POST in mode cors carries the page's origin, same-origin or not.
  test('a no-cors POST through a cross-origin 308 back to the page: null on the last hop', () => {
    const back: ResponseRecipe = { status: 308, headers: [], redirect: { to: PAGE, next: { preflight: null, actual: { status: 200, headers: [] } } } };
    const spec = evaluate(makeCase({ request: { mode: 'no-cors', method: 'POST', body: 'x' }, actual: back }));
    expect(spec.outcome).toBe('allowed');
    expect(spec.origin).toBe('null');
  });

  test('a POST in mode cors carries the page origin, to its own origin and to another', () => {
    expect(evaluate(makeCase({ request: { url: `${PAGE}/r`, method: 'POST', body: 'x' } })).origin).toBe(PAGE);
    expect(evaluate(makeCase({ request: { method: 'POST', body: 'x' } })).origin).toBe(PAGE);
  });

  // Past what that file checks, from the standard's steps: a CORS-tainted request carries its
  // serialized origin; a GET with basic or opaque tainting carries none.
  test('a cross-origin CORS GET: the page origin, or null from an opaque-origin frame; a same-origin or no-cors GET: none', () => {
    expect(evaluate(makeCase()).origin).toBe(PAGE);
    expect(evaluate(makeCase({ request: { page: { origin: PAGE, opaque: 'sandboxed-iframe' } } })).origin).toBe('null');
    expect(evaluate(makeCase({ request: { url: `${PAGE}/r` } })).origin).toBeNull();
    expect(evaluate(makeCase({ request: { mode: 'no-cors' } })).origin).toBeNull();
  });

  test('credentials go out for include, and for same-origin only while the tainting is basic', () => {
    expect(
      evaluate(makeCase({ request: { credentials: 'include' }, actual: { status: 200, headers: [['Access-Control-Allow-Origin', PAGE]] } })).credentialsSent,
    ).toBe(true);
    expect(evaluate(makeCase({ request: { credentials: 'same-origin' } })).credentialsSent).toBe(false);
    expect(evaluate(makeCase({ request: { credentials: 'same-origin', url: `${PAGE}/r` } })).credentialsSent).toBe(true);
  });
});
