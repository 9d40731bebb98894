// The causes' fix in the server's own configuration: the rules the policy declares on the paths
// with a cause, written for the framework the user names (--framework) or the target's headers
// name. One block per set of rules, so a policy that differs by path gets one configuration
// for each; each block says which causes it fixes. Pure.
import type { Count } from '../../model/schemas.ts';
import { type CorsPolicy, FRAMEWORK_NAMES, type FrameworkId, type FrameworkSnippet, RUN_HERE, snippetFor } from '../../frameworks/config.ts';
import type { Endpoint } from '../input/endpoints.ts';
import { originRules, type PathRules, type Policy, rulesFor } from '../input/policy.ts';
import type { Cause } from './causes.ts';

/** A configuration for the paths that share one set of rules. */
export interface ConfigurationBlock extends FrameworkSnippet {
  /**
   * The paths it is for: the paths of its causes that have these rules.
   * @minItems 1
   */
  paths: string[];
  /** The policy's rules there, in the framework-neutral terms the snippet spells out. */
  policy: CorsPolicy;
  /**
   * Indexes into the report's causes[]: the causes this configuration fixes.
   * @minItems 1
   */
  causes: Count[];
}

/** The causes' fix as the target's configuration in one framework. */
export interface GradeConfiguration {
  framework: FrameworkId;
  name: string;
  /** How the framework was chosen: named with --framework, or told by the target's headers. */
  chosenBy: 'option' | 'server-headers';
  /**
   * One per set of rules the policy declares on the causes' paths.
   * @minItems 1
   */
  blocks: ConfigurationBlock[];
}

/** Causes no CORS configuration fixes, and why. */
const NOT_BY_CONFIGURATION: Partial<Record<Cause['category'], string>> = {
  'options-treated-as-preflight':
    'It does not change how an OPTIONS request without Access-Control-Request-Method is answered (the cause options-treated-as-preflight): pass such requests on to the application, as that cause says.',
};

/** The policy's rules as a framework-neutral policy: exact origins and patterns apart. */
export function corsPolicyOf(rules: PathRules): CorsPolicy {
  const parsed = originRules(rules);
  const any = parsed.some((r) => r.kind === 'any');
  return {
    origins: any ? ['*'] : parsed.flatMap((r) => (r.kind === 'exact' ? [r.origin] : [])),
    originPatterns: any ? [] : parsed.flatMap((r) => (r.kind === 'pattern' ? [r.text] : [])),
    // The simple methods are always allowed; listing them keeps a framework's list readable.
    methods: [...new Set(['GET', 'HEAD', 'POST', ...rules.methods.map((m) => m.toUpperCase())])],
    headers: rules.requestHeaders,
    exposedHeaders: rules.exposedHeaders,
    credentials: rules.credentials && !any,
    ...(rules.maxAge !== undefined ? { maxAge: rules.maxAge } : {}),
  };
}

/**
 * The configuration that fixes `causes` in `framework`; null when no framework is named or
 * told, or when there is no cause a configuration fixes.
 */
export function configurationFor(
  causes: readonly Cause[],
  policy: Policy,
  endpoints: readonly Endpoint[],
  framework: { named: FrameworkId | null; told: FrameworkId | null },
): GradeConfiguration | null {
  const id = framework.named ?? framework.told;
  if (!id) return null;
  const rulesOf = (path: string) => endpoints.find((e) => e.path === path)?.rules ?? rulesFor(policy, path).rules;
  const byRules = new Map<string, { rules: PathRules; paths: string[]; causes: Count[] }>();
  const notFixed: Array<{ why: string; paths: readonly string[] }> = [];
  causes.forEach((c, i) => {
    const why = NOT_BY_CONFIGURATION[c.category];
    if (why) {
      notFixed.push({ why, paths: c.paths });
      return;
    }
    for (const path of c.paths) {
      const rules = rulesOf(path);
      const key = JSON.stringify(rules);
      const block = byRules.get(key) ?? { rules, paths: [], causes: [] };
      if (!block.paths.includes(path)) block.paths.push(path);
      if (!block.causes.includes(i)) block.causes.push(i);
      byRules.set(key, block);
    }
  });
  if (!byRules.size) return null;
  const blocks = [...byRules.values()].map(({ rules, paths, causes: fixes }) => {
    const cors = corsPolicyOf(rules);
    const { snippet, caveats } = snippetFor(id, cors, byRules.size > 1 ? `the policy's origins on ${paths.join(', ')}` : "the policy's origins");
    if (!RUN_HERE.includes(id) && id !== 'spring' && id !== 'aspnetcore') caveats.push("Written from the framework's documented options; not run here.");
    caveats.push(...new Set(notFixed.filter((n) => n.paths.some((p) => paths.includes(p))).map((n) => n.why)));
    return { paths, policy: cors, snippet, caveats, causes: fixes.sort((a, b) => a - b) };
  });
  return { framework: id, name: FRAMEWORK_NAMES[id], chosenBy: framework.named ? 'option' : 'server-headers', blocks };
}
