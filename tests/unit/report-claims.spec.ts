// The claims are decided per engine from the rows, never hard-coded: the fixture decides
// them one way, an edited copy the other, and no evidence means "not measured".
import { test, expect } from '@playwright/test';
import { CLAIMS, evaluateClaims, type EvaluatedClaim } from '../../report/claims.ts';
import { loadResults } from '../../report/load.ts';
import type { EngineId, EngineResult, ResultsFile } from '../../model/results.ts';

const FIXTURE = new URL('../report/fixtures/results.json', import.meta.url).pathname;
const fixture = (): ResultsFile => loadResults(FIXTURE);

function byId(claims: EvaluatedClaim[], id: string): EvaluatedClaim {
  const c = claims.find((x) => x.id === id);
  if (!c) throw new Error(`no claim ${id}`);
  return c;
}

const verdicts = (c: EvaluatedClaim): Record<string, string | undefined> => Object.fromEntries(Object.entries(c.engines).map(([e, r]) => [e, r?.verdict]));

const ALL = (v: string) => ({ chromium: v, firefox: v, webkit: v });

const table: Array<{ id: string; verdict: string; deciding?: string }> = [
  { id: 'wildcard-any-site', verdict: 'true' },
  { id: 'credentials-with-wildcard', verdict: 'false', deciding: 'basics/credentials-acao-star' },
  { id: 'only-unsafe-methods-preflight', verdict: 'false', deciding: 'basics/post-json-preflight' },
  // The fixture's server records list no request header names (tests below fill them in).
  { id: 'acao-request-header', verdict: 'false' },
  { id: 'failure-only-in-console', verdict: 'false', deciding: 'basics/acao-absent' },
  { id: 'allowed-reads-all-headers', verdict: 'false', deciding: 'basics/expose-headers' },
  // The engines let Authorization through `*` (the known divergence), so for them it holds.
  { id: 'acah-wildcard-any-header', verdict: 'true', deciding: 'preflight/acah-star-authorization' },
  { id: 'cookies-need-include', verdict: 'true' },
];

for (const row of table) {
  test(`claim ${row.id} is ${row.verdict} in every engine of the fixture`, () => {
    const c = byId(evaluateClaims(fixture()), row.id);
    expect(c.evidence.length).toBeGreaterThan(0);
    expect(verdicts(c)).toEqual(ALL(row.verdict));
    if (row.deciding) for (const r of Object.values(c.engines)) expect(r?.cases).toContain(row.deciding);
  });
}

test('every claim in report/claims.ts is covered by the table above', () => {
  expect(CLAIMS.map((c) => c.id).sort()).toEqual(table.map((r) => r.id).sort());
});

test('the verdict follows each engine’s own rows', () => {
  const r = fixture();
  const c = r.cases.find((x) => x.id === 'basics/credentials-acao-star');
  const chromium = c?.results.chromium;
  if (!chromium) throw new Error('fixture lost basics/credentials-acao-star');
  chromium.outcome = 'allowed';
  chromium.status = 200;
  const claim = byId(evaluateClaims(r), 'credentials-with-wildcard');
  expect(verdicts(claim)).toEqual({ chromium: 'true', firefox: 'false', webkit: 'false' });
});

test('a claim without evidence rows is "not measured", not true or false', () => {
  const r = fixture();
  r.cases = r.cases.filter((c) => c.request.credentials !== 'include');
  const claim = byId(evaluateClaims(r), 'credentials-with-wildcard');
  expect(claim.evidence).toEqual([]);
  expect(verdicts(claim)).toEqual(ALL('not measured'));
});

test('harness errors are not evidence', () => {
  const r = fixture();
  for (const c of r.cases) {
    const x = c.results.firefox;
    if (x) x.outcome = 'error';
  }
  expect(verdicts(byId(evaluateClaims(r), 'wildcard-any-site')).firefox).toBe('not measured');
});

/** Every result of the fixture that the server saw, with `names` as the request headers it received. */
function withHeaderNames(r: ResultsFile, names: (engine: EngineId) => string[]): ResultsFile {
  for (const c of r.cases) {
    for (const [engine, x] of Object.entries(c.results) as Array<[EngineId, EngineResult]>) {
      if (x.server) x.server.requestHeaderNames = names(engine);
    }
  }
  return r;
}

test('acao-request-header follows the request headers the server received', () => {
  const plain = ['host', 'origin', 'accept', 'user-agent'];
  const r = withHeaderNames(fixture(), (e) => (e === 'chromium' ? [...plain, 'access-control-allow-origin'] : plain));
  const claim = byId(evaluateClaims(r), 'acao-request-header');
  expect(verdicts(claim)).toEqual({ chromium: 'true', firefox: 'false', webkit: 'false' });
  expect(claim.engines.firefox?.because).toMatch(/^\d+ of \d+ rows did not/);

  // A page that sets the header itself proves nothing about the browser: not evidence.
  const c = r.cases.find((x) => x.id === 'basics/simple-get');
  if (!c) throw new Error('fixture lost basics/simple-get');
  c.request.headers.push(['Access-Control-Allow-Origin', '*']);
  expect(byId(evaluateClaims(r), 'acao-request-header').evidence).not.toContain('basics/simple-get');
});

test('failure-only-in-console is true where the console reported a block the page never saw', () => {
  const r = fixture();
  for (const c of r.cases) {
    const chromium = c.results.chromium;
    // Chromium's fetch() resolves although its console still reports the CORS block.
    if (chromium?.outcome === 'blocked') Object.assign(chromium, { outcome: 'allowed', status: 200, reason: null });
    // Firefox has no failure at all: nothing can decide.
    const firefox = c.results.firefox;
    if (firefox) Object.assign(firefox, { outcome: 'allowed', status: 200, reason: null });
  }
  const claim = byId(evaluateClaims(r), 'failure-only-in-console');
  expect(verdicts(claim)).toEqual({ chromium: 'true', firefox: 'not measured', webkit: 'false' });
  expect(claim.engines.chromium?.cases).toContain('basics/acao-absent');
  expect(claim.engines.webkit?.cases).toContain('basics/acao-absent');
});
