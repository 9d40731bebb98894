// The declared CORS policy a server is graded against. Its structure, PolicyFile below, is the
// source of schemas/policy.schema.json (scripts/schemas.ts); it is validated at the door: every
// error names the field, the value and the fix, and nothing is guessed. Semantics of origin
// patterns are defined here, once.
import { readFileSync } from 'node:fs';
import { validate } from '../../model/schemas.ts';
import { isForbiddenMethod, isForbiddenRequestHeader } from '../../oracle/index.ts';
import { UserError } from '../../model/errors.ts';

/**
 * The CORS rules that hold on one path: the policy's top level, each field overridden by the
 * most specific paths entry that covers the path and sets it; requestHeaders include the
 * headers an --openapi document declares there.
 */
export interface PathRules {
  /**
   * Exact origins (`https://app.example.com`), patterns (`https://*.example.com`), or `*` alone.
   * @minItems 1
   */
  origins: string[];
  methods: string[];
  requestHeaders: string[];
  exposedHeaders: string[];
  credentials: boolean;
  /**
   * Seconds a preflight may be cached; absent: no expectation.
   * @asType integer
   * @minimum 0
   */
  maxAge?: number;
}

/** The fields a `paths` entry may override. */
export const RULE_FIELDS = ['origins', 'methods', 'requestHeaders', 'exposedHeaders', 'credentials', 'maxAge'] as const;

/**
 * A `paths` entry: an exact path (`/api/items`), or every path under a prefix (`/api/*`),
 * with the rules that differ there from the top level.
 */
export interface PolicyPath extends Partial<PathRules> {
  path: string;
}

/** The top-level rules hold on every path no `paths` entry overrides. */
export interface Policy extends PathRules {
  paths: PolicyPath[];
}

// The policy file as written, before defaults are filled in: the source of
// schemas/policy.schema.json. Each `@fix` is the advice an error about that field gives
// ("expected <fix>, got <value>"); the checks below say what a schema cannot.

/**
 * @pattern ^(\*|https?://(\*\.)?[a-z0-9.-]+(:[0-9]+)?)$
 * @fix an origin as browsers send it: scheme://host[:port] in lowercase with no trailing slash, e.g. "https://app.example.com"; a pattern "https://*.example.com"; or "*" alone
 */
type OriginText = string;

/**
 * @pattern ^[!#$%&'*+.^_`|~0-9A-Za-z-]+$
 * @fix a method name (an HTTP token, no spaces or commas)
 */
type MethodName = string;

/**
 * @pattern ^[!#$%&'*+.^_`|~0-9A-Za-z-]+$
 * @fix a header name (an HTTP token, no spaces or colons)
 */
type HeaderName = string;

/**
 * @pattern ^/
 * @fix a path that starts with "/" (it is appended to the target URL), or a prefix ending in "/*" such as "/api/*"
 */
type PathText = string;

/** @fix "/path" or {"path": "/path", ...} with any of origins, methods, requestHeaders, exposedHeaders, credentials, maxAge */
type PathsItem = PathText | PolicyFileEntry;

/**
 * What a server's CORS policy is meant to be. `cors-conformance grade` checks in real browsers
 * that every intended use works and nothing else can read. This schema is the policy's
 * structure; grade/input/policy.ts adds the checks a schema cannot express (forbidden names,
 * the canonical form of an origin, `*` with credentials, on each path too). `x-fix` is the
 * advice shown when a value fails that part.
 * @title cors-conformance policy
 */
