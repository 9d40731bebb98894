// Every way a page makes a request besides fetch(), as the standards derive it: the request
// each initiator makes (mode, credentials mode, destination, redirect mode, what the page may
// set), the checks that keep a case to what a page can do, and the initiator's own rules for
// what the page observes once the fetch is done (a load or error event, a tainted canvas, muted
// errors, cssRules). evaluate.ts runs the fetch between the two; the decisions are data
// (decisions.ts), put into words by render.ts.
import type { Asset, CaseRequest, SpecOutcome, CorsSettings, Credentials, Header, Initiator, InitiatorKind, RedirectMode, RequestMode } from '../model/case.ts';
import { ASSET_CONTENT_TYPE, initiatorFacts } from '../model/initiators.ts';
import { ANCHOR } from './anchors.ts';
import { isCorsSafelistedMethod, isCorsSafelistedRequestHeader, isForbiddenMethod, isForbiddenRequestHeader, isMethod, normalizeMethod } from './classify.ts';
import type { CorsSettingsElement, InitiatorRequestDecision, ObservationDecision } from './decisions.ts';
import { OracleCaseError } from './errors.ts';
import {
  FAILURE,
  type HeaderList,
  type ResponseType,
  byteCaseInsensitiveEqual,
  byteLowercase,
  extractMimeType,
  getHeader,
  headerListContains,
  headerValues,
  isHeaderName,
  isHeaderValue,
  normalizeHeaderValue,
  parseMimeType,
  serializeMimeType,
} from './headers.ts';

// --- The request each initiator makes ------------------------------------------------------------

/** Request modes as the Fetch standard has them: the case model's three, and the WebSocket handshake's. */
export type FetchMode = RequestMode | 'websocket';

/** What the page itself may choose for the request, per initiator. */
export interface PageControls {
  /** Method and headers (fetch(), XMLHttpRequest); a beacon sets only its body's Content-Type. */
  methodAndHeaders: boolean;
  body: boolean;
  /** Mode, credentials mode and redirect mode through the call's options (fetch() only). */
  modeAndCredentials: boolean;
  /** Response headers the page can read (`response.headers.get`, `getResponseHeader`). */
  readHeaders: boolean;
}

/** The request an initiator makes, as its standard derives it. */
export interface DerivedRequest {
  kind: InitiatorKind;
  mode: FetchMode;
  credentials: Credentials;
  /** The request's destination ("" for fetch(), XMLHttpRequest, EventSource, beacons). */
  destination: string;
  redirect: RedirectMode;
  /** The method when the page cannot choose one. */
  method: string | null;
  /** Headers the user agent sets that the CORS protocol sees (EventSource's Accept, a
   *  beacon's Content-Type from its body). */
  userAgentHeaders: Header[];
  keepalive: boolean;
  page: PageControls;
  /** Whether this initiator can ever be preceded by a CORS preflight: only when the page
   *  chooses a method or headers (fetch(), XMLHttpRequest), and for a beacon whose body's
   *  Content-Type is not CORS-safelisted. Every element, EventSource, workers and WebSocket
   *  send safelisted requests only. */
  canPreflight: boolean;
  /** The decisions that derived it, each with its section. */
  decisions: InitiatorRequestDecision[];
}

const NOTHING: PageControls = { methodAndHeaders: false, body: false, modeAndCredentials: false, readHeaders: false };

/** "Create a potential-CORS request": No CORS → no-cors + include, Anonymous → cors +
 *  same-origin, Use Credentials → cors + include. */
function potentialCors(state: CorsSettings): { mode: RequestMode; credentials: Credentials } {
  return {
    mode: state === 'absent' ? 'no-cors' : 'cors',
    credentials: state === 'anonymous' ? 'same-origin' : 'include',
  };
}

/** "CORS settings attribute credentials mode": include only for Use Credentials. */
function settingsCredentialsMode(state: CorsSettings): Credentials {
  return state === 'use-credentials' ? 'include' : 'same-origin';
}

/** The Content-Type a beacon's body carries: the probe sends a string body as it is (its type
 *  is `text/plain;charset=UTF-8`), or as a Blob of the case's Content-Type, which the Blob
 *  constructor lowercases and empties when it has a byte outside U+0020 to U+007E (then the body
 *  has no type and the beacon no Content-Type). */
