// The origin search as grade() plans it for a target and policy, planned ahead (as the
// Playwright gate does, suites/target/): the candidates and the screen over HTTP, no browser.
import { resolveEndpoints } from '../../grade/input/endpoints.ts';
import type { Policy } from '../../grade/input/policy.ts';
import { NOT_SIGNED_IN, type SignedIn } from '../../grade/input/signed-in.ts';
import { buildBattery } from '../../grade/probes/battery.ts';
import { planSearch, type SearchPlan } from '../../grade/search/search.ts';
import { parseTarget } from '../../pipeline/target.ts';

export function planFor(url: string, policy: Policy, signedIn: SignedIn = NOT_SIGNED_IN): Promise<SearchPlan> {
  const endpoints = resolveEndpoints(policy);
  return planSearch(parseTarget(url), policy, buildBattery(policy, endpoints, signedIn.requestHeaders), undefined, endpoints);
}
