import { test, expect } from '@playwright/test';
import { fixtureUrl, parseWireResponse, RecipeError, withToken } from '../../servers/recipe.ts';
import { redactHeaders } from '../../servers/redact.ts';
import { PROBE_TOKEN_PARAM } from '../../model/wire.ts';

test('a recipe survives the round trip through the URL, repeated headers in order', () => {
  const href = fixtureUrl('http://b.test/r', {
    actual: {
      status: 201,
      headers: [
        ['Access-Control-Allow-Origin', 'http://a.test'],
        ['Access-Control-Allow-Origin', '*'],
        ['X-Colon', 'a:b'],
      ],
      body: 'hi',
    },
    preflight: { status: 204, headers: [['Access-Control-Allow-Methods', 'PUT']] },
  });
  const wire = parseWireResponse(new URL(href).searchParams);
  expect(wire.actual).toEqual({
    status: 201,
    headers: [
      ['Access-Control-Allow-Origin', 'http://a.test'],
      ['Access-Control-Allow-Origin', '*'],
      ['X-Colon', 'a:b'],
    ],
    body: 'hi',
    asset: null,
    omitContentType: false,
    location: null,
  });
  expect(wire.preflight).toEqual({
    status: 204,
    headers: [['Access-Control-Allow-Methods', 'PUT']],
    body: '',
    asset: null,
    omitContentType: false,
    location: null,
  });
});

test('an asset body is named in the URL, and an unknown asset is refused with the list', () => {
  const href = fixtureUrl('http://b.test/r', { preflight: null, actual: { status: 200, headers: [], asset: 'png' } });
  expect(parseWireResponse(new URL(href).searchParams).actual.asset).toBe('png');
  const bad = new URL(href);
  bad.searchParams.set('asset', 'gif');
  expect(() => parseWireResponse(bad.searchParams)).toThrow(/asset=gif is not an asset: use one of png, font/);
});

test('no preflight recipe means no preflight handling', () => {
  const wire = parseWireResponse(new URL(fixtureUrl('http://b.test/r', { preflight: null, actual: { status: 200, headers: [] } })).searchParams);
  expect(wire.preflight).toBeNull();
});

test('a redirect nests the next hop, with the same path, userinfo and token', () => {
  const href = withToken(
    fixtureUrl('http://b.test/r', {
      preflight: null,
      actual: {
        status: 302,
        headers: [],
        redirect: {
          to: 'http://other.example',
          userinfo: 'user:pass',
          next: { preflight: null, actual: { status: 200, headers: [['Access-Control-Allow-Origin', 'null']] } },
        },
      },
    }),
    'T1',
  );
  const wire = parseWireResponse(new URL(href).searchParams);
  expect(wire.actual.status).toBe(302);
  const next = new URL(wire.actual.location ?? '');
  expect(next.origin).toBe('http://other.example');
  expect(next.pathname).toBe('/r');
  expect(next.username).toBe('user');
  expect(next.password).toBe('pass');
  expect(next.searchParams.get(PROBE_TOKEN_PARAM)).toBe('T1');
  expect(parseWireResponse(next.searchParams).actual.headers).toEqual([['Access-Control-Allow-Origin', 'null']]);
});

test('bad recipes get an error that names the field and the fix', () => {
  expect(() => parseWireResponse(new URLSearchParams('status=abc'))).toThrow(RecipeError);
  expect(() => parseWireResponse(new URLSearchParams('status=abc'))).toThrow(/status=abc .*integer from 100 to 999/);
  expect(() => parseWireResponse(new URLSearchParams('header=novalue'))).toThrow(/Name:value/);
  expect(() => parseWireResponse(new URLSearchParams('preflight.status=99'))).toThrow(/preflight\.status=99/);
});

test('cookie and authorization values are redacted, names kept', () => {
  expect(
    redactHeaders([
      ['Cookie', 'cc_session=secret; other=x'],
      ['Authorization', 'Bearer abc.def'],
      ['Set-Cookie', 'sid=123; Path=/'],
      ['Origin', 'http://a.test'],
    ]),
  ).toEqual([
    ['Cookie', 'cc_session=<redacted>; other=<redacted>'],
    ['Authorization', 'Bearer <redacted>'],
    ['Set-Cookie', 'sid=<redacted>'],
    ['Origin', 'http://a.test'],
  ]);
});