export function beaconContentType(request: Pick<CaseRequest, 'body' | 'headers'>): string | null {
  if (request.body === undefined || request.body === null) return null;
  const typed = headerValues(request.headers, 'Content-Type');
  if (typed.length === 0) return 'text/plain;charset=UTF-8';
  const type = typed.join(', ');
  return /^[\x20-\x7e]*$/.test(type) && type !== '' ? byteLowercase(type) : null;
}

function createElementRequest(kind: InitiatorKind, el: CorsSettingsElement, state: CorsSettings, destination: string): DerivedRequest {
  const { mode, credentials } = potentialCors(state);
  return {
    kind,
    mode,
    credentials,
    destination,
    redirect: 'follow',
    method: 'GET',
    userAgentHeaders: [],
    keepalive: false,
    page: NOTHING,
    canPreflight: false,
    decisions: [
      {
        kind: 'initiator',
        result: 'cors-settings',
        facts: { element: el, state, mode, credentials, destination },
        anchor: ANCHOR.createPotentialCorsRequest,
      },
    ],
  };
}

/**
 * The request the standards make for this initiator. `request` (the case's body and headers)
 * matters only to a beacon, whose mode follows its body's Content-Type. For fetch() and
 * fetch-keepalive, mode and credentials are fetch()'s defaults, which the page may change.
 */
