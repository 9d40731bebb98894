// The spec model's decisions as data: one union member per decision, grouped by family
// (`kind`), each with the facts that decided it and the section of the standard (Fetch, or for
// initiators other than fetch() the HTML, XMLHttpRequest, Beacon, WebSockets or CSS standard)
// that says so. The model (evaluate.ts, classify.ts) produces these; render.ts turns one into the
// sentence the results carry.
import type { Asset, CorsSettings, Credentials, Initiator, RedirectMode, RequestMode } from '../model/case.ts';
import type { ANCHOR } from './anchors.ts';
import type { CorpPolicy, EmbedderPolicyValue } from './blocking.ts';
import type { MaxAge } from './preflight-cache.ts';

type Anchor = (typeof ANCHOR)[keyof typeof ANCHOR];

interface Decided<K extends string, R extends string, F> {
  kind: K;
  result: R;
  facts: F;
  anchor: Anchor;
}

/** One URL of the request's URL list: its origin and its place in the list (0 before any redirect). */
export interface HopRef {
  origin: string;
  index: number;
}

type NoFacts = Record<string, never>;

/** The page's fetch() call before anything is fetched: the request's origin and `new Request()`. */
export type RequestDecision =
  | Decided<'request', 'opaque-origin', { document: string }>
  | Decided<'request', 'invalid-method', { method: string }>
  | Decided<'request', 'forbidden-method', { method: string }>
  | Decided<'request', 'method-normalized', { method: string; normalized: string }>
  | Decided<'request', 'no-cors-method', { method: string }>
  | Decided<'request', 'invalid-header', { name: string; value: string }>
  | Decided<'request', 'forbidden-header-dropped', { name: string }>
  | Decided<'request', 'no-cors-header-dropped', { name: string }>
  | Decided<'request', 'body-not-allowed', { method: string }>
  | Decided<'request', 'body-content-type', { value: string }>
  | Decided<'request', 'url-credentials', { url: string }>
  /** The user agent's own Accept (fetch, before main fetch), stated where its bytes take the
   *  CORS-safelisted values past 1,024 bytes. */
  | Decided<'request', 'user-agent-accept', { value: string; total: number }>;

/** Main fetch: tainting, mode, and whether a CORS request needs a preflight. */
type MainFetchDecision =
  | Decided<'main-fetch', 'same-origin', { hop: HopRef }>
  | Decided<'main-fetch', 'same-origin-mode-cross-origin', { origin: string }>
  | Decided<'main-fetch', 'no-cors-redirect-mode', { redirectMode: RedirectMode }>
  | Decided<'main-fetch', 'no-cors', { hop: HopRef }>
  | Decided<'main-fetch', 'not-http-scheme', { scheme: string }>
  | Decided<'main-fetch', 'cors-preflight-needed', { hop: HopRef; method: string; methodSafelisted: boolean; unsafeHeaderNames: string[] }>
  | Decided<'main-fetch', 'cors-no-preflight', { hop: HopRef }>
  /** A data: URL: basic tainting before the mode checks, then scheme fetch. */
  | Decided<'main-fetch', 'data-url', { hop: HopRef }>
  | Decided<'main-fetch', 'data-url-response', { hop: HopRef; contentType: string }>
  | Decided<'main-fetch', 'data-url-failure', { hop: HopRef }>
  /** Why a same-origin request resolves: it kept basic tainting. */
  | Decided<'main-fetch', 'basic-tainting', NoFacts>;

/** Main fetch's checks before a request goes out, besides the CORS protocol: the Mixed Content
 *  standard's upgrade of an image, audio or video request to https and its block of every other
 *  http request from an https page, and bad ports. `url` is the URL checked. */
type RequestBlockingDecision =
  | Decided<'mixed-content', 'upgraded', { hop: HopRef; from: string; to: string; destination: string }>
  | Decided<'mixed-content', 'blocked', { hop: HopRef; url: string; destination: string }>
  | Decided<'bad-port', 'blocked', { hop: HopRef; url: string; port: number; service: string }>;

/** The Cross-Origin-Resource-Policy check of an opaque response (HTTP fetch, every hop). */
export type CorpDecision = Decided<
  'corp',
  'passed' | 'blocked',
  {
    hop: HopRef;
    /** The header as "get" returns it (several lines combined), null when absent. */
    value: string | null;
    /** The policy applied: the header's when it is exactly one of the three, else the
     *  embedder policy's default (none for unsafe-none). */
    policy: CorpPolicy | null;
    /** The request's origin ("null" serializations aside: null when opaque). */
    requestOrigin: string | null;
    responseOrigin: string;
    embedderPolicy: EmbedderPolicyValue;
    status: number;
  }
