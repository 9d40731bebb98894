// The spec model end to end: one declarative case in, the standard's expectation out.
import { test, expect } from '@playwright/test';
import type { CaseRequest, CaseResponse, CorsCase, Header, RedirectRecipe, ResponseRecipe } from '../../model/case.ts';
import { ANCHOR, evaluate } from '../../oracle/index.ts';

const PAGE = 'http://a.test';
const ACAO_ANY: Header = ['Access-Control-Allow-Origin', '*'];

interface CaseParts {
  request?: Partial<CaseRequest>;
  preflight?: ResponseRecipe | null;
  actual?: ResponseRecipe;
}

function makeCase(parts: CaseParts = {}): CorsCase {
  const response: CaseResponse = {
    preflight: parts.preflight ?? null,
    actual: parts.actual ?? { status: 200, headers: [ACAO_ANY] },
  };
  return {
    id: 'unit',
    group: 'basics',
    title: 'unit',
    request: {
      page: { origin: PAGE },
      url: 'http://b.test/r',
      method: 'GET',
      headers: [],
      credentials: 'omit',
      mode: 'cors',
      ...parts.request,
    },
    response,
  };
}

const ok = (headers: Header[], status = 200): ResponseRecipe => ({ status, headers });
const redirect = (status: number, headers: Header[], to: string, next: CaseResponse, userinfo?: string): ResponseRecipe => {
  const r: RedirectRecipe = { to, next };
  if (userinfo !== undefined) r.userinfo = userinfo;
  return { status, headers, redirect: r };
};

test.describe('CORS protocol and credentials table (§3.3.5)', () => {
  const table: Array<[credentials: 'omit' | 'include', acao: string, acac: string | null, shared: boolean]> = [
    ['omit', '*', null, true],
    ['omit', '*', 'true', true],
    ['omit', 'https://rabbit.invalid/', null, false],
    ['omit', 'https://rabbit.invalid', null, true],
    ['include', '*', 'true', false],
    ['include', 'https://rabbit.invalid', 'true', true],
    ['include', 'https://rabbit.invalid', 'True', false],
  ];
  for (const [credentials, acao, acac, shared] of table) {
    test(`${credentials} / ${acao} / ${acac ?? 'omitted'} → ${shared ? 'shared' : 'not shared'}`, () => {
      const headers: Header[] = [['Access-Control-Allow-Origin', acao]];
      if (acac !== null) headers.push(['Access-Control-Allow-Credentials', acac]);
      const e = evaluate(
        makeCase({ request: { page: { origin: 'https://rabbit.invalid' }, url: 'https://other.invalid/r', credentials }, actual: ok(headers) }),
      );
      expect(e.outcome).toBe(shared ? 'allowed' : 'blocked');
      expect(e.preflight).toBe(false);
      expect(e.anchors).toContain(ANCHOR.corsCheck);
    });
  }
});

test.describe('CORS check details (§4.10)', () => {
  const table: Array<[label: string, headers: Header[], allowed: boolean]> = [
    ['no ACAO', [], false],
    ['exact origin', [['Access-Control-Allow-Origin', PAGE]], true],
    ['upper-case origin', [['Access-Control-Allow-Origin', 'HTTP://A.TEST']], false],
    ['trailing slash', [['Access-Control-Allow-Origin', `${PAGE}/`]], false],
    ['other origin', [['Access-Control-Allow-Origin', 'http://c.test']], false],
    [
      'two identical lines',
      [
        ['Access-Control-Allow-Origin', PAGE],
        ['Access-Control-Allow-Origin', PAGE],
      ],
      false,
    ],
    ['two * lines', [ACAO_ANY, ACAO_ANY], false],
    ['"null" for a tuple origin', [['Access-Control-Allow-Origin', 'null']], false],
    ['surrounding whitespace is not part of the field value', [['Access-Control-Allow-Origin', ` ${PAGE} `]], true],
  ];
  for (const [label, headers, allowed] of table) {
    test(label, () => expect(evaluate(makeCase({ actual: ok(headers) })).outcome).toBe(allowed ? 'allowed' : 'blocked'));
  }

  test('a failing actual response can have any status; an allowed one too', () => {
    expect(evaluate(makeCase({ actual: ok([ACAO_ANY], 500) })).outcome).toBe('allowed');
    expect(evaluate(makeCase({ actual: ok([], 404) })).outcome).toBe('blocked');
  });

  test('multiple ACAO lines name the "get" combination in the reason', () => {
    const e = evaluate(makeCase({ actual: ok([ACAO_ANY, ACAO_ANY]) }));
    expect(e.reason).toContain('combine');
  });
});

