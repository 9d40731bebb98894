// What a grading records and writes (grade.json): each probe with each engine's observation,
// and the findings drawn from them. These types, and those they use, are the source of
// schemas/grade.schema.json (scripts/schemas.ts).
import type { Header } from '../model/case.ts';
import type { EngineId, EngineInfo } from '../model/results.ts';
import type { WireExchange } from '../model/wire.ts';
import type { AttackerProbe, PolicyProbe } from './probes/battery.ts';
import type { FindingCategory, Severity } from './judge/findings.ts';
import type { Policy } from './input/policy.ts';
import type { Endpoint } from './input/endpoints.ts';
import type { Cause } from './judge/causes.ts';
import type { GradeConfiguration } from './judge/configuration.ts';
import type { SearchSummary } from './search/search.ts';
import type { CookiePolicy } from './probes/cookie-policy.ts';
import type { Integer } from '../model/schemas.ts';

/** A credentialed attacker read: sent, the target received the user's session cookie on that
 *  request; not-sent, a session was given (CORS_COOKIES) but the browser did not send it;
 *  no-session, none was given. */
export type SessionUse = 'sent' | 'not-sent' | 'no-session';

export interface ProbeObservation {
  /** readable: the page read the response; blocked: the target answered and the browser withheld it;
   *  network-error: the target did not answer; not-applicable: this engine will not open that origin;
   *  error: the harness could not tell. */
  outcome: 'readable' | 'blocked' | 'network-error' | 'not-applicable' | 'error';
  status: Integer | null;
  preflight: boolean | null;
  cookieSent: boolean | null;
  readable: Header[];
  reason: string | null;
}

/** An attacker probe as grade.json records it (its given header values redacted), with what each engine observed. */
export interface GradedAttackerProbe extends AttackerProbe {
  results: Partial<Record<EngineId, ProbeObservation>>;
}

/** Any other probe as grade.json records it (its given header values redacted), with what each engine observed. */
export interface GradedPolicyProbe extends PolicyProbe {
  results: Partial<Record<EngineId, ProbeObservation>>;
}

/** A probe as grade.json records it, by kind. */
export type GradedProbe = GradedAttackerProbe | GradedPolicyProbe;

export interface Finding {
  category: FindingCategory;
  title: string;
  severity: Severity;
  origin: string;
  /** For an attacker finding: the allowed origin or pattern the origin imitates. */
  imitates: string | null;
  engines: EngineId[];
  credentialed: boolean;
  /** The path the finding is on, as appended to the target (endpoints[].path). */
  path: string;
  probe: string;
  detail: string;
  evidence: WireExchange[];
  fix: string;
  /** For a credentialed attacker read: whether it was made with the user's session; null otherwise. */
  session: SessionUse | null;
}

/**
 * What `cors-conformance grade` writes (grade.json): the root causes first, then the findings
 * that are their evidence, the origin search, and every probe with each engine's observation.
 * @title cors-conformance grade
 */
export interface GradeReport {
  schema: 'cors-conformance/grade@1';
  target: string;
  /** The origin the browsers fetched; the proxy forwarded it to the target. */
  browserTarget: string;
  /** An https target's certificate: verified (system roots, plus --ca), or not checked (--insecure); null for an http target. */
  certificate: 'verified' | 'not-checked' | null;
  /** The policy as validated (schemas/policy.schema.json), with its defaults filled in. */
  policy: Policy;
  /**
   * What was probed: each path appended to --target, where it is declared, its methods and the rules that hold there.
   * @minItems 1
   */
  endpoints: Endpoint[];
  startedAt: string;
  finishedAt: string;
  /** pass: no finding of low severity or above; fail: at least one; error: probes failed for network or harness reasons. */
  verdict: 'pass' | 'fail' | 'error';
  engines: EngineInfo[];
  /** One entry per root cause, the most severe first; each points at its findings. */
  causes: Cause[];
  /** The per-origin findings: the evidence for the causes. */
  findings: Finding[];
  /** The causes' fix as the target's configuration in its framework (--framework, or told by its headers); absent when neither names one or no cause has such a fix. */
  configuration?: GradeConfiguration;
  /** The signed-in session the run used: the names given in CORS_COOKIES and CORS_REQUEST_HEADERS (or their files), never their values. */
  signedIn: { cookies: string[]; requestHeaders: string[] };
  /** Each engine's cookie policy as measured in this run; null when no cookie was set (no
   *  credentials in the policy and no session cookie given). */
  cookiePolicy: CookiePolicy | null;
  /** The origin search; null when it was turned off. */
  search: SearchSummary | null;
  probes: GradedProbe[];
  errors: string[];
  notes: string[];
}
