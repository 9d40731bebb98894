// The report's reproduce lines: the preflight curl asks what a browser would ask, and only
// when a browser sends one.
import { test, expect } from '@playwright/test';
import type { CaseRequest, CaseResponse } from '../../model/case.ts';
import type { CaseRecord } from '../../model/results.ts';
import { corsPreflightRequest } from '../../oracle/index.ts';
import { reproduce } from '../../report/reproduce.ts';

const ALLOWING: CaseResponse = {
  preflight: { status: 204, headers: [['Access-Control-Allow-Origin', 'http://a.test'], ['Access-Control-Allow-Methods', 'PUT'], ['Access-Control-Allow-Headers', 'X-Custom']] },
  actual: { status: 200, headers: [['Access-Control-Allow-Origin', 'http://a.test']] },
};

function record(request: Partial<CaseRequest>, response: CaseResponse = ALLOWING): CaseRecord {
  return {
    id: 't',
    group: 'preflight',
    title: 't',
    request: { page: { origin: 'http://a.test' }, url: 'http://b.test/r', method: 'GET', headers: [], credentials: 'omit', mode: 'cors', ...request },
    response,
    results: {},
  };
}

const optionsLine = (r: CaseRecord) => reproduce(r).curl.find((l) => l.includes('-X OPTIONS')) ?? null;

test('a safelisted plus a custom header: only the custom one is asked for', () => {
  const r = record({ headers: [['Accept', 'text/plain'], ['X-Custom', '1'], ['Content-Language', 'en']] });
  const line = optionsLine(r);
  expect(line).toContain(`'Access-Control-Request-Headers: x-custom'`);
  expect(line).toContain(`'Access-Control-Request-Method: GET'`);
  // The actual request still carries every header the page set.
  expect(reproduce(r).curl.at(-1)).toContain(`'Accept: text/plain'`);
});

test('a forbidden header is neither sent nor asked for', () => {
  expect(corsPreflightRequest({ pageOrigin: 'http://a.test', url: 'http://b.test/', method: 'GET', headers: [['X-A', '1'], ['Cookie', 'c=1']], mode: 'cors' })).toEqual({ method: 'GET', headers: 'x-a' });
});

test('a lowercase put is normalized: the preflight asks for PUT and the actual request is PUT', () => {
  const r = record({ method: 'put' });
  expect(optionsLine(r)).toContain(`'Access-Control-Request-Method: PUT'`);
  expect(optionsLine(r)).not.toContain('Access-Control-Request-Headers');
  expect(reproduce(r).curl.at(-1)).toContain('-X PUT ');
});

test('a string body adds Content-Type text/plain, which needs no preflight', () => {
  expect(corsPreflightRequest({ pageOrigin: 'http://a.test', url: 'http://b.test/', method: 'POST', headers: [], body: 'x', mode: 'cors' })).toBeNull();
});

test('a preflight recipe but no preflight: a simple GET, a same-origin request, no-cors', () => {
  expect(optionsLine(record({}))).toBeNull();
  expect(optionsLine(record({ url: 'http://a.test/r', method: 'PUT' }))).toBeNull();
  expect(optionsLine(record({ mode: 'no-cors' }))).toBeNull();
  expect(reproduce(record({})).curl).toHaveLength(1);
});

test('an opaque-origin page is cross-origin even to its own host', () => {
  const r = record({ page: { origin: 'http://b.test', opaque: 'sandboxed-iframe' }, method: 'PUT' });
  expect(optionsLine(r)).toContain(`'Origin: null'`);
});