test.describe('origins and modes (§4.1 main fetch)', () => {
  test('same-origin uses basic tainting: no CORS, no preflight, everything but Set-Cookie readable', () => {
    const e = evaluate(
      makeCase({
        request: { url: `${PAGE}/r`, method: 'PUT', headers: [['X-A', '1']], readHeaders: ['X-B', 'Set-Cookie', 'Missing'] },
        actual: ok([
          ['X-B', '2'],
          ['Set-Cookie', 'a=b'],
        ]),
      }),
    );
    expect(e).toMatchObject({ outcome: 'allowed', preflight: false, readable: ['X-B'] });
    expect(e.anchors).toContain(ANCHOR.mainFetch);
    expect(e.anchors).not.toContain(ANCHOR.corsCheck);
  });

  test('mode same-origin to a cross-origin URL is a network error', () => {
    const e = evaluate(makeCase({ request: { mode: 'same-origin' } }));
    expect(e).toMatchObject({ outcome: 'blocked', preflight: false });
    expect(e.anchors).toContain(ANCHOR.mainFetch);
  });

  test('mode same-origin to the same origin is fine', () => {
    expect(evaluate(makeCase({ request: { mode: 'same-origin', url: `${PAGE}/r` }, actual: ok([]) })).outcome).toBe('allowed');
  });

  test('no-cors resolves opaque: no preflight, nothing readable, even without ACAO', () => {
    const e = evaluate(
      makeCase({ request: { mode: 'no-cors', headers: [['X-A', '1']], readHeaders: ['Content-Type'] }, actual: ok([['Content-Type', 'text/plain']]) }),
    );
    expect(e).toMatchObject({ outcome: 'allowed', preflight: false, readable: [] });
    expect(e.anchors).toContain(ANCHOR.filteredResponseOpaque);
  });

  test('no-cors with a non-safelisted method throws at construction', () => {
    const e = evaluate(makeCase({ request: { mode: 'no-cors', method: 'PUT' } }));
    expect(e.outcome).toBe('blocked');
    expect(e.reason).toContain('TypeError');
  });

  test('no-cors requires redirect mode follow', () => {
    expect(evaluate(makeCase({ request: { mode: 'no-cors', redirect: 'manual' } })).outcome).toBe('blocked');
    expect(evaluate(makeCase({ request: { mode: 'no-cors', redirect: 'error' } })).outcome).toBe('blocked');
  });

  test('opaque-origin documents send "null": ACAO null or * pass, the page origin does not', () => {
    const page = { origin: PAGE, opaque: 'sandboxed-iframe' as const };
    const run = (headers: Header[], credentials: 'omit' | 'include' = 'omit') =>
      evaluate(makeCase({ request: { page, credentials }, actual: ok(headers) })).outcome;
    expect(run([['Access-Control-Allow-Origin', 'null']])).toBe('allowed');
    expect(run([ACAO_ANY])).toBe('allowed');
    expect(run([['Access-Control-Allow-Origin', PAGE]])).toBe('blocked');
    expect(
      run(
        [
          ['Access-Control-Allow-Origin', 'null'],
          ['Access-Control-Allow-Credentials', 'true'],
        ],
        'include',
      ),
    ).toBe('allowed');
  });

  test('an opaque-origin document is cross-origin even to its embedding page', () => {
    const e = evaluate(makeCase({ request: { page: { origin: PAGE, opaque: 'data-iframe' }, url: `${PAGE}/r` }, actual: ok([]) }));
    expect(e.outcome).toBe('blocked');
  });

  test('GET with a body throws at construction', () => {
    const e = evaluate(makeCase({ request: { body: 'x' } }));
    expect(e.outcome).toBe('blocked');
    expect(e.reason).toContain('TypeError');
  });
});

