// The rules of oracle/blocking.ts on their own: what the cases of the reference run cannot vary
// (the embedder policy: every probe page is served without Cross-Origin-Embedder-Policy), and the
// pieces the case tests (tests/unit/oracle-blocking.spec.ts) read through evaluate().
import { test, expect } from '@playwright/test';
import type { Header } from '../../model/case.ts';
import {
  BAD_PORTS,
  crossOriginResourcePolicyCheck,
  crossOriginResourcePolicyInternalCheck,
  determineNosniff,
  isPotentiallyTrustworthyUrl,
  mixedContentUpgrade,
  schemelesslySameSite,
} from '../../oracle/blocking.ts';
import { getDecodeSplit } from '../../oracle/headers.ts';

const PAGE = 'http://a.test';
const corp = (value: string): Header => ['Cross-Origin-Resource-Policy', value];
const response = (headers: Header[], requestIncludesCredentials: boolean) => ({ url: new URL('http://b.test/r'), headers, requestIncludesCredentials });
const coep = (value: 'unsafe-none' | 'require-corp' | 'credentialless') => ({ value, reportOnlyValue: 'unsafe-none' as const });

test('the embedder policy: require-corp makes a response without CORP same-origin, credentialless only with credentials', () => {
  expect(crossOriginResourcePolicyCheck(PAGE, coep('unsafe-none'), response([], true))).toEqual({ result: 'allowed', policy: null });
  expect(crossOriginResourcePolicyCheck(PAGE, coep('require-corp'), response([], false))).toEqual({ result: 'blocked', policy: 'same-origin' });
  expect(crossOriginResourcePolicyCheck(PAGE, coep('require-corp'), response([corp('cross-origin')], true)).result).toBe('allowed');
  expect(crossOriginResourcePolicyCheck(PAGE, coep('require-corp'), response([corp('SAME-ORIGIN')], false)).result).toBe('blocked');
  expect(crossOriginResourcePolicyCheck(PAGE, coep('credentialless'), response([], false)).result).toBe('allowed');
  expect(crossOriginResourcePolicyCheck(PAGE, coep('credentialless'), response([], true)).result).toBe('blocked');
  // The header blocks whatever the embedder policy.
  expect(crossOriginResourcePolicyCheck(PAGE, coep('unsafe-none'), response([corp('same-origin')], false)).result).toBe('blocked');
});

test('a navigation is checked only under an embedder policy other than unsafe-none', () => {
  expect(crossOriginResourcePolicyInternalCheck(PAGE, 'unsafe-none', response([corp('same-origin')], true), true).result).toBe('allowed');
  expect(crossOriginResourcePolicyInternalCheck(PAGE, 'credentialless', response([], false), true)).toEqual({ result: 'blocked', policy: 'same-origin' });
});

test('schemelessly same site: the registrable domain, not the scheme or port', () => {
  expect(schemelesslySameSite('http://a.test', 'https://b.a.test:8443')).toBe(true);
  expect(schemelesslySameSite('http://a.test', 'http://b.test')).toBe(false);
  expect(schemelesslySameSite('http://127.0.0.1', 'http://127.0.0.1:8080')).toBe(true);
  expect(schemelesslySameSite(null, 'http://a.test')).toBe(false);
});

test('potentially trustworthy URLs and the mixed-content upgrade', () => {
  for (const url of ['https://b.test', 'wss://b.test', 'http://127.0.0.1:3000', 'http://[::1]', 'http://localhost', 'http://app.localhost']) {
    expect(isPotentiallyTrustworthyUrl(new URL(url)), url).toBe(true);
  }
  for (const url of ['http://b.test', 'ws://b.test', 'http://10.0.0.1']) expect(isPotentiallyTrustworthyUrl(new URL(url)), url).toBe(false);
  expect(mixedContentUpgrade(new URL('http://b.test/x?y'), 'image', true)?.href).toBe('https://b.test/x?y');
  // An explicit port is kept: mixed-content/audio-upgrade.https.sub.html relies on it.
  expect(mixedContentUpgrade(new URL('http://b.test:8443/x'), 'audio', true)?.href).toBe('https://b.test:8443/x');
  expect(mixedContentUpgrade(new URL('http://10.0.0.1/x'), 'image', true)).toBeNull();
  expect(mixedContentUpgrade(new URL('http://b.test/x'), 'script', true)).toBeNull();
  expect(mixedContentUpgrade(new URL('http://b.test/x'), 'image', false)).toBeNull();
});

test('the bad ports are the standard list', () => {
  expect(BAD_PORTS.size).toBe(83);
  expect([...BAD_PORTS.keys()].slice(0, 3)).toEqual([0, 1, 7]);
  expect(BAD_PORTS.get(10080)).toBe('amanda');
});

test('a header line named Content-Type-Options is not X-Content-Type-Options', () => {
  expect(determineNosniff([['Content-Type-Options', 'nosniff']])).toBe(false);
  expect(determineNosniff([['x-content-type-OPTIONS', 'nosniff']])).toBe(true);
});

test('get, decode, and split keeps quoted strings whole (the standard examples)', () => {
  expect(getDecodeSplit([['A', 'nosniff,']], 'A')).toEqual(['nosniff', '']);
  expect(
    getDecodeSplit(
      [
        ['A', 'nosniff'],
        ['B', 'sniff'],
        ['A', ''],
      ],
      'A',
    ),
  ).toEqual(['nosniff', '']);
  expect(getDecodeSplit([['A', '']], 'A')).toEqual(['']);
  expect(getDecodeSplit([['B', 'sniff']], 'A')).toBeNull();
  expect(getDecodeSplit([['A', 'text/html;", x/x']], 'A')).toEqual(['text/html;", x/x']);
  expect(
    getDecodeSplit(
      [
        ['A', 'x/x;test="hi"'],
        ['C', '**bingo**'],
        ['A', 'y/y'],
      ],
      'A',
    ),
  ).toEqual(['x/x;test="hi"', 'y/y']);
  expect(getDecodeSplit([['A', 'x / x,,,1']], 'A')).toEqual(['x / x', '', '', '1']);
  expect(
    getDecodeSplit(
      [
        ['A', '"1,2"'],
        ['D', '4'],
        ['A', '3'],
      ],
      'A',
    ),
  ).toEqual(['"1,2"', '3']);
});