export interface PolicyFile {
  $schema?: string;
  /**
   * Origins allowed to read: exact origins as browsers send them ("https://app.example.com",
   * lowercase, no trailing slash, default port left out); patterns "https://*.example.com" (one
   * or more labels before example.com, same scheme and port; not example.com itself); or "*"
   * alone (not with credentials). "null" is refused.
   * @minItems 1
   * @fix a non-empty list such as ["https://app.example.com"]; there is no default (an empty policy allows nothing)
   */
  origins: OriginText[];
  /**
   * Methods allowed; default GET, HEAD, POST. Case-sensitive, as browsers compare them.
   * @fix a list of method names such as ["GET", "PUT"]
   */
  methods?: MethodName[];
  /**
   * Request headers callers send that must be allowed (Access-Control-Allow-Headers).
   * Forbidden request headers (Cookie, Origin, …) are refused.
   * @fix a list of header names such as ["Content-Type", "X-Requested-With"]
   */
  requestHeaders?: HeaderName[];
  /**
   * Response headers callers must be able to read (Access-Control-Expose-Headers).
   * @fix a list of header names such as ["X-Total-Count"]
   */
  exposedHeaders?: HeaderName[];
  /**
   * Whether callers send cookies or HTTP authentication (credentials: 'include'). Default false.
   * @fix true or false
   */
  credentials?: boolean;
  /**
   * Seconds a preflight may be cached (Access-Control-Max-Age). Absent: not checked.
   * @asType integer
   * @minimum 0
   * @fix a whole number of seconds (0 or more)
   */
  maxAge?: number;
  /**
   * Endpoints to probe, appended to --target (required unless --openapi gives them), and the
   * paths where the rules differ. A string is an exact path; an object may override any of
   * origins, methods, requestHeaders, exposedHeaders, credentials and maxAge there. A path
   * ending in "/*" covers every path under that prefix ("/api/*": /api/items, /api/users/42;
   * not /api itself); an exact path covers itself alone. On a path, each field comes from the
   * most specific entry that covers it and sets the field (an exact path first, then the
   * longest prefix), else from the top level. A pattern is probed through the exact paths,
   * or --openapi paths, it covers. {name} in a path is filled from --path-param or the --openapi
   * document.
   * @minItems 1
   * @fix a non-empty list of endpoints to probe, e.g. ["/api/items"], [{"path": "/api/items", "methods": ["GET", "PUT"]}] or [{"path": "/public/*", "origins": ["*"]}]
   */
  paths?: PathsItem[];
}

/** A `paths` entry as written: the path, and the rules that differ there. */
interface PolicyFileEntry {
  /** An exact path, or a prefix ending in "/*". */
  path: PathText;
  /**
   * This path's origins, instead of the top level's.
   * @minItems 1
   * @fix a non-empty list of this path's origins, such as ["https://app.example.com"] or ["*"]
   */
  origins?: OriginText[];
  /**
   * This path's methods, instead of the top level's. The methods probed there and the only ones allowed there.
   * @fix a list of this path's method names such as ["GET", "PUT"]
   */
  methods?: MethodName[];
  /**
   * This path's requestHeaders, instead of the top level's.
   * @fix a list of header names such as ["Content-Type", "X-Requested-With"]
   */
  requestHeaders?: HeaderName[];
  /**
   * This path's exposedHeaders, instead of the top level's.
   * @fix a list of header names such as ["X-Total-Count"]
   */
  exposedHeaders?: HeaderName[];
  /**
   * This path's credentials, instead of the top level's.
   * @fix true or false (false with origins ["*"])
   */
  credentials?: boolean;
  /**
   * This path's maxAge, instead of the top level's.
   * @asType integer
   * @minimum 0
   * @fix a whole number of seconds (0 or more)
   */
  maxAge?: number;
}

/** One problem with a policy: the field at fault (empty: the whole policy), what is wrong, and the fix where the schema gives one apart. */
export interface PolicyProblem {
  field: string;
  message: string;
  fix?: string;
}

/** A problem written as `<field>: <what is wrong and the fix>`, as the checks here write them. */
function problemFromText(text: string): PolicyProblem {
  const m = /^([\w$]+(?:\[\d+\]|\.[\w$]+)*): /.exec(text);
  return m?.[1] ? { field: m[1], message: text.slice(m[0].length) } : { field: '', message: text };
}

