// What a grading records and writes (grade.json): each probe with each engine's observation,
// and the findings drawn from them.
import type { Header } from '../model/case.ts';
import type { EngineId, EngineInfo } from '../model/results.ts';
import type { WireExchange } from '../model/wire.ts';
import type { GradeProbe } from './probes/battery.ts';
import type { FindingCategory, Severity } from './judge/findings.ts';
import type { Policy } from './input/policy.ts';
import type { Endpoint } from './input/endpoints.ts';
import type { Cause } from './judge/causes.ts';
import type { SearchSummary } from './search/search.ts';
import type { CookiePolicy } from './probes/cookie-policy.ts';

/** A credentialed attacker read: sent, the target received the user's session cookie on that
 *  request; not-sent, a session was given (--cookie) but the browser did not send it;
 *  no-session, none was given. */
export type SessionUse = 'sent' | 'not-sent' | 'no-session';

export interface ProbeObservation {
  /** readable: the page read the response; blocked: the target answered and the browser withheld it;
   *  network-error: the target did not answer; not-applicable: this engine will not open that origin;
   *  error: the harness could not tell. */
  outcome: 'readable' | 'blocked' | 'network-error' | 'not-applicable' | 'error';
  status: number | null;
  preflight: boolean | null;
  cookieSent: boolean | null;
  readable: Header[];
  reason: string | null;
}

export interface ProbeRecord extends Omit<GradeProbe, 'readHeaders'> {
  readHeaders: string[];
  results: Partial<Record<EngineId, ProbeObservation>>;
}

export interface Finding {
  category: FindingCategory;
  title: string;
  severity: Severity;
  origin: string;
  /** For an attacker finding: the allowed origin or pattern the origin imitates. */
  imitates: string | null;
  engines: EngineId[];
  credentialed: boolean;
  /** The path it is on, as appended to --target. */
  path: string;
  probe: string;
  detail: string;
  evidence: WireExchange[];
  fix: string;
  /** For a credentialed attacker read: whether it was made with the user's session; null otherwise. */
  session: SessionUse | null;
}

export interface GradeReport {
  schema: 'cors-conformance/grade@1';
  target: string;
  /** The origin the browsers fetched; the proxy forwarded it to the target. */
  browserTarget: string;
  /** An https target's certificate: verified, or not checked (--insecure); null for http. */
  certificate: 'verified' | 'not-checked' | null;
  policy: Policy;
  /** What was probed: each path appended to --target, where it is declared, its methods and the rules that hold there. */
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
  /** The signed-in session the run used: cookie and header names only, never values. */
  signedIn: { cookies: string[]; requestHeaders: string[] };
  /** Each engine's cookie policy as measured in this run; null when no cookie was set (no
   *  credentials in the policy and no --cookie). */
  cookiePolicy: CookiePolicy | null;
  /** The origin search; null when it was turned off. */
  search: SearchSummary | null;
  probes: ProbeRecord[];
  errors: string[];
  notes: string[];
}