test.describe('when a preflight is needed', () => {
  const preflightOk = ok([ACAO_ANY, ['Access-Control-Allow-Methods', '*'], ['Access-Control-Allow-Headers', '*']]);
  const table: Array<[label: string, request: Partial<CaseRequest>, preflight: boolean]> = [
    ['simple GET', {}, false],
    ['simple POST with text body', { method: 'POST', body: 'x' }, false],
    ['lowercase post is normalized', { method: 'post', body: 'x' }, false],
    ['PUT', { method: 'PUT' }, true],
    ['patch stays lowercase and unsafe', { method: 'patch' }, true],
    ['custom header', { headers: [['X-A', '1']] }, true],
    ['Content-Type text/plain;charset=utf-8', { method: 'POST', headers: [['Content-Type', 'text/plain;charset=utf-8']], body: 'x' }, false],
    ['Content-Type application/json', { method: 'POST', headers: [['Content-Type', 'application/json']], body: '{}' }, true],
    ['Range bytes=0-', { headers: [['Range', 'bytes=0-']] }, false],
    ['Range bytes=-500', { headers: [['Range', 'bytes=-500']] }, true],
    ['Accept of 129 bytes', { headers: [['Accept', 'a'.repeat(129)]] }, true],
    ['forbidden Cookie header is dropped', { headers: [['Cookie', 'a=b']] }, false],
    ['Authorization', { headers: [['Authorization', 'Bearer x']] }, true],
  ];
  for (const [label, request, preflight] of table) {
    test(`${label} → ${preflight ? 'preflight' : 'no preflight'}`, () => {
      const e = evaluate(makeCase({ request, preflight: preflightOk }));
      expect(e.preflight).toBe(preflight);
    });
  }
});

