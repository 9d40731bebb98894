// The smallest fix, as the configuration of the framework the server runs: express `cors`,
// @fastify/cors, hono's cors, @koa/cors, django-cors-headers, flask-cors, Starlette/FastAPI's
// CORSMiddleware, nginx, Apache and Caddy, and (as text) Spring and ASP.NET Core. Each
// configuration is whole: the origins, methods and request headers the request needs, with
// the ones the server allows today kept, so that pasting it fixes this request without
// breaking the others. Where a framework cannot say it, the configuration says so and gives
// the nearest correct one.
import {
  type CorsPolicy,
  FRAMEWORK_NAMES,
  FRAMEWORKS,
  type FrameworkId,
  type FrameworkSnippet,
  frameworkFromHeaders,
  frameworkId,
  RUN_HERE,
  snippetFor,
} from '../frameworks/config.ts';
import { corsUnsafeRequestHeaderNames, getHeader, isCorsSafelistedMethod, listedTokens } from '../oracle/index.ts';
import type { Explanation } from './explain.ts';
import { ExplainUsageError } from './request.ts';

export { FRAMEWORKS, type FrameworkId, frameworkFromHeaders } from '../frameworks/config.ts';

/** The configuration that makes the request work, in one framework's own terms. */
export interface FrameworkConfig extends FrameworkSnippet {
  framework: FrameworkId;
  name: string;
  /** How the framework was chosen: named with --framework, or told by the server's headers. */
  chosenBy: 'option' | 'server-headers';
  /** What the configuration allows, in the framework-neutral terms the snippet spells out. */
  policy: CorsPolicy;
}

export function parseFramework(raw: string): FrameworkId {
  const id = frameworkId(raw);
  if (!id) throw new ExplainUsageError(`--framework ${raw}: use one of ${FRAMEWORKS.join(', ')}`, { field: '--framework' });
  return id;
}

const union = (a: readonly string[], b: readonly string[], same: (x: string, y: string) => boolean) => [...a, ...b.filter((y) => !a.some((x) => same(x, y)))];

/** What the server must allow: today's lists, grown by what this request needs (as the fix grows them). */
export function policyFor(x: Explanation): CorsPolicy {
  const pre = x.responses.preflight?.headers ?? [];
  const actual = x.responses.actual?.headers ?? [];
  const set = (name: string) => x.fix.server?.find((c) => c.header?.[0] === name)?.header?.[1];
  const today = (name: string) => listedTokens(pre, name).filter((t) => t !== '*');
  const m = x.request.method;
  const methods =
    set('Access-Control-Allow-Methods')
      ?.split(',')
      .map((s) => s.trim()) ?? union(today('Access-Control-Allow-Methods'), isCorsSafelistedMethod(m) ? [] : [m], (a, b) => a === b);
  const headers =
    set('Access-Control-Allow-Headers')
      ?.split(',')
      .map((s) => s.trim()) ??
    union(today('Access-Control-Allow-Headers'), corsUnsafeRequestHeaderNames(x.request.headers), (a, b) => a.toLowerCase() === b.toLowerCase());
  const credentials = x.request.credentials === 'include' || getHeader(actual, 'access-control-allow-credentials') === 'true';
  const exposed = set('Access-Control-Expose-Headers') ?? getHeader(actual, 'access-control-expose-headers');
  return {
    origins: [x.request.origin],
    originPatterns: [],
    // The simple methods are always allowed; listing them keeps a framework's list readable.
    methods: union(['GET', 'HEAD', 'POST'], methods, (a, b) => a === b),
    headers,
    exposedHeaders: exposed
      ? exposed
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s && s !== '*')
      : [],
    credentials,
  };
}

/**
 * The configuration in `framework` (named, or told by the server's headers) that makes the
 * explained request work; null when no framework is named or told, or nothing needs changing.
 */
export function frameworkConfig(x: Explanation, named: FrameworkId | null): FrameworkConfig | null {
  const told = frameworkFromHeaders([...(x.responses.actual?.headers ?? []), ...(x.responses.preflight?.headers ?? [])]);
  const id = named ?? told;
  if (!id || (x.fix.server && x.fix.server.length === 0)) return null;
  const chosenBy = named ? 'option' : 'server-headers';
  if (!x.fix.server) {
    // No header change can make it work: no configuration can either.
    return {
      framework: id,
      name: FRAMEWORK_NAMES[id],
      chosenBy,
      snippet: '',
      policy: { origins: [], originPatterns: [], methods: [], headers: [], exposedHeaders: [], credentials: false },
      caveats: [`${FRAMEWORK_NAMES[id]} cannot express a fix for this request: no response header change makes it work (above), so no configuration can.`],
    };
  }
  const policy = policyFor(x);
  const { snippet, caveats } = snippetFor(id, policy, 'keep the other origins you allow in this list');
  if (!RUN_HERE.includes(id) && id !== 'spring' && id !== 'aspnetcore') caveats.push("Written from the framework's documented options; not run here.");
  return { framework: id, name: FRAMEWORK_NAMES[id], chosenBy, snippet, policy, caveats };
}
