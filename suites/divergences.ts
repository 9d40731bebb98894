// Known divergences: where engines measurably do something other than what the Fetch
// standard requires, each with its evidence. A case one of these rules covers is an
// expected failure in the engines it names; any other difference fails the run, and so
// does a listed divergence that an engine no longer shows (update this file then).
import type { CorsCase } from '../model/case.ts';
import type { EngineId, KnownDivergence } from '../model/results.ts';

export interface DivergenceRule extends KnownDivergence {
  /** What differs from the spec model when the rule applies. */
  differences: Array<'outcome' | 'preflight' | 'readable'>;
  applies(c: CorsCase): boolean;
}

const ALL: EngineId[] = ['chromium', 'firefox', 'webkit'];

function headerNames(c: CorsCase): string[] {
  return c.request.headers.map(([n]) => n.toLowerCase());
}

function tokens(value: string | undefined): string[] {
  return (value ?? '').split(',').map((t) => t.trim().toLowerCase()).filter(Boolean);
}

function preflightHeader(c: CorsCase, name: string): string | undefined {
  const lines = c.response.preflight?.headers.filter(([n]) => n.toLowerCase() === name.toLowerCase()) ?? [];
  return lines.length ? lines.map(([, v]) => v).join(', ') : undefined;
}

export const KNOWN_DIVERGENCES: readonly DivergenceRule[] = [
  {
    id: 'acah-wildcard-covers-authorization',
    title: 'Access-Control-Allow-Headers: * lets Authorization through',
    engines: ALL,
    observed:
      'The standard makes Authorization a CORS non-wildcard request-header name: only a literal `authorization` in Access-Control-Allow-Headers allows it. All three engines accept `*` for it.',
    evidence: [
      'https://fetch.spec.whatwg.org/#cors-non-wildcard-request-header-name',
      'https://github.com/whatwg/fetch/issues/1919',
      'https://github.com/chromium/chromium/blob/main/third_party/blink/web_tests/external/wpt/fetch/api/cors/cors-preflight.any-expected.txt',
      'https://bugzilla.mozilla.org/show_bug.cgi?id=1687364',
      'https://github.com/WebKit/WebKit/blob/main/Source/WebCore/loader/CrossOriginPreflightResultCache.cpp',
    ],
    differences: ['outcome'],
    applies: (c) =>
      c.request.credentials !== 'include' &&
      c.request.mode === 'cors' &&
      headerNames(c).includes('authorization') &&
      tokens(preflightHeader(c, 'Access-Control-Allow-Headers')).includes('*') &&
      !tokens(preflightHeader(c, 'Access-Control-Allow-Headers')).includes('authorization'),
  },
];