test.describe('CORS-preflight fetch (§4.8)', () => {
  const put = (preflight: ResponseRecipe | null, extra: Partial<CaseRequest> = {}) => evaluate(makeCase({ request: { method: 'PUT', ...extra }, preflight }));

  test('no preflight handling (404) fails', () => {
    const e = put(null);
    expect(e).toMatchObject({ outcome: 'blocked', preflight: true });
  });

  const statuses: Array<[number, boolean]> = [
    [200, true],
    [204, true],
    [299, true],
    [300, false],
    [301, false],
    [302, false],
    [304, false],
    [307, false],
    [400, false],
    [404, false],
    [500, false],
  ];
  for (const [status, passes] of statuses) {
    test(`preflight status ${status} → ${passes ? 'ok' : 'fails'}`, () => {
      const e = put(ok([ACAO_ANY, ['Access-Control-Allow-Methods', 'PUT']], status));
      expect(e.outcome).toBe(passes ? 'allowed' : 'blocked');
      if (!passes) expect(e.anchors).toContain(ANCHOR.okStatus);
    });
  }

  test('a redirected preflight is never followed', () => {
    const next: CaseResponse = { preflight: ok([ACAO_ANY, ['Access-Control-Allow-Methods', 'PUT']]), actual: ok([ACAO_ANY]) };
    const e = put(redirect(307, [ACAO_ANY, ['Access-Control-Allow-Methods', 'PUT']], 'http://c.test', next));
    expect(e).toMatchObject({ outcome: 'blocked', preflight: true });
    expect(e.reason).toContain('never followed');
  });

  test('the preflight needs its own ACAO', () => {
    expect(put(ok([['Access-Control-Allow-Methods', 'PUT']])).outcome).toBe('blocked');
  });

  const methods: Array<[method: string, acam: string | null, credentials: 'omit' | 'include', allowed: boolean]> = [
    ['PUT', 'PUT', 'omit', true],
    ['PUT', 'GET, PUT', 'omit', true],
    ['PUT', 'put', 'omit', false],
    ['PUT', null, 'omit', false],
    ['PUT', '', 'omit', false],
    ['PUT', '*', 'omit', true],
    ['PUT', '*', 'include', false],
    ['PUT', '*, PUT', 'include', true],
    ['patch', 'PATCH', 'omit', false],
    ['PATCH', 'PATCH', 'omit', true],
    ['patch', 'patch', 'omit', true],
    ['delete', 'DELETE', 'omit', true],
    ['CHICKEN', 'CHICKEN', 'omit', true],
    ['PUT', 'PUT POST', 'omit', false],
  ];
  for (const [method, acam, credentials, allowed] of methods) {
    test(`method ${method} with ACAM ${acam ?? '(absent)'}, ${credentials} → ${allowed ? 'allowed' : 'blocked'}`, () => {
      const origin: Header[] =
        credentials === 'include'
          ? [
              ['Access-Control-Allow-Origin', PAGE],
              ['Access-Control-Allow-Credentials', 'true'],
            ]
          : [ACAO_ANY];
      const preflightHeaders: Header[] = [...origin];
      if (acam !== null) preflightHeaders.push(['Access-Control-Allow-Methods', acam]);
      const e = evaluate(makeCase({ request: { method, credentials }, preflight: ok(preflightHeaders), actual: ok(origin) }));
      expect(e).toMatchObject({ outcome: allowed ? 'allowed' : 'blocked', preflight: true });
    });
  }

  test('a safelisted method needs no ACAM even when a preflight is made for headers', () => {
    const e = evaluate(
      makeCase({ request: { method: 'POST', headers: [['X-A', '1']], body: 'x' }, preflight: ok([ACAO_ANY, ['Access-Control-Allow-Headers', 'x-a']]) }),
    );
    expect(e).toMatchObject({ outcome: 'allowed', preflight: true });
  });

  const headerCases: Array<[headers: Header[], acah: string | null, credentials: 'omit' | 'include', allowed: boolean]> = [
    [[['X-A', '1']], 'X-A', 'omit', true],
    [[['X-A', '1']], 'x-a', 'omit', true],
    [
      [
        ['X-A', '1'],
        ['X-B', '2'],
      ],
      'x-a',
      'omit',
      false,
    ],
    [
      [
        ['X-A', '1'],
        ['X-B', '2'],
      ],
      'x-b, x-a',
      'omit',
      true,
    ],
    [[['X-A', '1']], null, 'omit', false],
    [[['X-A', '1']], '*', 'omit', true],
    [[['X-A', '1']], '*', 'include', false],
    [[['X-A', '1']], '*, x-a', 'include', true],
    [[['Authorization', 'Bearer x']], '*', 'omit', false],
    [[['Authorization', 'Bearer x']], '*, Authorization', 'omit', true],
    [[['Authorization', 'Bearer x']], 'authorization', 'omit', true],
    [
      [
        ['Authorization', 'Bearer x'],
        ['X-A', '1'],
      ],
      'Authorization, *',
      'omit',
      true,
    ],
    [
      [
        ['Authorization', 'Bearer x'],
        ['X-A', '1'],
      ],
      'Authorization, *',
      'include',
      false,
    ],
    [[['X-A', '1']], 'x-a x-b', 'omit', false],
    [[['Content-Type', 'application/json']], 'content-type', 'omit', true],
  ];
  for (const [headers, acah, credentials, allowed] of headerCases) {
    const names = headers.map(([n]) => n).join('+');
    test(`headers ${names} with ACAH ${acah ?? '(absent)'}, ${credentials} → ${allowed ? 'allowed' : 'blocked'}`, () => {
      const origin: Header[] =
        credentials === 'include'
          ? [
              ['Access-Control-Allow-Origin', PAGE],
              ['Access-Control-Allow-Credentials', 'true'],
            ]
          : [ACAO_ANY];
      const preflightHeaders: Header[] = [...origin];
      if (acah !== null) preflightHeaders.push(['Access-Control-Allow-Headers', acah]);
      const method = headers.some(([n]) => n === 'Content-Type') ? 'POST' : 'GET';
      const body = method === 'POST' ? '{}' : undefined;
      const e = evaluate(makeCase({ request: { method, headers, credentials, body }, preflight: ok(preflightHeaders), actual: ok(origin) }));
      expect(e).toMatchObject({ outcome: allowed ? 'allowed' : 'blocked', preflight: true });
    });
  }

  test('ACAH * and Authorization cites the non-wildcard rule', () => {
    const e = evaluate(makeCase({ request: { headers: [['Authorization', 'x']] }, preflight: ok([ACAO_ANY, ['Access-Control-Allow-Headers', '*']]) }));
    expect(e.anchors).toContain(ANCHOR.corsNonWildcardRequestHeaderName);
    expect(e.reason).toContain('Authorization');
  });

  test('a credentialed request needs ACAC true on the preflight too', () => {
    const creds: Header[] = [
      ['Access-Control-Allow-Origin', PAGE],
      ['Access-Control-Allow-Credentials', 'true'],
    ];
    const run = (preflight: Header[]) =>
      evaluate(
        makeCase({
          request: { method: 'PUT', credentials: 'include' },
          preflight: ok([...preflight, ['Access-Control-Allow-Methods', 'PUT']]),
          actual: ok(creds),
        }),
      );
    expect(run(creds).outcome).toBe('allowed');
    expect(run([['Access-Control-Allow-Origin', PAGE]]).outcome).toBe('blocked');
    expect(run([ACAO_ANY, ['Access-Control-Allow-Credentials', 'true']]).outcome).toBe('blocked');
  });

  test('credentials same-origin is not include: * works cross-origin', () => {
    const e = evaluate(makeCase({ request: { method: 'PUT', credentials: 'same-origin' }, preflight: ok([ACAO_ANY, ['Access-Control-Allow-Methods', '*']]) }));
    expect(e.outcome).toBe('allowed');
  });

  test('the actual response still needs its own CORS check after a good preflight', () => {
    const e = put(ok([ACAO_ANY, ['Access-Control-Allow-Methods', 'PUT']]), {});
    expect(e.outcome).toBe('allowed');
    const blocked = evaluate(makeCase({ request: { method: 'PUT' }, preflight: ok([ACAO_ANY, ['Access-Control-Allow-Methods', 'PUT']]), actual: ok([]) }));
    expect(blocked).toMatchObject({ outcome: 'blocked', preflight: true });
  });
});

