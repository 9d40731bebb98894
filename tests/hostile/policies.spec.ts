// A policy from a pull request is refused at the door when it cannot be graded in reasonable
// time (thousands of origins or paths), or when a path carries a control character that would
// reach a terminal, a JUnit file or a job summary; each error names the limit and the flag.
import { test, expect } from '@playwright/test';
import { PolicyError, POLICY_LIMITS, validatePolicy } from '../../grade/input/policy.ts';

function problems(raw: unknown, limits = POLICY_LIMITS): string[] {
  try {
    validatePolicy(raw, limits);
    return [];
  } catch (err) {
    expect(err).toBeInstanceOf(PolicyError);
    return (err as PolicyError).problems.map((p) => (p.field ? `${p.field}: ${p.message}` : p.message));
  }
}

test('a policy of 5,000 origins is refused at once, naming the limit and the flag that raises it', () => {
  const origins = Array.from({ length: 5000 }, (_, i) => `https://app${i}.example.com`);
  const start = Date.now();
  const p = problems({ origins, paths: ['/api'] });
  expect(Date.now() - start).toBeLessThan(5_000);
  expect(p).toHaveLength(1);
  expect(p[0]).toContain('origins: 5000 distinct origins, more than the limit of 100');
  expect(p[0]).toContain('--max-origins 5000');
  expect(problems({ origins, paths: ['/api'] }, { ...POLICY_LIMITS, maxOrigins: 5000 })).toEqual([]);
});

test('origins in paths entries count too', () => {
  const paths = Array.from({ length: 3 }, (_, i) => ({ path: `/p${i}`, origins: Array.from({ length: 40 }, (_, k) => `https://a${i}-${k}.example.com`) }));
  expect(problems({ origins: ['https://app.example.com'], paths })[0]).toContain('121 distinct origins');
});

test('a policy of 20,000 paths is refused, naming --max-endpoints', () => {
  const p = problems({ origins: ['https://app.example.com'], paths: Array.from({ length: 20000 }, (_, i) => `/p${i}`) });
  expect(p[0]).toContain('paths: 20000 entries, more than the limit of 500');
  expect(p[0]).toContain('--max-endpoints 20000');
});

for (const [name, c] of [
  ['ESC', '\u001b'],
  ['CR', '\r'],
  ['BEL', '\u0007'],
  ['the C1 control U+009B', '\u009b'],
] as const) {
  test(`a path with ${name} is refused, naming its position and the fix`, () => {
    const p = problems({ origins: ['https://app.example.com'], paths: [`/api${c}[32mALL CHECKS PASSED`] });
    expect(p.join('\n')).toContain('paths[0]: character 5 is a control character');
    expect(p.join('\n')).not.toContain(c);
    const q = problems({ origins: ['https://app.example.com'], paths: [{ path: `/v1${c}` }] });
    expect(q.join('\n')).toContain('paths[0].path: character 4 is a control character');
  });
}

test('a policy within the origin and path limits whose battery passes --max-probes is refused before any request', async () => {
  const { GradeLimitError, planGrade } = await import('../../grade/plan.ts');
  const policy = validatePolicy({
    origins: Array.from({ length: 100 }, (_, i) => `https://app${i}.example.com`),
    paths: Array.from({ length: 60 }, (_, i) => `/p${i}`),
  });
  // Port 9 (discard) on loopback: a request would fail differently; the limit comes first.
  const err = await planGrade({ target: 'http://127.0.0.1:9', policy }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(GradeLimitError);
  expect((err as Error).message).toMatch(/the policy gives \d+ probes in each engine, more than the limit of 5000; .*--max-probes \d+/);
});
