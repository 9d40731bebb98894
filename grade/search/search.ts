// The origin search: generate the candidates (candidates.ts), screen them over HTTP
// (screen.ts), and turn what the screen flags into browser probes. Findings still come only
// from what a browser could read; a flagged origin that no URL parser accepts cannot be
// tried in a browser and becomes an `info` note, never a vulnerability.
import type { Header } from '../../model/case.ts';
import type { Count } from '../../model/schemas.ts';
import { type TargetTls, VERIFY_TLS } from '../../model/wire.ts';
import { isCorsSafelistedMethod } from '../../oracle/index.ts';
import { type AttackerProbe, bodyFor, type GradeProbe } from '../probes/battery.ts';
import { type CandidateSet, generateCandidates } from './candidates.ts';
import { type Endpoint, type EndpointPlan, resolveEndpoints } from '../input/endpoints.ts';
import type { RawFinding } from '../judge/judge.ts';
import { originRules, type PathRules, type Policy } from '../input/policy.ts';
import { flagged, preflightShape, screenCandidates, type ScreenedCandidate, type ScreenVerdict } from './screen.ts';
import { UserError } from '../../model/errors.ts';

/** The search block of grade.json: how many candidates each step saw, and how long it took (ms). */
export interface SearchSummary {
  /** Candidates generated: one set for each list of allowed origins among the endpoints. */
  candidates: Count;
  /** Variants a browser would send as an allowed origin (case, default port): not attacks. */
  collapsed: Count;
  /** Candidate × path pairs sent to the target. */
  screened: Count;
  requests: Count;
  /** Pairs the spec model says the server would let read. */
  flagged: Count;
  /** Flagged pairs whose origin no URL parser accepts: reported as info, not tried in a browser. */
  unreachable: Count;
  /** Flagged pairs tried in the browsers (the battery already tries some origins itself). */
  probed: Count;
  /**
   * Why only a sample of the flagged pairs was tried in the browsers, or null when every one
   * was: when the screen shows the server accepts an unrelated origin, every candidate is that
   * one mistake, and a few of each class confirm it.
   */
  sampled: string | null;
  /** Probed pairs that a browser could read in at least one engine (set after the browsers ran). */
  confirmed: Count;
  /** Pairs the screen could not decide because the target failed to answer. */
  errors: Count;
  ms: { generate: Count; screen: Count; confirm: Count };
  /** Candidate × path pairs screened per second. */
  perSecond: Count;
}

export interface SearchPlan {
  summary: SearchSummary;
  probes: GradeProbe[];
  /** Flagged origins no browser can stand on, as findings seen without a browser. */
  unreachable: RawFinding[];
}

/** More flagged pairs than this are confirmed by a sample of each class. */
const MAX_CONFIRMED = 200;
const SAMPLE_PER_CLASS = 3;

/** The first few flagged pairs of each class and path, spread over the class (first, middle, last). */
function sample(hits: ScreenedCandidate[]): ScreenedCandidate[] {
  const groups = new Map<string, ScreenedCandidate[]>();
  for (const h of hits) {
    const key = `${h.path} ${h.candidate.class}`;
    groups.set(key, [...(groups.get(key) ?? []), h]);
  }
  return [...groups.values()].flatMap((g) => {
    if (g.length <= SAMPLE_PER_CLASS) return g;
    const picks = new Set(Array.from({ length: SAMPLE_PER_CLASS }, (_, i) => Math.round((i * (g.length - 1)) / (SAMPLE_PER_CLASS - 1))));
    return [...picks].flatMap((i) => (g[i] ? [g[i]] : []));
  });
}

function credentialsFor(v: ScreenVerdict, policy: PathRules): 'omit' | 'include' {
  return v.readWithCredentials || (v.preflight === true && policy.credentials) ? 'include' : 'omit';
}

function searchProbe(s: ScreenedCandidate, endpoint: Endpoint): AttackerProbe {
  const { candidate: c, path, verdict } = s;
  const credentials = credentialsFor(verdict, endpoint.rules);
  const simple = endpoint.methods.find((m) => isCorsSafelistedMethod(m)) ?? 'GET';
  // Readable only through the preflight: send the request that needs it.
  const shape = !verdict.read && !verdict.readWithCredentials && verdict.preflight ? preflightShape(endpoint.rules) : null;
  const method = shape?.method ?? simple;
  const headers: Header[] = shape?.headers ?? [];
  return {
    id: `search${path}/${c.class}/${c.sentOrigin}/${credentials}`,
    kind: 'attacker',
    category: c.class,
    imitates: c.imitates,
    source: 'search',
    description: `${c.origin} (${c.how}${c.imitates ? `, imitating ${c.imitates}` : ''}) sends ${method} ${path}${credentials === 'include' ? ' with credentials' : ''}: the screen says the server lets it read; it must not be able to`,
    pageOrigin: c.origin,
    opaque: c.opaque,
    sentOrigin: c.sentOrigin,
    path,
    method,
    headers,
    body: bodyFor(method, headers),
    credentials,
    repeat: false,
    expect: 'blocked',
    readHeaders: [],
  };
}