test.describe('CORS-preflight cache across prior requests (§4.9)', () => {
  const preflightWith = (...extra: Header[]): ResponseRecipe => ok([ACAO_ANY, ['Access-Control-Allow-Methods', 'PUT'], ...extra]);
  const withPrior = (preflight: ResponseRecipe, waits: number[], request: Partial<CaseRequest> = {}) =>
    evaluate(makeCase({ request: { method: 'PUT', prior: waits.map((waitMs) => ({ waitMs })), ...request }, preflight }));

  const lifetimes: Array<[acma: string | null, waitMs: number, preflight: boolean]> = [
    ['10', 9999, false],
    ['10', 10000, true],
    [null, 4999, false],
    [null, 5000, true],
    ['0', 0, true],
    ['-1', 4000, false],
    ['abc', 6000, true],
  ];
  for (const [acma, waitMs, preflight] of lifetimes) {
    test(`max-age ${acma ?? '(absent)'}, ${waitMs} ms later → ${preflight ? 'new preflight' : 'cached'}`, () => {
      const e = withPrior(acma === null ? preflightWith() : preflightWith(['Access-Control-Max-Age', acma]), [waitMs]);
      expect(e).toMatchObject({ outcome: 'allowed', preflight });
      expect(e.steps[0]?.decision).toContain('Prior request 1');
    });
  }

  test('an imposed limit shortens the lifetime', () => {
    const c = makeCase({ request: { method: 'PUT', prior: [{ waitMs: 3000 }] }, preflight: preflightWith(['Access-Control-Max-Age', '600']) });
    expect(evaluate(c).preflight).toBe(false);
    expect(evaluate(c, { maxAgeLimitSeconds: 2 }).preflight).toBe(true);
  });

  test('a cached * header entry is never reused for Authorization', () => {
    const e = evaluate(
      makeCase({
        request: { headers: [['Authorization', 'x']], prior: [{ headers: [['X-A', '1']], waitMs: 0 }] },
        preflight: ok([ACAO_ANY, ['Access-Control-Allow-Headers', '*']]),
      }),
    );
    expect(e).toMatchObject({ outcome: 'blocked', preflight: true });
  });

  test('a cached * header entry covers other names', () => {
    const e = evaluate(
      makeCase({
        request: { headers: [['X-B', '1']], prior: [{ headers: [['X-A', '1']], waitMs: 0 }] },
        preflight: ok([ACAO_ANY, ['Access-Control-Allow-Headers', '*']]),
      }),
    );
    expect(e).toMatchObject({ outcome: 'allowed', preflight: false });
  });

  const creds: Header[] = [
    ['Access-Control-Allow-Origin', PAGE],
    ['Access-Control-Allow-Credentials', 'true'],
  ];
  const credPreflight = ok([...creds, ['Access-Control-Allow-Methods', 'PUT'], ['Access-Control-Max-Age', '60']]);

  test('a credentialed entry serves an uncredentialed request', () => {
    const e = evaluate(makeCase({ request: { method: 'PUT', prior: [{ credentials: 'include', waitMs: 0 }] }, preflight: credPreflight, actual: ok(creds) }));
    expect(e).toMatchObject({ outcome: 'allowed', preflight: false });
  });

  test('an uncredentialed entry does not serve a credentialed request', () => {
    const e = evaluate(
      makeCase({
        request: { method: 'PUT', credentials: 'include', prior: [{ credentials: 'omit', waitMs: 0 }] },
        preflight: credPreflight,
        actual: ok(creds),
      }),
    );
    expect(e).toMatchObject({ outcome: 'allowed', preflight: true });
  });

  test('a network error clears the cache entries for the origin and URL', () => {
    // Prior 1 (omit) caches PUT; prior 2 (include) fails its preflight on ACAO *, which
    // clears the entries, so the measured request (omit) needs a preflight again.
    const e = evaluate(
      makeCase({
        request: { method: 'PUT', prior: [{ waitMs: 0 }, { credentials: 'include', waitMs: 0 }] },
        preflight: preflightWith(['Access-Control-Max-Age', '60']),
      }),
    );
    expect(e).toMatchObject({ outcome: 'allowed', preflight: true });
    expect(e.steps[1]?.decision).toContain('blocked');
  });

  test('prior requests default to the measured request and can differ', () => {
    const other = evaluate(
      makeCase({ request: { method: 'PUT', prior: [{ method: 'DELETE', waitMs: 0 }] }, preflight: ok([ACAO_ANY, ['Access-Control-Allow-Methods', 'DELETE']]) }),
    );
    expect(other).toMatchObject({ outcome: 'blocked', preflight: true });
    const cachedBoth = evaluate(
      makeCase({
        request: { method: 'PUT', prior: [{ method: 'DELETE', waitMs: 0 }] },
        preflight: ok([ACAO_ANY, ['Access-Control-Allow-Methods', 'DELETE, PUT']]),
      }),
    );
    expect(cachedBoth).toMatchObject({ outcome: 'allowed', preflight: false });
  });
});

