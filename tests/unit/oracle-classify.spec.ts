// Request classification against the Fetch standard's own tables and the WPT edge cases.
import { test, expect } from '@playwright/test';
import type { Header } from '../../model/case.ts';
import { referenceCases } from '../../cases/catalog.ts';
import {
  FAILURE,
  type PageRequest,
  constructRequest,
  corsPreflightRequest,
  corsUnsafeRequestHeaderNames,
  evaluate,
  isCorsSafelistedMethod,
  isCorsSafelistedRequestHeader,
  isForbiddenMethod,
  isForbiddenRequestHeader,
  isNoCorsSafelistedRequestHeader,
  listedTokens,
  needsCorsPreflight,
  normalizeMethod,
  parseSingleRangeHeaderValue,
  sortAndCombine,
} from '../../oracle/index.ts';

test.describe('method normalize (§2.2.1)', () => {
  const table: Array<[string, string]> = [
    ['patch', 'patch'],
    ['PATCH', 'PATCH'],
    ['patcH', 'patcH'],
    ['delete', 'DELETE'],
    ['Get', 'GET'],
    ['head', 'HEAD'],
    ['options', 'OPTIONS'],
    ['pOsT', 'POST'],
    ['put', 'PUT'],
    ['CHICKEN', 'CHICKEN'],
    ['eGg', 'eGg'],
  ];
  for (const [input, normalized] of table) {
    test(`${input} → ${normalized}`, () => expect(normalizeMethod(input)).toBe(normalized));
  }

  test('CORS-safelisted methods are GET, HEAD, POST byte for byte', () => {
    for (const m of ['GET', 'HEAD', 'POST']) expect(isCorsSafelistedMethod(m)).toBe(true);
    for (const m of ['get', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']) expect(isCorsSafelistedMethod(m)).toBe(false);
  });

  test('forbidden methods are CONNECT, TRACE, TRACK in any case', () => {
    for (const m of ['CONNECT', 'trace', 'Track']) expect(isForbiddenMethod(m)).toBe(true);
    for (const m of ['GET', 'PATCH', 'CONNECTX']) expect(isForbiddenMethod(m)).toBe(false);
  });
});

test.describe('CORS-safelisted request-header (§2.2.2)', () => {
  const table: Array<[name: string, value: string, safelisted: boolean]> = [
    ['Accept', 'a'.repeat(128), true],
    ['Accept', 'a'.repeat(129), false],
    ['Accept', '*/*', true],
    ['Accept', 'text/html,application/xhtml+xml;q=0.9', true],
    ['Accept', 'text/html\tq', true],
    ['Accept', 'a"b', false],
    ['Accept', 'a(b', false],
    ['Accept', 'a:b', false],
    ['Accept', 'a<b', false],
    ['Accept', 'a?b', false],
    ['Accept', 'a@b', false],
    ['Accept', 'a[b', false],
    ['Accept', 'a\\b', false],
    ['Accept', 'a{b', false],
    ['Accept', 'a\x7fb', false],
    ['Accept', 'a\x01b', false],
    ['accept-language', 'en-US,en;q=0.9', true],
    ['Accept-Language', 'en_US', false],
    ['Content-Language', 'de-DE, *', true],
    ['Content-Language', 'de/DE', false],
    ['Content-Language', 'a'.repeat(129), false],
    ['Content-Type', 'text/plain', true],
    ['Content-Type', 'text/plain;charset=utf-8', true],
    ['Content-Type', 'text/plain; charset=utf-8', true],
    ['Content-Type', 'Text/Plain', true],
    ['Content-Type', 'application/x-www-form-urlencoded', true],
    ['Content-Type', 'multipart/form-data; boundary=x', true],
    ['Content-Type', 'text/plain;', true],
    ['Content-Type', 'text/html', false],
    ['Content-Type', 'application/json', false],
    ['Content-Type', 'text /plain', false],
    ['Content-Type', 'text/ plain', false],
    ['Content-Type', 'multipart/form-data;"', false],
    ['Content-Type', 'text/plain; charset="utf-8"', false],
    ['Content-Type', 'text/plain, application/json', false],
    ['Content-Type', 'text', false],
    ['Content-Type', '', false],
    ['Content-Type', `text/plain;${'a'.repeat(120)}`, false],
    ['Range', 'bytes=0-', true],
    ['Range', 'bytes=0-10', true],
    ['Range', 'bytes=100-200', true],
    ['Range', 'bytes=-500', false],
    ['Range', 'bytes=0-10,20-30', false],
    ['Range', ' bytes=0-', false],
    ['Range', 'bytes = 0-', false],
    ['Range', 'bytes=0 -10', false],
    ['Range', 'bytes=10-5', false],
    ['Range', 'Bytes=0-', false],
    ['Range', 'bytes=', false],
    ['Range', 'bytes=-', false],
    ['Range', 'items=0-1', false],
    ['Last-Event-ID', '1', false],
    ['X-Custom', 'x', false],
    ['Authorization', 'Basic x', false],
  ];
  for (const [name, value, safelisted] of table) {
    const shown = value.length > 20 ? `${value.slice(0, 12)}… (${value.length} bytes)` : JSON.stringify(value);
    test(`${name}: ${shown} → ${safelisted}`, () => expect(isCorsSafelistedRequestHeader(name, value)).toBe(safelisted));
  }

  test('parse a single range header value, with and without whitespace allowed', () => {
    expect(parseSingleRangeHeaderValue('bytes=0-10', false)).toEqual([0n, 10n]);
    expect(parseSingleRangeHeaderValue('bytes=0-', false)).toEqual([0n, null]);
    expect(parseSingleRangeHeaderValue('bytes=-500', false)).toEqual([null, 500n]);
    expect(parseSingleRangeHeaderValue('bytes = 0 - 10', true)).toEqual([0n, 10n]);
    expect(parseSingleRangeHeaderValue('bytes = 0 - 10', false)).toBe(FAILURE);
    expect(parseSingleRangeHeaderValue('bytes=5-1', true)).toBe(FAILURE);
  });

  test('no-CORS-safelisted request-header: only the four names, with safelisted values', () => {
    expect(isNoCorsSafelistedRequestHeader('Accept', 'text/html')).toBe(true);
    expect(isNoCorsSafelistedRequestHeader('Content-Type', 'text/plain')).toBe(true);
    expect(isNoCorsSafelistedRequestHeader('Content-Type', 'application/json')).toBe(false);
    expect(isNoCorsSafelistedRequestHeader('Range', 'bytes=0-')).toBe(false);
    expect(isNoCorsSafelistedRequestHeader('X-A', '1')).toBe(false);
  });
});

test.describe('CORS-unsafe request-header names (§2.2.2)', () => {
  test('sorted, lowercase, unique; safelisted headers excluded', () => {
    const headers: Header[] = [
      ['X-B', '1'],
      ['x-a', '2'],
      ['X-A', '3'],
      ['Accept', 'text/html'],
      ['Content-Type', 'application/json'],
    ];
    expect(corsUnsafeRequestHeaderNames(headers)).toEqual(['content-type', 'x-a', 'x-b']);
  });

  test('empty for safelisted headers only', () => {
    expect(
      corsUnsafeRequestHeaderNames([
        ['Accept', '*/*'],
        ['Content-Type', 'text/plain'],
        ['Range', 'bytes=0-'],
      ]),
    ).toEqual([]);
  });

  test('safelisted values totalling 1024 bytes stay safe, 1025 make them all unsafe', () => {
    const eight: Header[] = Array.from({ length: 8 }, () => ['Accept', 'a'.repeat(128)] as Header);
    expect(corsUnsafeRequestHeaderNames(eight)).toEqual([]);
    expect(corsUnsafeRequestHeaderNames([...eight, ['Content-Language', 'x']])).toEqual(['accept', 'content-language']);
  });

  test('unsafe header values do not count towards the 1024 bytes', () => {
    const headers: Header[] = [...Array.from({ length: 8 }, () => ['Accept', 'a'.repeat(128)] as Header), ['X-Big', 'b'.repeat(100)]];
    expect(corsUnsafeRequestHeaderNames(headers)).toEqual(['x-big']);
  });
});

test.describe('forbidden request-header (§2.2.2)', () => {
  const table: Array<[string, string, boolean]> = [
    ['Cookie', 'a=b', true],
    ['origin', 'http://x.test', true],
    ['Content-Length', '3', true],
    ['Access-Control-Request-Method', 'PUT', true],
    ['Sec-Fetch-Mode', 'cors', true],
    ['Proxy-Authorization', 'x', true],
    ['Referer', 'http://x.test/', true],
    ['X-HTTP-Method-Override', 'TRACE', true],
    ['X-HTTP-Method', 'GET, connect', true],
    ['X-Method-Override', 'PATCH', false],
    ['Authorization', 'Basic x', false],
    ['X-Custom', 'x', false],
    ['Accept', '*/*', false],
  ];
  for (const [name, value, forbidden] of table) {
    test(`${name}: ${value} → ${forbidden}`, () => expect(isForbiddenRequestHeader(name, value)).toBe(forbidden));
  }
});

test.describe('new Request() / fetch() init processing (§5)', () => {
  test('forbidden request-headers are silently dropped', () => {
    const r = constructRequest({
      method: 'GET',
      headers: [
        ['Cookie', 'a=b'],
        ['X-A', '1'],
      ],
      mode: 'cors',
    });
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.headers).toEqual([['X-A', '1']]);
      expect(r.decisions.map((d) => d.anchor)).toContain('https://fetch.spec.whatwg.org/#forbidden-request-header');
    }
  });

  test('method is normalized; forbidden or invalid methods throw', () => {
    const r = constructRequest({ method: 'delete', headers: [], mode: 'cors' });
    expect(r.ok && r.method).toBe('DELETE');
    expect(constructRequest({ method: 'patch', headers: [], mode: 'cors' })).toMatchObject({ ok: true, method: 'patch' });
    expect(constructRequest({ method: 'CONNECT', headers: [], mode: 'cors' })).toMatchObject({ ok: false, error: 'TypeError' });
    expect(constructRequest({ method: 'GE T', headers: [], mode: 'cors' })).toMatchObject({ ok: false, error: 'TypeError' });
  });

  test('no-cors requires a CORS-safelisted method', () => {
    expect(constructRequest({ method: 'PUT', headers: [], mode: 'no-cors' })).toMatchObject({ ok: false, error: 'TypeError' });
    expect(constructRequest({ method: 'post', headers: [], mode: 'no-cors' })).toMatchObject({ ok: true, method: 'POST' });
  });

  test('no-cors guard keeps only no-CORS-safelisted headers and drops Range', () => {
    const r = constructRequest({
      method: 'GET',
      headers: [
        ['X-A', '1'],
        ['Accept', 'text/html'],
        ['Range', 'bytes=0-'],
        ['Content-Type', 'application/json'],
      ],
      mode: 'no-cors',
    });
    expect(r.ok && r.headers).toEqual([['Accept', 'text/html']]);
  });

  test('no-cors guard judges the combined value of a repeated header', () => {
    const r = constructRequest({
      method: 'GET',
      headers: [
        ['Accept', 'a'.repeat(100)],
        ['Accept', 'b'.repeat(30)],
      ],
      mode: 'no-cors',
    });
    expect(r.ok && r.headers).toEqual([['Accept', 'a'.repeat(100)]]);
  });

  test('a body on GET or HEAD throws; a string body adds a safelisted Content-Type', () => {
    expect(constructRequest({ method: 'GET', headers: [], body: 'x', mode: 'cors' })).toMatchObject({ ok: false });
    expect(constructRequest({ method: 'HEAD', headers: [], body: 'x', mode: 'cors' })).toMatchObject({ ok: false });
    const post = constructRequest({ method: 'POST', headers: [], body: 'x', mode: 'cors' });
    expect(post.ok && post.headers).toEqual([['Content-Type', 'text/plain;charset=UTF-8']]);
    const json = constructRequest({ method: 'POST', headers: [['Content-Type', 'application/json']], body: '{}', mode: 'cors' });
    expect(json.ok && json.headers).toEqual([['Content-Type', 'application/json']]);
  });

  test('invalid header names or values throw; values are normalized', () => {
    expect(constructRequest({ method: 'GET', headers: [['X A', '1']], mode: 'cors' })).toMatchObject({ ok: false });
    expect(constructRequest({ method: 'GET', headers: [['X-A', 'a\nb']], mode: 'cors' })).toMatchObject({ ok: false });
    expect(constructRequest({ method: 'GET', headers: [['X-A', 'ā']], mode: 'cors' })).toMatchObject({ ok: false });
    const r = constructRequest({ method: 'GET', headers: [['X-A', '  v \t']], mode: 'cors' });
    expect(r.ok && r.headers).toEqual([['X-A', 'v']]);
  });
});

