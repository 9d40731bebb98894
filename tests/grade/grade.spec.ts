// Grading against real servers in this project's engine: a correctly configured server
// passes; each misconfiguration built on purpose is found under its category, from what
// the browser could read; network failures give errors, never a made-up CORS verdict.
import { test, expect } from '../../suites/fixtures.ts';
import { grade } from '../../grade/run.ts';
import { GradeSetupError } from '../../pipeline/target.ts';
import type { GradeReport } from '../../grade/types.ts';
import type { TargetTls } from '../../model/wire.ts';
import type { FindingCategory } from '../../grade/judge/findings.ts';
import type { CauseCategory } from '../../grade/judge/causes.ts';
import { POLICY, TARGETS, down, hanging, resetsCorsRequests, type Target } from './targets.ts';

async function gradeTarget(session: Parameters<typeof grade>[0], start: () => Promise<Target>, tls?: TargetTls): Promise<GradeReport> {
  const target = await start();
  try {
    return await grade(session, { target: target.url, policy: POLICY, ...(tls ? { tls } : {}) });
  } finally {
    await target.stop();
  }
}

const failing = (r: GradeReport) => r.findings.filter((f) => f.severity !== 'info');
const categories = (r: GradeReport) => [...new Set(failing(r).map((f) => f.category))].sort();

function attach(r: GradeReport) {
  return {
    body: JSON.stringify({ verdict: r.verdict, findings: r.findings.map(({ evidence: _e, ...f }) => f), errors: r.errors }, null, 2),
    contentType: 'application/json',
  };
}

const GOOD: Array<[string, () => Promise<Target>, TargetTls?]> = [
  ['express + cors configured for the policy', TARGETS.good],
  ['the same server under a path prefix', TARGETS.pathPrefix],
  ['the same server over https with a self-signed certificate, with verification off', TARGETS.httpsSelfSigned, { insecure: true }],
  ['the same server answering after one second', TARGETS.slow],
];

for (const [title, start, tls] of GOOD) {
  test(`passes: ${title}`, async ({ gradeSession }, testInfo) => {
    const r = await gradeTarget(gradeSession, start, tls);
    if (tls?.insecure) expect(r.certificate).toBe('not-checked');
    await testInfo.attach('grade', attach(r));
    expect(r.errors).toEqual([]);
    expect(failing(r)).toEqual([]);
    expect(r.verdict).toBe('pass');
    expect(r.probes.every((p) => Object.values(p.results).every((o) => o?.outcome !== 'error'))).toBe(true);
  });
}

test('an https target with a private CA passes with that CA, and is a setup error without it', async ({ gradeSession }) => {
  const t = await TARGETS.httpsPrivateCa();
  try {
    await expect(grade(gradeSession, { target: t.url, policy: POLICY })).rejects.toThrow(/cannot be verified .*--ca <file\.pem>.*--insecure/);
    const r = await grade(gradeSession, { target: t.url, policy: POLICY, tls: { insecure: false, ca: t.ca } });
    expect(r.certificate).toBe('verified');
    expect(r.errors).toEqual([]);
    expect(r.verdict).toBe('pass');
  } finally {
    await t.stop();
  }
});

test('a self-signed https target is a setup error unless verification is turned off', async ({ gradeSession }) => {
  const t = await TARGETS.httpsSelfSigned();
  try {
    await expect(grade(gradeSession, { target: t.url, policy: POLICY })).rejects.toBeInstanceOf(GradeSetupError);
  } finally {
    await t.stop();
  }
});

interface Misconfiguration {
  title: string;
  start: () => Promise<Target>;
  found: FindingCategory[];
  absent: FindingCategory[];
  /** Whether an attacker page could read with the user's credentials. */
  credentialedRead: boolean;
  /** The root causes of low severity or above: one per mistake. */
  causes: CauseCategory[];
}

const ATTACKS: FindingCategory[] = [
  'arbitrary-origin',
  'null-origin',
  'prefix-bypass',
  'suffix-bypass',
  'substring-bypass',
  'unescaped-dot',
  'special-character-bypass',
  'subdomain',
  'scheme-downgrade',
  'port-mismatch',
  'third-party-origin',
];

/** Findings made from outside the browsers (an OPTIONS check, an origin no browser can send). */
const WITHOUT_A_BROWSER: FindingCategory[] = ['options-treated-as-preflight', 'unreachable-origin-accepted'];