test.describe('redirects (§4.4 HTTP fetch, §4.5 HTTP-redirect fetch)', () => {
  const final = (headers: Header[], preflight: ResponseRecipe | null = null): CaseResponse => ({ preflight, actual: ok(headers) });

  test('every hop of a CORS request passes the CORS check, the 3xx included', () => {
    const good = evaluate(makeCase({ actual: redirect(302, [ACAO_ANY], 'http://c.test', final([ACAO_ANY])) }));
    expect(good.outcome).toBe('allowed');
    const bad = evaluate(makeCase({ actual: redirect(302, [], 'http://c.test', final([ACAO_ANY])) }));
    expect(bad.outcome).toBe('blocked');
    expect(bad.reason).toContain('redirect');
  });

  test('after a cross-origin hop the origin serializes as "null"', () => {
    const run = (acao: string) =>
      evaluate(makeCase({ actual: redirect(302, [['Access-Control-Allow-Origin', PAGE]], 'http://c.test', final([['Access-Control-Allow-Origin', acao]])) }));
    expect(run(PAGE).outcome).toBe('blocked');
    expect(run('null').outcome).toBe('allowed');
    expect(run('*').outcome).toBe('allowed');
    expect(run('null').anchors).toContain(ANCHOR.serializingRequestOrigin);
  });

  test('a same-origin hop then a cross-origin one is not tainted', () => {
    const e = evaluate(makeCase({ request: { url: `${PAGE}/r` }, actual: redirect(302, [], 'http://c.test', final([['Access-Control-Allow-Origin', PAGE]])) }));
    expect(e.outcome).toBe('allowed');
  });

  test('a same-origin URL reached through another origin stays CORS and tainted', () => {
    const run = (acao: string) => evaluate(makeCase({ actual: redirect(302, [ACAO_ANY], PAGE, final([['Access-Control-Allow-Origin', acao]])) }));
    expect(run(PAGE).outcome).toBe('blocked');
    expect(run('null').outcome).toBe('allowed');
    expect(evaluate(makeCase({ actual: redirect(302, [ACAO_ANY], PAGE, final([])) })).outcome).toBe('blocked');
  });

  test('redirect mode error fails; manual resolves opaque-redirect', () => {
    const actual = redirect(302, [ACAO_ANY], 'http://c.test', final([ACAO_ANY]));
    expect(evaluate(makeCase({ request: { redirect: 'error' }, actual })).outcome).toBe('blocked');
    const manual = evaluate(makeCase({ request: { redirect: 'manual', readHeaders: ['Content-Type'] }, actual }));
    expect(manual).toMatchObject({ outcome: 'allowed', readable: [] });
    expect(manual.anchors).toContain(ANCHOR.filteredResponseOpaqueRedirect);
  });

  test('userinfo in Location fails a CORS request, not a same-origin one', () => {
    const cross = evaluate(makeCase({ actual: redirect(302, [ACAO_ANY], 'http://c.test', final([ACAO_ANY]), 'user:pass') }));
    expect(cross.outcome).toBe('blocked');
    const same = evaluate(makeCase({ request: { url: `${PAGE}/r` }, actual: redirect(302, [], PAGE, final([]), 'user:pass') }));
    expect(same.outcome).toBe('allowed');
    const toSame = evaluate(makeCase({ actual: redirect(302, [ACAO_ANY], PAGE, final([ACAO_ANY]), 'user') }));
    expect(toSame.outcome).toBe('blocked');
    const noCors = evaluate(makeCase({ request: { mode: 'no-cors' }, actual: redirect(302, [], 'http://c.test', final([]), 'user:pass') }));
    expect(noCors.outcome).toBe('allowed');
  });

  test('20 redirects are followed, the 21st fails', () => {
    const chain = (hops: number): ResponseRecipe => {
      let response: CaseResponse = final([ACAO_ANY]);
      for (let i = 0; i < hops; i++) response = { preflight: null, actual: redirect(307, [ACAO_ANY], 'http://b.test', response) };
      return response.actual;
    };
    expect(evaluate(makeCase({ actual: chain(20) })).outcome).toBe('allowed');
    const e = evaluate(makeCase({ actual: chain(21) }));
    expect(e.outcome).toBe('blocked');
    expect(e.anchors).toContain(ANCHOR.httpRedirectFetch);
  });

  test('303 turns POST into GET and drops body headers, so the next hop needs no preflight', () => {
    const request: Partial<CaseRequest> = { method: 'POST', headers: [['Content-Type', 'application/json']], body: '{}' };
    const preflight = ok([ACAO_ANY, ['Access-Control-Allow-Headers', 'content-type']]);
    const e = evaluate(makeCase({ request, preflight, actual: redirect(303, [ACAO_ANY], 'http://c.test', final([ACAO_ANY])) }));
    expect(e).toMatchObject({ outcome: 'allowed', preflight: true });
    expect(e.steps.filter((s) => s.anchor === ANCHOR.corsPreflightFetch && s.decision.startsWith('A CORS-preflight request'))).toHaveLength(1);
  });

  test('307 keeps the method and headers, so the next hop needs its own preflight', () => {
    const request: Partial<CaseRequest> = { method: 'POST', headers: [['Content-Type', 'application/json']], body: '{}' };
    const preflight = ok([ACAO_ANY, ['Access-Control-Allow-Headers', 'content-type']]);
    const without = evaluate(makeCase({ request, preflight, actual: redirect(307, [ACAO_ANY], 'http://c.test', final([ACAO_ANY])) }));
    expect(without).toMatchObject({ outcome: 'blocked', preflight: true });
    const nextPreflight = ok([
      ['Access-Control-Allow-Origin', 'null'],
      ['Access-Control-Allow-Headers', 'content-type'],
    ]);
    const withIt = evaluate(makeCase({ request, preflight, actual: redirect(307, [ACAO_ANY], 'http://c.test', final([ACAO_ANY], nextPreflight)) }));
    expect(withIt.outcome).toBe('allowed');
  });

  test('a preflight after a cross-origin hop must answer ACAO null or *', () => {
    const request: Partial<CaseRequest> = { method: 'PUT' };
    const preflight = ok([ACAO_ANY, ['Access-Control-Allow-Methods', 'PUT']]);
    const next = (acao: string) =>
      final(
        [ACAO_ANY],
        ok([
          ['Access-Control-Allow-Origin', acao],
          ['Access-Control-Allow-Methods', 'PUT'],
        ]),
      );
    expect(evaluate(makeCase({ request, preflight, actual: redirect(307, [ACAO_ANY], 'http://c.test', next(PAGE)) })).outcome).toBe('blocked');
    expect(evaluate(makeCase({ request, preflight, actual: redirect(307, [ACAO_ANY], 'http://c.test', next('null')) })).outcome).toBe('allowed');
  });

  test('301/302 turn POST into GET; PUT stays PUT', () => {
    const request: Partial<CaseRequest> = { method: 'POST', body: 'x' };
    expect(evaluate(makeCase({ request, actual: redirect(301, [ACAO_ANY], 'http://c.test', final([ACAO_ANY])) })).outcome).toBe('allowed');
    const put = evaluate(
      makeCase({
        request: { method: 'PUT' },
        preflight: ok([ACAO_ANY, ['Access-Control-Allow-Methods', 'PUT']]),
        actual: redirect(302, [ACAO_ANY], 'http://c.test', final([ACAO_ANY])),
      }),
    );
    expect(put.outcome).toBe('blocked');
  });

  test('Authorization is removed on a cross-origin redirect', () => {
    const request: Partial<CaseRequest> = { headers: [['Authorization', 'Bearer x']] };
    const preflight = ok([ACAO_ANY, ['Access-Control-Allow-Headers', 'Authorization']]);
    const e = evaluate(makeCase({ request, preflight, actual: redirect(302, [ACAO_ANY], 'http://c.test', final([ACAO_ANY])) }));
    expect(e.outcome).toBe('allowed');
    expect(e.steps.some((s) => s.decision.includes('Authorization header is removed'))).toBe(true);
  });

  test('a 3xx without a Location is the final response', () => {
    const e = evaluate(makeCase({ actual: ok([ACAO_ANY], 302) }));
    expect(e.outcome).toBe('allowed');
    expect(e.anchors).toContain(ANCHOR.locationUrl);
  });

  test('mode same-origin fails when redirected to another origin', () => {
    const e = evaluate(makeCase({ request: { mode: 'same-origin', url: `${PAGE}/r` }, actual: redirect(302, [], 'http://c.test', final([ACAO_ANY])) }));
    expect(e.outcome).toBe('blocked');
  });
});

