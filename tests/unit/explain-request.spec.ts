// explain's command line: each mistake is refused with the option and the fix.
import { test, expect } from '@playwright/test';
import { ExplainUsageError, parseExplainArgs } from '../../explain/request.ts';

const URL_ = 'http://127.0.0.1:3000/api/items';

test('a request as fetch() would make it, with the defaults fetch() has', () => {
  const r = parseExplainArgs({ url: URL_, origin: 'https://app.example.com', header: ['X-Api-Key:  k1 '] });
  expect(r.method).toBe('GET');
  expect(r.credentials).toBe('same-origin');
  expect(r.headers).toEqual([['X-Api-Key', 'k1']]);
  expect(r.engines).toEqual(['chromium', 'firefox', 'webkit']);
  expect(parseExplainArgs({ url: URL_, origin: 'null' }).origin).toBe('null');
});

const BAD: Array<[string, Parameters<typeof parseExplainArgs>[0], RegExp]> = [
  ['no origin', { url: URL_ }, /--origin is required/],
  ['an origin with a path', { url: URL_, origin: 'https://a.test/x' }, /write https:\/\/a\.test/],
  ['a header without a colon', { url: URL_, origin: 'https://a.test', header: ['X-Api-Key k1'] }, /write 'Name: value'/],
  ['a forbidden header', { url: URL_, origin: 'https://a.test', header: ['Cookie: a=b'] }, /forbidden request header/],
  ['a forbidden method', { url: URL_, origin: 'https://a.test', method: 'TRACE' }, /forbidden method/],
  ['an unknown credentials mode', { url: URL_, origin: 'https://a.test', credentials: 'yes' }, /use omit, same-origin/],
  ['a GET with a body', { url: URL_, origin: 'https://a.test', body: 'x' }, /cannot have a body/],
  ['an unknown engine', { url: URL_, origin: 'https://a.test', engine: ['safari'] }, /--engine safari: use one of/],
  ['not a URL', { url: 'api/items', origin: 'https://a.test' }, /not a URL/],
];

for (const [title, args, message] of BAD) {
  test(`refused, naming the fix: ${title}`, () => {
    expect(() => parseExplainArgs(args)).toThrow(ExplainUsageError);
    expect(() => parseExplainArgs(args)).toThrow(message);
  });
}
