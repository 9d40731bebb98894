// What a grading probes: endpoints, each a path appended to --target with the methods probed
// there and the CORS rules that hold there. They come from the policy's exact paths and from
// an OpenAPI document's operations (--openapi); a pattern ("/api/*") gives rules, never an
// endpoint of its own. Where the policy and the document speak of the same path, the policy's
// entry wins for every field it sets.
import { type ApiDocument, PATH_TEMPLATE } from './openapi.ts';
import { isPathPattern, type PathRules, pathMatches, type Policy, PolicyError, rulesFor } from './policy.ts';
import { GradeFlagError } from './signed-in.ts';
import { GradeSetupError } from '../../pipeline/target.ts';

export interface Endpoint {
  /** The path probed, appended to --target. */
  path: string;
  /** Where it is declared: the policy's `paths`, or the --openapi document. */
  source: 'policy' | 'openapi';
  /** The path as declared there, before its parameters were filled ("/users/{id}"). */
  declared: string;
  /** The most specific `paths` entry that covers the path and sets rules ("/api/*"); null: the top level's rules hold there. */
  entry: string | null;
  /** The methods probed as intended uses. */
  methods: string[];
  /** The rules on this path; requestHeaders include the headers the document declares there. */
  rules: PathRules;
}

export interface EndpointPlan {
  endpoints: Endpoint[];
  /** The policy with its {name} paths filled, as the endpoints' rules were matched against it. */
  policy: Policy;
  /** What was left out or assumed, for the report's notes. */
  notes: string[];
}

function union(a: string[], b: string[]): string[] {
  const out = [...a];
  for (const h of b) if (!out.some((x) => x.toLowerCase() === h.toLowerCase())) out.push(h);
  return out;
}

/**
 * The endpoints of a policy, and of an OpenAPI document when one is given. `pathParams`
 * (--path-param) fill {name} in the policy's paths, before the document's values for the same
 * name. Throws PolicyError for a policy entry that cannot be probed, GradeSetupError for a
 * --path-param no path uses.
 */
/** `name=value` strings (--path-param, repeatable): the values of path parameters. */
export function parsePathParams(values: readonly string[] | undefined, flag = '--path-param'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values ?? []) {
    const eq = v.indexOf('=');
    const name = eq > 0 ? v.slice(0, eq) : '';
    if (!name || /[{}/]/.test(name)) throw new GradeFlagError(`${flag} ${v}: write name=value, e.g. ${flag} id=42`);
    if (name in out && out[name] !== v.slice(eq + 1)) throw new GradeFlagError(`${flag} ${name}: given twice with different values; give it once`);
    out[name] = v.slice(eq + 1);
  }
  return out;
}

export function resolveEndpoints(policy: Policy, api: ApiDocument | null = null, pathParams: Record<string, string> = {}): EndpointPlan {
  const problems: string[] = [];
  const policyNames = new Set<string>();
  const paths = policy.paths.map((e, i) => ({
    ...e,
    path: e.path.replace(PATH_TEMPLATE, (whole, name: string) => {
      policyNames.add(name);
      const value = pathParams[name] ?? api?.paramValues[name];
      if (value !== undefined) return encodeURIComponent(value);
      problems.push(
        `paths[${i}]: ${JSON.stringify(e.path)} has the path parameter "${name}" and no value for it; give one with --path-param ${name}=<value>${api ? '' : ', or --openapi with a document that has an example'}`,
      );
      return whole;
    }),
  }));
  const known = new Set([...policyNames, ...(api?.paramNames ?? [])]);
  const unused = Object.keys(pathParams).filter((n) => !known.has(n));
  if (unused.length)
    throw new GradeSetupError(
      `--path-param ${unused.join(', ')}: no path has a parameter of that name; ${known.size ? `the path parameters are ${[...known].join(', ')}` : 'no path has parameters'}`,
    );
  const filled: Policy = { ...policy, paths };
  paths.forEach((e, i) => {
    const twin = paths.findIndex((o) => o.path === e.path);
    if (twin < i) problems.push(`paths[${i}]: ${JSON.stringify(policy.paths[i]?.path)} is ${e.path} once filled, as paths[${twin}] is; merge the two entries`);
  });
  if (problems.length) throw new PolicyError(problems);

  const notes = [...(api?.notes ?? [])];
  const endpoints: Endpoint[] = [];
  const concrete = [...new Set([...paths.filter((e) => !isPathPattern(e.path)).map((e) => e.path), ...(api?.operations.map((o) => o.path) ?? [])])];
  for (const path of concrete) {
    const index = paths.findIndex((e) => e.path === path);
    const own = paths[index];
    const ops = api?.operations.filter((o) => o.path === path) ?? [];
    const { rules, entry } = rulesFor(filled, path);
    let methods = rules.methods;
    if (!own?.methods && ops.length) {
      methods = ops.map((o) => o.method).filter((m) => rules.methods.includes(m));
      const outside = ops.map((o) => o.method).filter((m) => !rules.methods.includes(m));
      if (outside.length)
        notes.push(
          `${outside.join(', ')} ${path}: in the document, but not among the policy's methods there (${rules.methods.join(', ') || 'none'}); not probed as intended uses.`,
        );
    }
    const requestHeaders = own?.requestHeaders
      ? rules.requestHeaders
      : union(
          rules.requestHeaders,
          ops.flatMap((o) => o.headers),
        );
    if (own && ops.length)
      notes.push(`${path}: the policy's paths[${index}] and ${api?.file} both declare it; the policy's entry wins for the fields it sets.`);
    endpoints.push({
      path,
      source: own ? 'policy' : 'openapi',
      declared: own ? (policy.paths[index]?.path ?? path) : (ops[0]?.template ?? path),
      entry,
      methods,
      rules: { ...rules, requestHeaders },
    });
  }
  const idle = paths.flatMap((e, i) =>
    isPathPattern(e.path) && !endpoints.some((p) => pathMatches(e.path, p.path))
      ? [
          `paths[${i}]: ${JSON.stringify(e.path)} covers none of the paths to probe; add an exact path under it (e.g. "${e.path.slice(0, -1)}status")${api ? '' : ', give --openapi with a document that has one'}, or remove the entry`,
        ]
      : [],
  );
  if (idle.length) throw new PolicyError(idle);
  if (!endpoints.length)
    throw new PolicyError([
      `paths: required${api ? '' : ' without --openapi'}: a non-empty list of endpoints to probe, e.g. ["/api/items"]${api ? '' : ', or give --openapi with a document of the API'}`,
    ]);
  return { endpoints, policy: filled, notes };
}