test.describe('readable response headers (ACEH)', () => {
  const headers: Header[] = [ACAO_ANY, ['Content-Type', 'text/plain'], ['X-A', '1'], ['Set-Cookie', 'a=b']];
  const read = ['Content-Type', 'X-A', 'Set-Cookie', 'Content-Language', 'X-Missing'];
  const credHeaders: Header[] = [['Access-Control-Allow-Origin', PAGE], ['Access-Control-Allow-Credentials', 'true'], ...headers.slice(1)];

  const table: Array<[label: string, aceh: string | null, credentials: 'omit' | 'include', readable: string[]]> = [
    ['no ACEH: safelisted names present in the response', null, 'omit', ['Content-Type']],
    ['ACEH X-A', 'X-A', 'omit', ['Content-Type', 'X-A']],
    ['ACEH lists Set-Cookie, which stays hidden', 'x-a, Set-Cookie', 'omit', ['Content-Type', 'X-A']],
    ['ACEH * without credentials', '*', 'omit', ['Content-Type', 'X-A']],
    ['ACEH * with credentials is literal', '*', 'include', ['Content-Type']],
    ['ACEH *, X-A with credentials', '*, X-A', 'include', ['Content-Type', 'X-A']],
    ['unparsable ACEH', 'x a', 'omit', ['Content-Type']],
    ['ACEH names an absent header', 'X-Missing', 'omit', ['Content-Type']],
  ];
  for (const [label, aceh, credentials, readable] of table) {
    test(label, () => {
      const base = credentials === 'include' ? credHeaders : headers;
      const actual = ok(aceh === null ? base : [...base, ['Access-Control-Expose-Headers', aceh]]);
      const e = evaluate(makeCase({ request: { credentials, readHeaders: read }, actual }));
      expect(e).toMatchObject({ outcome: 'allowed', readable });
    });
  }

  test('headers the fixture adds count when declared', () => {
    const c = makeCase({ request: { readHeaders: ['Cache-Control'] } });
    expect(evaluate(c).readable).toEqual([]);
    expect(evaluate(c, { implicitResponseHeaders: [['Cache-Control', 'no-store']] }).readable).toEqual(['Cache-Control']);
  });

  test('blocked cases have no readable list', () => {
    const e = evaluate(makeCase({ request: { readHeaders: ['Content-Type'] }, actual: ok([]) }));
    expect(e.readable).toBeUndefined();
  });
});