export function deriveInitiatorRequest(initiator: Initiator, request: Pick<CaseRequest, 'body' | 'headers'> = { headers: [] }): DerivedRequest {
  const fixed = { redirect: 'follow' as RedirectMode, method: 'GET', userAgentHeaders: [] as Header[], keepalive: false, page: NOTHING, canPreflight: false };
  switch (initiator.kind) {
    case 'fetch':
    case 'fetch-keepalive': {
      const keepalive = initiator.kind === 'fetch-keepalive';
      return {
        ...fixed,
        kind: initiator.kind,
        mode: 'cors',
        credentials: 'same-origin',
        destination: '',
        method: null,
        keepalive,
        page: { methodAndHeaders: true, body: true, modeAndCredentials: true, readHeaders: true },
        canPreflight: true,
        decisions: keepalive ? [{ kind: 'initiator', result: 'keepalive', facts: {}, anchor: ANCHOR.requestKeepalive }] : [],
      };
    }
    case 'xhr': {
      const credentials: Credentials = initiator.withCredentials ? 'include' : 'same-origin';
      return {
        ...fixed,
        kind: 'xhr',
        mode: 'cors',
        credentials,
        destination: '',
        method: null,
        page: { methodAndHeaders: true, body: true, modeAndCredentials: false, readHeaders: true },
        canPreflight: true,
        decisions: [{ kind: 'initiator', result: 'xhr', facts: { withCredentials: initiator.withCredentials, credentials }, anchor: ANCHOR.xhrSend }],
      };
    }
    case 'img':
      return createElementRequest('img', 'img', initiator.crossorigin, 'image');
    case 'script':
      return createElementRequest('script', 'script', initiator.crossorigin, 'script');
    case 'stylesheet':
      return createElementRequest('stylesheet', 'link', initiator.crossorigin, 'style');
    case 'media':
      return createElementRequest('media', initiator.element, initiator.crossorigin, initiator.element);
    case 'module-script': {
      // import() uses the fetch options of the script that calls it: the page's own classic
      // script, which has no crossorigin attribute, so credentials mode same-origin. Anonymous
      // gives the same; Use Credentials would need a script the page does not have.
      if (initiator.form === 'import' && initiator.crossorigin === 'use-credentials') {
        throw new OracleCaseError(
          'request.initiator.crossorigin is "use-credentials" with form "import": import() runs from the page\'s own script, whose credentials mode is same-origin; use crossorigin "absent" or "anonymous"',
        );
      }
      const credentials = initiator.form === 'import' ? 'same-origin' : settingsCredentialsMode(initiator.crossorigin);
      return {
        ...fixed,
        kind: 'module-script',
        mode: 'cors',
        credentials,
        destination: 'script',
        decisions: [
          {
            kind: 'initiator',
            result: 'module-script',
            facts: { form: initiator.form, state: initiator.crossorigin, credentials },
            anchor: initiator.form === 'import' ? ANCHOR.hostLoadImportedModule : ANCHOR.corsSettingsAttributeCredentialsMode,
          },
        ],
      };
    }
    case 'font':
      return {
        ...fixed,
        kind: 'font',
        mode: 'cors',
        credentials: 'same-origin',
        destination: 'font',
        decisions: [{ kind: 'initiator', result: 'font', facts: {}, anchor: ANCHOR.fontFetchingRequirements }],
      };
    case 'eventsource': {
      const credentials: Credentials = initiator.withCredentials ? 'include' : 'same-origin';
      return {
        ...fixed,
        kind: 'eventsource',
        mode: 'cors',
        credentials,
        destination: '',
        // The constructor may set Accept: text/event-stream, a CORS-safelisted request-header.
        userAgentHeaders: [['Accept', 'text/event-stream']],
        decisions: [
          {
            kind: 'initiator',
            result: 'eventsource',
            facts: { withCredentials: initiator.withCredentials, credentials },
            anchor: ANCHOR.eventSourceConstructor,
          },
        ],
      };
    }
    case 'worker':
      return initiator.form === 'module-worker'
        ? {
            ...fixed,
            kind: 'worker',
            mode: 'same-origin',
            credentials: 'same-origin',
            destination: 'worker',
            decisions: [{ kind: 'initiator', result: 'module-worker', facts: {}, anchor: ANCHOR.fetchSingleModuleScript }],
          }
        : {
            ...fixed,
            kind: 'worker',
            mode: 'cors',
            credentials: 'same-origin',
            destination: 'script',
            decisions: [{ kind: 'initiator', result: 'worker-import', facts: {}, anchor: ANCHOR.hostLoadImportedModule }],
          };
    case 'beacon': {
      const contentType = beaconContentType(request);
      const mode: RequestMode = contentType === null || isCorsSafelistedRequestHeader('Content-Type', contentType) ? 'no-cors' : 'cors';
      return {
        ...fixed,
        kind: 'beacon',
        mode,
        credentials: 'include',
        destination: '',
        method: 'POST',
        userAgentHeaders: contentType === null ? [] : [['Content-Type', contentType]],
        keepalive: true,
        page: { ...NOTHING, body: true },
        canPreflight: true,
        decisions: [{ kind: 'initiator', result: 'beacon', facts: { contentType, mode }, anchor: ANCHOR.sendBeacon }],
      };
    }
    case 'websocket':
      return {
        ...fixed,
        kind: 'websocket',
        mode: 'websocket',
        credentials: 'include',
        destination: '',
        redirect: 'error',
        decisions: [{ kind: 'initiator', result: 'websocket', facts: {}, anchor: ANCHOR.websocketEstablish }],
      };
  }
}

/** The case model has no mode "websocket": a WebSocket case carries "cors" in its place, as
 *  the probe runtime and its tests do; no CORS check applies to the handshake whatever it says. */
function caseMode(mode: FetchMode): RequestMode {
  return mode === 'websocket' ? 'cors' : mode;
}

/**
 * `request.mode` and `request.credentials` for a case with this initiator, as the spec model
 * checks them; `request.method` is the one method the initiator sends (fetch() and
 * XMLHttpRequest: GET unless the case chooses another). A beacon's mode follows its body's
 * Content-Type, so pass the case's body and headers for one. A WebSocket gets "cors" as a
 * stand-in for its mode "websocket".
 */
export function initiatorRequestFields(
  initiator: Initiator,
  request: Pick<CaseRequest, 'body' | 'headers'> = { headers: [] },
): Pick<CaseRequest, 'mode' | 'credentials' | 'method'> {
  const derived = deriveInitiatorRequest(initiator, request);
  return { mode: caseMode(derived.mode), credentials: derived.credentials, method: derived.method ?? 'GET' };
}

// --- What a case may ask of an initiator --------------------------------------------------------

