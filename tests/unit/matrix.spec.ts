// The generated matrix as data: big enough, ids unique and stable, every topic present,
// every case decidable by the spec model, and nothing the harness cannot fairly measure
// (an https page fetching http, long waits).
import { test, expect } from '@playwright/test';
import { INITIATOR_KINDS, TOPICS, type CaseResponse, type CorsCase, type Topic } from '../../model/case.ts';
import { initiatorFacts } from '../../model/initiators.ts';
import { evaluate } from '../../oracle/index.ts';
import { generateMatrix, MATRIX_BLOCKS } from '../../cases/matrix/index.ts';
import { ORIGINS, PORT_ORIGINS } from '../../model/origins.ts';
import { uncoveredPairs, type Assignment, type Factor } from '../../cases/matrix/pairwise.ts';
import { STANDARD_CASES } from '../../cases/standard/cases.ts';

const cases = generateMatrix();

/** Every origin a case's requests may reach: the target and each redirect hop (preflight ones too). */
function hopOrigins(c: CorsCase): string[] {
  const out = [new URL(c.request.url).origin];
  const walk = (r: CaseResponse): void => {
    for (const recipe of [r.actual, r.preflight]) {
      if (recipe?.redirect) {
        out.push(new URL(recipe.redirect.to).origin);
        walk(recipe.redirect.next);
      }
    }
  };
  walk(c.response);
  return out;
}

test('at least 3,000 cases and not far beyond 4,000', () => {
  expect(cases.length).toBeGreaterThanOrEqual(3000);
  expect(cases.length).toBeLessThanOrEqual(4200);
});

/** The topics of the reasons a load fails that are not CORS: small on purpose (a few hundred
 *  cases together keep the reference run's time within bounds). */
const LOAD_TOPICS: readonly Topic[] = ['corp', 'mime', 'mixed-content', 'bad-ports'];

test('ids are unique', () => {
  const seen = new Set<string>();
  const dupes: string[] = [];
  for (const c of cases) {
    if (seen.has(c.id)) dupes.push(c.id);
    seen.add(c.id);
  }
  expect(dupes).toEqual([]);
});

test('ids are derived from parameters: topic first, key=value segments, no bare counters', () => {
  const bad = cases.filter((c) => {
    if (c.id.startsWith('standard/')) return false;
    const [topic, , ...rest] = c.id.split('/');
    return topic !== c.group || rest.length === 0 || rest.some((seg) => !/^[a-z0-9-]+=[^/=]+$/.test(seg));
  });
  expect(bad.map((c) => c.id)).toEqual([]);
});

test('every topic but basics is present with a sensible share', () => {
  const counts = new Map<Topic, number>();
  for (const c of cases) counts.set(c.group, (counts.get(c.group) ?? 0) + 1);
  expect(counts.get('basics') ?? 0).toBe(0);
  for (const t of LOAD_TOPICS) {
    expect(counts.get(t) ?? 0, t).toBeGreaterThanOrEqual(20);
    expect(counts.get(t) ?? 0, t).toBeLessThanOrEqual(200);
  }
  expect(LOAD_TOPICS.reduce((n, t) => n + (counts.get(t) ?? 0), 0)).toBeLessThanOrEqual(400);
  for (const t of TOPICS.filter((x) => x !== 'basics' && !LOAD_TOPICS.includes(x))) {
    const share = (counts.get(t) ?? 0) / cases.length;
    expect(share, `${t}: ${counts.get(t) ?? 0} cases`).toBeGreaterThan(0.05);
    expect(share, `${t}: ${counts.get(t) ?? 0} cases`).toBeLessThan(0.3);
  }
});

test('deterministic: two calls give the same ids in the same order, and the same cases', () => {
  const again = generateMatrix();
  expect(again.map((c) => c.id)).toEqual(cases.map((c) => c.id));
  expect(JSON.stringify(again)).toBe(JSON.stringify(cases));
});