/** A policy that cannot be graded against. Its `field` is the first problem's, its `fix` that of a lone problem that has one. */
export class PolicyError extends UserError {
  /** Every problem found, in the order they are listed. */
  readonly problems: PolicyProblem[];

  constructor(problems: ReadonlyArray<string | PolicyProblem>) {
    const list = problems.map((p) => (typeof p === 'string' ? problemFromText(p) : p));
    const first = list.length === 1 ? list[0] : undefined;
    super(`the policy is not valid:\n  - ${list.map((p) => (p.field ? `${p.field}: ${p.message}` : p.message)).join('\n  - ')}`, {
      ...(list[0]?.field ? { field: list[0].field } : {}),
      ...(first?.fix ? { fix: first.fix } : {}),
    });
    this.problems = list;
  }
}

/** A parsed `origins` entry. */
export type OriginRule =
  | { kind: 'any' }
  | { kind: 'exact'; origin: string }
  /** `scheme://*.suffix[:port]`: one or more labels before `suffix`, same scheme and port. */
  | { kind: 'pattern'; scheme: 'http:' | 'https:'; suffix: string; port: string; text: string };

function describe(v: unknown): string {
  return JSON.stringify(v) ?? String(v);
}

export function parseOriginRule(value: string, field: string, problems: string[]): OriginRule | null {
  if (value === '*') return { kind: 'any' };
  if (value === 'null') {
    problems.push(`${field}: "null" is the origin of sandboxed iframes and data: documents, which any site can create; remove it`);
    return null;
  }
  const wildcard = /^(https?):\/\/\*\.(.+)$/.exec(value);
  const text = wildcard ? `${wildcard[1]}://cc-wildcard.${wildcard[2]}` : value;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    problems.push(`${field}: ${describe(value)} is not an origin; write scheme://host[:port], e.g. "https://app.example.com"`);
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    problems.push(`${field}: ${describe(value)} is not http or https; browsers send other schemes' origins as "null"`);
    return null;
  }
  if (value.includes('*') && !wildcard) {
    problems.push(`${field}: ${describe(value)} has a "*" that is not the leftmost label; write "https://*.example.com"`);
    return null;
  }
  if (url.pathname !== '/' || url.search || url.hash || url.username || url.password || value.endsWith('/')) {
    problems.push(
      `${field}: ${describe(value)} has a path, query or userinfo; an origin is scheme://host[:port] with no trailing slash, e.g. ${describe(url.origin.replace('cc-wildcard.', '*.'))}`,
    );
    return null;
  }
  const canonical = url.origin.replace('cc-wildcard.', '*.');
  if (canonical !== value) {
    problems.push(`${field}: ${describe(value)} is not how browsers send it (lowercase host, default port left out); write ${describe(canonical)}`);
    return null;
  }
  if (wildcard) {
    const suffix = url.hostname.slice('cc-wildcard.'.length);
    if (!suffix.includes('.')) {
      problems.push(`${field}: ${describe(value)} trusts every site under a top-level domain; name a registrable domain, e.g. "https://*.example.com"`);
      return null;
    }
    return { kind: 'pattern', scheme: url.protocol as 'http:' | 'https:', suffix, port: url.port, text: value };
  }
  return { kind: 'exact', origin: value };
}

/** Whether the policy allows a page on `origin` (a serialized origin, or "null"). */
export function allowsOrigin(rules: OriginRule[], origin: string): boolean {
  if (origin === 'null') return false;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  return rules.some((r) => {
    if (r.kind === 'any') return true;
    if (r.kind === 'exact') return r.origin === origin;
    return url.protocol === r.scheme && url.port === r.port && url.hostname.endsWith(`.${r.suffix}`) && url.hostname.length > r.suffix.length + 1;
  });
}

function checkMethod(v: string, f: string): string | null {
  if (isForbiddenMethod(v)) return `${f}: ${describe(v)} is a forbidden method; no page can send it, remove it`;
  return null;
}

