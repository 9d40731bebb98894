// The words for the spec model's decisions (decisions.ts): one English sentence per decision,
// as the results carry them in `spec.reason` and `spec.steps`.
import type { Initiator } from '../model/case.ts';
import type { SpecStep } from '../model/results.ts';
import type { CorsCheckDecision, Decision, HopRef } from './decisions.ts';

type Of<K extends Decision['kind']> = Extract<Decision, { kind: K }>;

function hop(h: HopRef): string {
  return h.index === 0 ? h.origin : `${h.origin} (after redirect ${h.index})`;
}

function renderRequest(d: Of<'request'>): string {
  switch (d.result) {
    case 'opaque-origin':
      return `The fetch runs in an opaque-origin document (${d.facts.document}), so its origin serializes as "null".`;
    case 'invalid-method':
      return `new Request() throws a TypeError: method "${d.facts.method}" is not a token.`;
    case 'forbidden-method':
      return `new Request() throws a TypeError: ${d.facts.method} is a forbidden method.`;
    case 'method-normalized':
      return `Method ${d.facts.method} is normalized to ${d.facts.normalized}.`;
    case 'no-cors-method':
      return `new Request() throws a TypeError: no-cors mode requires a CORS-safelisted method, and ${d.facts.method} is not one.`;
    case 'invalid-header':
      return `new Request() throws a TypeError: "${d.facts.name}: ${d.facts.value}" is not a valid header.`;
    case 'forbidden-header-dropped':
      return `${d.facts.name} is a forbidden request-header, so the Headers guard drops it and it is not sent.`;
    case 'no-cors-header-dropped':
      return `In no-cors mode ${d.facts.name} is not a no-CORS-safelisted request-header, so the request-no-cors guard drops it.`;
    case 'body-not-allowed':
      return `new Request() throws a TypeError: a ${d.facts.method} request cannot have a body.`;
    case 'body-content-type':
      return `The string body adds Content-Type: ${d.facts.value}, a CORS-safelisted request-header.`;
    case 'url-credentials':
      return `new Request() throws a TypeError: the URL on ${d.facts.url} includes credentials (a username or password).`;
    case 'user-agent-accept':
      return `fetch appends the user agent's Accept: ${d.facts.value}, a CORS-safelisted request-header whose bytes count too: the safelisted values add up to ${d.facts.total} bytes, more than 1024, so each of them is CORS-unsafe.`;
  }
}

/** The CORS check's own sentence, without naming the response it was applied to. */
function renderCorsCheckResult(d: CorsCheckDecision): string {
  if (d.result === 'acao-absent') return 'Access-Control-Allow-Origin is absent, so the CORS check fails.';
  const { requestOrigin, allowOrigin } = d.facts;
  switch (d.result) {
    case 'wildcard-ok':
      return 'Access-Control-Allow-Origin is * and the credentials mode is not include, so the CORS check passes.';
    case 'combined-lines':
      return `${d.facts.allowOriginLines} Access-Control-Allow-Origin lines combine to "${allowOrigin}", which can never equal the request origin "${requestOrigin}", so the CORS check fails.`;
    case 'wildcard-with-credentials':
      return `Access-Control-Allow-Origin * is not a wildcard when the credentials mode is include, and it is not the request origin "${requestOrigin}", so the CORS check fails.`;
    case 'origin-mismatch':
      return `Access-Control-Allow-Origin "${allowOrigin}" is not byte-for-byte the serialized request origin "${requestOrigin}", so the CORS check fails.`;
    case 'origin-ok':
      return `Access-Control-Allow-Origin equals the request origin "${requestOrigin}", so the CORS check passes.`;
    case 'acac-not-true': {
      const seen = d.facts.allowCredentials === null ? 'absent' : `"${d.facts.allowCredentials}"`;
      return `With credentials mode include, Access-Control-Allow-Credentials must be exactly "true" but is ${seen}, so the CORS check fails.`;
    }
    case 'credentialed-ok':
      return `Access-Control-Allow-Origin equals "${requestOrigin}" and Access-Control-Allow-Credentials is true, so the credentialed CORS check passes.`;
  }
}

