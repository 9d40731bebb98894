// Grading's first stage: everything decided before a browser starts. The inputs (the policy,
// the endpoints it or an OpenAPI document gives, the signed-in session) give the probes: the
// fixed battery, the origin search's (screened over HTTP against the target) and, with a
// cookie in the jar, the cookie-policy probes and the sibling attacker. Besides the screen,
// the plan makes two requests of its own to the target: whether it answers at all, and the
// OPTIONS check that no page can make. The CLI plans before it starts the engines, so that a
// target that does not answer is a setup error found first; the Playwright gate plans in
// each of its processes, to list the same tests.
import { TARGET_ORIGIN } from '../model/virtual-origins.ts';
import { type TargetTls, VERIFY_TLS, type WireExchange } from '../model/wire.ts';
import { UserError } from '../model/errors.ts';
import { COOKIE_NAME } from '../pipeline/cookies.ts';
import { checkTargetAnswers, optionsExchange, parseTarget } from '../pipeline/target.ts';
import { type EndpointPlan, resolveEndpoints } from './input/endpoints.ts';
import type { Policy } from './input/policy.ts';
import { NOT_SIGNED_IN, type SignedIn } from './input/signed-in.ts';
import type { CookieSetup } from './judge/judge.ts';
import type { FrameworkId } from '../frameworks/config.ts';
import { buildBattery, type GradeProbe } from './probes/battery.ts';
import { cookieProbes } from './probes/cookie-policy.ts';
import { planSearch, type SearchPlan } from './search/search.ts';

export interface PlanOptions {
  target: string;
  policy: Policy;
  /** The endpoints to probe and their rules (with --openapi); by default the policy's own. */
  endpoints?: EndpointPlan;
  /** The signed-in user's cookies and request header values (grade/input/signed-in.ts); none by default. */
  signedIn?: SignedIn;
  /** How an https target's certificate is checked; verified by default. */
  tls?: TargetTls;
  /** Skip the origin search (the fixed battery alone). */
  noSearch?: boolean;
  /** Where the search's plan comes from: made here by default. The Playwright gate makes it
   *  once per run and shares it between its processes, so that they list the same probes. */
  shareSearch?: (make: () => Promise<SearchPlan>) => Promise<SearchPlan>;
  onProgress?: (line: string) => void;
  /** The most a grading may ask of the browsers and of the target (GRADE_LIMITS by default). */
  limits?: GradeLimits;
  /** The target's framework, for the causes' fix as its configuration; by default the one its headers name, if any. */
  framework?: FrameworkId;
}

/** How much one grading may do: probes in each engine, and requests the origin search's screen
 *  sends to the target. A policy past them is refused before anything runs, naming the flag. */
export interface GradeLimits {
  maxProbes: number;
  maxScreenRequests: number;
}

export const GRADE_LIMITS: GradeLimits = { maxProbes: 5_000, maxScreenRequests: 100_000 };

/** A grading larger than a limit: a usage error (exit 2) that names the flag raising it. */
export class GradeLimitError extends UserError {}

export interface GradePlan {
  startedAt: string;
  target: URL;
  /** The target as the browsers fetch it: its path on TARGET_ORIGIN, which the proxy forwards to the target. */
  browserTarget: string;
  /** The policy as given. */
  policy: Policy;
  /** The endpoints and the rules on each; `endpoints.policy` is the policy they were resolved with. */
  endpoints: EndpointPlan;
  signedIn: SignedIn;
  tls: TargetTls;
  /** The cookies in each engine's jar before the probes: the user's session, or the test cookie where a path has credentials. */
  cookies: CookieSetup;
  /** Every probe, in the order they run: the battery, the search's, then the cookie probes. */
  probes: GradeProbe[];
  /** The origin search; null when it is turned off. */
  search: SearchPlan | null;
  /** The OPTIONS check on the first intended use's path, from its origin; null when the policy has no intended use. */
  options: { origin: string; path: string; exchange: WireExchange | null } | null;
  /** The framework named with --framework; null: the one the target's headers name, if any. */
  framework: FrameworkId | null;
}

/** The plan of one grading: its probes and the checks made without a browser. */
export async function planGrade(opts: PlanOptions): Promise<GradePlan> {
  const startedAt = new Date().toISOString();
  const target = parseTarget(opts.target);
  const signedIn = opts.signedIn ?? NOT_SIGNED_IN;
  const endpoints = opts.endpoints ?? resolveEndpoints(opts.policy);
  const tls = opts.tls ?? VERIFY_TLS;
  const fixed = buildBattery(opts.policy, endpoints, signedIn.requestHeaders);
  const limits = opts.limits ?? GRADE_LIMITS;
  const tooMany = (n: number, what: string) =>
    new GradeLimitError(
      `${what} ${n} probes in each engine, more than the limit of ${limits.maxProbes}; grade fewer origins or paths (patterns such as "https://*.example.com" and "/api/*" entries keep the rules without a probe each), or raise the limit with --max-probes ${n}`,
      { field: '--max-probes' },
    );
  if (fixed.length > limits.maxProbes) throw tooMany(fixed.length, 'the policy gives');
  const withSession = signedIn.cookies.length > 0;
  const anyCredentials = endpoints.endpoints.some((e) => e.rules.credentials);
  const cookies: CookieSetup = withSession
    ? { names: signedIn.cookies.map((c) => c.name), session: true }
    : { names: anyCredentials ? [COOKIE_NAME] : [], session: false };
  await checkTargetAnswers(target, endpoints.endpoints[0]?.path ?? '/', tls);
  const share = opts.shareSearch ?? ((make) => make());
  const search = opts.noSearch
    ? null
    : await share(() => planSearch(target, opts.policy, fixed, tls, endpoints, { maxScreenRequests: limits.maxScreenRequests }));
  if (search)
    opts.onProgress?.(
      `search: ${search.summary.candidates} candidates, ${search.summary.flagged} flagged by the screen, ${search.probes.length} to confirm in the browsers`,
    );
  // With a cookie in the jar: each engine's cookie policy, and the attacker it leaves (a sibling on the target's site).
  const probes = [...fixed, ...(search?.probes ?? []), ...cookieProbes(endpoints, withSession)];
  if (probes.length > limits.maxProbes) throw tooMany(probes.length, 'with the origin search, the grading would run');
  const first = probes.find((p) => p.kind === 'intended');
  const options = first ? { origin: first.pageOrigin, path: first.path, exchange: await optionsExchange(target, first.path, first.pageOrigin, tls) } : null;
  return {
    startedAt,
    target,
    browserTarget: `${TARGET_ORIGIN}${target.pathname.replace(/\/+$/, '')}`,
    policy: opts.policy,
    endpoints,
    signedIn,
    tls,
    cookies,
    probes,
    search,
    options,
    framework: opts.framework ?? null,
  };
}
