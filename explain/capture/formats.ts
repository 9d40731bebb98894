// The captures a developer already has, read into one shape: DevTools' "Copy as fetch" (the
// page's shape, as Chromium, Firefox and Safari write it) and "Copy as fetch (Node.js)"
// (Chromium), "Copy as cURL" for bash and for the Windows command prompt, and a HAR file
// (any engine's export), whose responses are kept. Pure: text in, a capture out, or a
// CaptureError naming the part at fault and the fix.
import type { Credentials, Header, ResponseRecipe } from '../../model/case.ts';
import { CaptureError } from './errors.ts';
import { isLiteralObject, type Literal, LiteralReader, type LiteralObject } from './literal.ts';
import { bashWords, cmdWords } from './shell.ts';

/** A piece of the capture inside a message: quoted, escaped (no control character reaches the terminal), cut short. */
const q = (s: string) => JSON.stringify(s.length > 60 ? `${s.slice(0, 60)}…` : s);
/** A method or an option as written where it is a plain token, else quoted. */
const word = (s: string) => (/^[\w.!#$%&'*+^`|~-]{1,40}$/.test(s) ? s : q(s));
/** A URL in a list: as the URL parser serializes it (percent-encoded), else quoted. */
function shownUrl(raw: string): string {
  try {
    const href = new URL(raw).href;
    return href.length > 100 ? `${href.slice(0, 100)}…` : href;
  } catch {
    return q(raw);
  }
}

export type CaptureFormat = 'fetch' | 'fetch-node' | 'curl-bash' | 'curl-cmd' | 'har';

/** Whose DevTools wrote it, where its shape tells (key order, header case, options present). */
export type CaptureShape = 'chromium' | 'firefox' | 'webkit' | null;

export interface Capture {
  format: CaptureFormat;
  shape: CaptureShape;
  url: string;
  method: string;
  /** Every header the capture lists, in its order, cookies and the browser's own included. */
  headers: Header[];
  body: string | null;
  /** fetch()'s credentials option, where the capture states it. */
  credentials: Credentials | null;
  /** fetch()'s referrer option (the page's URL), where the capture states it. */
  referrer: string | null;
  /** HAR: the server's answers as recorded; null where the browser recorded none (a blocked request). */
  recorded: { preflight: ResponseRecipe | null; actual: ResponseRecipe | null } | null;
  /** HAR: the entry read, and how many the file has. */
  entry: { index: number; of: number } | null;
  /** What the reader could not take from the capture as it is. */
  notes: string[];
}

/** The largest capture read: a HAR of a long session is a few megabytes; this bounds what hostile input can make it allocate. */
export const MAX_CAPTURE_BYTES = 32 * 1024 * 1024;

const FETCH_OPTIONS = new Set([
  'headers',
  'referrer',
  'referrerPolicy',
  'body',
  'method',
  'mode',
  'credentials',
  'cache',
  'redirect',
  'integrity',
  'keepalive',
  'priority',
]);

function str(v: Literal, field: string): string {
  if (typeof v !== 'string') throw new CaptureError(`the fetch call's ${field} is ${describe(v)}, not a string`, 'copy the request again with "Copy as fetch"');
  return v;
}

function describe(v: Literal): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (isLiteralObject(v)) return 'an object';
  return typeof v;
}

function fetchHeaders(v: Literal): Header[] {
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) {
    return v.map((pair, i) => {
      if (!Array.isArray(pair) || pair.length !== 2) throw new CaptureError(`the fetch call's headers[${i}] is not a [name, value] pair`);
      return [str(pair[0] ?? null, `headers[${i}][0]`), str(pair[1] ?? null, `headers[${i}][1]`)];
    });
  }
  if (!isLiteralObject(v)) throw new CaptureError(`the fetch call's headers is ${describe(v)}; DevTools writes an object of names and values`);
  return [...v.entries].map(([name, value]): Header => [name, str(value, `header ${q(name)}`)]);
}

function shapeOfFetch(awaited: boolean, o: LiteralObject, headers: Header[]): CaptureShape {
  const keys = [...o.entries.keys()];
  if (awaited || keys[0] === 'credentials') return 'firefox';
  if (o.entries.has('cache') && keys.join() === [...keys].sort().join()) return 'webkit';
  if (headers.length && headers.every(([n]) => n === n.toLowerCase())) return 'chromium';
  return null;
}

