// Grading as a signed-in user, without a browser: --cookie and --request-header are checked
// at the door (each error names the flag and the fix, and never repeats the value); the
// given values replace the samples in the intended probes only; the proxy holds the session
// cookies, sets them and takes them back at /__cc/session, and its log redacts every given
// value, a server's echo of it included; findings say whether the session was used.
import { test, expect } from '@playwright/test';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { GradeFlagError, parseCookieFlag, parseRequestHeaderFlag, secretsOf, signedInFrom } from '../../grade/input/signed-in.ts';
import { validatePolicy } from '../../grade/input/policy.ts';
import { buildBattery, policyRequestHeaders, type GradeProbe } from '../../grade/probes/battery.ts';
import { resolveEndpoints } from '../../grade/input/endpoints.ts';
import { judgeProbe, mergeFindings } from '../../grade/judge/judge.ts';
import type { ProbeObservation } from '../../grade/types.ts';
import { sessionClearUrls, sessionSetCookies, sessionSetupUrls } from '../../pipeline/cookies.ts';
import { redactHeaders, redactValue, scrubDeep, scrubSecrets, secretValuesIn } from '../../servers/redact.ts';
import { startProxy } from '../../servers/proxy.ts';
import type { WireExchange } from '../../model/wire.ts';

const POLICY = validatePolicy({
  origins: ['https://app.example.com'],
  methods: ['GET', 'PUT'],
  requestHeaders: ['Authorization', 'X-Api-Key', 'Content-Type'],
  credentials: true,
  maxAge: 600,
  paths: ['/api/me'],
});

const SECRET = 'v4lue-Never-Written';

function flagError(f: () => unknown): string {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(GradeFlagError);
    return (err as Error).message;
  }
  throw new Error('no error');
}

test('--cookie name=value is read as the server would set it', () => {
  expect(parseCookieFlag('sid=abc123')).toEqual({ name: 'sid', value: 'abc123' });
  expect(parseCookieFlag(' __Host-session = a.b-c_d~e:f/g+h%20 ')).toEqual({ name: '__Host-session', value: 'a.b-c_d~e:f/g+h%20' });
  // "=" belongs to the value after the first one (base64 padding).
  expect(parseCookieFlag('token=YWJj==')).toEqual({ name: 'token', value: 'YWJj==' });
  expect(parseCookieFlag('q="quoted"')).toEqual({ name: 'q', value: '"quoted"' });
});