// A change to any of these is a change to what the ids mean: results stop comparing across runs.
const STABLE_IDS = [
  'simple/headers/method=GET/hdr=none/route=cross-site/pf=none/acao=echo/cred=omit',
  'simple/no-cors/method=GET/hdr=none/route=cross-site/acao=absent/status=200',
  'preflight/methods/cred=omit/method=CHICKEN/acam=absent/route=cross-site/pfstatus=204',
  'preflight/headers/cred=include/method=GET/hdr=custom/acah=absent/route=same-site/pfstatus=200',
  'preflight/status/pfstatus=308/trigger=method/route=cross-site/cred=omit',
  'credentials/check/cred=include/acao=echo/acac=title-case/route=sandbox/cookie=no/method=GET',
  'exposure/list/cred=include/aceh=star/route=sandbox/acao=echo/method=GET/preflight=yes/status=404',
  'preflight-cache/reuse/max-age=86401/then=same/route=same-site',
  'preflight-cache/expiry/timing=max1-wait1500/then=same/route=cross-site',
  'redirects/origin/status=307/path=cross-to-other/hop2=null/page=http/hop1=star/method=POST/cred=same-origin',
  'redirects/userinfo/userinfo=user-pass/status=302/path=same-to-same/mode=no-cors/page=https',
  'redirects/chain/hop1=b/hop2=other/hop3=a/final=null/status=302/page=http',
  'origins/acao/acao=two-lines-same/route=cross-site/method=GET/cred=omit/preflight=no',
  'origins/acao/acao=null/route=sandbox/method=GET/cred=omit/preflight=no',
  'standard/credentials-table/include-origin-title-case',
];

test('a fixed sample of ids is present', () => {
  const ids = new Set(cases.map((c) => c.id));
  for (const id of STABLE_IDS) expect(ids.has(id), id).toBe(true);
});

/** Every combination of the factors' values, built here rather than by the generator under test. */
function everyCombination(factors: readonly Factor[]): Assignment[] {
  return factors.reduce<Assignment[]>((rows, f) => rows.flatMap((r) => f.values.map((v) => ({ ...r, [f.name]: v }))), [{}]);
}

/** Every block's rows as they came out of generateMatrix(), read back from the case ids, by
 *  the block's `topic/name`: one pass over the cases for every block. */
const generatedRows = new Map<string, Assignment[]>();
for (const c of cases) {
  const [topic, name, ...segments] = c.id.split('/');
  const key = `${topic}/${name}`;
  const row = Object.fromEntries(segments.map((seg) => [seg.slice(0, seg.indexOf('=')), seg.slice(seg.indexOf('=') + 1)]));
  const list = generatedRows.get(key) ?? [];
  list.push(row);
  generatedRows.set(key, list);
}

test('every block generates every allowed combination of its deciding dimensions, and all pairs of the rest', () => {
  const problems: string[] = [];
  for (const b of MATRIX_BLOCKS) {
    const name = `${b.topic}/${b.name}`;
    const rows = generatedRows.get(name) ?? [];
    const factors = [...b.exhaustive, ...b.pairwise];
    const names = factors.map((f) => f.name).join('/');
    const misnamed = rows.filter((r) => Object.keys(r).join('/') !== names).length;
    if (misnamed > 0) problems.push(`${name}: ${misnamed} rows whose segments are not ${names}`);
    const key = (r: Readonly<Assignment>): string => b.exhaustive.map((f) => `${f.name}=${r[f.name] ?? ''}`).join('/');
    // The block's constraint holds for every part of a valid row, so it may judge the
    // deciding dimensions alone.
    const expected = everyCombination(b.exhaustive)
      .filter((r) => b.allowed?.(r) ?? true)
      .map(key);
    const generated = new Set(rows.map(key));
    const wanted = new Set(expected);
    if (expected.length === 0) problems.push(`${name}: the deciding dimensions allow no combination`);
    for (const k of expected) if (!generated.has(k)) problems.push(`${name}: combination missing: ${k}`);
    for (const k of generated) if (!wanted.has(k)) problems.push(`${name}: combination not allowed: ${k}`);
    for (const pair of uncoveredPairs(factors, rows, b.allowed)) problems.push(`${name}: pair not covered: ${pair}`);
  }
  expect(problems).toEqual([]);
});

test('every case is decidable by the spec model', () => {
  const failures: string[] = [];
  for (const c of cases) {
    try {
      evaluate(c);
    } catch (err) {
      failures.push(`${c.id}: ${(err as Error).message}`);
    }
  }
  expect(failures).toEqual([]);
});

test('outcomes are mixed within every topic (for exposure: what is readable)', () => {
  const byTopic = new Map<string, Set<string>>();
  for (const c of cases) {
    const e = evaluate(c);
    const s = byTopic.get(c.group) ?? new Set<string>();
    s.add(c.group === 'exposure' ? (e.readable ?? []).join(',') : e.outcome);
    byTopic.set(c.group, s);
  }
  for (const [topic, outcomes] of byTopic) {
    if (topic === 'exposure') expect(outcomes.size, topic).toBeGreaterThan(10);
    else expect([...outcomes].sort(), topic).toEqual(['allowed', 'blocked']);
  }
});

