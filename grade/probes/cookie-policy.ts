// Each engine's cookie policy, measured in the run: does it send the target's cookie on a
// credentialed request from the target itself (the control: the cookie is in the jar), from
// a page on the same site, and from a page on another site (an attacker's)? Three probes
// answer it from the proxy's log; the credentialed attacker probes of the battery say the
// same for every attacker origin. These are browser facts, not CORS verdicts: the probes
// raise no findings.
// Every attacker origin of the battery is another site than the target (target.test), and
// browsers that block or partition third-party cookies never send the session from there.
// A page on the target's own site is the attacker they leave: a sibling subdomain (another
// team's app, a user-content host, a subdomain taken over). The sibling attacker probes send
// from there, where every engine sends the site's cookies.
import type { EngineId } from '../../model/results.ts';
import type { Count } from '../../model/schemas.ts';
import { attackerProbes, probe, type GradeProbe } from './battery.ts';
import type { AttackerOrigin } from './origins.ts';
import { CROSS_SITE_ORIGIN, SAME_SITE_ORIGIN, TARGET_ORIGIN } from '../../model/virtual-origins.ts';
import type { EndpointPlan } from '../input/endpoints.ts';
import { allowsOrigin, originRules } from '../input/policy.ts';
import type { GradedProbe } from '../types.ts';

export type CookieContext = 'sameOrigin' | 'sameSite' | 'crossSite';

const PAGES: Record<CookieContext, { origin: string; what: string }> = {
  sameOrigin: { origin: TARGET_ORIGIN, what: 'a page on the target itself (the control: the cookie is in the jar)' },
  sameSite: { origin: SAME_SITE_ORIGIN, what: "a page on another origin of the target's site" },
  crossSite: { origin: CROSS_SITE_ORIGIN, what: 'a page on another site, as an attacker' },
};

/**
 * Whether the target received the cookie on a credentialed GET from a page on the target
 * itself, on its site, and on another site (null: no answer); and how many of the battery's
 * credentialed attacker probes that reached the target carried it.
 */
export interface EngineCookiePolicy {
  /** Whether the target received the cookie on a credentialed GET from each page; null: the probe gave no answer. */
  sameOrigin: boolean | null;
  sameSite: boolean | null;
  crossSite: boolean | null;
  /** The credentialed attacker probes from other sites that reached the target, and how many carried the cookie. */
  attackerProbes: { withCookie: Count; total: Count };
}

/** Each engine's cookie policy as measured in this run. */
export interface CookiePolicy {
  /** The cookies measured: the user's session (CORS_COOKIES), or the test cookie. */
  cookies: string[];
  /** true: the cookies are the user's session (CORS_COOKIES). */
  session: boolean;
  engines: Partial<Record<EngineId, EngineCookiePolicy>>;
}

const ID = 'cookie-policy/';

/** The three probes, on the first endpoint, with the rules that hold there. */
function cookiePolicyProbes(plan: EndpointPlan): GradeProbe[] {
  const first = plan.endpoints[0];
  const path = first?.path ?? '/';
  const rules = originRules(first?.rules ?? plan.policy);
  return (Object.keys(PAGES) as CookieContext[]).map((context) => {
    const { origin, what } = PAGES[context];
    return probe({
      id: `${ID}${context}`,
      kind: 'cookie-policy',
      description: `${what} sends GET ${path} with credentials: does the browser send the target's cookie? (a browser fact, not a verdict)`,
      pageOrigin: origin,
      path,
      method: 'GET',
      credentials: 'include',
      expect: origin === TARGET_ORIGIN || allowsOrigin(rules, origin) ? 'readable' : 'blocked',
    });
  });
}

/** The sibling subdomain as an attacker: it must not read with credentials, nor at all unless
 *  the rules allow any origin. */
const SIBLING: AttackerOrigin = {
  category: 'arbitrary-origin',
  origin: SAME_SITE_ORIGIN,
  sentOrigin: SAME_SITE_ORIGIN,
  opaque: null,
  imitates: null,
  how: "a sibling subdomain on the target's own site, from which every engine sends the site's cookies",
};

/** What a cookie in the jar adds to a grading: the sibling attacker and the cookie-policy
 *  probes. A cookie is there with a session (CORS_COOKIES), or as the test cookie where a path
 *  has credentials; otherwise none. */
export function cookieProbes(plan: EndpointPlan, withSession: boolean): GradeProbe[] {
  const cookieInJar = withSession || plan.endpoints.some((e) => e.rules.credentials);
  return cookieInJar ? [...plan.endpoints.flatMap((e) => attackerProbes(e, [SIBLING])), ...cookiePolicyProbes(plan)] : [];
}

/** Each engine's policy, from what the target received in this run. */
export function cookiePolicyOf(records: readonly GradedProbe[], engines: readonly EngineId[], cookies: string[], session: boolean): CookiePolicy {
  const out: CookiePolicy = { cookies, session, engines: {} };
  for (const e of engines) {
    const sent = (context: CookieContext) => records.find((r) => r.id === `${ID}${context}`)?.results[e]?.cookieSent ?? null;
    const attacks = records.flatMap((r) => {
      const o = r.kind === 'attacker' && r.credentials === 'include' && r.pageOrigin !== SAME_SITE_ORIGIN ? r.results[e] : undefined;
      return o && o.cookieSent !== null ? [o.cookieSent] : [];
    });
    out.engines[e] = {
      sameOrigin: sent('sameOrigin'),
      sameSite: sent('sameSite'),
      crossSite: sent('crossSite'),
      attackerProbes: { withCookie: attacks.filter(Boolean).length, total: attacks.length },
    };
  }
  return out;
}

/** A measured fact in words: sent, not sent, no answer. */
export const cookieWord = (b: boolean | null): string => (b === null ? 'no answer' : b ? 'sent' : 'not sent');

/** One line per engine, for the terminal and Markdown. */
export function cookiePolicyLines(p: CookiePolicy): string[] {
  return Object.entries(p.engines).map(
    ([e, c]) =>
      `${e}: same-origin ${cookieWord(c.sameOrigin)}, same-site ${cookieWord(c.sameSite)}, cross-site ${cookieWord(c.crossSite)}; ${c.attackerProbes.withCookie} of ${c.attackerProbes.total} credentialed attacker probes from other sites carried it`,
  );
}
