// The one request a developer is stuck on, as given on the command line: checked at the door,
// every error naming the option and the fix.
import type { Credentials, Header } from '../model/case.ts';
import { ENGINE_IDS, type EngineId } from '../model/results.ts';
import { isForbiddenMethod, isForbiddenRequestHeader, isHttpToken } from '../oracle/index.ts';
import { UserError, type UserErrorDetails } from '../model/errors.ts';

export class ExplainUsageError extends UserError {
  constructor(message: string, details: UserErrorDetails = {}) {
    super(message, { showUsage: true, ...details });
  }
}

export interface ExplainRequest {
  /** The URL the page fetches, as the developer wrote it. */
  url: URL;
  /** The page's origin (a serialized origin), or "null" for an opaque one. */
  origin: string;
  method: string;
  headers: Header[];
  body: string | null;
  credentials: Credentials;
  engines: EngineId[];
}

export interface ExplainArgs {
  url?: string;
  origin?: string;
  method?: string;
  header?: string[];
  body?: string;
  credentials?: string;
  engine?: string[];
}

function parseOrigin(raw: string | undefined): string {
  if (!raw) throw new ExplainUsageError('--origin is required: the origin of the page that makes the request, e.g. --origin https://app.example.com');
  if (raw === 'null') return raw;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ExplainUsageError(`--origin ${raw}: not an origin; write scheme://host[:port], e.g. https://app.example.com`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ExplainUsageError(`--origin ${raw}: only http and https pages (or "null")`);
  if (url.origin !== raw.replace(/\/$/, '')) throw new ExplainUsageError(`--origin ${raw}: an origin has no path, query or userinfo; write ${url.origin}`);
  return url.origin;
}

function parseHeader(raw: string): Header {
  const colon = raw.indexOf(':');
  if (colon <= 0) throw new ExplainUsageError(`--header ${JSON.stringify(raw)}: write 'Name: value', e.g. --header 'Content-Type: application/json'`);
  const name = raw.slice(0, colon).trim();
  const value = raw.slice(colon + 1).trim();
  if (!isHttpToken(name)) throw new ExplainUsageError(`--header ${JSON.stringify(raw)}: ${JSON.stringify(name)} is not a header name`);
  if (isForbiddenRequestHeader(name, value)) {
    throw new ExplainUsageError(`--header ${JSON.stringify(raw)}: ${name} is a forbidden request header; no page can set it, so leave it out`);
  }
  return [name, value];
}

export function parseExplainArgs(a: ExplainArgs): ExplainRequest {
  if (!a.url) throw new ExplainUsageError('give the URL the page fetches: cors-conformance explain <url> --origin <origin>');
  let url: URL;
  try {
    url = new URL(a.url);
  } catch {
    throw new ExplainUsageError(`${a.url}: not a URL; give the full URL the page fetches, e.g. http://127.0.0.1:3000/api/items`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ExplainUsageError(`${a.url}: only http and https URLs`);
  if (url.hash) throw new ExplainUsageError(`${a.url}: leave out the fragment; it is never sent`);
  const origin = parseOrigin(a.origin);
  const method = a.method ?? 'GET';
  if (!isHttpToken(method)) throw new ExplainUsageError(`--method ${method}: not a method name`);
  if (isForbiddenMethod(method)) throw new ExplainUsageError(`--method ${method}: a forbidden method; fetch() refuses it`);
  const credentials = (a.credentials ?? 'same-origin') as Credentials;
  if (!['omit', 'same-origin', 'include'].includes(credentials)) {
    throw new ExplainUsageError(`--credentials ${a.credentials}: use omit, same-origin (fetch()'s default) or include`);
  }
  const engines = a.engine?.length ? a.engine : [...ENGINE_IDS];
  for (const e of engines)
    if (!(ENGINE_IDS as readonly string[]).includes(e)) throw new ExplainUsageError(`--engine ${e}: use one of ${ENGINE_IDS.join(', ')}`);
  const body = a.body ?? null;
  if (body !== null && (method.toUpperCase() === 'GET' || method.toUpperCase() === 'HEAD')) {
    throw new ExplainUsageError(`--body: a ${method.toUpperCase()} request cannot have a body; leave --body out or use --method POST`);
  }
  return { url, origin, method, headers: (a.header ?? []).map(parseHeader), body, credentials, engines: [...new Set(engines)] as EngineId[] };
}