test('an https page reaches an http URL only in the mixed-content topic, and there every case does', () => {
  const mixed = (c: CorsCase) => c.request.page.origin.startsWith('https:') && hopOrigins(c).some((o) => o.startsWith('http:'));
  expect(cases.filter((c) => mixed(c) && c.group !== 'mixed-content').map((c) => c.id)).toEqual([]);
  expect(cases.filter((c) => !mixed(c) && c.group === 'mixed-content').map((c) => c.id)).toEqual([]);
});

test('bad ports are reached only in the bad-ports topic', () => {
  const ports = new Set<string>(Object.values(PORT_ORIGINS));
  expect(cases.filter((c) => hopOrigins(c).some((o) => ports.has(o)) && c.group !== 'bad-ports').map((c) => c.id)).toEqual([]);
});

test('every URL is on a virtual origin, under /m/', () => {
  const known = new Set([
    'http://a.test',
    'https://a.test',
    'http://b.a.test',
    'https://b.a.test',
    'http://b.test',
    'https://b.test',
    'http://other.example',
    'https://other.example',
    ...Object.values(PORT_ORIGINS),
  ]);
  expect([...known].sort()).toEqual([...Object.values(ORIGINS), ...Object.values(PORT_ORIGINS)].sort());
  const bad = cases.filter(
    (c) => !/^\/m\//.test(new URL(c.request.url).pathname) || !known.has(c.request.page.origin) || hopOrigins(c).some((o) => !known.has(o)),
  );
  expect(bad.map((c) => c.id)).toEqual([]);
});

test('preflight-cache waits stay short and rare', () => {
  const waits = cases.flatMap((c) => (c.request.prior ?? []).map((p) => p.waitMs));
  expect(Math.max(...waits)).toBeLessThanOrEqual(6500);
  const waiting = cases.filter((c) => (c.request.prior ?? []).some((p) => p.waitMs > 0));
  expect(waiting.length).toBeGreaterThan(0);
  expect(waiting.length).toBeLessThanOrEqual(40);
  expect(cases.filter((c) => c.request.prior?.length && c.group !== 'preflight-cache').map((c) => c.id)).toEqual([]);
});

test('titles are one plain sentence', () => {
  const bad = cases.filter((c) => !/^[A-Z§0-9][^\n]*[.?]$/.test(c.title) || c.title.length >= 400);
  expect(bad.map((c) => `${c.id}: ${c.title}`)).toEqual([]);
});

test('the standard examples teach what the spec model concludes', () => {
  for (const c of STANDARD_CASES) {
    const spec = evaluate(c);
    const t = c.taught;
    expect(t, c.id).toBeDefined();
    if (!t) continue;
    expect(spec.outcome, `${c.id}: ${spec.reason}`).toBe(t.outcome);
    if (t.preflight !== undefined) expect(spec.preflight, c.id).toBe(t.preflight);
    for (const name of t.readable ?? []) expect(spec.readable ?? [], c.id).toContain(name);
    for (const name of t.hidden ?? []) expect(spec.readable ?? [], c.id).not.toContain(name);
    expect(c.id.startsWith('standard/'), c.id).toBe(true);
    expect(c.group, c.id).not.toBe('basics');
  }
});

test('cookies go to same-site targets, except in the blocks that are about cross-site cookies', () => {
  for (const c of cases.filter((x) => x.request.withCookie)) {
    const host = new URL(c.request.url).hostname;
    const sameSite = host === 'a.test' || host.endsWith('.a.test');
    if (!sameSite) expect(c.id, c.id).toMatch(/^(credentials\/cross-site-cookie|initiators\/cookie)\//);
  }
});

test('every initiator has cases, each in the initiators topic or a topic of loads that fail, and the asset its initiator needs', () => {
  const kinds = new Map<string, number>();
  for (const c of cases.filter((x) => x.request.initiator)) {
    const kind = c.request.initiator?.kind ?? 'fetch';
    if (c.group === 'initiators') kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    else expect(LOAD_TOPICS, c.id).toContain(c.group);
  }
  for (const kind of INITIATOR_KINDS.filter((k) => k !== 'fetch')) expect(kinds.get(kind) ?? 0, kind).toBeGreaterThanOrEqual(10);
  // The asset is the registry's (model/initiators.ts), on the last hop.
  for (const c of cases) {
    const want = initiatorFacts(c.request.initiator).asset;
    if (!want) continue;
    let last = c.response.actual;
    while (last.redirect) last = last.redirect.next.actual;
    expect(last.asset, c.id).toBe(want);
  }
});
