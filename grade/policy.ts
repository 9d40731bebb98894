// The declared CORS policy a server is graded against. Its structure is
// schemas/policy.schema.json; it is validated at the door: every error names the field, the
// value and the fix, and nothing is guessed. Semantics of origin patterns are defined here, once.
import { readFileSync } from 'node:fs';
import { policyFieldErrors } from '../model/schemas.ts';
import { isForbiddenMethod, isForbiddenRequestHeader } from '../oracle/index.ts';

export interface PolicyPath {
  path: string;
  methods?: string[];
}

export interface Policy {
  /** Exact origins (`https://app.example.com`), patterns (`https://*.example.com`), or `*` alone. */
  origins: string[];
  methods: string[];
  requestHeaders: string[];
  exposedHeaders: string[];
  credentials: boolean;
  /** Seconds a preflight may be cached; absent: no expectation. */
  maxAge?: number;
  paths: PolicyPath[];
}

export class PolicyError extends Error {
  constructor(readonly problems: string[]) {
    super(`the policy is not valid:\n  - ${problems.join('\n  - ')}`);
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

/**
 * Validates a parsed JSON value as a policy. The structure is schemas/policy.schema.json's;
 * the checks here are the ones a schema cannot express. A field the checks here speak about
 * gets their message, which is the more precise one. Throws PolicyError listing every problem.
 */
export function validatePolicy(raw: unknown): Policy {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    throw new PolicyError(['the policy must be a JSON object, e.g. {"origins": ["https://app.example.com"], "paths": ["/api"]}']);
  const obj = raw as Record<string, unknown>;
  const problems: string[] = [];
  const spoken = new Set<string>();
  const say = (path: string, problem: string | null) => {
    if (!problem) return;
    spoken.add(path);
    problems.push(problem);
  };
  const rules = strings(obj.origins, 'origins').map(([o, f]) => {
    const own: string[] = [];
    const rule = parseOriginRule(o, f, own);
    for (const p of own) say(f, p);
    return rule;
  });
  const methods = obj.methods === undefined ? ['GET', 'HEAD', 'POST'] : strings(obj.methods, 'methods').map(([m]) => m);
  for (const [m, f] of strings(obj.methods, 'methods')) say(f, checkMethod(m, f));
  for (const [h, f] of strings(obj.requestHeaders, 'requestHeaders')) say(f, checkHeader(h, f));
  const any = rules.some((r) => r?.kind === 'any');
  if (obj.credentials === true && any) {
    say(
      'origins',
      'origins: "*" with "credentials": true cannot work: browsers refuse a credentialed response with Access-Control-Allow-Origin: *; list the origins instead',
    );
  }
  if (any && rules.length > 1) say('origins', 'origins: "*" already allows every origin; list it alone');
  if (Array.isArray(obj.paths)) {
    obj.paths.forEach((p: unknown, i) => {
      const f = `paths[${i}].methods`;
      const listed = p && typeof p === 'object' ? (p as { methods?: unknown }).methods : undefined;
      for (const [m, mf] of strings(listed, f)) {
        say(mf, checkMethod(m, mf));
        if (!methods.includes(m)) say(f, `${f}: ${describe(m)} is not in the policy's methods; add it there or remove it here`);
      }
    });
  }
  const schemaProblems = policyFieldErrors(raw)
    .filter((e) => !spoken.has(e.path))
    .map((e) => `${e.path}: ${e.message}`);
  if (schemaProblems.length || problems.length) throw new PolicyError([...schemaProblems, ...problems]);
  // The schema holds, so the shapes below are the schema's.
  const policy = raw as {
    origins: string[];
    methods?: string[];
    requestHeaders?: string[];
    exposedHeaders?: string[];
    credentials?: boolean;
    maxAge?: number;
    paths: Array<string | PolicyPath>;
  };
  return {
    origins: policy.origins,
    methods,
    requestHeaders: policy.requestHeaders ?? [],
    exposedHeaders: policy.exposedHeaders ?? [],
    credentials: policy.credentials ?? false,
    ...(policy.maxAge !== undefined ? { maxAge: policy.maxAge } : {}),
    paths: policy.paths.map((p) => (typeof p === 'string' ? { path: p } : p.methods ? { path: p.path, methods: p.methods } : { path: p.path })),
  };
}

export function originRules(policy: Policy): OriginRule[] {
  const problems: string[] = [];
  const rules = policy.origins.map((o, i) => parseOriginRule(o, `origins[${i}]`, problems));
  if (problems.length) throw new PolicyError(problems);
  return rules as OriginRule[];
}

export function loadPolicy(file: string): Policy {
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
  return validatePolicy(raw);
}
