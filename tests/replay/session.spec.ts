// The judgement of a grading behind a session, from what each real engine did with the
// cookie (recorded, tests/fixtures/recorded/<engine>/session/): with --cookie an attacker
// finding says whether the read was made with the user's session, as the engine's measured
// cookie policy says it would be; without --cookie the credentialed probes got 401 and the
// findings say there was no session. The browser tier grades the signed-in API in each engine
// with its own log as the second witness (tests/grade/session.spec.ts).
import { test, expect } from '@playwright/test';
import { SAME_SITE_ORIGIN } from '../../model/virtual-origins.ts';
import type { Finding, GradeReport } from '../../grade/types.ts';
import { gradeSchemaErrors } from '../../model/schemas.ts';
import { SESSION_COOKIE } from '../grade/session-api.ts';
import { attachment, RECORDED_ENGINES, replayGrade } from './replay.ts';

/** Credentialed attacker reads. */
const credentialedReads = (r: GradeReport): Finding[] => r.findings.filter((f) => f.probe.startsWith('attacker/') && f.credentialed);

for (const engine of RECORDED_ENGINES) {
  test(`${engine}: with --cookie: each attacker finding says whether the session was used, as the engine's cookie policy says`, async ({}, testInfo) => {
    const r = await replayGrade('session/with-cookie', [engine]);
    await testInfo.attach('grade', attachment(r));
    expect(r.errors).toEqual([]);
    expect(r.verdict).toBe('fail');
    expect(r.signedIn).toEqual({ cookies: [SESSION_COOKIE], requestHeaders: ['Authorization'] });
    expect(gradeSchemaErrors(JSON.parse(JSON.stringify(r)))).toEqual([]);

    // The cookie was in the jar (the control), and SameSite=None went on same-site requests.
    const policy = r.cookiePolicy?.engines[engine];
    expect(r.cookiePolicy?.session).toBe(true);
    expect(policy?.sameOrigin, 'the first-party navigation put the cookie into the jar').toBe(true);
    expect(policy?.sameSite).toBe(true);
    expect(policy?.crossSite).not.toBeNull();
    const crossSite = policy?.crossSite === true;
    // The measurement agrees with the credentialed attacker probes.
    expect(policy?.attackerProbes.total).toBeGreaterThan(5);
    expect(policy?.attackerProbes.withCookie).toBe(crossSite ? policy?.attackerProbes.total : 0);

    // The sibling on the target's site read the user's data with the session.
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
    expect(r.causes[0]?.summary).toContain(`an attacker read with the user's session in ${engine}`);

    // Uncredentialed probes never carried the cookie: the proxy's log says so for each one.
    const omitted = r.probes.filter((p) => p.credentials === 'omit').map((p) => p.results[engine]);
    expect(omitted.filter((o) => o?.cookieSent !== null).length).toBeGreaterThan(10);
    expect(omitted.every((o) => o?.cookieSent !== true)).toBe(true);
  });

  test(`${engine}: without --cookie: the credentialed probes get 401 and the findings say there was no session`, async ({}, testInfo) => {
    const r = await replayGrade('session/without-cookie', [engine]);
    await testInfo.attach('grade', attachment(r));
    expect(r.errors).toEqual([]);
    expect(r.signedIn).toEqual({ cookies: [], requestHeaders: [] });
    expect(gradeSchemaErrors(JSON.parse(JSON.stringify(r)))).toEqual([]);
    // The policy has credentials: the test cookie measures the engine's policy all the same.
    expect(r.cookiePolicy?.session).toBe(false);
    expect(r.cookiePolicy?.engines[engine]?.sameOrigin).toBe(true);
    const reads = credentialedReads(r);
    expect(reads.length).toBeGreaterThan(5);
    expect(reads.some((f) => f.origin === SAME_SITE_ORIGIN)).toBe(true);
    for (const f of reads) {
      expect(f.session).toBe('no-session');
      expect(f.detail).toBe('the page read the response (status 401) with credentials, without a session (no session cookie given)');
    }
    // Reads without credentials are not about a session at all.
    const anonymous = r.findings.filter((f) => f.probe.startsWith('attacker/') && !f.credentialed);
    expect(anonymous.length).toBeGreaterThan(5);
    expect(anonymous.every((f) => f.session === null)).toBe(true);
    expect(r.causes[0]?.summary).toContain("an attacker read with the user's credentials");
  });
}

test('with --cookie in all engines: one cause, naming the engines whose attacker read with the session', async () => {
  const r = await replayGrade('session/with-cookie', RECORDED_ENGINES);
  const withSession = RECORDED_ENGINES.filter((e) => r.findings.some((f) => f.session === 'sent' && f.engines.includes(e)));
  // The sibling on the target's own site reads with the session in every engine.
  expect(withSession).toEqual([...RECORDED_ENGINES]);
  expect(r.causes[0]?.category).toBe('reflects-any-origin');
  expect(r.causes[0]?.summary).toContain(`an attacker read with the user's session in ${[...RECORDED_ENGINES].sort().join(', ')}`);
  expect(Object.keys(r.cookiePolicy?.engines ?? {}).sort()).toEqual([...RECORDED_ENGINES].sort());
});
