// Grading an API behind a session, in this project's engine, through the functions the
// command line uses (signedInFrom, then grade): with --cookie the user's session reaches the
// server where the engine's cookie policy lets it, and an attacker finding says the read was
// made with it. The server's own log is the second witness beside the proxy's. Every output
// is then searched for the secret values. The judgement with and without --cookie is also
// replayed from recordings (tests/replay/session.spec.ts).
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from '../../suites/fixtures.ts';
import { grade } from '../../grade/run.ts';
import { signedInFrom } from '../../grade/input/signed-in.ts';
import { writeGradeOutputs } from '../../outputs/grade.ts';
import { explainText, terminalSummary } from '../../outputs/terminal.ts';
import { SAME_SITE_ORIGIN, TARGET_ORIGIN } from '../../model/virtual-origins.ts';
import type { Finding, GradeReport } from '../../grade/types.ts';
import type { WireExchange } from '../../model/wire.ts';
import type { EngineId } from '../../model/results.ts';
import { gradeSchemaErrors } from '../../model/schemas.ts';
import { explain } from '../../explain/explain.ts';
import { parseExplainArgs } from '../../explain/request.ts';
import { BEARER_TOKEN, SESSION_COOKIE, SESSION_POLICY, SESSION_VALUE, sessionApi, type SessionApi } from './session-api.ts';

const ALLOWED = 'https://app.example.com';

function engineOf(id: EngineId | null): EngineId {
  if (!id) throw new Error('this project names no engine');
  return id;
}

/** Credentialed attacker reads. */
const credentialedReads = (r: GradeReport): Finding[] => r.findings.filter((f) => f.probe.startsWith('attacker/') && f.credentialed);

function attach(r: GradeReport) {
  return {
    body: JSON.stringify(
      { verdict: r.verdict, cookiePolicy: r.cookiePolicy, findings: r.findings.map(({ evidence: _e, ...f }) => f), errors: r.errors },
      null,
      2,
    ),
    contentType: 'application/json',
  };
}

let api: SessionApi;
test.beforeEach(async () => {
  api = await sessionApi();
});
test.afterEach(async () => {
  await api.stop();
});