function unreachableFinding(s: ScreenedCandidate): RawFinding {
  const c = s.candidate;
  return {
    category: 'unreachable-origin-accepted',
    origin: c.sentOrigin,
    imitates: c.imitates,
    // No page could send it, with credentials or without.
    credentialed: false,
    path: s.path,
    engine: null,
    probe: `search${s.path}/${c.class}/${c.sentOrigin}`,
    detail: `the server answered Origin ${JSON.stringify(c.sentOrigin)} (${c.how}) as allowed${s.verdict.readWithCredentials ? ', with credentials' : ''}${s.verdict.acao ? ` (Access-Control-Allow-Origin: ${s.verdict.acao})` : ''}, but the URL parser refuses that origin, so no browser can stand on it (checked without a browser)`,
    evidence: s.verdict.exchange ? [s.verdict.exchange] : [],
  };
}

/**
 * Generates and screens the candidates for each endpoint against the target, from the origins
 * its rules allow, and plans a browser probe for each flagged one that the fixed battery does
 * not try already.
 */
export async function planSearch(
  target: URL,
  policy: Policy,
  battery: GradeProbe[],
  tls: TargetTls = VERIFY_TLS,
  plan: EndpointPlan = resolveEndpoints(policy),
  limits: { maxScreenRequests?: number } = {},
): Promise<SearchPlan> {
  const t0 = performance.now();
  // One candidate set for each list of allowed origins; paths that share the list share it.
  const sets = new Map<string, CandidateSet>();
  const work = plan.endpoints.map((endpoint) => {
    const key = JSON.stringify(endpoint.rules.origins);
    const set = sets.get(key) ?? generateCandidates(originRules(endpoint.rules));
    sets.set(key, set);
    return { endpoint, candidates: set.candidates };
  });
  const t1 = performance.now();
  // A GET and at most one preflight per candidate and path: bounded before the first is sent.
  const pairs = work.reduce((n, w) => n + w.candidates.length, 0);
  if (limits.maxScreenRequests !== undefined && 2 * pairs > limits.maxScreenRequests)
    throw new UserError(
      `the origin search would send up to ${2 * pairs} requests to the target (${pairs} candidate × path pairs over ${plan.endpoints.length} path(s)), more than the limit of ${limits.maxScreenRequests}; grade with --no-search (the fixed battery still tries every attacker class), grade fewer paths, or raise the limit with --max-screen-requests ${2 * pairs}`,
      { field: '--max-screen-requests' },
    );
  const screen = await screenCandidates(target, work, { tls });
  const byPath = new Map(plan.endpoints.map((e) => [e.path, e]));
  const hits = screen.screened.filter((s) => flagged(s.verdict));
  const inBattery = new Set(battery.filter((p) => p.kind === 'attacker').map((p) => `${p.path} ${p.sentOrigin} ${p.opaque ?? ''}`));
  const unreachable = hits.filter((s) => !s.candidate.parses);
  const toTry = hits.filter((s) => s.candidate.parses && !inBattery.has(`${s.path} ${s.candidate.sentOrigin} ${s.candidate.opaque ?? ''}`));
  const acceptsAnything = hits.some((s) => s.candidate.class === 'arbitrary-origin');
  const tooMany = toTry.length > MAX_CONFIRMED;
  const sampled = acceptsAnything
    ? `the screen shows the server lets an unrelated origin read, so every candidate is that one mistake: ${SAMPLE_PER_CLASS} of each class and path were tried in the browsers`
    : tooMany
      ? `${toTry.length} flagged pairs are more than ${MAX_CONFIRMED}: ${SAMPLE_PER_CLASS} of each class and path were tried in the browsers`
      : null;
  const probes = (sampled ? sample(toTry) : toTry).flatMap((s) => {
    const endpoint = byPath.get(s.path);
    return endpoint ? [searchProbe(s, endpoint)] : [];
  });
  return {
    summary: {
      candidates: [...sets.values()].reduce((n, s) => n + s.candidates.length, 0),
      collapsed: [...sets.values()].reduce((n, s) => n + s.collapsed, 0),
      screened: screen.screened.length,
      requests: screen.requests,
      flagged: hits.length,
      unreachable: unreachable.length,
      probed: probes.length,
      sampled,
      confirmed: 0,
      errors: screen.screened.filter((s) => s.verdict.error !== null).length,
      ms: { generate: Math.round(t1 - t0), screen: screen.ms, confirm: 0 },
      perSecond: screen.ms > 0 ? Math.round((screen.screened.length * 1000) / screen.ms) : screen.screened.length,
    },
    probes,
    unreachable: unreachable.map(unreachableFinding),
  };
}