function checkHeader(v: string, f: string): string | null {
  // Names a page can never set; listing them is a mistake.
  if (isForbiddenRequestHeader(v, '')) {
    const cookie = v.toLowerCase() === 'cookie' ? ' (cookies go with "credentials": true)' : '';
    return `${f}: ${describe(v)} is a forbidden request header; pages cannot set it${cookie}, remove it`;
  }
  return null;
}

/** The strings of a list the schema may have refused, each with its field path. */
function strings(raw: unknown, field: string): Array<[string, string]> {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((v: unknown, i) => (typeof v === 'string' ? [[v, `${field}[${i}]`] as [string, string]] : []));
}

/** A `paths` entry's path that ends in "/*" covers every path under that prefix. */
export function isPathPattern(entry: string): boolean {
  return entry.endsWith('/*');
}

/**
 * Whether a `paths` entry covers a path (both as appended to --target): an exact entry covers
 * that path alone; "/api/*" covers every path that starts with "/api/", not "/api" itself.
 */
export function pathMatches(entry: string, path: string): boolean {
  return isPathPattern(entry) ? path.startsWith(entry.slice(0, -1)) : entry === path;
}

/** Larger is more specific: an exact path beats every pattern, a longer prefix a shorter one. */
function specificity(entry: string): number {
  return isPathPattern(entry) ? entry.length - 1 : Number.POSITIVE_INFINITY;
}

/** The top-level rules of a policy. */
export function topRules(policy: PathRules): PathRules {
  const { origins, methods, requestHeaders, exposedHeaders, credentials, maxAge } = policy;
  return { origins, methods, requestHeaders, exposedHeaders, credentials, ...(maxAge !== undefined ? { maxAge } : {}) };
}

/** The rules an entry sets itself. */
function ownRules(entry: PolicyPath): Partial<PathRules> {
  return Object.fromEntries(RULE_FIELDS.flatMap((f) => (entry[f] !== undefined ? [[f, entry[f]]] : [])));
}

/** The entries that cover a path, the least specific first. */
function coveringEntries(policy: Policy, path: string): PolicyPath[] {
  return policy.paths.filter((p) => pathMatches(p.path, path)).sort((a, b) => specificity(a.path) - specificity(b.path));
}

/**
 * The rules on a path: each field from the most specific entry that covers the path and sets
 * it, else from the top level. `entry` is the path of the most specific covering entry that
 * sets any rule, or null when the top level's rules hold there unchanged.
 */
export function rulesFor(policy: Policy, path: string): { rules: PathRules; entry: string | null } {
  const covering = coveringEntries(policy, path).filter((e) => Object.keys(ownRules(e)).length > 0);
  let rules = topRules(policy);
  for (const e of covering) rules = { ...rules, ...ownRules(e) };
  return { rules, entry: covering.at(-1)?.path ?? null };
}

function checkOrigins(list: Array<[string, string]>, field: string, say: (path: string, problem: string | null) => void): OriginRule[] {
  const rules = list.flatMap(([o, f]) => {
    const own: string[] = [];
    const rule = parseOriginRule(o, f, own);
    for (const p of own) say(f, p);
    return rule ? [rule] : [];
  });
  if (rules.some((r) => r.kind === 'any') && list.length > 1) say(field, `${field}: "*" already allows every origin; list it alone`);
  return rules;
}

/** C0 controls, DEL and C1 controls: no path, origin or header of a policy holds one, and in
 *  an output a terminal or a renderer could act on them. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what this finds
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;

function checkPathShape(path: unknown, field: string): string | null {
  if (typeof path === 'string' && CONTROL_CHARACTER.test(path)) {
    const at = path.search(CONTROL_CHARACTER);
    const code = path.charCodeAt(at).toString(16).toUpperCase().padStart(4, '0');
    return `${field}: character ${at + 1} is a control character (U+${code}), which no path may hold; percent-encode it (%${code.slice(2)}) if the server really serves such a path`;
  }
  if (typeof path !== 'string' || !path.includes('*')) return null;
  if (isPathPattern(path) && !path.slice(0, -1).includes('*')) return null;
  const prefix = path.slice(0, path.indexOf('*')).replace(/\/?$/, '/');
  return `${field}: ${describe(path)} has a "*" that is not a trailing "/*"; write ${describe(`${prefix}*`)} for every path under ${prefix}, or an exact path`;
}

/**
 * The checks on each `paths` entry once the structure holds: "*" with credentials where the
 * entry's rules (its own fields over those of the entries that cover it and the top level)
 * combine them, and a path listed twice.
 */