test.describe('sort and combine', () => {
  test('one entry per lowercased name, sorted, values joined with ", "; Set-Cookie lines stay apart', () => {
    const list: Header[] = [
      ['X-B', '1'],
      ['Accept', 'a'],
      ['x-b', '2'],
      ['Set-Cookie', 'a=1'],
      ['set-cookie', 'b=2'],
    ];
    expect(sortAndCombine(list)).toEqual([
      ['accept', 'a'],
      ['set-cookie', 'a=1'],
      ['set-cookie', 'b=2'],
      ['x-b', '1, 2'],
    ]);
  });

  test('an empty list stays empty', () => expect(sortAndCombine([])).toEqual([]));
});

test.describe('listed tokens of a #token header', () => {
  test("every line's elements in order; none when absent or when any line fails to parse", () => {
    const list: Header[] = [
      ['Access-Control-Allow-Headers', 'X-A, ,x-b'],
      ['access-control-allow-headers', '*'],
    ];
    expect(listedTokens(list, 'Access-Control-Allow-Headers')).toEqual(['X-A', 'x-b', '*']);
    expect(listedTokens(list, 'Access-Control-Allow-Methods')).toEqual([]);
    expect(listedTokens([...list, ['Access-Control-Allow-Headers', '"x"']], 'Access-Control-Allow-Headers')).toEqual([]);
  });
});

