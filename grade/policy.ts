// The declared CORS policy a server is graded against (schemas/policy.schema.json).
// It is validated at the door: every error names the field, the value and the fix, and
// nothing is guessed. Semantics of origin patterns are defined here, once.
import { readFileSync } from 'node:fs';
import { isForbiddenMethod, isForbiddenRequestHeader, isHttpToken } from '../oracle/index.ts';

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

const FIELDS = ['$schema', 'origins', 'methods', 'requestHeaders', 'exposedHeaders', 'credentials', 'maxAge', 'paths'];

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

function stringList(raw: unknown, field: string, problems: string[], check: (v: string, f: string) => string | null): string[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    problems.push(`${field}: expected a list of strings, got ${describe(raw)}`);
    return [];
  }
  const out: string[] = [];
  raw.forEach((v: unknown, i) => {
    const f = `${field}[${i}]`;
    if (typeof v !== 'string') {
      problems.push(`${f}: expected a string, got ${describe(v)}`);
      return;
    }
    const problem = check(v, f);
    if (problem) problems.push(problem);
    else out.push(v);
  });
  return out;
}

function checkMethod(v: string, f: string): string | null {
  if (!isHttpToken(v)) return `${f}: ${describe(v)} is not a method name (an HTTP token, no spaces or commas)`;
  if (isForbiddenMethod(v)) return `${f}: ${describe(v)} is a forbidden method; no page can send it, remove it`;
  return null;
}

function checkHeader(v: string, f: string): string | null {
  if (!isHttpToken(v)) return `${f}: ${describe(v)} is not a header name (an HTTP token, no spaces or colons)`;
  const lower = v.toLowerCase();
  // Names a page can never set; listing them is a mistake.
  if (isForbiddenRequestHeader(v, '')) {
    return `${f}: ${describe(v)} is a forbidden request header; pages cannot set it${lower === 'cookie' ? ' (cookies go with "credentials": true)' : ''}, remove it`;
  }
  return null;
}

/** Validates a parsed JSON value as a policy. Throws PolicyError listing every problem. */
export function validatePolicy(raw: unknown): Policy {
  const problems: string[] = [];
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    throw new PolicyError(['the policy must be a JSON object, e.g. {"origins": ["https://app.example.com"], "paths": ["/api"]}']);
  const obj = raw as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (!FIELDS.includes(key)) problems.push(`${key}: unknown field; the fields are ${FIELDS.slice(1).join(', ')}`);
  }
  if (!Array.isArray(obj.origins) || obj.origins.length === 0) {
    problems.push(`origins: required, a non-empty list such as ["https://app.example.com"]; there is no default (an empty policy allows nothing)`);
  }
  const origins = stringList(obj.origins ?? [], 'origins', problems, () => null);
  const rules = origins.map((o, i) => parseOriginRule(o, `origins[${i}]`, problems));
  const methods = obj.methods === undefined ? ['GET', 'HEAD', 'POST'] : stringList(obj.methods, 'methods', problems, checkMethod);
  const requestHeaders = stringList(obj.requestHeaders, 'requestHeaders', problems, checkHeader);
  const exposedHeaders = stringList(obj.exposedHeaders, 'exposedHeaders', problems, (v, f) =>
    isHttpToken(v) ? null : `${f}: ${describe(v)} is not a header name`,
  );
  let credentials = false;
  if (obj.credentials !== undefined) {
    if (typeof obj.credentials !== 'boolean') problems.push(`credentials: expected true or false, got ${describe(obj.credentials)}`);
    else credentials = obj.credentials;
  }
  if (credentials && rules.some((r) => r?.kind === 'any')) {
    problems.push(
      'origins: "*" with "credentials": true cannot work: browsers refuse a credentialed response with Access-Control-Allow-Origin: *; list the origins instead',
    );
  }
  if (rules.some((r) => r?.kind === 'any') && origins.length > 1) problems.push('origins: "*" already allows every origin; list it alone');
  let maxAge: number | undefined;
  if (obj.maxAge !== undefined) {
    if (typeof obj.maxAge !== 'number' || !Number.isInteger(obj.maxAge) || obj.maxAge < 0) {
      problems.push(`maxAge: expected a whole number of seconds (0 or more), got ${describe(obj.maxAge)}`);
    } else maxAge = obj.maxAge;
  }
  const paths: PolicyPath[] = [];
  if (!Array.isArray(obj.paths) || obj.paths.length === 0) {
    problems.push('paths: required, a non-empty list of endpoints to probe, e.g. ["/api/items"] or [{"path": "/api/items", "methods": ["GET", "PUT"]}]');
  } else {
    obj.paths.forEach((p: unknown, i) => {
      const f = `paths[${i}]`;
      const entry = typeof p === 'string' ? { path: p } : p;
      if (!entry || typeof entry !== 'object' || typeof (entry as { path?: unknown }).path !== 'string') {
        problems.push(`${f}: expected "/path" or {"path": "/path", "methods": [...]}, got ${describe(p)}`);
        return;
      }
      const e = entry as { path: string; methods?: unknown };
      for (const key of Object.keys(e)) if (key !== 'path' && key !== 'methods') problems.push(`${f}.${key}: unknown field; a path has "path" and "methods"`);
      if (!e.path.startsWith('/')) {
        problems.push(`${f}.path: ${describe(e.path)} must start with "/" (it is appended to the target URL)`);
        return;
      }
      const pathMethods = e.methods === undefined ? undefined : stringList(e.methods, `${f}.methods`, problems, checkMethod);
      for (const m of pathMethods ?? []) {
        if (!methods.includes(m)) problems.push(`${f}.methods: ${describe(m)} is not in the policy's methods; add it there or remove it here`);
      }
      paths.push(pathMethods ? { path: e.path, methods: pathMethods } : { path: e.path });
    });
  }
  if (problems.length) throw new PolicyError(problems);
  return { origins, methods, requestHeaders, exposedHeaders, credentials, ...(maxAge !== undefined ? { maxAge } : {}), paths };
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