function renderCorsCheck(d: CorsCheckDecision): string {
  const sentence = renderCorsCheckResult(d);
  const response = d.facts.response;
  if (response === undefined) return sentence;
  let what: string;
  if (response.stage === 'preflight') {
    what = response.handled ? 'The preflight response' : `The preflight response (${response.status}: the server has no preflight handling)`;
  } else {
    what = `The ${response.status}${response.redirect ? ' redirect' : ''} response from ${hop(response.hop)}`;
  }
  return `${what}: ${sentence}`;
}

function maxAgeWords(d: Extract<Of<'preflight'>, { result: 'cache-entry' }>): string {
  const { seconds, source, limited } = d.facts.maxAge;
  const why =
    source === 'header'
      ? `Access-Control-Max-Age gives ${seconds} s`
      : source === 'absent'
        ? 'Access-Control-Max-Age is absent, so max-age defaults to 5 s'
        : 'Access-Control-Max-Age fails to parse as delta-seconds (or repeats), so max-age defaults to 5 s';
  return `${why}${limited ? ', lowered to the imposed limit' : ''}; the allowed methods and header names are cached with it.`;
}

function renderMainFetch(d: Of<'main-fetch'>): string {
  switch (d.result) {
    case 'same-origin':
      return `${hop(d.facts.hop)} is same origin with the request's origin, so response tainting is basic and the CORS protocol does not apply.`;
    case 'same-origin-mode-cross-origin':
      return `Mode same-origin with a cross-origin URL (${d.facts.origin}) is a network error.`;
    case 'no-cors-redirect-mode':
      return `Mode no-cors requires redirect mode follow, not ${d.facts.redirectMode}, so main fetch returns a network error.`;
    case 'no-cors':
      return `Mode no-cors to ${hop(d.facts.hop)}: response tainting is opaque and no preflight is ever made.`;
    case 'not-http-scheme':
      return `${d.facts.scheme} is not an HTTP(S) scheme, so main fetch returns a network error.`;
    case 'cors-preflight-needed': {
      const { method, methodSafelisted, unsafeHeaderNames } = d.facts;
      const why = [
        methodSafelisted ? '' : `method ${method} (not a CORS-safelisted method)`,
        unsafeHeaderNames.length > 0 ? `the CORS-unsafe request-header names ${unsafeHeaderNames.join(',')}` : '',
      ].filter(Boolean);
      return `Cross-origin request to ${hop(d.facts.hop)} with ${why.join(' and ')}: a CORS request that needs a preflight unless the cache covers it.`;
    }
    case 'cors-no-preflight':
      return `Cross-origin request to ${hop(d.facts.hop)} with a CORS-safelisted method and only CORS-safelisted headers: a CORS request without preflight.`;
    case 'basic-tainting':
      return 'The request is same-origin, so it uses basic tainting and the CORS protocol does not apply.';
    case 'data-url':
      return 'The URL is a data: URL, so main fetch sets response tainting to basic before it looks at the mode: the CORS protocol does not apply and the response is readable in every mode.';
    case 'data-url-response':
      return `Scheme fetch answers the data: URL itself, with nothing sent: status 200 and Content-Type ${d.facts.contentType}.`;
    case 'data-url-failure':
      return 'The data: URL processor returns failure for a data: URL without a comma, so scheme fetch returns a network error.';
  }
}

function renderPreflight(d: Of<'preflight'>): string {
  switch (d.result) {
    case 'cache-hit':
      return 'The CORS-preflight cache has a method cache entry match and a header-name cache entry match for everything that needs one, so no preflight is sent.';
    case 'sent': {
      const { method, headerNames } = d.facts;
      return (
        `A CORS-preflight request is sent to ${hop(d.facts.hop)}: OPTIONS with Access-Control-Request-Method: ${method}` +
        (headerNames.length > 0 ? ` and Access-Control-Request-Headers: ${headerNames.join(',')}.` : '.')
      );
    }
    case 'status-not-ok': {
      const note = d.facts.redirect ? '; a redirected preflight is never followed' : '';
      return `The preflight response status ${d.facts.status} is not an ok status (200-299)${note}, so the preflight fails.`;
    }
    case 'passed-check':
      return `The preflight response has an ok status (${d.facts.status}); ${renderCorsCheckResult(d.facts.check)}`;
    case 'cache-entry':
      return maxAgeWords(d);
    case 'cache-cleared':
      return `The network error clears ${d.facts.removed} preflight cache entries for this origin and URL.`;
  }
}

