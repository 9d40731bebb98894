// The spec model's structured decisions (oracle/decisions.ts) and their words (oracle/render.ts).
import { test, expect } from '@playwright/test';
import type { CaseRequest, CaseResponse, CorsCase, Credentials, Header, ResponseRecipe } from '../../model/case.ts';
import { referenceCases } from '../../cases/catalog.ts';
import { ANCHOR } from '../../oracle/anchors.ts';
import type { CorsCheckDecision, Decision } from '../../oracle/decisions.ts';
import { corsCheck, evaluate, evaluateDecisions } from '../../oracle/evaluate.ts';
import { renderDecision, renderStep } from '../../oracle/render.ts';

const PAGE = 'http://a.test';
const ACAO_ANY: Header = ['Access-Control-Allow-Origin', '*'];
const ok = (headers: Header[], status = 200): ResponseRecipe => ({ status, headers });

function makeCase(request: Partial<CaseRequest> = {}, response: Partial<CaseResponse> = {}): CorsCase {
  return {
    id: 'unit',
    group: 'basics',
    title: 'unit',
    request: { page: { origin: PAGE }, url: 'http://b.test/r', method: 'GET', headers: [], credentials: 'omit', mode: 'cors', ...request },
    response: { preflight: null, actual: ok([ACAO_ANY]), ...response },
  };
}

/** The decision that settled a blocked case, checked to be its last one too. */
function blockedBy(c: CorsCase): Decision {
  const decided = evaluateDecisions(c);
  expect(decided.outcome).toBe('blocked');
  expect(decided.decisions.at(-1)).toEqual(decided.reason);
  return decided.reason;
}

test.describe('corsCheck returns a structured decision', () => {
  const acao = (value: string): Header => ['Access-Control-Allow-Origin', value];
  const acac = (value: string): Header => ['Access-Control-Allow-Credentials', value];
  const table: Array<[label: string, headers: Header[], credentials: Credentials, ok: boolean, result: CorsCheckDecision['result']]> = [
    ['no ACAO', [], 'omit', false, 'acao-absent'],
    ['* without credentials', [ACAO_ANY], 'same-origin', true, 'wildcard-ok'],
    ['two ACAO lines', [acao(PAGE), acao(PAGE)], 'omit', false, 'combined-lines'],
    ['* with credentials', [ACAO_ANY, acac('true')], 'include', false, 'wildcard-with-credentials'],
    ['trailing slash', [acao(`${PAGE}/`)], 'omit', false, 'origin-mismatch'],
    ['the origin', [acao(PAGE)], 'omit', true, 'origin-ok'],
    ['ACAC True', [acao(PAGE), acac('True')], 'include', false, 'acac-not-true'],
    ['ACAC absent', [acao(PAGE)], 'include', false, 'acac-not-true'],
    ['the origin and ACAC true', [acao(PAGE), acac('true')], 'include', true, 'credentialed-ok'],
  ];
  for (const [label, headers, credentials, passes, result] of table) {
    test(`${label} → ${result}`, () => {
      const check = corsCheck(headers, PAGE, credentials);
      expect(check.ok).toBe(passes);
      expect(check.decision).toMatchObject({ kind: 'cors-check', result, anchor: ANCHOR.corsCheck, facts: { requestOrigin: PAGE, credentials } });
      expect(check.decision.facts.response).toBeUndefined();
    });
  }

  test('the facts carry the header values the sentence needs', () => {
    expect(corsCheck([acao(PAGE), acao('http://c.test')], PAGE, 'omit').decision.facts).toEqual({
      requestOrigin: PAGE,
      credentials: 'omit',
      allowOrigin: `${PAGE}, http://c.test`,
      allowOriginLines: 2,
      allowCredentials: null,
    });
    expect(corsCheck([acao(PAGE), acac('yes')], PAGE, 'include').decision.facts).toMatchObject({
      allowOrigin: PAGE,
      allowOriginLines: 1,
      allowCredentials: 'yes',
    });
  });
});