/** The body's length in bytes, as it is sent (UTF-8). */
function bodyBytes(body: string | null | undefined): number {
  return body === undefined || body === null ? 0 : new TextEncoder().encode(body).length;
}

/** The keepalive in-flight quota (HTTP-network-or-cache fetch): 64 kibibytes of body. */
export const KEEPALIVE_QUOTA_BYTES = 64 * 1024;

/**
 * The derived request for the case's initiator, after checking the case asks only for what
 * that initiator can do. Throws OracleCaseError naming the field: a mode or credentials mode
 * other than the derived one, a method, headers or a body the initiator cannot send, a redirect
 * mode it does not use, or response headers it cannot read.
 */
export function checkInitiatorCase(request: CaseRequest, initiator: Initiator): DerivedRequest {
  const derived = deriveInitiatorRequest(initiator, request);
  const kind = initiator.kind;
  const fix = `(oracle initiatorRequestFields gives the fields for ${kind})`;
  if (!derived.page.modeAndCredentials) {
    const mode = caseMode(derived.mode);
    if (request.mode !== mode) {
      throw new OracleCaseError(
        `request.mode is "${request.mode}" but ${kind} makes a request in mode "${derived.mode}"; set request.mode to "${mode}" ${fix}`,
      );
    }
    if (request.credentials !== derived.credentials) {
      throw new OracleCaseError(
        `request.credentials is "${request.credentials}" but ${kind} makes a request with credentials mode "${derived.credentials}"; set request.credentials to "${derived.credentials}" ${fix}`,
      );
    }
    if (request.redirect !== undefined && request.redirect !== derived.redirect) {
      throw new OracleCaseError(
        `request.redirect is "${request.redirect}" but ${kind} always uses redirect mode "${derived.redirect}"; leave request.redirect out`,
      );
    }
  }
  if (!derived.page.methodAndHeaders) {
    if (derived.method !== null && request.method !== derived.method) {
      throw new OracleCaseError(`request.method is "${request.method}" but ${kind} always sends ${derived.method}; set request.method to "${derived.method}"`);
    }
    const allowed = kind === 'beacon' ? ['content-type'] : [];
    const other = request.headers.find(([n]) => !allowed.includes(byteLowercase(n)));
    if (other) {
      throw new OracleCaseError(
        kind === 'beacon'
          ? `request.headers has ${other[0]}, but a beacon sets no header of its own except its body's Content-Type; remove it`
          : `request.headers has ${other[0]}, but ${kind} cannot set request headers; make request.headers empty`,
      );
    }
    if (kind === 'beacon' && headerListContains(request.headers, 'Content-Type') && (request.body === undefined || request.body === null)) {
      throw new OracleCaseError(
        'request.headers has Content-Type but request.body is empty: a beacon without data has no Content-Type; give request.body or remove the header',
      );
    }
  }
  if (!derived.page.body && request.body !== undefined && request.body !== null) {
    throw new OracleCaseError(`request.body is set, but ${kind} sends no body; remove request.body`);
  }
  if (!derived.page.readHeaders && request.readHeaders !== undefined && request.readHeaders.length > 0) {
    throw new OracleCaseError(`request.readHeaders is set, but a page cannot read response headers of ${kind}; remove request.readHeaders`);
  }
  if (kind === 'websocket' && !/^https?:/.test(request.url)) {
    throw new OracleCaseError(`request.url "${request.url}" must be the http(s) form of the WebSocket URL (the probe connects to its ws(s) form)`);
  }
  return derived;
}

// --- XMLHttpRequest's open(), setRequestHeader() and send() ---------------------------------------

export type XhrRequest =
  | { ok: true; method: string; headers: Header[]; body: string | null; decisions: InitiatorRequestDecision[] }
  | { ok: false; decision: InitiatorRequestDecision; decisions: InitiatorRequestDecision[] };