function renderAllowMethods(d: Of<'allow-methods'>): string {
  switch (d.result) {
    case 'unparsable':
      return `Access-Control-Allow-Methods "${d.facts.value}" does not parse as a list of methods, so the preflight fails.`;
    case 'listed':
      return `Access-Control-Allow-Methods lists ${d.facts.method} (a case-sensitive match).`;
    case 'safelisted':
      return `${d.facts.method} is a CORS-safelisted method, so it needs no Access-Control-Allow-Methods entry.`;
    case 'wildcard':
      return `Access-Control-Allow-Methods * allows ${d.facts.method} because the credentials mode is not include.`;
    case 'not-allowed': {
      const { method, allowed, wildcardWithCredentials, caseMismatch } = d.facts;
      const seen = allowed === null ? 'is absent' : `is "${allowed.join(', ')}"`;
      const why = wildcardWithCredentials
        ? ' (* is only a wildcard without credentials mode include)'
        : caseMismatch
          ? ' (method names match case-sensitively)'
          : '';
      return `Method ${method} is not allowed: Access-Control-Allow-Methods ${seen}${why}.`;
    }
  }
}

function renderAllowHeaders(d: Of<'allow-headers'>): string {
  switch (d.result) {
    case 'unparsable':
      return `Access-Control-Allow-Headers "${d.facts.value}" does not parse as a list of header names, so the preflight fails.`;
    case 'authorization-not-listed': {
      const star = d.facts.wildcard ? ' (a * never covers Authorization, the CORS non-wildcard request-header name)' : '';
      return `The request has Authorization but Access-Control-Allow-Headers does not list it literally${star}, so the preflight fails.`;
    }
    case 'authorization-listed':
      return 'Access-Control-Allow-Headers lists Authorization literally, as the CORS non-wildcard request-header name requires.';
    case 'not-allowed': {
      const { name, allowed, wildcardWithCredentials } = d.facts;
      const seen = allowed === null ? ' (absent)' : ` "${allowed.join(', ')}"`;
      const why = wildcardWithCredentials ? ' (* is only a wildcard without credentials mode include)' : '';
      return `Request header ${name} is not allowed by Access-Control-Allow-Headers${seen}${why}.`;
    }
    case 'all-allowed':
      return `Access-Control-Allow-Headers allows every CORS-unsafe request-header name (${d.facts.names.join(',')}).`;
  }
}

function renderRedirect(d: Of<'redirect'>): string {
  switch (d.result) {
    case 'mode-error':
      return `Redirect mode error turns the ${d.facts.status} response into a network error.`;
    case 'mode-manual':
      return `Redirect mode manual: the ${d.facts.status} response becomes an opaque-redirect filtered response (status 0, no headers).`;
    case 'no-location':
      return `The ${d.facts.status} response has no Location, so its location URL is null and it is the final response.`;
    case 'several-locations':
      return 'The redirect carries more than one Location header, so its location URL is failure and the fetch is a network error.';
    case 'location-unparsable':
      return d.facts.source === 'header'
        ? `Location "${d.facts.value}" does not parse as a URL, so the redirect is a network error.`
        : `Location (redirect.to "${d.facts.value}") does not parse as a URL, so the redirect is a network error.`;
    case 'location-not-http':
      return `Location uses ${d.facts.scheme}, not an HTTP(S) scheme, so the redirect is a network error.`;
    case 'too-many':
      return `This would be redirect number ${d.facts.limit + 1}; after ${d.facts.limit} redirects HTTP-redirect fetch returns a network error.`;
    case 'userinfo-cross-origin':
      return `Mode cors and the Location ${d.facts.location} includes credentials (userinfo) and is cross-origin to the request's origin, so the redirect is a network error.`;
    case 'userinfo-cors-tainting':
      return 'Response tainting is cors and the Location includes credentials (userinfo), so the redirect is a network error.';
    case 'method-to-get': {
      const { status, method, removedHeaders } = d.facts;
      return (
        `The ${status} redirect turns ${method} into GET without a body` +
        (removedHeaders.length > 0 ? ` and removes the request-body headers ${removedHeaders.join(', ')}.` : '.')
      );
    }
    case 'authorization-removed':
      return 'The redirect goes to another origin, so the Authorization header is removed.';
    case 'followed':
      return (
        `The ${d.facts.status} response redirects to ${d.facts.to}; main fetch runs again for it` +
        (d.facts.tainted ? ', and the request is now redirect-tainted, so its origin serializes as "null".' : '.')
      );
  }
}