test.describe('renderer', () => {
  const facts = { requestOrigin: PAGE, credentials: 'include' as const, allowOriginLines: 1, allowCredentials: null };
  const check = (
    result: Exclude<CorsCheckDecision['result'], 'acao-absent'>,
    allowOrigin: string,
    extra: Partial<Omit<CorsCheckDecision['facts'], 'allowOrigin'>> = {},
  ): CorsCheckDecision => ({
    kind: 'cors-check',
    result,
    facts: { ...facts, allowOrigin, ...extra },
    anchor: ANCHOR.corsCheck,
  });

  test('each CORS check result in words', () => {
    expect(renderDecision({ kind: 'cors-check', result: 'acao-absent', facts: { ...facts, allowOrigin: null }, anchor: ANCHOR.corsCheck })).toBe(
      'Access-Control-Allow-Origin is absent, so the CORS check fails.',
    );
    expect(renderDecision(check('combined-lines', `${PAGE}, ${PAGE}`, { allowOriginLines: 2 }))).toBe(
      `2 Access-Control-Allow-Origin lines combine to "${PAGE}, ${PAGE}", which can never equal the request origin "${PAGE}", so the CORS check fails.`,
    );
    expect(renderDecision(check('wildcard-with-credentials', '*'))).toBe(
      `Access-Control-Allow-Origin * is not a wildcard when the credentials mode is include, and it is not the request origin "${PAGE}", so the CORS check fails.`,
    );
    expect(renderDecision(check('origin-mismatch', 'http://c.test'))).toBe(
      `Access-Control-Allow-Origin "http://c.test" is not byte-for-byte the serialized request origin "${PAGE}", so the CORS check fails.`,
    );
    expect(renderDecision(check('acac-not-true', PAGE))).toBe(
      'With credentials mode include, Access-Control-Allow-Credentials must be exactly "true" but is absent, so the CORS check fails.',
    );
    expect(renderDecision(check('acac-not-true', PAGE, { allowCredentials: 'True' }))).toContain('but is "True"');
    expect(renderDecision(check('credentialed-ok', PAGE, { allowCredentials: 'true' }))).toBe(
      `Access-Control-Allow-Origin equals "${PAGE}" and Access-Control-Allow-Credentials is true, so the credentialed CORS check passes.`,
    );
  });

  test('a CORS check names the response it was applied to', () => {
    const hop = { origin: 'http://c.test', index: 1 };
    expect(renderDecision(check('origin-ok', PAGE, { response: { stage: 'actual', status: 302, redirect: true, hop } }))).toBe(
      `The 302 redirect response from http://c.test (after redirect 1): Access-Control-Allow-Origin equals the request origin "${PAGE}", so the CORS check passes.`,
    );
    expect(renderDecision(check('origin-ok', PAGE, { response: { stage: 'actual', status: 200, redirect: false, hop: { ...hop, index: 0 } } }))).toMatch(
      /^The 200 response from http:\/\/c\.test: /,
    );
    expect(renderDecision(check('origin-mismatch', '*', { response: { stage: 'preflight', status: 404, handled: false } }))).toMatch(
      /^The preflight response \(404: the server has no preflight handling\): /,
    );
    // Inside a passed preflight the check's own sentence follows the status, without the response's name.
    const passed: Decision = {
      kind: 'preflight',
      result: 'passed-check',
      facts: { status: 204, check: check('credentialed-ok', PAGE, { response: { stage: 'preflight', status: 204, handled: true } }) },
      anchor: ANCHOR.corsPreflightFetch,
    };
    expect(renderDecision(passed)).toBe(
      `The preflight response has an ok status (204); Access-Control-Allow-Origin equals "${PAGE}" and Access-Control-Allow-Credentials is true, so the credentialed CORS check passes.`,
    );
  });

  test('a method not allowed says why', () => {
    const notAllowed = (allowed: string[] | null, wildcardWithCredentials: boolean, caseMismatch: boolean): Decision => ({
      kind: 'allow-methods',
      result: 'not-allowed',
      facts: { method: 'PUT', allowed, wildcardWithCredentials, caseMismatch },
      anchor: ANCHOR.corsPreflightFetch,
    });
    expect(renderDecision(notAllowed(null, false, false))).toBe('Method PUT is not allowed: Access-Control-Allow-Methods is absent.');
    expect(renderDecision(notAllowed(['GET', 'put'], false, true))).toBe(
      'Method PUT is not allowed: Access-Control-Allow-Methods is "GET, put" (method names match case-sensitively).',
    );
    expect(renderDecision(notAllowed(['*', 'put'], true, true))).toBe(
      'Method PUT is not allowed: Access-Control-Allow-Methods is "*, put" (* is only a wildcard without credentials mode include).',
    );
  });

  test('a prior request nests the decision that blocked it, without its full stop', () => {
    const reason: Decision = {
      kind: 'allow-headers',
      result: 'not-allowed',
      facts: { name: 'X-A', allowed: null, wildcardWithCredentials: false },
      anchor: ANCHOR.corsPreflightFetch,
    };
    const prior: Decision = {
      kind: 'prior-request',
      result: 'blocked',
      facts: { number: 2, method: 'PUT', headerNames: ['X-A', 'X-B'], credentials: 'include', preflight: true, waitMs: 1500, reason },
      anchor: ANCHOR.corsPreflightCache,
    };
    expect(renderStep(prior)).toEqual({
      decision:
        'Prior request 2 (PUT with X-A, X-B, credentials include) sends a preflight and is blocked (Request header X-A is not allowed by Access-Control-Allow-Headers (absent)); then 1500 ms pass.',
      anchor: ANCHOR.corsPreflightCache,
    });
  });

  test('max-age and redirect limits come from the facts', () => {
    expect(
      renderDecision({
        kind: 'preflight',
        result: 'cache-entry',
        facts: { maxAge: { seconds: 2, source: 'header', limited: true } },
        anchor: ANCHOR.corsPreflightCache,
      }),
    ).toBe('Access-Control-Max-Age gives 2 s, lowered to the imposed limit; the allowed methods and header names are cached with it.');
    expect(renderDecision({ kind: 'redirect', result: 'too-many', facts: { limit: 20 }, anchor: ANCHOR.httpRedirectFetch })).toBe(
      'This would be redirect number 21; after 20 redirects HTTP-redirect fetch returns a network error.',
    );
  });
});

