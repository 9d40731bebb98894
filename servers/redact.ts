// Cookie and authorization values never enter a log or a report: names stay, values go.
// A grading run with a signed-in session adds its own secrets: the headers given with
// --request-header (by name) and every --cookie and --request-header value (wherever it
// shows up, even in a header the server echoes it in).
import type { Header } from '../model/case.ts';

const SECRET_HEADERS = new Set(['cookie', 'authorization', 'proxy-authorization', 'set-cookie']);

export const REDACTED = '<redacted>';

/** A header whose value is always redacted: cookies and authorization. */
export function isSecretHeader(name: string): boolean {
  return SECRET_HEADERS.has(name.toLowerCase());
}

/** The secrets in request headers someone gave: the values of the secret headers among them,
 *  and the credentials after an authorization scheme ("Bearer <token>": the token too). */
export function secretValuesIn(headers: readonly Header[]): string[] {
  return headers.flatMap(([n, v]) => {
    if (!isSecretHeader(n)) return [];
    const rest = v.slice(v.indexOf(' ') + 1).trim();
    return v.includes(' ') && rest ? [v, rest] : [v];
  });
}

/** What one run must keep out of its logs besides the standard secret headers. */
export interface Secrets {
  /** Header names (any case) whose values are redacted. */
  headers: readonly string[];
  /** Values replaced wherever they occur in a header value. */
  values: readonly string[];
}

export const NO_SECRETS: Secrets = { headers: [], values: [] };

/** `text` with every occurrence of each secret value replaced by <redacted>. */
export function scrubSecrets(text: string, values: readonly string[]): string {
  let out = text;
  // The longest first, so that a value inside another one cannot leave part of it behind.
  for (const v of [...values].sort((a, b) => b.length - a.length)) if (v) out = out.split(v).join(REDACTED);
  return out;
}

export function redactValue(name: string, value: string, secrets: Secrets = NO_SECRETS): string {
  const lower = name.toLowerCase();
  let out = value;
  if (lower === 'cookie') {
    out = value
      .split(';')
      .map((pair) => `${pair.split('=')[0]?.trim() ?? ''}=${REDACTED}`)
      .join('; ');
  } else if (lower === 'set-cookie') out = `${value.split('=')[0] ?? ''}=${REDACTED}`;
  else if (SECRET_HEADERS.has(lower) || secrets.headers.some((h) => h.toLowerCase() === lower)) {
    const scheme = value.split(' ')[0];
    out = scheme && scheme !== value ? `${scheme} ${REDACTED}` : REDACTED;
  }
  return scrubSecrets(out, secrets.values);
}

export function redactHeaders(headers: readonly Header[], secrets: Secrets = NO_SECRETS): Header[] {
  return headers.map(([name, value]) => [name, redactValue(name, value, secrets)]);
}

/** A copy of `data` (plain JSON data) with every secret value scrubbed from its strings. */
export function scrubDeep<T>(data: T, values: readonly string[]): T {
  if (!values.some(Boolean)) return data;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return scrubSecrets(v, values);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(data) as T;
}

/** Node's raw header array (name, value, name, value…) as a header list. */
export function pairsFromRaw(raw: string[]): Header[] {
  const out: Header[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i] as string, raw[i + 1] as string]);
  return out;
}
