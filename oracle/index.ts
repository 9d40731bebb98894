// The spec model ("oracle") of the Fetch standard's CORS parts: pure functions, no I/O.
export { ANCHOR } from './anchors.ts';
export {
  FAILURE,
  type HeaderList,
  corsExposedHeaderNames,
  extractSingleValue,
  extractTokenListValues,
  getHeader,
  headerListContains,
  headerValues,
  isCorsSafelistedResponseHeaderName,
  isHeaderValue,
  isHttpToken,
  listedTokens,
  parseMimeType,
  parseTokenList,
  trimOws,
  visibleResponseHeaderNames,
} from './headers.ts';
export {
  constructRequest,
  corsPreflightRequest,
  corsUnsafeRequestHeaderNames,
  needsCorsPreflight,
  type PageRequest,
  type PreflightRequest,
  isCorsNonWildcardRequestHeaderName,
  isCorsSafelistedMethod,
  isCorsSafelistedRequestHeader,
  isForbiddenMethod,
  isForbiddenRequestHeader,
  isNoCorsSafelistedRequestHeader,
  normalizeMethod,
  parseSingleRangeHeaderValue,
  sortAndCombine,
  withUserAgentAccept,
} from './classify.ts';
export {
  type CacheRequestKey,
  DELTA_SECONDS_CEILING,
  PreflightCache,
  parseMaxAge,
} from './preflight-cache.ts';
export { isCorsPreflightRequest } from './exchange.ts';
export { corsCheck, corsPreflightCheck, evaluate } from './evaluate.ts';
export { OracleCaseError } from './errors.ts';
export { deriveInitiatorRequest, derivedRequestIsSafelisted, type FetchMode, initiatorRequestFields, responseMimeEssence } from './initiators.ts';
export { badPortOf, determineNosniff } from './blocking.ts';
