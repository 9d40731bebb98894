// The probe battery, derived from the policy alone: on every endpoint (endpoints.ts), with the
// rules that hold on its path, intended uses that must work and attacker origins that must not
// read anything (with and without credentials); for each set of rules, an error response that
// must still carry CORS headers, and a method and a header beyond the rules that must not be
// allowed. Ids are derived from the parameters, so they are stable between runs.
import type { Header } from '../../model/case.ts';
import { isCorsSafelistedMethod, needsCorsPreflight } from '../../oracle/index.ts';
import type { FindingCategory } from '../judge/findings.ts';
import { allowedSamples, type AttackerOrigin, attackerOrigins } from './origins.ts';
import { type Endpoint, type EndpointPlan, resolveEndpoints } from '../input/endpoints.ts';
import { originRules, type PathRules, type Policy, rulesFor } from '../input/policy.ts';

export type ProbeKind = 'intended' | 'attacker' | 'error-response' | 'reflection' | 'preflight-cache' | 'cookie-policy';

/** What every probe has, whatever its kind. */
interface ProbeBase {
  id: string;
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

/** An attacker origin's request: it names the attack and what it imitates. */
export interface AttackerProbe extends ProbeBase {
  kind: 'attacker';
  category: FindingCategory;
  /** The allowed origin or pattern it imitates; null for an origin unrelated to the policy. */
  imitates: string | null;
}

/** Any other kind: an intended use, an error response, a method or header beyond the rules, a
 *  cached preflight, a cookie-policy measurement. */
export interface PolicyProbe extends ProbeBase {
  kind: Exclude<ProbeKind, 'attacker'>;
}

export type GradeProbe = AttackerProbe | PolicyProbe;

const PROBE_METHODS_OUTSIDE_POLICY = ['DELETE', 'PUT', 'PATCH'];

/** The request headers of a path's rules, each with a value a caller would send: the one given (CORS_REQUEST_HEADERS) or a sample. */
export function policyRequestHeaders(policy: PathRules, given: readonly Header[] = []): Header[] {
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

/** The fields probe() fills in when they are left out. */
type Defaulted = 'opaque' | 'sentOrigin' | 'headers' | 'body' | 'repeat' | 'readHeaders' | 'source';
/** A probe of either kind without its defaulted fields (Omit taken member by member, so the kind still decides the rest). */
type ProbeSpec = Omit<AttackerProbe, Defaulted> | Omit<PolicyProbe, Defaulted>;

/** A probe from a page on its own origin, with no request headers, sent once; `p` overrides. */
export function probe(p: ProbeSpec & Partial<Pick<ProbeBase, Defaulted>>): GradeProbe {
  const headers = p.headers ?? [];
  return { opaque: null, sentOrigin: p.pageOrigin, headers, body: bodyFor(p.method, headers), repeat: false, readHeaders: [], source: 'battery', ...p };
}

/** `requestHeaders`: the values the intended callers send (CORS_REQUEST_HEADERS); attacker pages never send them. */
export function buildBattery(policy: Policy, plan: EndpointPlan = resolveEndpoints(policy), requestHeaders: readonly Header[] = []): GradeProbe[] {
  const probes = plan.endpoints.flatMap((e) => endpointProbes(e, requestHeaders));
  // Error responses, and methods and headers outside the rules: once for each set of rules,
  // on the first endpoint that has them.
  const seen = new Set<string>();
  for (const e of plan.endpoints) {
    const missing = `${e.path.replace(/\/$/, '')}/cc-conformance-missing`;
    const missingRules = rulesFor(plan.policy, missing).rules;
    const errorKey = `error ${JSON.stringify(missingRules)}`;
    if (!seen.has(errorKey)) {
      seen.add(errorKey);
      probes.push(...errorProbes(missing, missingRules));
    }
    const outsideKey = `outside ${JSON.stringify(e.rules)}`;
    if (!seen.has(outsideKey)) {
      seen.add(outsideKey);
      probes.push(...outsideProbes(e.path, e.rules));
    }
  }
  return probes;
}

const withCredentials = (c: 'omit' | 'include') => (c === 'include' ? ' with credentials' : '');

/** Intended uses and attacker origins on one endpoint, with the rules that hold there. */
function endpointProbes(e: Endpoint, requestHeaders: readonly Header[]): GradeProbe[] {
  const { rules: policy, path, methods } = e;
  const rules = originRules(policy);
  const allowed = allowedSamples(rules);
  const attackers = attackerOrigins(rules);
  const probes: GradeProbe[] = [];
  const headers = policyRequestHeaders(policy, requestHeaders);
  const credentials: 'omit' | 'include' = policy.credentials ? 'include' : 'omit';
  for (const origin of allowed) {
    for (const method of methods) {
      const h = method === 'GET' || method === 'HEAD' ? headers.filter(([n]) => n.toLowerCase() !== 'content-type') : headers;
      const request = { pageOrigin: origin, path, method, headers: h, credentials, expect: 'readable' as const };
      probes.push(
        probe({
          ...request,
          id: `intended/${path}/${origin}/${method}/${credentials}`,
          kind: 'intended',
          description: `${origin} sends ${method} ${path}${h.length ? ` with ${h.map(([n]) => n).join(', ')}` : ''}${withCredentials(credentials)}: the policy allows it, so the page must read the response`,
          readHeaders: policy.exposedHeaders,
        }),
      );
      if (policy.maxAge && policy.maxAge > 0 && needsCorsPreflight(method, h)) {
        probes.push(
          probe({
            ...request,
            id: `preflight-cache/${path}/${origin}/${method}`,
            kind: 'preflight-cache',
            description: `${origin} sends ${method} ${path} twice: with maxAge ${policy.maxAge} the second request must reuse the cached preflight`,
            repeat: true,
          }),
        );
      }
    }
  }
  probes.push(...attackerProbes(e, attackers));
  return probes;
}

/** Each attacker's request on one endpoint, without and with credentials, by the endpoint's
 *  simplest method: it must not be able to read the response (nor, with origins ["*"], with
 *  credentials). */
export function attackerProbes(e: Pick<Endpoint, 'path' | 'methods' | 'rules'>, attackers: readonly AttackerOrigin[]): GradeProbe[] {
  const { path, methods } = e;
  const anyOrigin = originRules(e.rules).some((r) => r.kind === 'any');
  const simple = methods.find((m) => isCorsSafelistedMethod(m)) ?? methods[0] ?? 'GET';
  return attackers.flatMap((a) =>
    (['omit', 'include'] as const).map((cred) => {
      // With origins ["*"], any site may read without credentials: that is the policy.
      const expect = anyOrigin && cred === 'omit' ? 'readable' : 'blocked';
      return probe({
        id: `attacker/${path}/${a.category}/${a.opaque ? 'null' : a.origin}/${cred}`,
        kind: 'attacker',
        category: a.category,
        imitates: a.imitates,
        description: `${a.opaque ? `a sandboxed iframe on ${a.origin} (Origin: null)` : a.origin} (${a.how}) sends ${simple} ${path}${withCredentials(cred)}: it must ${expect === 'blocked' ? 'not be able to read' : 'be able to read'} the response`,
        pageOrigin: a.origin,
        opaque: a.opaque,
        sentOrigin: a.sentOrigin,
        path,
        method: simple,
        credentials: cred,
        expect,
      });
    }),
  );
}

/** A path that should not exist: its error response must still carry the CORS headers of its rules. */
function errorProbes(missing: string, policy: PathRules): GradeProbe[] {
  const first = allowedSamples(originRules(policy))[0];
  if (!first) return [];
  return [
    probe({
      id: `error-response/${missing}/${first}`,
      kind: 'error-response',
      description: `${first} requests ${missing}, which should not exist: the error response must still carry CORS headers, or the page cannot even read its status`,
      pageOrigin: first,
      path: missing,
      method: 'GET',
      credentials: policy.credentials ? 'include' : 'omit',
      expect: 'readable',
    }),
  ];
}

/** A method and a header outside the rules of a path: the preflight must refuse them. */
function outsideProbes(path: string, policy: PathRules): GradeProbe[] {
  const first = allowedSamples(originRules(policy))[0];
  if (!first) return [];
  const credentials: 'omit' | 'include' = policy.credentials ? 'include' : 'omit';
  const probes: GradeProbe[] = [];
  const outside = PROBE_METHODS_OUTSIDE_POLICY.find((m) => !policy.methods.includes(m));
  if (outside) {
    probes.push(
      probe({
        id: `reflection/method/${path}/${first}/${outside}`,
        kind: 'reflection',
        description: `${first} sends ${outside} ${path}, a method the policy does not allow: the preflight must refuse it`,
        pageOrigin: first,
        path,
        method: outside,
        body: null,
        credentials,
        expect: 'blocked',
      }),
    );
  }
  probes.push(
    probe({
      id: `reflection/header/${path}/${first}`,
      kind: 'reflection',
      description: `${first} sends GET ${path} with X-CC-Not-In-Policy, a header the policy does not allow: the preflight must refuse it`,
      pageOrigin: first,
      path,
      method: 'GET',
      headers: [['X-CC-Not-In-Policy', 'cc-probe']],
      credentials,
      expect: 'blocked',
    }),
  );
  return probes;
}