function renderExposeHeaders(d: Of<'expose-headers'>): string {
  switch (d.result) {
    case 'absent':
      return 'There is no Access-Control-Expose-Headers, so only the CORS-safelisted response-header names are readable.';
    case 'unparsable':
      return 'Access-Control-Expose-Headers does not parse as a list of header names, so only the CORS-safelisted response-header names are readable.';
    case 'wildcard':
      return 'Access-Control-Expose-Headers * exposes every header name in the response (credentials mode is not include), except Set-Cookie and Set-Cookie2.';
    case 'star-literal':
      return `Access-Control-Expose-Headers "${d.facts.names.join(', ')}" is taken literally because the credentials mode is include, so * only matches a header named *.`;
    case 'listed':
      return `Access-Control-Expose-Headers exposes ${d.facts.names.join(', ')} besides the CORS-safelisted response-header names.`;
  }
}

function renderFilteredResponse(d: Of<'filtered-response'>): string {
  switch (d.result) {
    case 'basic':
      return 'The page gets a basic filtered response: every header except Set-Cookie and Set-Cookie2 is readable.';
    case 'opaque':
      return 'Mode no-cors resolves with an opaque filtered response: status 0, no headers, no body.';
    case 'opaque-redirect':
      return 'Redirect mode manual resolves with an opaque-redirect filtered response: status 0, no headers.';
  }
}

function renderPriorRequest(d: Of<'prior-request'>): string {
  const f = d.facts;
  const call = `${f.method}${f.headerNames.length > 0 ? ` with ${f.headerNames.join(', ')}` : ''}, credentials ${f.credentials}`;
  const why = d.result === 'blocked' ? ` (${renderDecision(d.facts.reason).replace(/\.$/, '')})` : '';
  return `Prior request ${f.number} (${call}) ${f.preflight ? 'sends a preflight' : 'sends no preflight'} and is ${d.result}${why}; then ${f.waitMs} ms pass.`;
}

const ELEMENT_WORDS = { img: '<img>', script: '<script>', link: '<link rel=stylesheet>', video: '<video>', audio: '<audio>' } as const;
const STATE_WORDS = {
  absent: 'no crossorigin attribute (No CORS)',
  anonymous: 'crossorigin="anonymous"',
  'use-credentials': 'crossorigin="use-credentials"',
} as const;