function entryProblems(policy: Policy): string[] {
  const problems: string[] = [];
  const first = new Map<string, number>();
  policy.paths.forEach((e, i) => {
    const f = `paths[${i}]`;
    const twin = first.get(e.path);
    if (twin !== undefined) problems.push(`${f}.path: ${describe(e.path)} is listed twice (also paths[${twin}]); merge the two entries into one`);
    else first.set(e.path, i);
    // An entry's own path stands for every path it covers: any entry covering one of those covers it too.
    const at = isPathPattern(e.path) ? e.path.slice(0, -1) : e.path;
    const { rules } = rulesFor(policy, at);
    if (!rules.credentials || !rules.origins.includes('*')) return;
    const from = (field: 'origins' | 'credentials') => {
      const source = coveringEntries(policy, at)
        .filter((c) => c !== e && c[field] !== undefined)
        .at(-1);
      return source ? `paths[${policy.paths.indexOf(source)}] ${describe(source.path)}` : 'the top level';
    };
    const refused = 'browsers refuse a credentialed response with Access-Control-Allow-Origin: *';
    if (e.origins?.includes('*') && e.credentials === true)
      problems.push(`${f}.origins: "*" with "credentials": true cannot work: ${refused}; list the origins instead`);
    else if (e.origins?.includes('*'))
      problems.push(
        `${f}.origins: "*" with credentials (true from ${from('credentials')}) cannot work: ${refused}; add "credentials": false to this entry, or list the origins`,
      );
    else if (e.credentials === true)
      problems.push(`${f}.credentials: true with origins "*" (from ${from('origins')}) cannot work: ${refused}; list this entry's origins`);
  });
  return problems;
}

/**
 * Validates a parsed JSON value as a policy. The structure is schemas/policy.schema.json's;
 * the checks here are the ones a schema cannot express. A field the checks here speak about
 * gets their message, which is the more precise one. Throws PolicyError listing every problem.
 */
/** How large a policy is graded: every origin and path is probed in every engine, so a policy
 *  of thousands is hours of browser time and hundreds of thousands of requests to the target. */
export interface PolicyLimits {
  maxOrigins: number;
  maxPaths: number;
}

export const POLICY_LIMITS: PolicyLimits = { maxOrigins: 100, maxPaths: 500 };

function limitProblems(obj: Record<string, unknown>, limits: PolicyLimits): string[] {
  const origins = [
    obj.origins,
    ...(Array.isArray(obj.paths) ? obj.paths.map((p: unknown) => (p && typeof p === 'object' ? (p as { origins?: unknown }).origins : undefined)) : []),
  ]
    .flatMap((o) => (Array.isArray(o) ? o : []))
    .filter((o) => o !== '*');
  const distinct = new Set(origins).size;
  const problems: string[] = [];
  if (distinct > limits.maxOrigins)
    problems.push(
      `origins: ${distinct} distinct origins, more than the limit of ${limits.maxOrigins}; each is an intended use probed in every engine (and the origin search tries dozens of attackers for each), so it cannot be sampled: use patterns such as "https://*.example.com" for families of origins, or raise the limit with --max-origins ${distinct}`,
    );
  if (Array.isArray(obj.paths) && obj.paths.length > limits.maxPaths)
    problems.push(
      `paths: ${obj.paths.length} entries, more than the limit of ${limits.maxPaths}; use "/prefix/*" entries for the rules and list the paths worth probing, or raise the limit with --max-endpoints ${obj.paths.length}`,
    );
  return problems;
}