test.describe('evaluateDecisions: the decisions behind a case', () => {
  test('CORS check failures of each kind settle the case with their facts', () => {
    const failing: Array<[Header[], Credentials, CorsCheckDecision['result']]> = [
      [[], 'omit', 'acao-absent'],
      [
        [
          ['Access-Control-Allow-Origin', PAGE],
          ['Access-Control-Allow-Origin', PAGE],
        ],
        'omit',
        'combined-lines',
      ],
      [[ACAO_ANY], 'include', 'wildcard-with-credentials'],
      [[['Access-Control-Allow-Origin', 'http://a.test:80x']], 'omit', 'origin-mismatch'],
      [[['Access-Control-Allow-Origin', PAGE]], 'include', 'acac-not-true'],
    ];
    for (const [headers, credentials, result] of failing) {
      const reason = blockedBy(makeCase({ credentials }, { actual: ok(headers) }));
      expect(reason).toMatchObject({
        kind: 'cors-check',
        result,
        anchor: ANCHOR.corsCheck,
        facts: { requestOrigin: PAGE, credentials, response: { stage: 'actual', status: 200, redirect: false, hop: { origin: 'http://b.test', index: 0 } } },
      });
    }
  });

  test('a preflight with no CORS headers fails its CORS check', () => {
    expect(blockedBy(makeCase({ method: 'PUT' }))).toMatchObject({
      kind: 'cors-check',
      result: 'acao-absent',
      facts: { allowOrigin: null, response: { stage: 'preflight', status: 404, handled: false } },
    });
  });

  test('a preflight that does not allow the method', () => {
    const preflight = ok([ACAO_ANY, ['Access-Control-Allow-Methods', 'GET, put']], 204);
    const decided = evaluateDecisions(makeCase({ method: 'PUT' }, { preflight }));
    expect(decided.preflight).toBe(true);
    expect(decided.decisions.map((d) => `${d.kind}/${d.result}`)).toEqual([
      'main-fetch/cors-preflight-needed',
      'preflight/sent',
      'preflight/passed-check',
      'allow-methods/not-allowed',
    ]);
    expect(decided.reason).toEqual({
      kind: 'allow-methods',
      result: 'not-allowed',
      facts: { method: 'PUT', allowed: ['GET', 'put'], wildcardWithCredentials: false, caseMismatch: true },
      anchor: ANCHOR.corsPreflightFetch,
    });
  });

  test('a preflight that does not allow a header', () => {
    const preflight = ok([ACAO_ANY, ['Access-Control-Allow-Headers', 'X-Other, *']], 204);
    expect(blockedBy(makeCase({ headers: [['X-Custom', '1']], credentials: 'include' }, { preflight }))).toMatchObject({
      kind: 'cors-check',
      result: 'wildcard-with-credentials',
    });
    const credentialed = ok(
      [
        ['Access-Control-Allow-Origin', PAGE],
        ['Access-Control-Allow-Credentials', 'true'],
        ['Access-Control-Allow-Headers', 'X-Other, *'],
      ],
      204,
    );
    expect(blockedBy(makeCase({ headers: [['X-Custom', '1']], credentials: 'include' }, { preflight: credentialed }))).toEqual({
      kind: 'allow-headers',
      result: 'not-allowed',
      facts: { name: 'x-custom', allowed: ['X-Other', '*'], wildcardWithCredentials: true },
      anchor: ANCHOR.corsPreflightFetch,
    });
    const authorization = blockedBy(makeCase({ headers: [['Authorization', 'x']] }, { preflight: ok([ACAO_ANY, ['Access-Control-Allow-Headers', '*']], 204) }));
    expect(authorization).toEqual({
      kind: 'allow-headers',
      result: 'authorization-not-listed',
      facts: { allowed: ['*'], wildcard: true },
      anchor: ANCHOR.corsNonWildcardRequestHeaderName,
    });
  });

  test('a cross-origin redirect taints the request, so the next hop sees origin "null"', () => {
    const next: CaseResponse = { preflight: null, actual: ok([['Access-Control-Allow-Origin', PAGE]]) };
    const decided = evaluateDecisions(makeCase({}, { actual: { status: 302, headers: [ACAO_ANY], redirect: { to: 'http://c.test', next } } }));
    const followed = decided.decisions.find((d) => d.kind === 'redirect' && d.result === 'followed');
    expect(followed).toEqual({
      kind: 'redirect',
      result: 'followed',
      facts: { status: 302, to: 'http://c.test', tainted: true },
      anchor: ANCHOR.serializingRequestOrigin,
    });
    expect(decided.outcome).toBe('blocked');
    expect(decided.reason).toMatchObject({
      kind: 'cors-check',
      result: 'origin-mismatch',
      facts: { requestOrigin: 'null', allowOrigin: PAGE, response: { stage: 'actual', status: 200, hop: { origin: 'http://c.test', index: 1 } } },
    });
    expect(renderDecision(decided.reason)).toBe(
      `The 200 response from http://c.test (after redirect 1): Access-Control-Allow-Origin "${PAGE}" is not byte-for-byte the serialized request origin "null", so the CORS check fails.`,
    );
  });

  test('an allowed CORS response is allowed because of its last CORS check', () => {
    const decided = evaluateDecisions(makeCase({ readHeaders: ['Content-Type'] }));
    expect(decided).toMatchObject({ outcome: 'allowed', preflight: false, readable: [] });
    expect(decided.reason).toMatchObject({ kind: 'cors-check', result: 'wildcard-ok' });
    expect(decided.decisions.at(-1)).toEqual({ kind: 'expose-headers', result: 'absent', facts: {}, anchor: ANCHOR.corsExposedHeaderNameList });
  });

  test('request construction is decided too', () => {
    expect(blockedBy(makeCase({ method: 'CONNECT' }))).toEqual({
      kind: 'request',
      result: 'forbidden-method',
      facts: { method: 'CONNECT' },
      anchor: ANCHOR.forbiddenMethod,
    });
  });

  test('evaluate() is evaluateDecisions() in words, over the whole catalog', () => {
    const anchors = new Set<string>(Object.values(ANCHOR));
    const wrong: string[] = [];
    for (const c of referenceCases(undefined)) {
      const decided = evaluateDecisions(c);
      const spec = evaluate(c);
      const words = JSON.stringify({ outcome: decided.outcome, reason: renderDecision(decided.reason), steps: decided.decisions.map(renderStep) });
      if (words !== JSON.stringify({ outcome: spec.outcome, reason: spec.reason, steps: spec.steps })) wrong.push(`${c.id}: differs from evaluate()`);
      for (const d of decided.decisions) if (!anchors.has(d.anchor)) wrong.push(`${c.id}: ${d.kind}/${d.result} cites ${d.anchor}`);
    }
    expect(wrong).toEqual([]);
  });
});