/**
 * What `open(method)`, `setRequestHeader()` for each header and `send(body)` do: a method
 * that is not a token throws a SyntaxError, a forbidden one a SecurityError, and the six legacy
 * names are normalized; an invalid header throws a SyntaxError, a forbidden request-header is
 * ignored, and a name set twice is combined into one "a, b" value; a GET or HEAD body is
 * ignored; a string body brings `Content-Type: text/plain;charset=UTF-8` unless one is set, and
 * an author Content-Type that parses as a MIME type with a charset other than UTF-8 is rewritten
 * to charset UTF-8 and re-serialized, before the CORS protocol sees it (so
 * `text/plain; charset=latin1; x="y"`, CORS-unsafe for its quotes, goes out as the safelisted
 * `text/plain;charset=UTF-8;x=y`).
 */
export function xhrRequest(method: string, headers: HeaderList, body: string | null | undefined): XhrRequest {
  const decisions: InitiatorRequestDecision[] = [];
  const fail = (decision: InitiatorRequestDecision): XhrRequest => {
    decisions.push(decision);
    return { ok: false, decision, decisions };
  };
  if (!isMethod(method)) return fail({ kind: 'initiator', result: 'xhr-open-throws', facts: { method, error: 'SyntaxError' }, anchor: ANCHOR.xhrOpen });
  if (isForbiddenMethod(method))
    return fail({ kind: 'initiator', result: 'xhr-open-throws', facts: { method, error: 'SecurityError' }, anchor: ANCHOR.xhrOpen });
  const normalized = normalizeMethod(method);
  const list: Header[] = [];
  for (const [name, raw] of headers) {
    const value = normalizeHeaderValue(raw);
    if (!isHeaderName(name) || !isHeaderValue(value)) {
      return fail({ kind: 'initiator', result: 'xhr-header-throws', facts: { name, value: raw }, anchor: ANCHOR.xhrSetRequestHeader });
    }
    if (isForbiddenRequestHeader(name, value)) {
      decisions.push({ kind: 'initiator', result: 'xhr-header-ignored', facts: { name }, anchor: ANCHOR.xhrSetRequestHeader });
      continue;
    }
    const existing = list.findIndex(([n]) => byteCaseInsensitiveEqual(n, name));
    const previous = list[existing];
    if (previous) list[existing] = [previous[0], `${previous[1]}, ${value}`];
    else list.push([name, value]);
  }
  let sent: string | null = body ?? null;
  if (sent !== null && (normalized === 'GET' || normalized === 'HEAD')) {
    decisions.push({ kind: 'initiator', result: 'xhr-body-ignored', facts: { method: normalized }, anchor: ANCHOR.xhrSend });
    sent = null;
  }
  const authorContentType = getHeader(list, 'Content-Type');
  if (sent !== null && authorContentType !== null) {
    const record = parseMimeType(authorContentType);
    const charset = record === FAILURE ? undefined : record.parameters.get('charset');
    if (record !== FAILURE && charset !== undefined && !byteCaseInsensitiveEqual(charset, 'UTF-8')) {
      record.parameters.set('charset', 'UTF-8');
      const value = serializeMimeType(record);
      const at = list.findIndex(([n]) => byteCaseInsensitiveEqual(n, 'Content-Type'));
      list[at] = [list[at]?.[0] ?? 'Content-Type', value];
      decisions.push({ kind: 'initiator', result: 'xhr-charset-rewritten', facts: { from: authorContentType, to: value }, anchor: ANCHOR.xhrSend });
    }
  }
  if (sent !== null && authorContentType === null) {
    const value = 'text/plain;charset=UTF-8';
    list.push(['Content-Type', value]);
    decisions.push({ kind: 'initiator', result: 'xhr-body-content-type', facts: { value }, anchor: ANCHOR.bodyExtract });
  }
  return { ok: true, method: normalized, headers: list, body: sent, decisions };
}

/** The keepalive quota check for a request with this body, or null when it fits. */
export function keepaliveQuota(body: string | null | undefined, api: 'beacon' | 'fetch'): InitiatorRequestDecision | null {
  const bytes = bodyBytes(body);
  return bytes > KEEPALIVE_QUOTA_BYTES ? { kind: 'initiator', result: 'keepalive-quota', facts: { bytes, api }, anchor: ANCHOR.httpNetworkOrCacheFetch } : null;
}

// --- What the page observes ------------------------------------------------------------------------

