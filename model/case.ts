// The declarative CORS case: one plain object per case, as cache-tests does it.
// A case has a request side (what the page does), a response recipe for the preflight
// and for the actual response (what the server answers), and, once evaluated, the
// spec model's expectation. Nothing here runs anything; runner/ and oracle/ read it.

/** @minLength 1 */
type FieldName = string;

/** One header line. A list of these keeps order and allows a name to repeat. */
export type Header = [name: FieldName, value: string];

export type Credentials = 'omit' | 'same-origin' | 'include';
export type RequestMode = 'cors' | 'no-cors' | 'same-origin';
export type RedirectMode = 'follow' | 'error' | 'manual';

/** Topics group the cases in results and in the report. */
export const TOPICS = [
  'basics',
  'simple',
  'preflight',
  'credentials',
  'exposure',
  'preflight-cache',
  'redirects',
  'origins',
  'initiators',
  'corp',
  'mime',
  'mixed-content',
  'bad-ports',
] as const;
export type Topic = (typeof TOPICS)[number];

/** What in the page makes the request. `fetch` is a `fetch()` call (every case without an
 *  initiator); the others are the other ways a page makes a request to another origin. Each
 *  kind has its entry in the initiator registry (model/initiators.ts). */
export const INITIATOR_KINDS = [
  'fetch',
  'fetch-keepalive',
  'xhr',
  'img',
  'script',
  'module-script',
  'stylesheet',
  'font',
  'media',
  'eventsource',
  'worker',
  'beacon',
  'websocket',
] as const;
export type InitiatorKind = (typeof INITIATOR_KINDS)[number];

/** The state of an HTML CORS settings attribute (`crossorigin`): `absent` is "No CORS". */
export type CorsSettings = 'absent' | 'anonymous' | 'use-credentials';

/**
 * The initiator and its own options. What the page observes, per kind:
 * - `fetch`, `fetch-keepalive`: the promise (readable headers as for fetch);
 * - `xhr`: load or error event, `status`, `getResponseHeader` for readHeaders;
 * - `img`: load or error event; drawn to a canvas, `getImageData` throws when tainted;
 * - `script`: load or error event; the script throws, and `window.onerror` sees
 *   "Script error." when the error is muted;
 * - `module-script`: `<script type=module>` load or error event, or the `import()` promise;
 * - `stylesheet`: load or error event; `sheet.cssRules` throws when not CORS-same-origin;
 * - `font`: an `@font-face` rule through `document.fonts.load`, or a `FontFace` object's `load()`;
 * - `media`: `<video>` (drawn to a canvas, read with `getImageData`) or `<audio>`: loadeddata or error;
 * - `eventsource`: the first message or the error event;
 * - `worker`: a cross-origin module worker (`new Worker(url, {type:'module'})`), or a
 *   same-origin module worker that `import()`s the cross-origin URL;
 * - `beacon`: `navigator.sendBeacon` with the case's body and Content-Type; the page sees only
 *   whether it was queued, so the server's log decides;
 * - `websocket`: the open or error event; the server's log shows the Origin it saw.
 * The server's log is the second witness for every kind.
 */
export type Initiator =
  | { kind: 'fetch' }
  | { kind: 'fetch-keepalive' }
  | { kind: 'xhr'; withCredentials: boolean }
  | { kind: 'img'; crossorigin: CorsSettings }
  | { kind: 'script'; crossorigin: CorsSettings }
  | { kind: 'module-script'; form: 'element' | 'import'; crossorigin: CorsSettings }
  | { kind: 'stylesheet'; crossorigin: CorsSettings }
  | { kind: 'font'; form: 'font-face' | 'font-face-api' }
  | { kind: 'media'; element: 'video' | 'audio'; crossorigin: CorsSettings }
  | { kind: 'eventsource'; withCredentials: boolean }
  | { kind: 'worker'; form: 'module-worker' | 'worker-import' }
  | { kind: 'beacon' }
  | { kind: 'websocket' };

/** Bodies the fixture server can answer with besides text: real bytes of the kind an
 *  initiator needs (an image to draw, a font to load, a script that throws, an event stream).
 *  The fixture sends the asset's Content-Type (model/initiators.ts ASSET_CONTENT_TYPE) unless
 *  the recipe has one. */
export const ASSETS = ['png', 'font', 'video', 'audio', 'classic-script', 'module-script', 'stylesheet', 'event-stream'] as const;
export type Asset = (typeof ASSETS)[number];

/**
 * The document a request is made from. `origin` is the page the engine navigates to.
 * With `opaque`, the fetch runs in an opaque-origin document inside that page
 * (its requests carry `Origin: null`).
 */
export interface PageContext {
  /** @pattern ^https?:// */
  origin: string;
  opaque?: 'sandboxed-iframe' | 'data-iframe';
}