function renderInitiator(d: Of<'initiator'>): string {
  switch (d.result) {
    case 'cors-settings': {
      const { element, state, mode, credentials, destination } = d.facts;
      return `${ELEMENT_WORDS[element]} with ${STATE_WORDS[state]} creates a potential-CORS request: mode ${mode}, credentials mode ${credentials}, destination "${destination}".`;
    }
    case 'module-script':
      return d.facts.form === 'import'
        ? `import() from the page's own classic script uses that script's fetch options: a module script is always fetched in mode cors, here with credentials mode ${d.facts.credentials}.`
        : `<script type=module> with ${STATE_WORDS[d.facts.state]}: a module script is always fetched in mode cors, with the CORS settings attribute credentials mode ${d.facts.credentials}.`;
    case 'font':
      return 'A font is always fetched in mode cors with credentials mode same-origin, destination "font".';
    case 'eventsource':
      return `EventSource${d.facts.withCredentials ? ' with withCredentials' : ''} creates a potential-CORS request in state ${d.facts.withCredentials ? 'Use Credentials' : 'Anonymous'}: mode cors, credentials mode ${d.facts.credentials}; its Accept: text/event-stream is CORS-safelisted.`;
    case 'xhr':
      return `XMLHttpRequest${d.facts.withCredentials ? ' with withCredentials' : ''} sends its request in mode cors with credentials mode ${d.facts.credentials}.`;
    case 'module-worker':
      return "A module worker's top-level script is fetched in mode same-origin (credentials mode same-origin), so a cross-origin URL is a network error.";
    case 'worker-import':
      return "import() in a module worker uses the worker script's fetch options: mode cors, credentials mode same-origin.";
    case 'beacon': {
      const { contentType, mode } = d.facts;
      const what =
        contentType === null
          ? 'a body without a type, so no Content-Type'
          : mode === 'no-cors'
            ? `Content-Type ${contentType}, a CORS-safelisted value`
            : `Content-Type ${contentType}, which is not a CORS-safelisted value`;
      return `sendBeacon() with ${what}: a keepalive POST in mode ${mode} with credentials mode include.`;
    }
    case 'keepalive':
      return "fetch() with keepalive: the request's keepalive is true, and its body counts against the 64 KiB in-flight quota.";
    case 'websocket':
      return 'new WebSocket() fetches its handshake in mode websocket with credentials mode include and redirect mode error: it sends Origin, and no CORS check applies.';
    case 'xhr-open-throws':
      return d.facts.error === 'SyntaxError'
        ? `open() throws a SyntaxError: method "${d.facts.method}" is not a token.`
        : `open() throws a SecurityError: ${d.facts.method} is a forbidden method.`;
    case 'xhr-header-throws':
      return `setRequestHeader() throws a SyntaxError: "${d.facts.name}: ${d.facts.value}" is not a valid header.`;
    case 'xhr-header-ignored':
      return `${d.facts.name} is a forbidden request-header, so setRequestHeader() ignores it and it is not sent.`;
    case 'xhr-body-ignored':
      return `send() ignores the body of a ${d.facts.method} request.`;
    case 'xhr-body-content-type':
      return `The string body adds Content-Type: ${d.facts.value}, a CORS-safelisted request-header.`;
    case 'xhr-charset-rewritten':
      return `send() rewrites the author's Content-Type ${d.facts.from} to charset UTF-8 and serializes it again, so the request carries Content-Type: ${d.facts.to}.`;
    case 'keepalive-quota':
      return d.facts.api === 'beacon'
        ? `The ${d.facts.bytes}-byte body is over the 64 KiB keepalive quota, so sendBeacon() returns false and sends nothing.`
        : `The ${d.facts.bytes}-byte body is over the 64 KiB keepalive quota, so HTTP-network-or-cache fetch returns a network error.`;
  }
}

/** The thing in the page that made the request, in a few words. */
function who(i: Initiator): string {
  switch (i.kind) {
    case 'fetch':
    case 'fetch-keepalive':
      return 'fetch()';
    case 'xhr':
      return 'The XMLHttpRequest';
    case 'img':
      return 'The <img>';
    case 'script':
      return 'The <script>';
    case 'module-script':
      return i.form === 'import' ? 'import()' : 'The <script type=module>';
    case 'stylesheet':
      return 'The <link rel=stylesheet>';
    case 'font':
      return 'The font';
    case 'media':
      return `The <${i.element}>`;
    case 'eventsource':
      return 'The EventSource';
    case 'worker':
      return i.form === 'module-worker' ? 'The module worker' : "The worker's import()";
    case 'beacon':
      return 'The beacon';
    case 'websocket':
      return 'The WebSocket';
  }
}

