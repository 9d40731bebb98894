// The origin search's screen: every candidate is sent to the target straight from here, as a
// browser would send it (the Origin, the Sec-Fetch-* headers, a simple GET, and a preflight
// for the policy's first method that needs one), and the spec model's CORS check and
// CORS-preflight check are applied to the real response headers. The screen selects what the
// browsers then confirm; it never reports a finding itself.
import type { Header } from '../../model/case.ts';
import type { TargetTls, WireExchange } from '../../model/wire.ts';
import { corsCheck, corsPreflightCheck, corsUnsafeRequestHeaderNames, getHeader, needsCorsPreflight } from '../../oracle/index.ts';
import { policyRequestHeaders } from '../probes/battery.ts';
import type { Candidate } from './candidates.ts';
import type { Endpoint } from '../input/endpoints.ts';
import type { PathRules } from '../input/policy.ts';
import { requestTarget, targetAgents } from '../../pipeline/target.ts';

/** What the spec model says a page on the candidate's origin could read. */
export interface ScreenVerdict {
  /** A simple GET is readable without credentials. */
  read: boolean;
  /** A simple GET is readable with credentials. */
  readWithCredentials: boolean;
  /** The preflight for the policy's first non-simple method passes (with credentials when the policy has them). */
  preflight: boolean | null;
  /** The target failed to answer this candidate. */
  error: string | null;
  /** Access-Control-Allow-Origin on the GET's response. */
  acao: string | null;
  /** The GET as it crossed the wire: evidence for what the screen saw. */
  exchange: WireExchange | null;
}

export interface ScreenedCandidate {
  candidate: Candidate;
  path: string;
  verdict: ScreenVerdict;
}

export interface ScreenResult {
  screened: ScreenedCandidate[];
  requests: number;
  ms: number;
}

export const SCREEN_CONCURRENCY = 32;

/** The request headers engines send on a cross-site fetch() (measured in the reference run). */
function browserHeaders(origin: string): Header[] {
  return [
    ['Origin', origin],
    ['Sec-Fetch-Site', 'cross-site'],
    ['Sec-Fetch-Mode', 'cors'],
    ['Sec-Fetch-Dest', 'empty'],
    ['Accept', '*/*'],
    ['Accept-Language', 'en-US,en;q=0.9'],
    ['User-Agent', 'Mozilla/5.0 (X11; Linux x86_64) cors-conformance-screen'],
  ];
}

/** The first method of a path's rules that needs a preflight, with the rules' request headers. */
export function preflightShape(policy: PathRules): { method: string; headers: Header[] } | null {
  const headers = policyRequestHeaders(policy);
  for (const method of policy.methods) if (needsCorsPreflight(method, headers)) return { method, headers };
  return null;
}

async function screenOne(
  target: URL,
  c: Candidate,
  path: string,
  shape: { method: string; headers: Header[] } | null,
  credentials: boolean,
  agents: ReturnType<typeof targetAgents>,
  timeoutMs: number,
): Promise<{ verdict: ScreenVerdict; requests: number }> {
  const origin = c.sentOrigin;
  let requests = 1;
  try {
    const get = await requestTarget(target, path, 'GET', browserHeaders(origin), { timeoutMs, agents });
    const acao = getHeader(get.responseHeaders, 'Access-Control-Allow-Origin');
    const read = corsCheck(get.responseHeaders, origin, 'omit').ok;
    const readWithCredentials = corsCheck(get.responseHeaders, origin, 'include').ok;
    let preflight: boolean | null = null;
    if (shape) {
      requests++;
      const unsafe = corsUnsafeRequestHeaderNames(shape.headers);
      const asked: Header[] = [
        ['Access-Control-Request-Method', shape.method],
        ...(unsafe.length ? ([['Access-Control-Request-Headers', unsafe.join(',')]] as Header[]) : []),
      ];
      const pre = await requestTarget(target, path, 'OPTIONS', [...browserHeaders(origin), ...asked], { timeoutMs, agents });
      const mode = credentials ? 'include' : 'omit';
      preflight =
        pre.status !== null &&
        corsPreflightCheck({
          status: pre.status,
          headers: pre.responseHeaders,
          serializedOrigin: origin,
          credentials: mode,
          method: shape.method,
          requestHeaders: shape.headers,
        }).ok;
    }
    return { verdict: { read, readWithCredentials, preflight, error: null, acao, exchange: get }, requests };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return { verdict: { read: false, readWithCredentials: false, preflight: null, error: e.code ?? e.message, acao: null, exchange: null }, requests };
  }
}

/** Screens each endpoint's candidates on that endpoint, with its rules, a bounded number at a time. */
export async function screenCandidates(
  target: URL,
  plan: Array<{ endpoint: Endpoint; candidates: Candidate[] }>,
  opts: { concurrency?: number; timeoutMs?: number; tls?: TargetTls } = {},
): Promise<ScreenResult> {
  const started = performance.now();
  const concurrency = opts.concurrency ?? SCREEN_CONCURRENCY;
  const agents = targetAgents(concurrency, opts.tls);
  const work = plan.flatMap(({ endpoint, candidates }) => {
    const shape = preflightShape(endpoint.rules);
    return candidates.map((candidate) => ({ candidate, path: endpoint.path, shape, credentials: endpoint.rules.credentials }));
  });
  const screened: ScreenedCandidate[] = new Array(work.length);
  let next = 0;
  let requests = 0;
  const worker = async () => {
    for (let i = next++; i < work.length; i = next++) {
      const w = work[i];
      if (!w) continue;
      const r = await screenOne(target, w.candidate, w.path, w.shape, w.credentials, agents, opts.timeoutMs ?? 5_000);
      requests += r.requests;
      screened[i] = { candidate: w.candidate, path: w.path, verdict: r.verdict };
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, work.length) }, worker));
  } finally {
    agents.destroy();
  }
  return { screened, requests, ms: Math.round(performance.now() - started) };
}

/** Whether the spec model says the server would let a page on this candidate read something. */
export function flagged(v: ScreenVerdict): boolean {
  return v.read || v.readWithCredentials || v.preflight === true;
}
