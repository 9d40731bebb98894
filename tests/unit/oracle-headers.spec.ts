// Header-list helpers: "get", `#` list extraction, MIME type parsing, ACEH processing.
import { test, expect } from '@playwright/test';
import type { Header } from '../../model/case.ts';
import {
  FAILURE,
  corsExposedHeaderNames,
  extractSingleValue,
  extractTokenListValues,
  getHeader,
  isCorsSafelistedResponseHeaderName,
  isHeaderValue,
  isHttpToken,
  parseMimeType,
  parseTokenList,
  visibleResponseHeaderNames,
} from '../../oracle/index.ts';

test.describe('"get" a header', () => {
  test('absent is null; lines combine with ", " case-insensitively', () => {
    const list: Header[] = [
      ['Access-Control-Allow-Origin', 'http://a.test'],
      ['X-A', '1'],
      ['access-control-allow-origin', 'http://a.test'],
    ];
    expect(getHeader(list, 'Access-Control-Allow-Origin')).toBe('http://a.test, http://a.test');
    expect(getHeader(list, 'x-a')).toBe('1');
    expect(getHeader(list, 'X-B')).toBeNull();
    expect(getHeader([['X-Empty', '']], 'x-empty')).toBe('');
  });
});

test.describe('HTTP token and header value', () => {
  test('tokens', () => {
    for (const t of ['GET', 'x-a', '*', "!#$%&'*+-.^_`|~09azAZ"]) expect(isHttpToken(t)).toBe(true);
    for (const t of ['', 'a b', 'a,b', '"a"', 'a/b', 'a:b', 'é']) expect(isHttpToken(t)).toBe(false);
  });

  test('header values', () => {
    expect(isHeaderValue('a b')).toBe(true);
    expect(isHeaderValue('')).toBe(true);
    expect(isHeaderValue(' a')).toBe(false);
    expect(isHeaderValue('a\r\nb')).toBe(false);
    expect(isHeaderValue('a\0')).toBe(false);
  });
});

test.describe('`#` token lists and "extract header list values"', () => {
  const table: Array<[string, string[] | typeof FAILURE]> = [
    ['GET, PUT', ['GET', 'PUT']],
    ['GET,PUT', ['GET', 'PUT']],
    ['  x-a  ,\tx-b ', ['x-a', 'x-b']],
    ['a,,b', ['a', 'b']],
    [', a', ['a']],
    ['', []],
    [' , ', []],
    ['*', ['*']],
    ['*, Authorization', ['*', 'Authorization']],
    ['a b', FAILURE],
    ['x-a, x b', FAILURE],
    ['"x-a"', FAILURE],
    ['x-a;q=1', FAILURE],
  ];
  for (const [value, parsed] of table) {
    test(JSON.stringify(value), () => expect(parseTokenList(value)).toEqual(parsed));
  }

  test('several lines are concatenated; one bad line fails them all; absent is null', () => {
    expect(
      extractTokenListValues(
        [
          ['ACAH', 'a'],
          ['X', 'y'],
          ['acah', 'b, c'],
        ],
        'ACAH',
      ),
    ).toEqual(['a', 'b', 'c']);
    expect(
      extractTokenListValues(
        [
          ['ACAH', ''],
          ['ACAH', 'bb-8'],
        ],
        'acah',
      ),
    ).toEqual(['bb-8']);
    expect(
      extractTokenListValues(
        [
          ['ACAH', 'a'],
          ['ACAH', 'b c'],
        ],
        'ACAH',
      ),
    ).toBe(FAILURE);
    expect(extractTokenListValues([], 'ACAH')).toBeNull();
  });

  test('a single-header field fails when repeated', () => {
    const parse = (v: string) => v;
    expect(extractSingleValue([['Access-Control-Max-Age', '5']], 'access-control-max-age', parse)).toBe('5');
    expect(
      extractSingleValue(
        [
          ['Access-Control-Max-Age', '5'],
          ['Access-Control-Max-Age', '5'],
        ],
        'Access-Control-Max-Age',
        parse,
      ),
    ).toBe(FAILURE);
    expect(extractSingleValue([], 'Access-Control-Max-Age', parse)).toBeNull();
  });
});

