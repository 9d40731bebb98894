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

/** The shortest encoded form worth redacting: shorter ones would match ordinary text. */
const MIN_FORM_LENGTH = 6;

/** The base64 characters that stand for `value`'s bytes alone wherever it sits in a longer
 *  base64 string: for each of the three byte alignments, the characters whose six bits all fall
 *  inside the value (the first and last may mix in neighbouring bytes, so they are left out). */
function base64Cores(value: Buffer): string[] {
  const out: string[] = [];
  for (let k = 0; k < 3; k++) {
    const encoded = Buffer.concat([Buffer.alloc(k), value])
      .toString('base64')
      .replace(/=+$/, '');
    const first = Math.ceil((8 * k) / 6);
    const end = Math.floor((8 * (k + value.length)) / 6);
    const core = encoded.slice(first, end);
    out.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return out;
}

/** The forms a target may echo a secret in: as given, percent-encoded (either case of hex,
 *  with spaces as + too) and base64 (standard and URL-safe, at any alignment inside a longer
 *  base64 string, such as Basic credentials or a token that wraps it). */
export function secretForms(value: string): string[] {
  if (!value) return [];
  const pct = encodeURIComponent(value);
  const forms = [
    value,
    pct,
    pct.replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase()),
    pct.replace(/%20/g, '+'),
    encodeURI(value),
    ...base64Cores(Buffer.from(value, 'utf8')),
  ];
  return [...new Set(forms)].filter((f) => f === value || f.length >= MIN_FORM_LENGTH);
}

/** `text` with every occurrence of each secret value, in every form of secretForms, replaced by <redacted>. */
export function scrubSecrets(text: string, values: readonly string[]): string {
  let out = text;
  // The longest first, so that a value inside another one cannot leave part of it behind.
  const forms = [...new Set(values.flatMap(secretForms))].sort((a, b) => b.length - a.length);
  for (const v of forms) if (v) out = out.split(v).join(REDACTED);
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
