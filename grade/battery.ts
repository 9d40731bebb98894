// The probe battery, derived from the policy alone: intended uses that must work, attacker
// origins that must not read anything (with and without credentials), error responses that
// must still carry CORS headers, and methods and headers beyond the policy that must not be
// allowed. Ids are derived from the parameters, so they are stable between runs.
import type { Header } from '../model/case.ts';
import { isCorsSafelistedMethod, needsCorsPreflight } from '../oracle/index.ts';
import type { FindingCategory } from './findings.ts';
import { allowedSamples, attackerOrigins } from './origins.ts';
import { originRules, type Policy } from './policy.ts';

export type ProbeKind = 'intended' | 'attacker' | 'error-response' | 'reflection' | 'preflight-cache' | 'cookie-policy';

export interface GradeProbe {
  id: string;
  kind: ProbeKind;
  category?: FindingCategory;
  /** For an attacker probe: the allowed origin or pattern it imitates. */
  imitates?: string | null;
  /** battery: derived from the policy alone; search: a screened candidate the browsers confirm. */
  source: 'battery' | 'search';
  description: string;
  pageOrigin: string;
  opaque: 'sandboxed-iframe' | null;
  /** The Origin the target should see. */
  sentOrigin: string;
  path: string;
  method: string;
  headers: Header[];
  body: string | null;
  credentials: 'omit' | 'include';
  /** A first identical request before the measured one (preflight caching). */
  repeat: boolean;
  expect: 'readable' | 'blocked';
  readHeaders: string[];
}

const PROBE_METHODS_OUTSIDE_POLICY = ['DELETE', 'PUT', 'PATCH'];

/** The policy's request headers, each with a value a caller would send: the one given (--request-header) or a sample. */
export function policyRequestHeaders(policy: Policy, given: readonly Header[] = []): Header[] {
  return policy.requestHeaders.map((n) => [n, given.find(([g]) => g.toLowerCase() === n.toLowerCase())?.[1] ?? sampleValue(n)]);
}

function sampleValue(name: string): string {
  const lower = name.toLowerCase();
  if (lower === 'content-type') return 'application/json';
  if (lower === 'authorization') return 'Bearer cc-probe';
  return 'cc-probe';
}

export function bodyFor(method: string, headers: Header[]): string | null {
  if (method === 'GET' || method === 'HEAD') return null;
  return headers.some(([n, v]) => n.toLowerCase() === 'content-type' && v === 'application/json') ? '{}' : 'cc-probe';
}

type ProbeCore = Pick<GradeProbe, 'id' | 'kind' | 'description' | 'pageOrigin' | 'path' | 'method' | 'credentials' | 'expect'>;

/** A probe from a page on its own origin, with no request headers, sent once; `p` overrides. */
export function probe(p: ProbeCore & Partial<GradeProbe>): GradeProbe {
  const headers = p.headers ?? [];
  return { opaque: null, sentOrigin: p.pageOrigin, headers, body: bodyFor(p.method, headers), repeat: false, readHeaders: [], source: 'battery', ...p };
}

/** `requestHeaders`: the values the intended callers send (--request-header); attacker pages never send them. */
export function buildBattery(policy: Policy, requestHeaders: readonly Header[] = []): GradeProbe[] {
  const rules = originRules(policy);
  const allowed = allowedSamples(rules);
  const attackers = attackerOrigins(rules);
  const anyOrigin = rules.some((r) => r.kind === 'any');
  const probes: GradeProbe[] = [];
  const headers = policyRequestHeaders(policy, requestHeaders);
  const credentials: 'omit' | 'include' = policy.credentials ? 'include' : 'omit';
  const withCredentials = (c: 'omit' | 'include') => (c === 'include' ? ' with credentials' : '');

  for (const p of policy.paths) {
    const methods = p.methods ?? policy.methods;
    const simple = methods.find((m) => isCorsSafelistedMethod(m)) ?? methods[0] ?? 'GET';
    for (const origin of allowed) {
      for (const method of methods) {
        const h = method === 'GET' || method === 'HEAD' ? headers.filter(([n]) => n.toLowerCase() !== 'content-type') : headers;
        const request = { pageOrigin: origin, path: p.path, method, headers: h, credentials, expect: 'readable' as const };
        probes.push(
          probe({
            ...request,
            id: `intended/${p.path}/${origin}/${method}/${credentials}`,
            kind: 'intended',
            description: `${origin} sends ${method} ${p.path}${h.length ? ` with ${h.map(([n]) => n).join(', ')}` : ''}${withCredentials(credentials)}: the policy allows it, so the page must read the response`,
            readHeaders: policy.exposedHeaders,
          }),
        );
        if (policy.maxAge && policy.maxAge > 0 && needsCorsPreflight(method, h)) {
          probes.push(
            probe({
              ...request,
              id: `preflight-cache/${p.path}/${origin}/${method}`,
              kind: 'preflight-cache',
              description: `${origin} sends ${method} ${p.path} twice: with maxAge ${policy.maxAge} the second request must reuse the cached preflight`,
              repeat: true,
            }),
          );
        }
      }
    }
    for (const a of attackers) {
      for (const cred of ['omit', 'include'] as const) {
        // With origins ["*"], any site may read without credentials: that is the policy.
        const expect = anyOrigin && cred === 'omit' ? 'readable' : 'blocked';
        probes.push(
          probe({
            id: `attacker/${p.path}/${a.category}/${a.opaque ? 'null' : a.origin}/${cred}`,
            kind: 'attacker',
            category: a.category,
            imitates: a.imitates,
            description: `${a.opaque ? `a sandboxed iframe on ${a.origin} (Origin: null)` : a.origin} (${a.how}) sends ${simple} ${p.path}${withCredentials(cred)}: it must ${expect === 'blocked' ? 'not be able to read' : 'be able to read'} the response`,
            pageOrigin: a.origin,
            opaque: a.opaque,
            sentOrigin: a.sentOrigin,
            path: p.path,
            method: simple,
            credentials: cred,
            expect,
          }),
        );
      }
    }
  }

  const first = allowed[0];
  const firstPath = policy.paths[0];
  if (first && firstPath) {
    const missing = `${firstPath.path.replace(/\/$/, '')}/cc-conformance-missing`;
    probes.push(
      probe({
        id: `error-response/${missing}/${first}`,
        kind: 'error-response',
        description: `${first} requests ${missing}, which should not exist: the error response must still carry CORS headers, or the page cannot even read its status`,
        pageOrigin: first,
        path: missing,
        method: 'GET',
        credentials,
        expect: 'readable',
      }),
    );
    const outside = PROBE_METHODS_OUTSIDE_POLICY.find((m) => !policy.methods.includes(m));
    if (outside) {
      probes.push(
        probe({
          id: `reflection/method/${firstPath.path}/${first}/${outside}`,
          kind: 'reflection',
          description: `${first} sends ${outside} ${firstPath.path}, a method the policy does not allow: the preflight must refuse it`,
          pageOrigin: first,
          path: firstPath.path,
          method: outside,
          body: null,
          credentials,
          expect: 'blocked',
        }),
      );
    }
    probes.push(
      probe({
        id: `reflection/header/${firstPath.path}/${first}`,
        kind: 'reflection',
        description: `${first} sends GET ${firstPath.path} with X-CC-Not-In-Policy, a header the policy does not allow: the preflight must refuse it`,
        pageOrigin: first,
        path: firstPath.path,
        method: 'GET',
        headers: [['X-CC-Not-In-Policy', 'cc-probe']],
        credentials,
        expect: 'blocked',
      }),
    );
  }
  return probes;
}