const BAD_COOKIES: Array<[string, string, RegExp]> = [
  ['no "="', SECRET, /^cookie #1 has no "=": write it as name=value, e\.g\. sid=/],
  ['an empty name', `=${SECRET}`, /^cookie #1: the cookie name before "=" is empty; write it as name=value/],
  [
    'a space in the name',
    `my sid=${SECRET}`,
    /^cookie "my sid"=…: the name has a space, which a cookie name cannot hold.*give the name exactly as your server sets it/,
  ],
  ['a semicolon in the name', `s;d=${SECRET}`, /the name has a semicolon/],
  ['a space in the value', `sid=${SECRET} x`, /^cookie sid=…: character 20 of the value is a space, which a cookie value cannot hold.*percent-encoding/],
  ['a semicolon in the value', `sid=${SECRET};x`, /character 20 of the value is a semicolon.*give each cookie on a line of its own/],
  ['a comma in the value', `sid=${SECRET},x`, /is a comma/],
  ['a backslash in the value', `sid=${SECRET}\\x`, /is a backslash/],
  ['a double quote inside the value', `sid=a"${SECRET}`, /character 2 of the value is a double quote/],
  ['a control character', `sid=${SECRET}\u0001`, /a control character \(U\+0001\)/],
  ['non-ASCII', `sid=${SECRET}é`, /is "é", which a cookie value cannot hold/],
  ['an empty value', 'sid=', /^cookie sid=: the value is empty; give the session's value/],
];

for (const [what, raw, message] of BAD_COOKIES) {
  test(`--cookie with ${what} is refused with the fix, without repeating the value`, () => {
    const m = flagError(() => signedInFrom({ cookie: [raw] }, POLICY));
    expect(m).toMatch(message);
    expect(m).not.toContain(SECRET);
  });
}

test('a cookie given twice is refused, and the count names which flag is wrong', () => {
  expect(flagError(() => signedInFrom({ cookie: ['sid=a', 'sid=b'] }, POLICY))).toBe('cookie sid: given twice; give each cookie once');
  expect(flagError(() => signedInFrom({ cookie: ['sid=a', SECRET] }, POLICY))).toMatch(/^cookie #2 has no "="/);
});

test('--request-header gives the value of a header the policy lists, in the policy spelling', () => {
  expect(parseRequestHeaderFlag('authorization: Bearer abc', POLICY)).toEqual(['Authorization', 'Bearer abc']);
  expect(parseRequestHeaderFlag('X-Api-Key:k1', POLICY)).toEqual(['X-Api-Key', 'k1']);
  expect(signedInFrom({ 'request-header': ['X-Api-Key: k1', 'Authorization: Bearer t'] }, POLICY).requestHeaders).toHaveLength(2);
});

const BAD_HEADERS: Array<[string, string, RegExp]> = [
  [
    'a header the policy does not list',
    `X-Tenant: ${SECRET}`,
    /^request header X-Tenant: the policy's requestHeaders does not list X-Tenant \(it lists Authorization, X-Api-Key, Content-Type\); add "X-Tenant" to requestHeaders in the policy if your callers send it, or leave the header out$/,
  ],
  [
    'Cookie',
    `Cookie: sid=${SECRET}`,
    /^request header Cookie: pages cannot set Cookie; give each cookie as a name=value line of its own \(CORS_COOKIES\) instead$/,
  ],
  ['a forbidden header', `Host: ${SECRET}`, /^request header Host: a forbidden request header; no page can set it, so leave it out$/],
  ['no colon', `Authorization Bearer ${SECRET}`, /^request header #1 has no ":": write it as 'Name: value'/],
  ['an empty name', `: ${SECRET}`, /the header name before ":" is empty/],
  ['a bad name', `X Api: ${SECRET}`, /^request header "X Api": not a header name/],
  ['an empty value', 'Authorization:', /^request header Authorization: the value is empty/],
  ['a line break', `Authorization: Bearer ${SECRET}\r\nX: y`, /holds a line break or NUL/],
];

for (const [what, raw, message] of BAD_HEADERS) {
  test(`--request-header with ${what} is refused with the fix, without repeating the value`, () => {
    const m = flagError(() => signedInFrom({ 'request-header': [raw] }, POLICY));
    expect(m).toMatch(message);
    expect(m).not.toContain(SECRET);
  });
}

test('a header given twice is refused', () => {
  expect(flagError(() => signedInFrom({ 'request-header': ['Authorization: a', 'authorization: b'] }, POLICY))).toBe(
    'request header authorization: given twice; give each header once',
  );
});

test('the intended callers send the given values; attacker pages never do', () => {
  const given = signedInFrom({ 'request-header': [`Authorization: Bearer ${SECRET}`] }, POLICY).requestHeaders;
  expect(policyRequestHeaders(POLICY, given)).toEqual([
    ['Authorization', `Bearer ${SECRET}`],
    ['X-Api-Key', 'cc-probe'],
    ['Content-Type', 'application/json'],
  ]);
  const battery = buildBattery(POLICY, resolveEndpoints(POLICY), given);
  const carries = (p: GradeProbe) => p.headers.some(([, v]) => v.includes(SECRET));
  const intended = battery.filter((p) => p.kind === 'intended' || p.kind === 'preflight-cache');
  expect(intended.length).toBeGreaterThan(2);
  expect(intended.every(carries)).toBe(true);
  const others = battery.filter((p) => p.kind !== 'intended' && p.kind !== 'preflight-cache');
  expect(others.filter((p) => p.kind === 'attacker').length).toBeGreaterThan(10);
  expect(others.some(carries)).toBe(false);
  // Without the flag, the sample values as before.
  expect(buildBattery(POLICY).some(carries)).toBe(false);
});

test('the secrets of a run: the given values, the token after its scheme, the given header names', () => {
  const s = signedInFrom({ cookie: ['sid="q1"', 'csrf=c2'], 'request-header': ['Authorization: Bearer t0k', 'X-Api-Key: k3y'] }, POLICY);
  expect(secretsOf(s)).toEqual({ headers: ['Authorization', 'X-Api-Key'], values: ['"q1"', 'q1', 'c2', 'Bearer t0k', 't0k', 'k3y'] });
  expect(
    secretValuesIn([
      ['Authorization', 'Basic dXNlcg=='],
      ['Accept', '*/*'],
    ]),
  ).toEqual(['Basic dXNlcg==', 'dXNlcg==']);
});

test('redaction: names stay, values go, wherever a given value shows up', () => {
  const secrets = { headers: ['X-Api-Key'], values: ['k3y-value', 'Bearer t0k-value', 't0k-value'] };
  expect(redactValue('Cookie', 'sid=abc; csrf=def')).toBe('sid=<redacted>; csrf=<redacted>');
  expect(redactValue('Set-Cookie', 'sid=abc; Path=/; HttpOnly')).toBe('sid=<redacted>');
  expect(redactValue('Authorization', 'Bearer t0k-value')).toBe('Bearer <redacted>');
  expect(redactValue('x-api-key', 'k3y-value', secrets)).toBe('<redacted>');
  expect(redactValue('X-Debug', 'token=t0k-value; key=k3y-value', secrets)).toBe('token=<redacted>; key=<redacted>');
  expect(redactValue('X-Debug', 'auth=Bearer t0k-value', secrets), 'the longest value first').toBe('auth=<redacted>');
  expect(redactHeaders([['X-Other', 'plain']], secrets)).toEqual([['X-Other', 'plain']]);
  expect(scrubSecrets('a k3y-value b', [''])).toBe('a k3y-value b');
  const deep = scrubDeep({ n: 401, ok: true, list: ['x k3y-value', { inner: 'k3y-value' }], none: null }, secrets.values);
  expect(deep).toEqual({ n: 401, ok: true, list: ['x <redacted>', { inner: '<redacted>' }], none: null });
});

test('a session cookie on https is Secure, SameSite=None and HttpOnly; on http it cannot be Secure, so Lax', () => {
  expect(sessionSetCookies('https://target.test', [{ name: 'sid', value: 'v' }])).toEqual(['sid=v; Path=/; Secure; HttpOnly; SameSite=None']);
  expect(sessionSetCookies('http://target.test', [{ name: 'sid', value: 'v' }])).toEqual(['sid=v; Path=/; HttpOnly; SameSite=Lax']);
});

function viaProxy(port: number, url: string, headers: Record<string, string> = {}): Promise<{ status: number; setCookie: string[]; body: string }> {
  return new Promise((resolve, reject) => {
    // No keep-alive: an idle connection would hold the proxy's close() open.
    const req = http.request({ host: '127.0.0.1', port, path: url, agent: false, headers: { Host: new URL(url).host, ...headers } }, (res) => {
      let body = '';
      res.on('data', (b: Buffer) => (body += b.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, setCookie: res.headers['set-cookie'] ?? [], body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('the proxy sets the route’s session cookies at /__cc/session and expires them with ?clear; its log redacts the given values', async () => {
  // A real upstream that echoes what it got, as a careless API does.
  const upstream = http.createServer((req, res) => {
    res.setHeader('X-Echo', `${req.headers.cookie ?? ''} | ${req.headers['x-api-key'] ?? ''}`);
    res.end('ok');
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', () => r()));
  const proxy = await startProxy([
    {
      origin: 'http://target.test',
      upstream: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`,
      probePage: false,
      sessionCookies: sessionSetCookies('http://target.test', [{ name: 'sid', value: SECRET }]),
      secrets: { headers: ['X-Api-Key'], values: [SECRET, 'k3y-value'] },
    },
  ]);
  try {
    // Another local client of the proxy, without the run's key, gets nothing.
    const stranger = await viaProxy(proxy.port, 'http://target.test/__cc/session');
    expect(stranger.status).toBe(403);
    expect(stranger.setCookie).toEqual([]);
    const [setUrl = ''] = sessionSetupUrls(['http://target.test'], proxy.sessionKey);
    const [clearUrl = ''] = sessionClearUrls(['http://target.test'], proxy.sessionKey);
    const set = await viaProxy(proxy.port, setUrl);
    expect(set.status).toBe(200);
    expect(set.setCookie).toEqual([`sid=${SECRET}; Path=/; HttpOnly; SameSite=Lax`]);
    const clear = await viaProxy(proxy.port, clearUrl);
    expect(clear.setCookie).toEqual(['sid=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0']);

    const r = await viaProxy(proxy.port, 'http://target.test/api?cc_probe=tok-1', { Cookie: `sid=${SECRET}`, 'X-Api-Key': 'k3y-value' });
    expect(r.body).toBe('ok');
    const seen = proxy.takeExchanges(['tok-1']).get('tok-1') ?? [];
    expect(seen).toHaveLength(1);
    const e = seen[0] as WireExchange;
    expect(e.requestHeaders).toContainEqual(['Cookie', 'sid=<redacted>']);
    expect(e.requestHeaders).toContainEqual(['X-Api-Key', '<redacted>']);
    expect(e.responseHeaders).toContainEqual(['X-Echo', 'sid=<redacted> | <redacted>']);
    expect(JSON.stringify(seen)).not.toContain(SECRET);
    expect(JSON.stringify(seen)).not.toContain('k3y-value');
  } finally {
    await proxy.close();
    upstream.closeAllConnections();
    await new Promise<void>((r) => upstream.close(() => r()));
  }
});

const ATTACK: GradeProbe = {
  id: 'attacker//api/me/arbitrary-origin/https://evil.test/include',
  kind: 'attacker',
  category: 'arbitrary-origin',
  imitates: null,
  source: 'battery',
  description: 'evil',
  pageOrigin: 'https://evil.test',
  opaque: null,
  sentOrigin: 'https://evil.test',
  path: '/api/me',
  method: 'GET',
  headers: [],
  body: null,
  credentials: 'include',
  repeat: false,
  expect: 'blocked',
  readHeaders: [],
};

function read(status: number, cookie: string | null): { obs: ProbeObservation; exchanges: WireExchange[] } {
  const exchanges: WireExchange[] = [
    {
      seq: 1,
      at: 0,
      origin: 'https://target.test',
      method: 'GET',
      path: '/api/me',
      requestHeaders: [['Origin', 'https://evil.test'], ...(cookie ? [['Cookie', cookie] as [string, string]] : [])],
      status,
      responseHeaders: [
        ['Access-Control-Allow-Origin', 'https://evil.test'],
        ['Access-Control-Allow-Credentials', 'true'],
        ['Vary', 'Origin'],
      ],
    },
  ];
  return { obs: { outcome: 'readable', status, preflight: false, cookieSent: cookie?.startsWith('sid=') ?? false, readable: [], reason: null }, exchanges };
}

test('an attacker finding says whether the read was made with the user’s session', () => {
  const session = { names: ['sid'], session: true };
  const sent = read(200, 'sid=<redacted>');
  const [withSession] = judgeProbe(ATTACK, sent.obs, sent.exchanges, 'webkit', session);
  expect(withSession).toMatchObject({ session: 'sent', detail: "the page read the response (status 200) with the user's session (cookie sid sent)" });
  const blocked = read(401, null);
  const [without] = judgeProbe(ATTACK, blocked.obs, blocked.exchanges, 'chromium', session);
  expect(without).toMatchObject({
    session: 'not-sent',
    detail: "the page read the response (status 401) with credentials but without the user's session: the browser did not send cookie sid (its cookie policy)",
  });
  const testCookie = read(401, 'cc_session=<redacted>');
  const [none] = judgeProbe(ATTACK, { ...testCookie.obs, cookieSent: true }, testCookie.exchanges, 'firefox', { names: ['cc_session'], session: false });
  expect(none).toMatchObject({
    session: 'no-session',
    detail: 'the page read the response (status 401) with credentials, without a session (no session cookie given)',
  });
  const anonymous = judgeProbe({ ...ATTACK, credentials: 'omit' }, blocked.obs, blocked.exchanges, 'chromium', session);
  expect(anonymous[0]?.session).toBeNull();
  // Engines that read with and without the session are two findings, each naming its engines.
  const merged = mergeFindings([withSession, without, judgeProbe(ATTACK, sent.obs, sent.exchanges, 'firefox', session)[0]].flatMap((f) => (f ? [f] : [])));
  expect(merged.map((f) => [f.session, f.engines])).toEqual([
    ['sent', ['webkit', 'firefox']],
    ['not-sent', ['chromium']],
  ]);
  // Cookie-policy probes measure the browser and raise nothing.
  expect(judgeProbe({ ...ATTACK, kind: 'cookie-policy' }, sent.obs, sent.exchanges, 'webkit', session)).toEqual([]);
});