export function validatePolicy(raw: unknown, limits: PolicyLimits = POLICY_LIMITS): Policy {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    throw new PolicyError(['the policy must be a JSON object, e.g. {"origins": ["https://app.example.com"], "paths": ["/api"]}']);
  const obj = raw as Record<string, unknown>;
  // Too large to grade: said at once, before any check walks it.
  const tooLarge = limitProblems(obj, limits);
  if (tooLarge.length) throw new PolicyError(tooLarge);
  const problems: string[] = [];
  const spoken = new Set<string>();
  const say = (path: string, problem: string | null) => {
    if (!problem) return;
    spoken.add(path);
    problems.push(problem);
  };
  const rules = checkOrigins(strings(obj.origins, 'origins'), 'origins', say);
  const methods = obj.methods === undefined ? ['GET', 'HEAD', 'POST'] : strings(obj.methods, 'methods').map(([m]) => m);
  for (const [m, f] of strings(obj.methods, 'methods')) say(f, checkMethod(m, f));
  for (const [h, f] of strings(obj.requestHeaders, 'requestHeaders')) say(f, checkHeader(h, f));
  if (obj.credentials === true && rules.some((r) => r.kind === 'any')) {
    say(
      'origins',
      'origins: "*" with "credentials": true cannot work: browsers refuse a credentialed response with Access-Control-Allow-Origin: *; list the origins instead',
    );
  }
  if (Array.isArray(obj.paths)) {
    obj.paths.forEach((p: unknown, i) => {
      const f = `paths[${i}]`;
      if (!p || typeof p !== 'object') {
        say(f, checkPathShape(p, f));
        return;
      }
      const e = p as Record<string, unknown>;
      say(`${f}.path`, checkPathShape(e.path, `${f}.path`));
      checkOrigins(strings(e.origins, `${f}.origins`), `${f}.origins`, say);
      for (const [m, mf] of strings(e.methods, `${f}.methods`)) say(mf, checkMethod(m, mf));
      for (const [h, hf] of strings(e.requestHeaders, `${f}.requestHeaders`)) say(hf, checkHeader(h, hf));
    });
  }
  const schemaProblems: PolicyProblem[] = validate('policy', raw)
    .filter((e) => !spoken.has(e.field))
    .map((e) => ({ field: e.field, message: e.message, ...(e.fix ? { fix: e.fix } : {}) }));
  if (schemaProblems.length || problems.length) throw new PolicyError([...schemaProblems, ...problems]);
  // The schema holds, so the shapes below are the schema's.
  const policy = raw as PolicyFile;
  const valid: Policy = {
    origins: policy.origins,
    methods,
    requestHeaders: policy.requestHeaders ?? [],
    exposedHeaders: policy.exposedHeaders ?? [],
    credentials: policy.credentials ?? false,
    ...(policy.maxAge !== undefined ? { maxAge: policy.maxAge } : {}),
    paths: (policy.paths ?? []).map((p) => (typeof p === 'string' ? { path: p } : { path: p.path, ...ownRules(p) })),
  };
  const late = entryProblems(valid);
  if (late.length) throw new PolicyError(late);
  return valid;
}

/** The origin rules of validated rules (the top level's or a path's). */
export function originRules(policy: PathRules): OriginRule[] {
  const problems: string[] = [];
  const rules = policy.origins.map((o, i) => parseOriginRule(o, `origins[${i}]`, problems));
  if (problems.length) throw new PolicyError(problems);
  return rules as OriginRule[];
}

export function loadPolicy(file: string, limits: PolicyLimits = POLICY_LIMITS): Policy {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new PolicyError([
      `--policy ${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); give the path of a JSON policy file`,
    ]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new PolicyError([`--policy ${file}: not JSON (${(err as Error).message}); see schemas/policy.schema.json`]);
  }
  return validatePolicy(raw, limits);
}