test('with --cookie: the session reaches the API as the engine decides, and the attacker finding says it was used', async ({
  gradeSession,
  engineId: id,
}, testInfo) => {
  const engineId = engineOf(id);
  const signedIn = signedInFrom(
    { cookie: [`${SESSION_COOKIE}=${SESSION_VALUE}`], 'request-header': [`Authorization: Bearer ${BEARER_TOKEN}`] },
    SESSION_POLICY,
  );
  // Everything the proxy's log hands out, to search it as written.
  const logged: WireExchange[] = [];
  const take = gradeSession.proxy.takeExchanges;
  gradeSession.proxy.takeExchanges = (tokens) => {
    const out = take(tokens);
    for (const list of out.values()) logged.push(...list);
    return out;
  };
  let r: GradeReport;
  try {
    r = await grade(gradeSession, { target: api.url, policy: SESSION_POLICY, noSearch: true, signedIn });
  } finally {
    gradeSession.proxy.takeExchanges = take;
  }
  await testInfo.attach('grade', attach(r));
  expect(r.errors).toEqual([]);
  expect(r.verdict).toBe('fail');
  expect(r.signedIn).toEqual({ cookies: [SESSION_COOKIE], requestHeaders: ['Authorization'] });
  expect(gradeSchemaErrors(JSON.parse(JSON.stringify(r)))).toEqual([]);

  // The cookie is in the jar (the control), and SameSite=None goes on same-site requests.
  const policy = r.cookiePolicy?.engines[engineId];
  expect(r.cookiePolicy?.session).toBe(true);
  expect(policy?.sameOrigin, 'the first-party navigation put the cookie into the jar').toBe(true);
  expect(policy?.sameSite).toBe(true);
  expect(policy?.crossSite).not.toBeNull();
  const crossSite = policy?.crossSite === true;
  // The measurement agrees with the credentialed attacker probes and with the server's own log.
  expect(policy?.attackerProbes.total).toBeGreaterThan(5);
  expect(policy?.attackerProbes.withCookie).toBe(crossSite ? policy?.attackerProbes.total : 0);
  const sessionFrom = new Set(api.received.filter((x) => x.session).map((x) => x.origin));
  expect(sessionFrom.has('https://evil.test'), 'the server got the session from an attacker on another site').toBe(crossSite);
  expect(sessionFrom.has(SAME_SITE_ORIGIN)).toBe(true);

  // The sibling on the target's site read the user's data with the session, in every engine.
  const reads = credentialedReads(r);
  const sibling = reads.find((f) => f.origin === SAME_SITE_ORIGIN);
  expect(sibling?.session).toBe('sent');
  expect(sibling?.severity).toBe('high');
  expect(sibling?.detail).toContain(`(status 200) with the user's session (cookie ${SESSION_COOKIE} sent)`);
  // Every other credentialed read says what the engine did with the session.
  for (const f of reads.filter((x) => x.origin !== SAME_SITE_ORIGIN)) {
    expect(f.session, f.origin).toBe(crossSite ? 'sent' : 'not-sent');
    expect(f.detail).toContain(crossSite ? '(status 200)' : '(status 401)');
    if (!crossSite) expect(f.detail).toContain(`without the user's session: the browser did not send cookie ${SESSION_COOKIE}`);
  }
  expect(r.causes[0]?.summary).toContain(`an attacker read with the user's session in ${engineId}`);

  // Uncredentialed probes never carried the cookie: the proxy's log says so for each one.
  const omitted = r.probes.filter((p) => p.credentials === 'omit').map((p) => p.results[engineId]);
  expect(omitted.filter((o) => o?.cookieSent !== null).length).toBeGreaterThan(10);
  expect(omitted.every((o) => o?.cookieSent !== true)).toBe(true);
  // The given token went with the intended calls only: the server saw it from the allowed
  // origin and from no attacker page.
  const withToken = api.received.filter((x) => x.authorization === `Bearer ${BEARER_TOKEN}`);
  expect(withToken.length).toBeGreaterThan(0);
  expect(new Set(withToken.map((x) => x.origin))).toEqual(new Set([ALLOWED]));
  expect(logged.length).toBeGreaterThan(20);
  expect(logged.some((e) => e.requestHeaders.some(([n, v]) => n.toLowerCase() === 'cookie' && v.includes(`${SESSION_COOKIE}=<redacted>`)))).toBe(true);
  expect(logged.some((e) => e.requestHeaders.some(([n, v]) => n.toLowerCase() === 'authorization' && v === 'Bearer <redacted>'))).toBe(true);
  const echoes = logged.flatMap((e) => e.responseHeaders.filter(([n]) => n === 'X-Debug-Echo').map(([, v]) => v));
  expect(echoes).toContain('sid=none; authorization=none');
  expect(
    echoes.some((v) => v.endsWith('authorization=<redacted>')),
    'the echoed token is redacted',
  ).toBe(true);

  // Every output, as written, holds neither value. The server echoed both in a header, so the
  // values did reach the proxy and the report's evidence.
  const dir = mkdtempSync(join(tmpdir(), 'cc-session-'));
  try {
    writeGradeOutputs(r, join(dir, 'out'), {
      junit: join(dir, 'junit.xml'),
      sarif: { file: join(dir, 'grade.sarif'), policyFile: 'policy.json' },
      summary: join(dir, 'summary.md'),
    });
    writeFileSync(join(dir, 'terminal.txt'), terminalSummary(r));
    writeFileSync(join(dir, 'proxy-log.json'), JSON.stringify(logged));
    const req = parseExplainArgs({
      url: `${api.url}/api/me`,
      origin: ALLOWED,
      header: [`Authorization: Bearer ${BEARER_TOKEN}`],
      credentials: 'include',
      engine: [engineId],
    });
    const x = await explain(gradeSession, req);
    writeFileSync(join(dir, 'explain.json'), JSON.stringify(x));
    writeFileSync(join(dir, 'explain.txt'), explainText(x));
    const files = [...readdirSync(dir), ...readdirSync(join(dir, 'out')).map((f) => join('out', f))].filter((f) => f !== 'out');
    expect(files.length).toBe(9);
    for (const f of files) {
      const text = readFileSync(join(dir, f), 'utf8');
      expect(text.length, f).toBeGreaterThan(100);
      expect(text.includes(SESSION_VALUE), `${f} holds the cookie value`).toBe(false);
      expect(text.includes(BEARER_TOKEN), `${f} holds the bearer token`).toBe(false);
    }
    // The sibling's read (in grade.json) had the session and, as an attacker's, no token.
    const written = JSON.stringify(JSON.parse(readFileSync(join(dir, 'out', 'grade.json'), 'utf8')));
    expect(written).toContain('["X-Debug-Echo","sid=<redacted>; authorization=none"]');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // The browsers fetched the target as TARGET_ORIGIN and the route held the cookie there.
  expect(r.browserTarget.startsWith(TARGET_ORIGIN)).toBe(true);
});