/** The response the fetch delivered to the initiator, as its observation rules need it. */
export interface DeliveredResponse {
  type: ResponseType;
  /** The internal response's status (an opaque response's filtered status is 0; the loaders
   *  read the unsafe response). */
  status: number;
  headers: HeaderList;
  asset: Asset | null;
  /** The fixture sends no Content-Type line, not even the asset's (the recipe says so). */
  omitContentType?: boolean;
  /** Whether the URL list has more than one URL. */
  redirected: boolean;
}

export interface Observation {
  outcome: SpecOutcome;
  /** Whether the page can read what it loaded; only for initiators with such a test. */
  contentReadable?: boolean;
  /** The decision that settled the outcome, when it is the observation itself. */
  decision: ObservationDecision;
}

const JAVASCRIPT_MIME_ESSENCES = [
  'application/ecmascript',
  'application/javascript',
  'application/x-ecmascript',
  'application/x-javascript',
  'text/ecmascript',
  'text/javascript',
  'text/javascript1.0',
  'text/javascript1.1',
  'text/javascript1.2',
  'text/javascript1.3',
  'text/javascript1.4',
  'text/javascript1.5',
  'text/jscript',
  'text/livescript',
  'text/x-ecmascript',
  'text/x-javascript',
];

/** The response's MIME type essence: "extract a MIME type" from its Content-Type (quote-aware,
 *  so `text/html;x=", text/plain` is text/html), else the type the fixture sends with the asset
 *  (model/initiators.ts) unless the recipe omits it; null when neither. */
export function responseMimeEssence(response: Pick<DeliveredResponse, 'headers' | 'asset' | 'omitContentType'>): string | null {
  if (headerListContains(response.headers, 'Content-Type')) {
    const extracted = extractMimeType(response.headers);
    return extracted === FAILURE ? null : extracted.essence;
  }
  if (!response.asset || response.omitContentType) return null;
  const parsed = parseMimeType(ASSET_CONTENT_TYPE[response.asset]);
  return parsed === FAILURE ? null : parsed.essence;
}

/** A JavaScript MIME type (MIME Sniffing), by its essence. */
export function isJavaScriptMimeEssence(essence: string): boolean {
  return JAVASCRIPT_MIME_ESSENCES.includes(essence);
}

function isOkStatus(status: number): boolean {
  return status >= 200 && status <= 299;
}

/** The body an initiator needs before it fires its load event, or null when it needs none. */
function bodyCheck(initiator: Initiator, response: DeliveredResponse): ObservationDecision | null {
  const mime = (expected: string, ok: (essence: string) => boolean, anchor: ObservationDecision['anchor']): ObservationDecision | null => {
    const essence = responseMimeEssence(response);
    return essence !== null && ok(essence) ? null : { kind: 'observe', result: 'wrong-mime', facts: { initiator, contentType: essence, expected }, anchor };
  };
  const status = (required: 'ok' | '200', anchor: ObservationDecision['anchor']): ObservationDecision | null => {
    const passes = required === '200' ? response.status === 200 : isOkStatus(response.status);
    return passes ? null : { kind: 'observe', result: 'status-not-ok', facts: { initiator, status: response.status, required }, anchor };
  };
  const decodes = (needs: Asset[], anchor: ObservationDecision['anchor']): ObservationDecision | null =>
    response.asset !== null && needs.includes(response.asset)
      ? null
      : { kind: 'observe', result: 'not-decodable', facts: { initiator, asset: response.asset, needs }, anchor };
  switch (initiator.kind) {
    case 'img':
      return decodes(['png'], ANCHOR.updateTheImageData);
    case 'media':
      return decodes(initiator.element === 'video' ? ['video'] : ['audio', 'video'], ANCHOR.mediaResourceFetch);
    case 'font':
      return decodes(['font'], ANCHOR.fontFetchingRequirements);
    case 'script':
      return status('ok', ANCHOR.fetchClassicScript);
    case 'module-script':
    case 'worker':
      return status('ok', ANCHOR.fetchSingleModuleScript) ?? mime('a JavaScript MIME type', isJavaScriptMimeEssence, ANCHOR.javascriptMimeType);
    case 'stylesheet':
      return status('ok', ANCHOR.linkTypeStylesheet) ?? mime('text/css', (e) => e === 'text/css', ANCHOR.linkTypeStylesheet);
    case 'eventsource':
      return status('200', ANCHOR.eventSourceConstructor) ?? mime('text/event-stream', (e) => e === 'text/event-stream', ANCHOR.eventSourceConstructor);
    default:
      return null;
  }
}