/** How the page sees a failed load, per initiator. */
function failureWords(i: Initiator): string {
  switch (i.kind) {
    case 'fetch':
    case 'fetch-keepalive':
      return 'fetch() rejects with a TypeError';
    case 'module-script':
      return i.form === 'import' ? 'import() rejects with a TypeError' : 'the element fires an error event and the module does not run';
    case 'font':
      return 'the font fails to load (FontFace.load() rejects with a NetworkError)';
    case 'eventsource':
      return 'the EventSource fires an error event and opens no connection';
    case 'worker':
      return i.form === 'module-worker'
        ? 'the Worker fires an error event (engines may throw a SecurityError from the constructor instead)'
        : 'import() rejects with a TypeError';
    case 'xhr':
      return 'the XMLHttpRequest fires an error event with status 0';
    case 'beacon':
      return 'the beacon is not sent';
    case 'websocket':
      return 'the WebSocket fires an error event and closes';
    default:
      return 'the element fires an error event';
  }
}

/** What "readable" means for an initiator with a test of it. */
function readableWords(i: Initiator, readable: boolean): string {
  switch (i.kind) {
    case 'script':
      return readable ? 'its errors are not muted: window.onerror sees the real message' : 'its errors are muted: window.onerror sees only "Script error."';
    case 'stylesheet':
      return readable
        ? "the style sheet's origin-clean flag is set, so cssRules can be read"
        : "the style sheet's origin-clean flag is unset, so cssRules throws a SecurityError";
    case 'module-script':
      return 'the module runs with its errors reported in full';
    default:
      return readable
        ? 'drawing it keeps the canvas origin-clean, so getImageData() works'
        : "drawing it sets the canvas's origin-clean flag to false, so getImageData() throws a SecurityError";
  }
}

function renderObserve(d: Of<'observe'>): string {
  switch (d.result) {
    case 'load-failed':
      return `The fetch returned a network error, so ${failureWords(d.facts.initiator)}.`;
    case 'status-not-ok': {
      const need = d.facts.required === '200' ? 'status 200' : 'an ok status (200-299)';
      return `${who(d.facts.initiator)} needs ${need} but got ${d.facts.status}, so ${failureWords(d.facts.initiator)}.`;
    }
    case 'wrong-mime': {
      const got = d.facts.contentType === null ? 'no usable Content-Type' : `Content-Type ${d.facts.contentType}`;
      return `${who(d.facts.initiator)} needs ${d.facts.expected} but the response has ${got}, so ${failureWords(d.facts.initiator)}.`;
    }
    case 'not-decodable': {
      const got = d.facts.asset === null ? 'a text body' : `the ${d.facts.asset} asset`;
      return `${who(d.facts.initiator)} cannot decode ${got} (it needs ${d.facts.needs.join(' or ')}), so ${failureWords(d.facts.initiator)}.`;
    }
    case 'content-cross-origin':
      return `${who(d.facts.initiator)} loads, but the response is opaque (CORS-cross-origin${d.facts.redirected ? ', after a redirect to another origin' : ''}), so ${readableWords(d.facts.initiator, false)}.`;
    case 'content-same-origin':
      return `${who(d.facts.initiator)} loads a CORS-same-origin response (${d.facts.tainting} tainting), so ${readableWords(d.facts.initiator, true)}.`;
    case 'loaded':
      return `${who(d.facts.initiator)} loads: the fetch delivered a response it accepts.`;
    case 'beacon-sent':
      return d.facts.preflight
        ? 'The preflight passed, so the beacon POST is sent; the page cannot see its response.'
        : `The beacon POST is sent in mode ${d.facts.mode}; the page cannot see its response.`;
    case 'beacon-not-sent':
      return 'The beacon POST is never sent.';
    case 'websocket-open':
      return 'The server accepts the upgrade and answers 101, so the WebSocket opens; no CORS header is checked.';
    case 'websocket-failed':
      return `The handshake response is ${d.facts.status}, not 101, so the WebSocket connection fails: an error event, then close.`;
  }
}