test.describe('the expectation itself', () => {
  test('anchors are unique full Fetch URLs and cover every step', () => {
    const e = evaluate(
      makeCase({
        request: { method: 'PUT', headers: [['X-A', '1']], prior: [{ waitMs: 1 }], readHeaders: ['X-A'] },
        preflight: ok([ACAO_ANY, ['Access-Control-Allow-Methods', 'PUT'], ['Access-Control-Allow-Headers', 'x-a']]),
        actual: ok([ACAO_ANY, ['X-A', '1'], ['Access-Control-Expose-Headers', 'X-A']]),
      }),
    );
    expect(new Set(e.anchors).size).toBe(e.anchors.length);
    for (const a of e.anchors) expect(a).toMatch(/^https:\/\/(fetch|mimesniff)\.spec\.whatwg\.org\/#[a-z0-9-]+$/);
    expect(e.anchors).toEqual([...new Set(e.steps.map((s) => s.anchor))]);
    expect(e.reason.length).toBeGreaterThan(10);
    expect(e).toMatchObject({ outcome: 'allowed', preflight: false, readable: ['X-A'] });
  });

  test('every anchor constant is a well-formed URL', () => {
    for (const a of Object.values(ANCHOR)) expect(() => new URL(a)).not.toThrow();
  });
});