const BAD: Misconfiguration[] = [
  {
    title: 'reflects any origin, with credentials',
    start: TARGETS.reflectAnyWithCredentials,
    found: ['arbitrary-origin', 'null-origin', 'prefix-bypass', 'suffix-bypass', 'scheme-downgrade', 'third-party-origin'],
    absent: [],
    credentialedRead: true,
    causes: ['reflects-any-origin'],
  },
  {
    title: 'an unanchored regex with unescaped dots',
    start: TARGETS.unanchoredRegex,
    found: ['prefix-bypass', 'suffix-bypass', 'unescaped-dot', 'special-character-bypass', 'subdomain'],
    absent: ['arbitrary-origin', 'null-origin'],
    credentialedRead: true,
    causes: ['unanchored-match', 'unescaped-dot'],
  },
  {
    title: 'allows null',
    start: TARGETS.nullAllowed,
    found: ['null-origin'],
    absent: ['arbitrary-origin', 'prefix-bypass'],
    credentialedRead: true,
    causes: ['null-allowed'],
  },
  {
    title: 'allows the http twin of the https origin',
    start: TARGETS.httpAllowed,
    found: ['scheme-downgrade'],
    absent: ['arbitrary-origin', 'null-origin'],
    credentialedRead: true,
    causes: ['scheme-not-checked'],
  },
  // Anyone can read anonymously; no browser lets "*" carry credentials, so the intended
  // credentialed use breaks instead.
  {
    title: 'answers * on a credentialed API',
    start: TARGETS.wildcardWithCredentials,
    found: ['wildcard-with-credentials', 'arbitrary-origin'],
    absent: ['intended-use-blocked'],
    credentialedRead: false,
    causes: ['wildcard-origin'],
  },
  {
    title: 'reflects the allowed origin without Vary: Origin',
    start: TARGETS.noVary,
    found: ['missing-vary'],
    absent: [...ATTACKS, 'intended-use-blocked'],
    credentialedRead: false,
    causes: ['missing-vary'],
  },
  {
    title: 'sends no CORS headers on errors',
    start: TARGETS.noCorsOnErrors,
    found: ['error-response-without-cors'],
    absent: [...ATTACKS, 'intended-use-blocked'],
    credentialedRead: false,
    causes: ['error-response-without-cors'],
  },
];

for (const m of BAD) {
  test(`fails: ${m.title}`, async ({ gradeSession, engineId }, testInfo) => {
    const r = await gradeTarget(gradeSession, m.start);
    await testInfo.attach('grade', attach(r));
    expect(r.verdict).toBe('fail');
    expect(r.errors).toEqual([]);
    for (const c of m.found) expect(categories(r), `finds ${c}`).toContain(c);
    for (const c of m.absent) expect(categories(r), `does not find ${c}`).not.toContain(c);
    const credentialedAttacks = r.findings.filter((f) => ATTACKS.includes(f.category) && f.credentialed);
    expect(credentialedAttacks.length > 0, 'an attacker page read with credentials').toBe(m.credentialedRead);
    for (const f of credentialedAttacks) expect(f.severity).toBe('high');
    expect(
      r.causes
        .filter((c) => c.severity !== 'info')
        .map((c) => c.category)
        .sort(),
      'the root causes',
    ).toEqual([...m.causes].sort());
    for (const f of r.findings) {
      expect(f.engines).toEqual(WITHOUT_A_BROWSER.includes(f.category) ? [] : [engineId]);
      expect(f.fix.length).toBeGreaterThan(20);
      expect(f.evidence.length, `${f.category} has the proxy's evidence`).toBeGreaterThan(0);
      expect(JSON.stringify(f.evidence)).not.toContain('secret-value');
    }
  });
}

test('a target that is down is a setup error, before any probe', async ({ gradeSession }) => {
  const t = await down();
  await expect(grade(gradeSession, { target: t.url, policy: POLICY })).rejects.toThrow(GradeSetupError);
  await expect(grade(gradeSession, { target: t.url, policy: POLICY })).rejects.toThrow(/did not answer \(ECONNREFUSED\)/);
});

test('a target that never answers is a setup error', async ({ gradeSession }) => {
  const t = await hanging();
  try {
    await expect(grade(gradeSession, { target: t.url, policy: POLICY })).rejects.toThrow(
      /cannot be graded: the target sent no complete response headers within 5 s/,
    );
  } finally {
    await t.stop();
  }
});

test('a target that resets connections gives errors, never a CORS verdict', async ({ gradeSession }, testInfo) => {
  const r = await gradeTarget(gradeSession, resetsCorsRequests);
  await testInfo.attach('grade', attach(r));
  expect(r.verdict).toBe('error');
  expect(r.findings).toEqual([]);
  expect(r.errors.length).toBeGreaterThan(0);
  expect(r.errors.join('\n')).toContain('the target failed');
});
