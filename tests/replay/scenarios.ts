// The gradings that are recorded in each engine (scripts/record-observations.ts) and played
// back without a browser (tests/replay/): the correct server, each misconfiguration class, a
// target that resets connections, the origin search's self-tests, the signed-in API and the
// per-path policy. Each names its real target server and the grade() options; the replay
// starts the same server, so the target's setup check and the OPTIONS check run for real
// there too.
import type { PlanOptions } from '../../grade/plan.ts';
import { signedInFrom } from '../../grade/input/signed-in.ts';
import { MISCONFIGURATIONS, POLICY, TARGETS, resetsCorsRequests, type Target } from '../grade/targets.ts';
import { SEARCH_SELF_TESTS } from '../grade/search-targets.ts';
import { BEARER_TOKEN, SESSION_COOKIE, SESSION_POLICY, SESSION_VALUE, sessionApi } from '../grade/session-api.ts';
import { SPLIT, appliesEachPath, reflectsOnApi } from '../grade/path-targets.ts';

export type GradeOptions = Omit<PlanOptions, 'target'>;

export interface Scenario {
  /** The recording's name under tests/fixtures/recorded/<engine>/. */
  id: string;
  start: () => Promise<Target>;
  options: GradeOptions;
}

/** The test cookie's made-up value and the signed-in API's secrets: never in a recording. */
export const SECRETS: readonly string[] = ['secret-value', SESSION_VALUE, BEARER_TOKEN];

/** The signed-in API's session, as the command line builds it from --cookie and --request-header. */
export const SIGNED_IN = signedInFrom(
  { cookie: [`${SESSION_COOKIE}=${SESSION_VALUE}`], 'request-header': [`Authorization: Bearer ${BEARER_TOKEN}`] },
  SESSION_POLICY,
);

export const SCENARIOS: Scenario[] = [
  { id: 'grade/good', start: TARGETS.good, options: { policy: POLICY } },
  ...MISCONFIGURATIONS.map((m) => ({ id: `grade/${m.id}`, start: m.start, options: { policy: POLICY } })),
  // It resets every request with an Origin, the screen's too: the browsers' errors are the point.
  { id: 'grade/resets-cors-requests', start: resetsCorsRequests, options: { policy: POLICY, noSearch: true } },
  // Recorded with the search; the fixed battery alone is a part of the same recording.
  ...SEARCH_SELF_TESTS.map((t) => ({ id: `search/${t.id}`, start: t.start, options: { policy: t.policy } })),
  { id: 'session/with-cookie', start: sessionApi, options: { policy: SESSION_POLICY, noSearch: true, signedIn: SIGNED_IN } },
  { id: 'session/without-cookie', start: sessionApi, options: { policy: SESSION_POLICY, noSearch: true, signedIn: signedInFrom({}, SESSION_POLICY) } },
  { id: 'paths/reflects-on-api', start: reflectsOnApi, options: { policy: SPLIT } },
  { id: 'paths/applies-each-path', start: appliesEachPath, options: { policy: SPLIT } },
];

export function scenario(id: string): Scenario {
  const s = SCENARIOS.find((x) => x.id === id);
  if (!s) throw new Error(`no scenario ${id} in tests/replay/scenarios.ts`);
  return s;
}
