// Section anchors of the WHATWG Fetch standard (and the one MIME Sniffing algorithm it calls),
// as full URLs. Every decision the oracle makes cites one of these, so a reader can open the
// exact passage. Anchor ids are checked against whatwg/fetch fetch.bs @ 586cd2a; ids without an
// explicit `id=` there are the ones Bikeshed derives from the <dfn> text.

const FETCH = 'https://fetch.spec.whatwg.org/#';

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

  // §2.2.3 Statuses
  okStatus: `${FETCH}ok-status`,
  redirectStatus: `${FETCH}redirect-status`,

  // §2.2.5 Requests
  requestMode: `${FETCH}concept-request-mode`,
  requestCredentialsMode: `${FETCH}concept-request-credentials-mode`,
  requestRedirectMode: `${FETCH}concept-request-redirect-mode`,
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
  mainFetch: `${FETCH}main-fetch`,
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

  // §5 Fetch API
  headersGuard: `${FETCH}concept-headers-guard`,
  headersAppend: `${FETCH}concept-headers-append`,
  requestConstructor: `${FETCH}dom-request`,
  bodyExtract: `${FETCH}concept-bodyinit-extract`,

  // MIME Sniffing: the CORS-safelisted Content-Type rule calls "parse a MIME type", not
  // Fetch's lenient "extract a MIME type".
  parseMimeType: 'https://mimesniff.spec.whatwg.org/#parse-a-mime-type',
} as const;
