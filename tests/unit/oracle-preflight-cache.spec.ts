// The CORS-preflight cache (§4.9) and Access-Control-Max-Age (§4.8), on an explicit clock.
import { test, expect } from '@playwright/test';
import type { Header } from '../../model/case.ts';
import { type CacheRequestKey, DELTA_SECONDS_CEILING, PreflightCache, parseMaxAge } from '../../oracle/index.ts';

const acma = (...values: string[]): Header[] => values.map((v) => ['Access-Control-Max-Age', v]);

test.describe('Access-Control-Max-Age', () => {
  const table: Array<[label: string, headers: Header[], seconds: number, source: string]> = [
    ['valid', acma('600'), 600, 'header'],
    ['zero', acma('0'), 0, 'header'],
    ['leading zeros', acma('007'), 7, 'header'],
    ['negative', acma('-1'), 5, 'failure'],
    ['non-numeric', acma('abc'), 5, 'failure'],
    ['unit', acma('10s'), 5, 'failure'],
    ['plus sign', acma('+10'), 5, 'failure'],
    ['fraction', acma('1.5'), 5, 'failure'],
    ['inner space', acma('1 0'), 5, 'failure'],
    ['empty', acma(''), 5, 'failure'],
    ['two lines', acma('10', '10'), 5, 'failure'],
    ['missing', [], 5, 'absent'],
    ['huge', acma('99999999999999'), DELTA_SECONDS_CEILING, 'header'],
  ];
  for (const [label, headers, seconds, source] of table) {
    test(`${label} → ${seconds}`, () => expect(parseMaxAge(headers)).toEqual({ seconds, source, limited: false }));
  }

  test('an imposed limit lowers larger values only', () => {
    expect(parseMaxAge(acma('86400'), 7200)).toEqual({ seconds: 7200, source: 'header', limited: true });
    expect(parseMaxAge(acma('60'), 7200)).toEqual({ seconds: 60, source: 'header', limited: false });
    expect(parseMaxAge([], 2)).toEqual({ seconds: 2, source: 'absent', limited: true });
  });
});

test.describe('CORS-preflight cache', () => {
  const key: CacheRequestKey = { origin: 'http://a.test', url: 'http://b.test/r', credentials: false };
  const credentialed: CacheRequestKey = { ...key, credentials: true };

  test('entries live for max-age seconds on the given clock', () => {
    const cache = new PreflightCache();
    cache.store(key, ['PUT'], ['x-a'], 5, 1000);
    expect(cache.methodMatch(key, 'PUT', 1000)).toBeDefined();
    expect(cache.methodMatch(key, 'PUT', 5999)).toBeDefined();
    expect(cache.headerNameMatch(key, 'X-A', 5999)).toBeDefined();
    expect(cache.methodMatch(key, 'PUT', 6000)).toBeUndefined();
    expect(cache.entries(6000)).toHaveLength(0);
  });

  test('max-age 0 caches nothing', () => {
    const cache = new PreflightCache();
    cache.store(key, ['PUT'], ['x-a'], 0, 0);
    expect(cache.methodMatch(key, 'PUT', 0)).toBeUndefined();
    expect(cache.headerNameMatch(key, 'x-a', 0)).toBeUndefined();
  });

  test('method entries match byte for byte, or through *', () => {
    const cache = new PreflightCache();
    cache.store(key, ['PATCH'], [], 60, 0);
    expect(cache.methodMatch(key, 'PATCH', 0)).toBeDefined();
    expect(cache.methodMatch(key, 'patch', 0)).toBeUndefined();
    cache.store(key, ['*'], [], 60, 0);
    expect(cache.methodMatch(key, 'DELETE', 0)?.method).toBe('*');
  });

  test('header-name entries match case-insensitively; * never matches Authorization', () => {
    const cache = new PreflightCache();
    cache.store(key, [], ['X-Custom'], 60, 0);
    expect(cache.headerNameMatch(key, 'x-custom', 0)).toBeDefined();
    cache.store(key, [], ['*'], 60, 0);
    expect(cache.headerNameMatch(key, 'x-other', 0)?.headerName).toBe('*');
    expect(cache.headerNameMatch(key, 'authorization', 0)).toBeUndefined();
    expect(cache.headerNameMatch(key, 'Authorization', 0)).toBeUndefined();
    cache.store(key, [], ['Authorization'], 60, 0);
    expect(cache.headerNameMatch(key, 'authorization', 0)).toBeDefined();
  });

  test('a credentialed entry serves uncredentialed requests, not the reverse', () => {
    const a = new PreflightCache();
    a.store(credentialed, ['PUT'], ['x-a'], 60, 0);
    expect(a.methodMatch(key, 'PUT', 0)).toBeDefined();
    expect(a.headerNameMatch(key, 'x-a', 0)).toBeDefined();
    const b = new PreflightCache();
    b.store(key, ['PUT'], ['x-a'], 60, 0);
    expect(b.methodMatch(credentialed, 'PUT', 0)).toBeUndefined();
    expect(b.headerNameMatch(credentialed, 'x-a', 0)).toBeUndefined();
  });

  test('entries are keyed by serialized origin and URL', () => {
    const cache = new PreflightCache();
    cache.store(key, ['PUT'], [], 60, 0);
    expect(cache.methodMatch({ ...key, origin: 'null' }, 'PUT', 0)).toBeUndefined();
    expect(cache.methodMatch({ ...key, url: 'http://b.test/other' }, 'PUT', 0)).toBeUndefined();
  });

  test('a matching entry is refreshed instead of duplicated', () => {
    const cache = new PreflightCache();
    cache.store(key, ['PUT'], [], 5, 0);
    cache.store(key, ['PUT'], [], 10, 3000);
    expect(cache.entries(3000)).toHaveLength(1);
    expect(cache.methodMatch(key, 'PUT', 12999)).toBeDefined();
    expect(cache.methodMatch(key, 'PUT', 13000)).toBeUndefined();
  });

  test('clear removes every entry for the origin and URL', () => {
    const cache = new PreflightCache();
    cache.store(key, ['PUT'], ['x-a'], 60, 0);
    cache.store({ ...key, url: 'http://b.test/other' }, ['PUT'], [], 60, 0);
    expect(cache.clear(key)).toBe(2);
    expect(cache.entries(0)).toHaveLength(1);
  });
});
