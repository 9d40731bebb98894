// What an engine does where it measurably departs from the Fetch standard, as small functions
// over header values, each written from the engine source the rule's evidence links to. The
// known-divergence rules (divergences.ts) ask these; the standard's own answer always comes
// from the oracle, never from here.
import { type HeaderList, isCorsSafelistedRequestHeader, sortAndCombine } from '../oracle/index.ts';

// --- Access-Control-Max-Age --------------------------------------------------------------------
// Each takes the value as "get" returns it: every line joined with ", ", null when absent.

/** Firefox's AddResultToCache: empty or absent → 5 s, any non-digit → not cached, cap 86400 s. */
export function firefoxMaxAgeSeconds(maxAge: string | null): number | 'not-cached' {
  const value = maxAge ?? '';
  if (value === '') return 5;
  if (!/^[0-9]+$/.test(value)) return 'not-cached';
  return Math.min(Number(value), 86400);
}

/** WebKit's parseAccessControlMaxAge: parseInteger<int64_t> (a sign allowed), else 5 s; cap 600 s. */
export function webkitMaxAgeSeconds(maxAge: string | null): number {
  const value = maxAge ?? '';
  if (!/^[+-]?[0-9]+$/.test(value) || !Number.isSafeInteger(Number(value))) return 5;
  return Math.min(Number(value), 600);
}

/** Firefox still holds the preflight's cache entry `waitedMs` after it was made. */
export function firefoxCacheHolds(maxAge: string | null, waitedMs: number): boolean {
  const age = firefoxMaxAgeSeconds(maxAge);
  return age !== 'not-cached' && age * 1000 > waitedMs;
}

/** WebKit still holds the preflight's cache entry `waitedMs` after it was made. */
export function webkitCacheHolds(maxAge: string | null, waitedMs: number): boolean {
  return webkitMaxAgeSeconds(maxAge) * 1000 > waitedMs;
}

// --- Request-header safelist -------------------------------------------------------------------

/**
 * Chromium and WebKit keep one value per request-header name (a header map), joined with
 * ", ", and judge that value against the safelist: true when some combined value fails it.
 */
export function headerMapHasUnsafeValue(headers: HeaderList): boolean {
  return sortAndCombine(headers).some(([name, value]) => !isCorsSafelistedRequestHeader(name, value));
}

/** WebKit's parseRange: "bytes" matched ASCII case-insensitively, numbers through parseInteger (a leading + allowed). */
export function webkitRangeSafelisted(value: string): boolean {
  const m = /^bytes=\+?([0-9]+)-(?:\+?([0-9]+))?$/i.exec(value);
  if (!m) return false;
  return m[2] === undefined || Number(m[1]) <= Number(m[2]);
}