>;

/** Main fetch's response checks by MIME type and by X-Content-Type-Options: nosniff. `essence` is
 *  the response's MIME type essence, null when extracting one fails. */
type MimeBlockingDecision =
  | Decided<'mime-blocking', 'mime-type', { destination: string; essence: string }>
  | Decided<'mime-blocking', 'nosniff', { destination: string; essence: string | null }>;

/** Which response a CORS check was applied to. */
export type CheckedResponse = { stage: 'actual'; status: number; redirect: boolean; hop: HopRef } | { stage: 'preflight'; status: number; handled: boolean };

interface CorsCheckFacts {
  /** The byte-serialized request origin the check compares with ("null" when opaque or tainted). */
  requestOrigin: string;
  credentials: Credentials;
  /** Access-Control-Allow-Origin as "get" returns it (several lines combined with ", "). */
  allowOrigin: string | null;
  /** How many Access-Control-Allow-Origin lines the response has. */
  allowOriginLines: number;
  allowCredentials: string | null;
  /** Set when the check is a step of a fetch; absent for a response checked on its own. */
  response?: CheckedResponse;
}

/** The CORS check (§4.10) of one response. */
export type CorsCheckDecision =
  | Decided<'cors-check', 'acao-absent', CorsCheckFacts & { allowOrigin: null }>
  | Decided<
      'cors-check',
      'wildcard-ok' | 'combined-lines' | 'wildcard-with-credentials' | 'origin-mismatch' | 'origin-ok' | 'acac-not-true' | 'credentialed-ok',
      CorsCheckFacts & { allowOrigin: string }
    >;

/** CORS-preflight fetch and the CORS-preflight cache, apart from the method and header checks. */
type PreflightDecision =
  | Decided<'preflight', 'cache-hit', NoFacts>
  | Decided<'preflight', 'sent', { hop: HopRef; method: string; headerNames: string[] }>
  | Decided<'preflight', 'status-not-ok', { status: number; redirect: boolean }>
  /** The preflight response passed the CORS check (`check`) and has an ok status. */
  | Decided<'preflight', 'passed-check', { status: number; check: CorsCheckDecision }>
  | Decided<'preflight', 'cache-entry', { maxAge: MaxAge }>
  | Decided<'preflight', 'cache-cleared', { removed: number }>;

/** The preflight response's Access-Control-Allow-Methods against the request's method. */
type AllowMethodsDecision =
  | Decided<'allow-methods', 'unparsable', { value: string }>
  | Decided<'allow-methods', 'listed' | 'safelisted' | 'wildcard', { method: string }>
  | Decided<
      'allow-methods',
      'not-allowed',
      {
        method: string;
        /** The parsed list; null when the header is absent. */
        allowed: string[] | null;
        wildcardWithCredentials: boolean;
        /** The list has the method in another case. */
        caseMismatch: boolean;
      }
    >;

/** The preflight response's Access-Control-Allow-Headers against the request's header names. */
type AllowHeadersDecision =
  | Decided<'allow-headers', 'unparsable', { value: string }>
  | Decided<'allow-headers', 'authorization-not-listed', { allowed: string[] | null; wildcard: boolean }>
  | Decided<'allow-headers', 'authorization-listed', NoFacts>
  | Decided<'allow-headers', 'not-allowed', { name: string; allowed: string[] | null; wildcardWithCredentials: boolean }>
  | Decided<'allow-headers', 'all-allowed', { names: string[] }>;

/** Redirect mode in HTTP fetch, and HTTP-redirect fetch. */
type RedirectDecision =
  | Decided<'redirect', 'mode-error' | 'mode-manual' | 'no-location', { status: number }>
  | Decided<'redirect', 'several-locations', { count: number }>
  | Decided<'redirect', 'location-unparsable', { value: string; source: 'header' | 'recipe' }>
  | Decided<'redirect', 'location-not-http', { scheme: string }>
  | Decided<'redirect', 'too-many', { limit: number }>
  | Decided<'redirect', 'userinfo-cross-origin', { location: string }>
  | Decided<'redirect', 'userinfo-cors-tainting', NoFacts>
  | Decided<'redirect', 'method-to-get', { status: number; method: string; removedHeaders: string[] }>
  | Decided<'redirect', 'authorization-removed', { from: string; to: string }>
  | Decided<'redirect', 'followed', { status: number; to: string; tainted: boolean }>;

/** Main fetch's CORS-exposed header-name list. */
type ExposeHeadersDecision =
  | Decided<'expose-headers', 'absent' | 'unparsable' | 'wildcard', NoFacts>
  | Decided<'expose-headers', 'star-literal' | 'listed', { names: string[] }>;