/** The anchor of the rule that makes a loaded response readable or not, per initiator. */
function contentAnchor(initiator: Initiator): ObservationDecision['anchor'] {
  switch (initiator.kind) {
    case 'script':
      return ANCHOR.mutedErrors;
    case 'stylesheet':
      return ANCHOR.styleSheetOriginClean;
    case 'module-script':
      return ANCHOR.fetchSingleModuleScript;
    default:
      return ANCHOR.canvasOriginClean;
  }
}

/** How the page sees a network error, per initiator: the section that fires the error. */
function failureAnchor(initiator: Initiator): ObservationDecision['anchor'] {
  switch (initiator.kind) {
    case 'img':
      return ANCHOR.updateTheImageData;
    case 'script':
      return ANCHOR.fetchClassicScript;
    case 'module-script':
      return ANCHOR.fetchSingleModuleScript;
    case 'stylesheet':
      return ANCHOR.linkTypeStylesheet;
    case 'font':
      return ANCHOR.fontFetchingRequirements;
    case 'media':
      return ANCHOR.mediaResourceFetch;
    case 'eventsource':
      return ANCHOR.eventSourceFailTheConnection;
    case 'worker':
      return initiator.form === 'module-worker' ? ANCHOR.workerConstructor : ANCHOR.hostLoadImportedModule;
    case 'xhr':
      return ANCHOR.xhrSend;
    case 'beacon':
      return ANCHOR.sendBeacon;
    case 'websocket':
      return ANCHOR.websocketEstablish;
    case 'fetch':
    case 'fetch-keepalive':
      return ANCHOR.mainFetch;
  }
}

/** The page's view of a fetch that returned a network error. */
export function observeNetworkError(initiator: Initiator): ObservationDecision {
  return { kind: 'observe', result: 'load-failed', facts: { initiator }, anchor: failureAnchor(initiator) };
}

/**
 * The page's view of a fetch that delivered a response: the initiator's own checks of status,
 * MIME type and body (a classic script needs an ok status; a module script, a module worker's
 * script and an import() a JavaScript MIME type too; a stylesheet text/css; an EventSource
 * status 200 and text/event-stream; an image, a font and media a body they can decode), then
 * whether the page can read it: an opaque response (CORS-cross-origin) taints the canvas,
 * mutes the script's errors and leaves the style sheet's origin-clean flag unset.
 */
export function observeResponse(initiator: Initiator, response: DeliveredResponse): Observation {
  const failed = bodyCheck(initiator, response);
  if (failed) return { outcome: 'blocked', decision: failed };
  if (!initiatorFacts(initiator).contentTest) {
    const anchor = initiator.kind === 'eventsource' ? ANCHOR.eventSourceConstructor : failureAnchor(initiator);
    return { outcome: 'allowed', decision: { kind: 'observe', result: 'loaded', facts: { initiator }, anchor } };
  }
  const anchor = contentAnchor(initiator);
  if (response.type === 'opaque') {
    return {
      outcome: 'allowed',
      contentReadable: false,
      decision: { kind: 'observe', result: 'content-cross-origin', facts: { initiator, redirected: response.redirected }, anchor },
    };
  }
  const tainting = response.type === 'cors' ? 'cors' : 'basic';
  return { outcome: 'allowed', contentReadable: true, decision: { kind: 'observe', result: 'content-same-origin', facts: { initiator, tainting }, anchor } };
}

/** A CORS-preflight request can only precede requests with a method or headers outside the
 *  safelists; this is the same question main fetch asks (needsCorsPreflight), restated for the
 *  derived request of an initiator whose page cannot choose either. */
export function derivedRequestIsSafelisted(derived: DerivedRequest): boolean {
  return derived.method !== null && isCorsSafelistedMethod(derived.method) && derived.userAgentHeaders.every(([n, v]) => isCorsSafelistedRequestHeader(n, v));
}