/** Where a redirect sends the request, and what the next hop answers. */
export interface RedirectRecipe {
  /** Origin of the next hop, e.g. `http://c.test`. Same path as the current hop. */
  to: string;
  /** Userinfo put in the Location URL, e.g. `user:pass` (the standard rejects it for CORS). */
  userinfo?: string;
  next: CaseResponse;
}

/** What the server answers for one kind of request (preflight or actual). */
export interface ResponseRecipe {
  /** @asType integer @minimum 100 @maximum 999 */
  status: number;
  /** Emitted in this order; a name may repeat (two `Access-Control-Allow-Origin` lines). */
  headers: Header[];
  body?: string;
  /** Send these bytes as the body instead of `body` (servers/assets.ts). */
  asset?: Asset;
  /** Send no Content-Type line at all, not even the asset's own. */
  omitContentType?: boolean;
  /** With a 3xx status: the Location this hop sends. */
  redirect?: RedirectRecipe;
}

export interface CaseResponse {
  /** The answer to a CORS-preflight request (OPTIONS with Access-Control-Request-Method).
   *  null: the server has no preflight handling and answers 404 with no CORS headers. */
  preflight: ResponseRecipe | null;
  /** The answer to every other request, OPTIONS that are not preflights included. */
  actual: ResponseRecipe;
}

/** A request sent to the same URL before the measured one (preflight-cache cases). */
export interface PriorRequest {
  method?: string;
  headers?: Header[];
  credentials?: Credentials;
  /**
   * Wait this long after the prior request completes.
   * @asType integer
   * @minimum 0
   */
  waitMs: number;
}

export interface CaseRequest {
  page: PageContext;
  /** What makes the request; absent means `fetch()`. For every other kind, `mode` and
   *  `credentials` hold what the standards derive for it (oracle/initiators.ts), and the
   *  spec model checks them. */
  initiator?: Initiator;
  /** Target URL without the response recipe: origin plus path, e.g. `http://b.test/r`.
   *  A websocket connects to its `ws:` (`wss:`) form.
   *  @pattern ^https?://
   */
  url: string;
  /** @minLength 1 */
  method: string;
  headers: Header[];
  body?: string | null;
  credentials: Credentials;
  mode: RequestMode;
  redirect?: RedirectMode;
  /** Sent first, in order; the case's result describes the last (measured) request. */
  prior?: PriorRequest[];
  /** The cookie is set on the target's host before the run (first-party navigation). */
  withCookie?: boolean;
  /** Response header names the probe tries to read (`response.headers.get`). */
  readHeaders?: string[];
}

/** What the standard says of a request: the page gets the response, or it does not. */
export type SpecOutcome = 'allowed' | 'blocked';

/** What was observed of a request: a spec outcome, or `error` where the harness could not
 *  tell (a timeout, witnesses that contradict each other). */
export type ObservedOutcome = SpecOutcome | 'error';

/** What a hand-written case states a browser must do (the rule it teaches). */
export interface TaughtExpectation {
  outcome: SpecOutcome;
  preflight?: boolean;
  /** Header names that must be readable, and names that must not be. */
  readable?: string[];
  hidden?: string[];
  /** Whether the server must have received the cookie. */
  cookieSent?: boolean;
  /** Value the server must have seen in Access-Control-Request-Headers. */
  requestHeadersSeen?: string;
  /** Value the server must have seen in Access-Control-Request-Method. */
  requestMethodSeen?: string;
}

/** Where the target is, seen from the page's own origin (the document the engine navigates
 *  to, also when the request comes from an opaque-origin frame inside it). */
export type SiteRelation = 'same-origin' | 'same-site' | 'cross-site';

/** What a case asks besides its verdict, for the report's tables: `cookie-sent`, whether the
 *  cookie set on the target's host goes with the request (the server's log says). */
export interface CaseQuestion {
  asks: 'cookie-sent';
  site: SiteRelation;
}

export interface CorsCase {
  /** Stable across runs: derived from the parameters, never from a counter or a token. */
  id: string;
  group: Topic;
  title: string;
  request: CaseRequest;
  response: CaseResponse;
  /** Hand-written cases state the rule they teach; generated cases rely on the oracle. */
  taught?: TaughtExpectation;
  question?: CaseQuestion;
}

/**
 * The URL a redirect hop sends the request to: the same path on `redirect.to`, with the
 * userinfo if any. The fixture server (servers/recipe.ts) and the spec model
 * (oracle/evaluate.ts) both take it from here. Throws TypeError when `to` is not a URL.
 */
export function redirectTarget(currentUrl: URL, redirect: RedirectRecipe): URL {
  const next = new URL(currentUrl.pathname, redirect.to);
  if (redirect.userinfo) {
    const [user = '', pass = ''] = redirect.userinfo.split(':');
    next.username = user;
    next.password = pass;
  }
  return next;
}