/** `fetch("url", { … });` as DevTools' "Copy as fetch" or "Copy as fetch (Node.js)" writes it. */
export function parseFetch(text: string): Capture {
  const r = new LiteralReader(text, 'the fetch call');
  const awaited = r.eat('await');
  if (!r.eat('fetch')) r.fail(`expected fetch(…), found ${r.found()}`);
  r.expect('(', 'after fetch');
  r.skipSpace();
  const urlValue = r.value();
  const url = str(urlValue, 'URL (its first argument)');
  let options: LiteralObject = { kind: 'object', entries: new Map() };
  if (r.eat(',')) {
    r.skipSpace();
    if (!r.eat(')')) {
      const o = r.value();
      if (!isLiteralObject(o)) throw new CaptureError(`the fetch call's second argument is ${describe(o)}, not an options object`);
      options = o;
      r.eat(',');
      r.expect(')', 'to close fetch(');
    }
  } else r.expect(')', 'to close fetch(');
  r.eat(';');
  r.skipSpace();
  if (r.pos < text.length) {
    if (/^(?:await\s+)?fetch\s*\(/.test(text.slice(r.pos)))
      throw new CaptureError('the text holds more than one fetch call ("Copy all as fetch")', 'copy the one request with "Copy as fetch"');
    r.fail(`unexpected text after the fetch call: ${r.found()}`);
  }
  for (const k of options.entries.keys())
    if (!FETCH_OPTIONS.has(k))
      throw new CaptureError(`the fetch call's option ${q(k)} is not one DevTools writes`, 'copy the request again with "Copy as fetch", unedited');
  const opt = (k: string) => options.entries.get(k);
  const headers = fetchHeaders(opt('headers') ?? null);
  const method = opt('method') === undefined ? 'GET' : str(opt('method') ?? null, 'method');
  const body = opt('body') === undefined || opt('body') === null ? null : str(opt('body') ?? null, 'body');
  const mode = opt('mode') === undefined ? null : str(opt('mode') ?? null, 'mode');
  if (mode !== null && mode !== 'cors') {
    throw new CaptureError(
      `the fetch call's mode is ${q(mode)}; explain reads CORS requests (mode "cors"), the mode DevTools writes`,
      mode === 'no-cors' ? 'in no-cors mode the page never reads the response, whatever headers the server sends: use mode "cors"' : 'copy the request again',
    );
  }
  const credentialsRaw = opt('credentials');
  let credentials: Credentials | null = null;
  if (credentialsRaw !== undefined) {
    const c = str(credentialsRaw, 'credentials');
    if (c !== 'omit' && c !== 'same-origin' && c !== 'include')
      throw new CaptureError(`the fetch call's credentials is ${q(c)}; fetch() takes omit, same-origin or include`);
    credentials = c;
  }
  const redirect = opt('redirect');
  if (redirect !== undefined && redirect !== 'follow')
    throw new CaptureError(
      `the fetch call's redirect is ${JSON.stringify(redirect)}; explain follows redirects, as fetch() does by default`,
      'leave redirect out',
    );
  const referrer = opt('referrer') === undefined || opt('referrer') === null ? null : str(opt('referrer') ?? null, 'referrer');
  // Chromium's Node.js form has neither mode nor credentials: the page's cookies and Referer
  // are headers there.
  const node = mode === null && credentials === null;
  return {
    format: node ? 'fetch-node' : 'fetch',
    shape: node ? 'chromium' : shapeOfFetch(awaited, options, headers),
    url,
    method,
    headers,
    body,
    credentials,
    referrer,
    recorded: null,
    entry: null,
    notes: [],
  };
}

const CURL_IGNORED = new Set([
  '--compressed',
  '-k',
  '--insecure',
  '-s',
  '--silent',
  '-S',
  '--show-error',
  '-i',
  '--include',
  '-v',
  '--verbose',
  '-L',
  '--location',
  '--http1.1',
  '--http2',
  '--http2-prior-knowledge',
  '--http3',
  '-g',
  '--globoff',
]);
const CURL_DATA = new Set(['-d', '--data', '--data-raw', '--data-binary', '--data-ascii']);

/** "Copy as cURL", for bash (Chromium, Firefox, Safari) or for the Windows command prompt. */
export function parseCurl(text: string): Capture {
  const windows = /\^"|\^\r?\n/.test(text) || /^\s*curl(?:\.exe)?\s+"/.test(text);
  const words = windows ? cmdWords(text) : bashWords(text);
  const first = words.shift();
  if (first !== 'curl' && first !== 'curl.exe') throw new CaptureError(`expected a curl command, found ${JSON.stringify(first ?? '')}`);
  let url: string | null = null;
  let method: string | null = null;
  const headers: Header[] = [];
  const data: string[] = [];
  let shape: CaptureShape = null;
  const next = (flag: string): string => {
    const v = words.shift();
    if (v === undefined) throw new CaptureError(`the curl command ends after ${word(flag)}, which needs a value`, 'copy the whole command');
    return v;
  };
  let headerCount = 0;
  while (words.length) {
    const w = words.shift() as string;
    // --flag=value, and a short option's value written onto it (Safari writes -X'PUT'), as curl accepts them.
    const eq = /^(--[a-z0-9.-]+)=(.*)$/s.exec(w) ?? /^(-[XHbdAe])(.+)$/s.exec(w);
    const flag = eq ? (eq[1] as string) : w;
    const value = (): string => (eq ? (eq[2] as string) : next(flag));
    if (flag === '-X' || flag === '--request') method = value();
    else if (flag === '-H' || flag === '--header') {
      const h = value();
      headerCount++;
      const colon = h.indexOf(':');
      // Its text is not repeated: it may be a secret.
      if (colon <= 0)
        throw new CaptureError(`the curl command's header number ${headerCount} (-H) has no "Name: value" form`, 'copy it again from DevTools, unedited');
      headers.push([h.slice(0, colon).trim(), h.slice(colon + 1).trim()]);
    } else if (flag === '-b' || flag === '--cookie') {
      // Chromium writes the Cookie header as -b since version 117.
      shape = 'chromium';
      headers.push(['Cookie', value()]);
    } else if (flag === '-A' || flag === '--user-agent') headers.push(['User-Agent', value()]);
    else if (flag === '-e' || flag === '--referer') headers.push(['Referer', value()]);
    else if (flag === '-u' || flag === '--user')
      throw new CaptureError(
        'the curl command gives credentials with -u; a page sends them as an Authorization header',
        "copy the request as DevTools shows it, or write -H 'Authorization: …'",
      );
    else if (CURL_DATA.has(flag)) {
      const d = value();
      if (flag !== '--data-raw' && flag !== '--data-binary' && d.startsWith('@'))
        throw new CaptureError(`the curl command reads its body from a file (${word(flag)} @…)`, 'paste the body itself');
      if (flag === '--data-binary') shape = 'webkit';
      data.push(d);
    } else if (flag === '--url') url = value();
    else if (CURL_IGNORED.has(flag)) {
      if (flag === '--compressed') shape ??= 'firefox';
    } else if (flag.startsWith('-') && flag.length > 1) {
      throw new CaptureError(`the curl command's option ${word(flag)} is not one DevTools' "Copy as cURL" writes`, 'copy it again from DevTools, unedited');
    } else if (url === null) url = w;
    else
      throw new CaptureError(
        `the curl command names more than one URL (${JSON.stringify(url.slice(0, 60))} and ${JSON.stringify(w.slice(0, 60))})`,
        'copy one request',
      );
  }
  if (url === null) throw new CaptureError('the curl command names no URL', 'copy the whole command');
  // DevTools escapes curl's URL globbing characters ([ ] { }) with a backslash.
  url = url.replace(/\\([[\]{}])/g, '$1');
  if (headers.length && headers.every(([n]) => n === n.toLowerCase())) shape = 'chromium';
  const body = data.length ? data.join('&') : null;
  return {
    format: windows ? 'curl-cmd' : 'curl-bash',
    shape,
    url,
    method: method ?? (body === null ? 'GET' : 'POST'),
    headers,
    body,
    credentials: null,
    referrer: null,
    recorded: null,
    entry: null,
    notes: [],
  };
}

// --- HAR -------------------------------------------------------------------------------------

interface HarHeader {
  name: string;
  value: string;
}
interface HarEntry {
  request: { method: string; url: string; headers: HarHeader[]; postData?: { text?: string }; bodyNotRecorded: boolean };
  response: { status: number; headers: HarHeader[] };
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
const isObj = (v: Json | undefined): v is { [k: string]: Json } => typeof v === 'object' && v !== null && !Array.isArray(v);

function harHeaders(v: Json | undefined, field: string): HarHeader[] {
  if (!Array.isArray(v)) throw new CaptureError(`the HAR's ${field} is not a list of headers`, 'export the HAR again from DevTools');
  return v.map((h, i) => {
    if (!isObj(h) || typeof h.name !== 'string' || typeof h.value !== 'string')
      throw new CaptureError(`the HAR's ${field}[${i}] is not a {name, value} header`, 'export the HAR again from DevTools');
    return { name: h.name, value: h.value };
  });
}

function harEntry(v: Json, i: number): HarEntry {
  const at = `log.entries[${i}]`;
  if (!isObj(v) || !isObj(v.request) || !isObj(v.response))
    throw new CaptureError(`the HAR's ${at} has no request and response`, 'export the HAR again from DevTools');
  const q = v.request;
  const s = v.response;
  if (typeof q.method !== 'string' || typeof q.url !== 'string') throw new CaptureError(`the HAR's ${at}.request has no method or url`);
  // An export without content writes the body as "" (Playwright's `content: 'omit'`): no text, not an empty body.
  const sent = typeof q.bodySize === 'number' && q.bodySize > 0;
  const text = isObj(q.postData) && typeof q.postData.text === 'string' ? q.postData.text : null;
  const post = text !== null && !(text === '' && sent) ? { text } : undefined;
  return {
    request: {
      method: q.method,
      url: q.url,
      headers: harHeaders(q.headers, `${at}.request.headers`),
      ...(post ? { postData: post } : {}),
      bodyNotRecorded: sent && !post,
    },
    response: { status: typeof s.status === 'number' ? s.status : 0, headers: harHeaders(s.headers ?? [], `${at}.response.headers`) },
  };
}

const header = (h: readonly HarHeader[], name: string) => h.find((x) => x.name.toLowerCase() === name)?.value ?? null;
const isPreflightEntry = (e: HarEntry) => e.request.method === 'OPTIONS' && header(e.request.headers, 'access-control-request-method') !== null;
/** A request a page made to another origin: its Origin, or where a blocked request's HAR entry
 *  lists only the provisional headers (Chromium's), its Referer, is not the URL's origin. */
function crossOrigin(e: HarEntry): boolean {
  const origin = header(e.request.headers, 'origin');
  const referer = header(e.request.headers, 'referer');
  try {
    const page = origin ?? (referer ? new URL(referer).origin : null);
    return page !== null && new URL(e.request.url).origin !== page;
  } catch {
    return false;
  }
}
/** No answer recorded: the browser blocked the request, or it failed. */
const failed = (e: HarEntry) => !(e.response.status >= 100 && e.response.status <= 999);
// HTTP/2 pseudo-headers (":authority") are how Chromium's HAR shows the request line.
const realHeaders = (h: readonly HarHeader[]): Header[] => h.filter((x) => !x.name.startsWith(':')).map((x): Header => [x.name, x.value]);
/** A status the browser recorded for an answer: 0 and -1 are how HARs write "no response" (blocked, failed). */
const recipe = (e: HarEntry | undefined): ResponseRecipe | null =>
  e && e.response.status >= 100 && e.response.status <= 999 ? { status: e.response.status, headers: realHeaders(e.response.headers) } : null;

/** Whose export the HAR is: its creator (Chromium's DevTools call themselves WebInspector, Safari's
 *  WebKit Web Inspector), or the browser a Playwright HAR names. */
function harShape(log: { [k: string]: Json }): CaptureShape {
  const name = (v: Json | undefined) => (isObj(v) && typeof v.name === 'string' ? v.name : '');
  const creator = name(log.creator);
  const browser = creator === 'Playwright' ? name(log.browser) : creator;
  if (/firefox/i.test(browser)) return 'firefox';
  if (/webkit web inspector|safari|^webkit$/i.test(browser)) return 'webkit';
  if (/^(?:WebInspector|chromium|chrome)$/i.test(browser)) return 'chromium';
  return null;
}

/** A HAR file: the entry `entry` names (an index from 0, or a URL), or its one cross-origin request. */
export function parseHar(text: string, entry: string | undefined): Capture {
  let doc: Json;
  try {
    doc = JSON.parse(text) as Json;
  } catch (err) {
    throw new CaptureError(`the HAR is not JSON (${(err as Error).message})`, 'export it again with "Save all as HAR"');
  }
  if (!isObj(doc) || !isObj(doc.log) || !Array.isArray(doc.log.entries))
    throw new CaptureError('the HAR has no log.entries list', 'export it again with "Save all as HAR"');
  const raw = doc.log.entries;
  const entries = raw.map(harEntry);
  if (!entries.length) throw new CaptureError('the HAR has no entries', 'record the request with the Network panel open, then export the HAR');
  const requests = entries.map((e, index) => ({ e, index })).filter(({ e }) => !isPreflightEntry(e));
  const list = (xs: typeof requests) =>
    xs
      .slice(0, 8)
      .map(({ e, index }) => `  ${index}: ${word(e.request.method)} ${shownUrl(e.request.url)}`)
      .join('\n') + (xs.length > 8 ? `\n  … and ${xs.length - 8} more` : '');
  let chosen: { e: HarEntry; index: number };
  if (entry !== undefined && /^\d+$/.test(entry)) {
    const index = Number(entry);
    const e = entries[index];
    if (!e) throw new CaptureError(`--entry ${entry}: the HAR has ${entries.length} entries, numbered from 0`, `give one of 0 to ${entries.length - 1}`);
    if (isPreflightEntry(e)) {
      // A preflight names its request: the next entry for its URL with its method.
      const method = header(e.request.headers, 'access-control-request-method');
      const actual = requests.find((r) => r.index > index && r.e.request.url === e.request.url && r.e.request.method === method);
      chosen = actual ?? { e, index };
    } else chosen = { e, index };
  } else if (entry !== undefined) {
    const exact = requests.filter(({ e }) => e.request.url === entry);
    const matching = exact.length ? exact : requests.filter(({ e }) => e.request.url.includes(entry));
    if (matching.length === 0) throw new CaptureError(`--entry ${entry}: no entry of the HAR has that URL`, `its requests:\n${list(requests)}`);
    if (matching.length > 1) throw new CaptureError(`--entry ${entry}: ${matching.length} entries match`, `give the entry's index:\n${list(matching)}`);
    chosen = matching[0] as { e: HarEntry; index: number };
  } else {
    const cross = requests.filter(({ e }) => crossOrigin(e));
    const blocked = cross.filter(({ e }) => failed(e));
    if (cross.length === 1) chosen = cross[0] as { e: HarEntry; index: number };
    // Of several, the one the browser blocked is the one to explain.
    else if (blocked.length === 1) chosen = blocked[0] as { e: HarEntry; index: number };
    else if (requests.length === 1) chosen = requests[0] as { e: HarEntry; index: number };
    else
      throw new CaptureError(
        `the HAR has ${cross.length || requests.length} ${cross.length ? 'cross-origin requests' : 'requests'}; say which to explain with --entry <index> or --entry <url>`,
        `they are:\n${list(cross.length ? cross : requests)}`,
      );
  }
  const { e, index } = chosen;
  // Its preflight: the last OPTIONS before it for the same URL that asked for its method.
  const preflight = entries
    .slice(0, index)
    .reverse()
    .find((p) => isPreflightEntry(p) && p.request.url === e.request.url && header(p.request.headers, 'access-control-request-method') === e.request.method);
  return {
    format: 'har',
    shape: harShape(doc.log),
    url: e.request.url,
    method: e.request.method,
    headers: realHeaders(e.request.headers),
    body: e.request.postData?.text ?? null,
    credentials: null,
    referrer: null,
    recorded: { preflight: recipe(preflight), actual: recipe(e) },
    entry: { index, of: entries.length },
    notes: e.request.bodyNotRecorded ? ['The HAR was exported without request bodies, so the request is made without its body.'] : [],
  };
}

/** Reads a capture, telling its format from the text itself. */
export function parseCapture(text: string, entry?: string): Capture {
  if (Buffer.byteLength(text) > MAX_CAPTURE_BYTES)
    throw new CaptureError(`the capture is larger than ${MAX_CAPTURE_BYTES / 1024 / 1024} MB`, 'export only the requests you need');
  const t = text.replace(/^\uFEFF/, '').trim();
  if (!t) throw new CaptureError('the capture is empty', 'paste a request copied with "Copy as fetch" or "Copy as cURL", or give a HAR file');
  const isHar = t.startsWith('{');
  if (entry !== undefined && !isHar) throw new CaptureError('--entry chooses an entry of a HAR file; this capture is a single request', 'leave --entry out');
  if (isHar) return parseHar(t, entry);
  if (/^(?:await\s+)?fetch\s*\(/.test(t)) return parseFetch(t);
  if (/^curl(?:\.exe)?\s/.test(t)) return parseCurl(t);
  throw new CaptureError(
    `the capture is not one explain reads (it starts ${JSON.stringify(t.slice(0, 20))})`,
    'give DevTools\' "Copy as fetch" or "Copy as cURL" text, or a HAR file ("Save all as HAR")',
  );
}