function renderRequestBlocking(d: Of<'mixed-content'> | Of<'bad-port'>): string {
  if (d.kind === 'bad-port') {
    const service = d.facts.service === '—' || d.facts.service === '' ? '' : ` (${d.facts.service})`;
    return `Port ${d.facts.port}${service} is a bad port, so main fetch returns a network error for ${hop(d.facts.hop)} before anything is sent.`;
  }
  const what = d.facts.destination === '' ? 'a request with destination ""' : `a "${d.facts.destination}" request`;
  return d.result === 'upgraded'
    ? `The https page makes ${what} to ${d.facts.from}: upgradeable mixed content, so it is sent to ${d.facts.to} instead.`
    : `The https page makes ${what} to ${d.facts.url}, which is not potentially trustworthy: blockable mixed content, so main fetch returns a network error before anything is sent.`;
}

function corpWords(d: Of<'corp'>): string {
  const { value, policy, embedderPolicy } = d.facts;
  if (value === null)
    return policy === null ? 'no Cross-Origin-Resource-Policy' : `no Cross-Origin-Resource-Policy, which embedder policy ${embedderPolicy} makes ${policy}`;
  if (policy === null || value !== policy) {
    return policy === null
      ? `Cross-Origin-Resource-Policy "${value}", which is not exactly same-origin, same-site or cross-origin and so applies no policy`
      : `Cross-Origin-Resource-Policy "${value}", which is none of the three values, so embedder policy ${embedderPolicy} makes it ${policy}`;
  }
  return `Cross-Origin-Resource-Policy: ${value}`;
}

function renderCorp(d: Of<'corp'>): string {
  const { hop: at, requestOrigin, responseOrigin, policy, status } = d.facts;
  const from = requestOrigin === null ? 'an opaque origin' : requestOrigin;
  const response = `The opaque ${status} response from ${hop(at)} has ${corpWords(d)}`;
  if (d.result === 'passed') return `${response}, which lets ${from} have it.`;
  const why =
    policy === 'same-site' && requestOrigin !== null && requestOrigin.startsWith('http:') && responseOrigin.startsWith('https:')
      ? `a response over https is never same-site with the http origin ${from}`
      : policy === 'same-site'
        ? `${from} is not same site with ${responseOrigin}`
        : `${from} is not same origin with ${responseOrigin}`;
  return `${response}: ${why}, so the cross-origin resource policy check blocks it and HTTP fetch returns a network error.`;
}

function renderMimeBlocking(d: Of<'mime-blocking'>): string {
  const { destination, essence } = d.facts;
  if (d.result === 'mime-type') {
    return `The response's MIME type is ${essence}, which a "${destination}" request never accepts (audio/*, image/*, video/* and text/csv are blocked for script-like destinations), so main fetch returns a network error.`;
  }
  const got = essence === null ? 'no MIME type that parses' : `MIME type ${essence}`;
  const need = destination === 'style' ? 'text/css' : 'a JavaScript MIME type';
  return `The response has X-Content-Type-Options: nosniff and ${got}; a "${destination}" request then needs ${need}, so main fetch returns a network error.`;
}

/** One decision as the sentence the results carry. */
export function renderDecision(d: Decision): string {
  switch (d.kind) {
    case 'request':
      return renderRequest(d);
    case 'initiator':
      return renderInitiator(d);
    case 'observe':
      return renderObserve(d);
    case 'cors-check':
      return renderCorsCheck(d);
    case 'main-fetch':
      return renderMainFetch(d);
    case 'preflight':
      return renderPreflight(d);
    case 'allow-methods':
      return renderAllowMethods(d);
    case 'allow-headers':
      return renderAllowHeaders(d);
    case 'redirect':
      return renderRedirect(d);
    case 'expose-headers':
      return renderExposeHeaders(d);
    case 'filtered-response':
      return renderFilteredResponse(d);
    case 'prior-request':
      return renderPriorRequest(d);
    case 'mixed-content':
    case 'bad-port':
      return renderRequestBlocking(d);
    case 'corp':
      return renderCorp(d);
    case 'mime-blocking':
      return renderMimeBlocking(d);
  }
}

/** A decision as one step of the results: its sentence and its anchor. */
export function renderStep(d: Decision): SpecStep {
  return { decision: renderDecision(d), anchor: d.anchor };
}
