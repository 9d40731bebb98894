// Section anchors of the WHATWG Fetch standard (and the one MIME Sniffing algorithm it calls),
// and of the standards that make requests through it (HTML, XMLHttpRequest, Beacon, WebSockets,
// CSS Fonts, CSSOM), as full URLs. Every decision the oracle makes cites one of these, so a
// reader can open the exact passage. Fetch anchor ids are checked against whatwg/fetch fetch.bs
// @ 586cd2a; ids without an explicit `id=` there are the ones Bikeshed derives from the <dfn>
// text. XMLHttpRequest ids are checked against whatwg/xhr xhr.bs @ d375b28, Beacon's against
// w3c/beacon index.bs @ 2c9d057, WebSockets' against whatwg/websockets index.bs @ 1b3525c. HTML,
// CSS Fonts and CSSOM ids are the ones the multipage HTML standard and the CSS drafts publish
// (checked against their published text and the engines' source comments that cite them).
// Mixed Content ids are checked against w3c/webappsec-mixed-content index.bs @ a4eacec.

const FETCH = 'https://fetch.spec.whatwg.org/#';
const HTML = 'https://html.spec.whatwg.org/multipage/';

export const ANCHOR = {
  // §2.2.1 Methods
  method: `${FETCH}concept-method`,
  corsSafelistedMethod: `${FETCH}cors-safelisted-method`,
  forbiddenMethod: `${FETCH}forbidden-method`,
  methodNormalize: `${FETCH}concept-method-normalize`,

  // §2.2.2 Headers
  headerListGet: `${FETCH}concept-header-list-get`,
  headerValueNormalize: `${FETCH}concept-header-value-normalize`,
  extractHeaderListValues: `${FETCH}extract-header-list-values`,
  parseSingleRangeHeaderValue: `${FETCH}simple-range-header-value`,
  corsSafelistedRequestHeader: `${FETCH}cors-safelisted-request-header`,
  corsUnsafeRequestHeaderByte: `${FETCH}cors-unsafe-request-header-byte`,
  corsUnsafeRequestHeaderNames: `${FETCH}cors-unsafe-request-header-names`,
  corsNonWildcardRequestHeaderName: `${FETCH}cors-non-wildcard-request-header-name`,
  privilegedNoCorsRequestHeaderName: `${FETCH}privileged-no-cors-request-header-name`,
  corsSafelistedResponseHeaderName: `${FETCH}cors-safelisted-response-header-name`,
  noCorsSafelistedRequestHeader: `${FETCH}no-cors-safelisted-request-header`,
  forbiddenRequestHeader: `${FETCH}forbidden-request-header`,
  forbiddenResponseHeaderName: `${FETCH}forbidden-response-header-name`,
  requestBodyHeaderName: `${FETCH}request-body-header-name`,
  headerListGetDecodeSplit: `${FETCH}concept-header-list-get-decode-split`,
  extractMimeType: `${FETCH}concept-header-extract-mime-type`,

  // §2.2.3 Statuses
  okStatus: `${FETCH}ok-status`,
  redirectStatus: `${FETCH}redirect-status`,

  // §2.2.5 Requests
  requestMode: `${FETCH}concept-request-mode`,
  requestCredentialsMode: `${FETCH}concept-request-credentials-mode`,
  requestRedirectMode: `${FETCH}concept-request-redirect-mode`,
  requestDestination: `${FETCH}concept-request-destination`,
  scriptLikeDestination: `${FETCH}request-destination-script-like`,
  requestKeepalive: `${FETCH}request-keepalive-flag`,
  responseTainting: `${FETCH}concept-request-response-tainting`,
  redirectTaint: `${FETCH}concept-request-tainted-origin`,
  serializingRequestOrigin: `${FETCH}serializing-a-request-origin`,

  // §2.2.6 Responses
  corsExposedHeaderNameList: `${FETCH}concept-response-cors-exposed-header-name-list`,
  filteredResponseBasic: `${FETCH}concept-filtered-response-basic`,
  filteredResponseCors: `${FETCH}concept-filtered-response-cors`,
  filteredResponseOpaque: `${FETCH}concept-filtered-response-opaque`,
  filteredResponseOpaqueRedirect: `${FETCH}concept-filtered-response-opaque-redirect`,
  locationUrl: `${FETCH}concept-response-location-url`,

  // §3.3 CORS protocol
  corsProtocol: `${FETCH}http-cors-protocol`,
  accessControlAllowOrigin: `${FETCH}http-access-control-allow-origin`,
  accessControlAllowCredentials: `${FETCH}http-access-control-allow-credentials`,
  accessControlAllowMethods: `${FETCH}http-access-control-allow-methods`,
  accessControlAllowHeaders: `${FETCH}http-access-control-allow-headers`,
  accessControlMaxAge: `${FETCH}http-access-control-max-age`,
  accessControlExposeHeaders: `${FETCH}http-access-control-expose-headers`,
  httpNewHeaderSyntax: `${FETCH}http-new-header-syntax`,
  corsProtocolAndCredentials: `${FETCH}cors-protocol-and-credentials`,

  // §4 Fetching
  fetch: `${FETCH}concept-fetch`,
  mainFetch: `${FETCH}main-fetch`,
  schemeFetch: `${FETCH}concept-scheme-fetch`,
  dataUrlProcessor: `${FETCH}data-url-processor`,
  appendRequestOriginHeader: `${FETCH}append-a-request-origin-header`,
  httpFetch: `${FETCH}http-fetch`,
  httpRedirectFetch: `${FETCH}http-redirect-fetch`,
  httpNetworkOrCacheFetch: `${FETCH}http-network-or-cache-fetch`,
  corsPreflightFetch: `${FETCH}cors-preflight-fetch`,
  corsPreflightCache: `${FETCH}cors-preflight-cache`,
  createCacheEntry: `${FETCH}concept-cache-create-entry`,
  clearCacheEntries: `${FETCH}concept-cache-clear`,
  cacheEntryMatch: `${FETCH}concept-cache-match`,
  methodCacheEntryMatch: `${FETCH}concept-cache-match-method`,
  headerNameCacheEntryMatch: `${FETCH}concept-cache-match-header`,
  corsCheck: `${FETCH}concept-cors-check`,

  // §2.9 Port blocking, §2.10 MIME type blocking, §3.5 X-Content-Type-Options, §3.6 CORP
  blockBadPort: `${FETCH}block-bad-port`,
  badPort: `${FETCH}bad-port`,
  blockedDueToMimeType: `${FETCH}should-response-to-request-be-blocked-due-to-mime-type?`,
  determineNosniff: `${FETCH}determine-nosniff`,
  blockedDueToNosniff: `${FETCH}should-response-to-request-be-blocked-due-to-nosniff?`,
  crossOriginResourcePolicyHeader: `${FETCH}http-cross-origin-resource-policy`,
  crossOriginResourcePolicyCheck: `${FETCH}cross-origin-resource-policy-check`,
  crossOriginResourcePolicyInternalCheck: `${FETCH}cross-origin-resource-policy-internal-check`,

  // §5 Fetch API
  headersGuard: `${FETCH}concept-headers-guard`,
  headersAppend: `${FETCH}concept-headers-append`,
  requestConstructor: `${FETCH}dom-request`,
  bodyExtract: `${FETCH}concept-bodyinit-extract`,

  // HTML: CORS settings attributes and the requests elements make
  corsSettingsAttributes: `${HTML}urls-and-fetching.html#cors-settings-attributes`,
  createPotentialCorsRequest: `${HTML}urls-and-fetching.html#create-a-potential-cors-request`,
  corsSettingsAttributeCredentialsMode: `${HTML}urls-and-fetching.html#cors-settings-attribute-credentials-mode`,
  corsSameOrigin: `${HTML}urls-and-fetching.html#cors-same-origin`,
  corsCrossOrigin: `${HTML}urls-and-fetching.html#cors-cross-origin`,
  updateTheImageData: `${HTML}images.html#update-the-image-data`,
  canvasOriginClean: `${HTML}canvas.html#concept-canvas-origin-clean`,
  fetchClassicScript: `${HTML}webappapis.html#fetch-a-classic-script`,
  mutedErrors: `${HTML}webappapis.html#muted-errors`,
  fetchSingleModuleScript: `${HTML}webappapis.html#fetch-a-single-module-script`,
  hostLoadImportedModule: `${HTML}webappapis.html#hostloadimportedmodule`,
  linkTypeStylesheet: `${HTML}links.html#link-type-stylesheet`,
  mediaResourceFetch: `${HTML}media.html#concept-media-load-resource`,
  eventSourceConstructor: `${HTML}server-sent-events.html#dom-eventsource`,
  eventSourceFailTheConnection: `${HTML}server-sent-events.html#fail-the-connection`,
  workerConstructor: `${HTML}workers.html#dom-worker`,

  // HTML: the embedder policy (COEP) a CORP check reads from the request's client
  embedderPolicyValue: `${HTML}browsers.html#embedder-policy-value`,

  // Mixed Content: upgradeable requests are upgraded to https, every other one is blocked
  mixedContentUpgrade: 'https://w3c.github.io/webappsec-mixed-content/#upgrade-algorithm',
  mixedContentShouldBlockFetch: 'https://w3c.github.io/webappsec-mixed-content/#should-block-fetch',
  mixedContentProhibits: 'https://w3c.github.io/webappsec-mixed-content/#categorize-settings-object',
  potentiallyTrustworthyUrl: 'https://w3c.github.io/webappsec-secure-contexts/#potentially-trustworthy-url',

  // XMLHttpRequest
  xhrOpen: 'https://xhr.spec.whatwg.org/#the-open()-method',
  xhrSetRequestHeader: 'https://xhr.spec.whatwg.org/#the-setrequestheader()-method',
  xhrWithCredentials: 'https://xhr.spec.whatwg.org/#the-withcredentials-attribute',
  xhrSend: 'https://xhr.spec.whatwg.org/#the-send()-method',

  // Beacon: sendBeacon() and its processing model
  sendBeacon: 'https://w3c.github.io/beacon/#sec-processing-model',

  // WebSockets: the opening handshake is a fetch in mode "websocket"
  websocketEstablish: 'https://websockets.spec.whatwg.org/#concept-websocket-establish',

  // CSS: fonts are fetched in mode cors; a style sheet's origin-clean flag guards cssRules
  fontFetchingRequirements: 'https://drafts.csswg.org/css-fonts/#font-fetching-requirements',
  styleSheetOriginClean: 'https://drafts.csswg.org/cssom/#concept-css-style-sheet-origin-clean-flag',

  // MIME Sniffing: the CORS-safelisted Content-Type rule calls "parse a MIME type", not
  // Fetch's lenient "extract a MIME type".
  parseMimeType: 'https://mimesniff.spec.whatwg.org/#parse-a-mime-type',
  javascriptMimeType: 'https://mimesniff.spec.whatwg.org/#javascript-mime-type',
} as const;