test.describe('does a request need a CORS-preflight request', () => {
  test('by its method once normalized', () => {
    for (const m of ['GET', 'get', 'HEAD', 'head', 'POST', 'pOsT']) expect(needsCorsPreflight(m, []), m).toBe(false);
    for (const m of ['PUT', 'put', 'DELETE', 'PATCH', 'patch', 'CHICKEN']) expect(needsCorsPreflight(m, []), m).toBe(true);
  });

  test('by any CORS-unsafe request-header name, the 1024-byte total included', () => {
    expect(
      needsCorsPreflight('GET', [
        ['Accept', 'text/plain'],
        ['Content-Language', 'en'],
      ]),
    ).toBe(false);
    expect(needsCorsPreflight('GET', [['X-Custom', '1']])).toBe(true);
    expect(needsCorsPreflight('GET', [['Content-Type', 'application/json']])).toBe(true);
    const nine = Array.from({ length: 9 }, (): Header => ['Accept-Language', 'a'.repeat(114)]);
    expect(needsCorsPreflight('GET', nine)).toBe(true);
  });
});

test.describe('the CORS-preflight request a browser sends', () => {
  const request = (r: Partial<PageRequest>): PageRequest => ({
    page: { origin: 'http://a.test' },
    url: 'http://b.test/r',
    method: 'GET',
    headers: [],
    mode: 'cors',
    ...r,
  });

  test('asks for the normalized method and the CORS-unsafe names, lowercased, sorted, comma-joined', () => {
    expect(corsPreflightRequest(request({ method: 'put' }))).toEqual({ method: 'PUT', headers: null });
    expect(corsPreflightRequest(request({ method: 'patch' }))).toEqual({ method: 'patch', headers: null });
    const mixed: Header[] = [
      ['X-Zeta', '1'],
      ['Accept', 'text/plain'],
      ['x-alpha', '2'],
      ['X-ALPHA', '3'],
    ];
    expect(corsPreflightRequest(request({ headers: mixed }))).toEqual({ method: 'GET', headers: 'x-alpha,x-zeta' });
  });

  test('none for a CORS-safelisted request', () => {
    expect(
      corsPreflightRequest(
        request({
          headers: [
            ['Accept', 'text/plain'],
            ['Range', 'bytes=0-'],
          ],
        }),
      ),
    ).toBeNull();
    expect(corsPreflightRequest(request({ method: 'post', headers: [['Content-Type', 'text/plain']], body: 'x' }))).toBeNull();
  });

  test('after fetch() built the request: forbidden headers dropped, a string body adds its Content-Type', () => {
    expect(
      corsPreflightRequest(
        request({
          headers: [
            ['Cookie', 'c=1'],
            ['Sec-X', '1'],
            ['X-HTTP-Method-Override', 'TRACE'],
          ],
        }),
      ),
    ).toBeNull();
    expect(
      corsPreflightRequest(
        request({
          headers: [
            ['Cookie', 'c=1'],
            ['X-A', '1'],
          ],
        }),
      ),
    ).toEqual({ method: 'GET', headers: 'x-a' });
    // Eight Accept-Language lines of 1021 bytes and the user agent's Accept: */* reach 1024 bytes;
    // the body's Content-Type tips them over, and every safelisted name becomes CORS-unsafe.
    const eight = Array.from({ length: 8 }, (_, i): Header => ['Accept-Language', 'a'.repeat(i === 7 ? 125 : 128)]);
    expect(corsPreflightRequest(request({ method: 'POST', headers: eight }))).toBeNull();
    expect(corsPreflightRequest(request({ method: 'POST', headers: eight, body: 'x' }))).toEqual({
      method: 'POST',
      headers: 'accept,accept-language,content-type',
    });
  });

  test('none when the URL is same origin with the page, whatever the request', () => {
    expect(corsPreflightRequest(request({ url: 'http://a.test/r', method: 'PUT', headers: [['X-A', '1']] }))).toBeNull();
    expect(corsPreflightRequest(request({ page: { origin: 'http://a.test:80' }, url: 'http://a.test/r', method: 'PUT' }))).toBeNull();
  });

  test('an opaque-origin page is same origin with no URL, not even its own host', () => {
    expect(corsPreflightRequest(request({ page: { origin: 'http://b.test', opaque: 'data-iframe' }, method: 'PUT' }))).toEqual({
      method: 'PUT',
      headers: null,
    });
  });

  test('none in modes no-cors and same-origin, nor for a request fetch() refuses', () => {
    expect(corsPreflightRequest(request({ mode: 'no-cors', headers: [['X-A', '1']] }))).toBeNull();
    expect(corsPreflightRequest(request({ mode: 'same-origin', method: 'PUT' }))).toBeNull();
    expect(corsPreflightRequest(request({ mode: 'no-cors', method: 'PUT' }))).toBeNull();
    expect(corsPreflightRequest(request({ method: 'TRACE' }))).toBeNull();
    expect(corsPreflightRequest(request({ method: 'GET', body: 'x', headers: [['X-A', '1']] }))).toBeNull();
    expect(corsPreflightRequest(request({ url: 'not a url', method: 'PUT' }))).toBeNull();
  });

  test('agrees with the spec model on every catalog case without prior requests or redirects', () => {
    const disagreements: string[] = [];
    let compared = 0;
    for (const c of referenceCases(undefined)) {
      if (c.request.prior?.length || c.response.actual.redirect) continue;
      compared++;
      const sent = corsPreflightRequest(c.request) !== null;
      if (sent !== evaluate(c).preflight) disagreements.push(c.id);
    }
    expect(compared).toBeGreaterThan(1000);
    expect(disagreements).toEqual([]);
  });

  test('asks what the hand-written cases teach a browser asks', () => {
    let taught = 0;
    for (const c of referenceCases('basics')) {
      const { requestHeadersSeen, requestMethodSeen } = c.taught ?? {};
      if (requestHeadersSeen === undefined && requestMethodSeen === undefined) continue;
      taught++;
      const preflight = corsPreflightRequest(c.request);
      if (requestHeadersSeen !== undefined) expect(preflight?.headers, c.id).toBe(requestHeadersSeen);
      if (requestMethodSeen !== undefined) expect(preflight?.method, c.id).toBe(requestMethodSeen);
    }
    expect(taught).toBeGreaterThan(0);
  });
});