test.describe('parse a MIME type (MIME Sniffing)', () => {
  const essences: Array<[string, string | typeof FAILURE]> = [
    ['text/plain', 'text/plain'],
    ['Text/Plain', 'text/plain'],
    [' text/plain ', 'text/plain'],
    ['text/plain;charset=utf-8', 'text/plain'],
    ['multipart/form-data;"', 'multipart/form-data'],
    ['text /plain', FAILURE],
    ['text/ plain', FAILURE],
    ['text', FAILURE],
    ['/plain', FAILURE],
    ['text/', FAILURE],
    ['', FAILURE],
  ];
  for (const [input, essence] of essences) {
    test(JSON.stringify(input), () => {
      const mime = parseMimeType(input);
      expect(mime === FAILURE ? FAILURE : mime.essence).toBe(essence);
    });
  }

  test('parameters: lowercase names, quoted values unescaped, first one wins, invalid ones skipped', () => {
    const mime = parseMimeType('text/plain; Charset="ut\\"f-8"; charset=latin1; bad name=x; empty=; q=1');
    expect(mime).not.toBe(FAILURE);
    if (mime !== FAILURE) {
      expect([...mime.parameters]).toEqual([
        ['charset', 'ut"f-8'],
        ['q', '1'],
      ]);
    }
  });
});

test.describe('response header exposure', () => {
  const response: Header[] = [
    ['Content-Type', 'text/plain'],
    ['X-A', '1'],
    ['x-a', '2'],
    ['Set-Cookie', 'a=b'],
    ['Access-Control-Expose-Headers', '*'],
  ];

  test('CORS-safelisted response-header names', () => {
    for (const n of ['Cache-Control', 'content-language', 'Content-Length', 'Content-Type', 'Expires', 'Last-Modified', 'Pragma']) {
      expect(isCorsSafelistedResponseHeaderName(n, [])).toBe(true);
    }
    expect(isCorsSafelistedResponseHeaderName('X-A', [])).toBe(false);
    expect(isCorsSafelistedResponseHeaderName('x-a', ['X-A'])).toBe(true);
    expect(isCorsSafelistedResponseHeaderName('Set-Cookie', ['Set-Cookie'])).toBe(false);
    expect(isCorsSafelistedResponseHeaderName('set-cookie2', ['SET-COOKIE2'])).toBe(false);
  });

  test('ACEH * exposes every name without credentials mode include', () => {
    const exposed = corsExposedHeaderNames(response, false);
    expect(exposed.source).toBe('wildcard');
    expect(exposed.list).toEqual(['Content-Type', 'X-A', 'Set-Cookie', 'Access-Control-Expose-Headers']);
    expect(visibleResponseHeaderNames('cors', response, exposed.list)).toEqual(['Content-Type', 'X-A', 'x-a', 'Access-Control-Expose-Headers']);
  });

  test('ACEH * is literal with credentials mode include', () => {
    const exposed = corsExposedHeaderNames(response, true);
    expect(exposed).toEqual({ list: ['*'], source: 'literal' });
    expect(visibleResponseHeaderNames('cors', response, exposed.list)).toEqual(['Content-Type']);
  });

  test('absent or unparsable ACEH exposes only safelisted names', () => {
    expect(corsExposedHeaderNames([['X-A', '1']], false)).toEqual({ list: [], source: 'absent' });
    expect(corsExposedHeaderNames([['Access-Control-Expose-Headers', 'x a']], false)).toEqual({ list: [], source: 'failure' });
  });

  test('basic keeps all but Set-Cookie; opaque keeps nothing', () => {
    expect(visibleResponseHeaderNames('basic', response, [])).toEqual(['Content-Type', 'X-A', 'x-a', 'Access-Control-Expose-Headers']);
    expect(visibleResponseHeaderNames('opaque', response, ['X-A'])).toEqual([]);
    expect(visibleResponseHeaderNames('opaqueredirect', response, ['X-A'])).toEqual([]);
  });
});