/** The filtered response the page gets when it is not a CORS one. */
type FilteredResponseDecision = Decided<'filtered-response', 'basic' | 'opaque' | 'opaque-redirect', NoFacts>;

interface PriorRequestFacts {
  /** 1 for the first prior request. */
  number: number;
  method: string;
  headerNames: string[];
  credentials: Credentials;
  preflight: boolean;
  waitMs: number;
}

/** A request the case makes before the measured one, summed up in one step. */
type PriorRequestDecision =
  | Decided<'prior-request', 'allowed', PriorRequestFacts>
  | Decided<'prior-request', 'blocked', PriorRequestFacts & { reason: Decision }>;

/** The element that carries a CORS settings attribute (`crossorigin`). */
export type CorsSettingsElement = 'img' | 'script' | 'link' | 'video' | 'audio';

/**
 * The request an initiator other than fetch() makes, as its standard derives it (oracle/initiators.ts),
 * and what XMLHttpRequest's own methods do to the page's method, headers and body.
 */
export type InitiatorRequestDecision =
  | Decided<
      'initiator',
      'cors-settings',
      { element: CorsSettingsElement; state: CorsSettings; mode: RequestMode; credentials: Credentials; destination: string }
    >
  | Decided<'initiator', 'module-script', { form: 'element' | 'import'; state: CorsSettings; credentials: Credentials }>
  | Decided<'initiator', 'font', NoFacts>
  | Decided<'initiator', 'eventsource', { withCredentials: boolean; credentials: Credentials }>
  | Decided<'initiator', 'xhr', { withCredentials: boolean; credentials: Credentials }>
  | Decided<'initiator', 'module-worker', NoFacts>
  | Decided<'initiator', 'worker-import', NoFacts>
  | Decided<'initiator', 'beacon', { contentType: string | null; mode: RequestMode }>
  | Decided<'initiator', 'keepalive', NoFacts>
  | Decided<'initiator', 'websocket', NoFacts>
  | Decided<'initiator', 'xhr-open-throws', { method: string; error: 'SyntaxError' | 'SecurityError' }>
  | Decided<'initiator', 'xhr-header-throws', { name: string; value: string }>
  | Decided<'initiator', 'xhr-header-ignored', { name: string }>
  | Decided<'initiator', 'xhr-body-ignored', { method: string }>
  | Decided<'initiator', 'xhr-body-content-type', { value: string }>
  | Decided<'initiator', 'xhr-charset-rewritten', { from: string; to: string }>
  | Decided<'initiator', 'keepalive-quota', { bytes: number; api: 'beacon' | 'fetch' }>;

/** What the page observes of an initiator's request once the fetch is done: the initiator's own rules. */
export type ObservationDecision =
  /** The fetch returned a network error; how the page sees it. */
  | Decided<'observe', 'load-failed', { initiator: Initiator }>
  | Decided<'observe', 'status-not-ok', { initiator: Initiator; status: number; required: 'ok' | '200' }>
  | Decided<'observe', 'wrong-mime', { initiator: Initiator; contentType: string | null; expected: string }>
  | Decided<'observe', 'not-decodable', { initiator: Initiator; asset: Asset | null; needs: Asset[] }>
  /** Loaded, and the page cannot read it: the response is CORS-cross-origin (opaque). */
  | Decided<'observe', 'content-cross-origin', { initiator: Initiator; redirected: boolean }>
  /** Loaded, and the page can read it: the response is CORS-same-origin. */
  | Decided<'observe', 'content-same-origin', { initiator: Initiator; tainting: 'basic' | 'cors' }>
  /** Loaded, for initiators without a test of what the page can read. */
  | Decided<'observe', 'loaded', { initiator: Initiator }>
  | Decided<'observe', 'beacon-sent', { mode: RequestMode; preflight: boolean }>
  | Decided<'observe', 'beacon-not-sent', NoFacts>
  | Decided<'observe', 'websocket-open', NoFacts>
  | Decided<'observe', 'websocket-failed', { status: number }>;

export type Decision =
  | RequestDecision
  | RequestBlockingDecision
  | CorpDecision
  | MimeBlockingDecision
  | InitiatorRequestDecision
  | ObservationDecision
  | MainFetchDecision
  | CorsCheckDecision
  | PreflightDecision
  | AllowMethodsDecision
  | AllowHeadersDecision
  | RedirectDecision
  | ExposeHeadersDecision
  | FilteredResponseDecision
  | PriorRequestDecision;
