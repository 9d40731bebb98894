// The CORS-preflight cache (§4.9) and Access-Control-Max-Age parsing (§4.8), with an explicit
// clock in milliseconds so the model stays pure. The network partition key is left out: every
// case runs in one top-level page, so it is the same for all of a case's requests.
import { FAILURE, type HeaderList, byteCaseInsensitiveEqual, extractSingleValue } from './headers.ts';
import { isCorsNonWildcardRequestHeaderName } from './classify.ts';

/** What a request contributes to a cache lookup. */
export interface CacheRequestKey {
  /** Byte-serialized request origin: the page origin, or "null" (opaque or redirect-tainted). */
  origin: string;
  /** The request's current URL. */
  url: string;
  /** Whether the request's credentials mode is "include". */
  credentials: boolean;
}

export interface CacheEntry {
  origin: string;
  url: string;
  credentials: boolean;
  maxAgeSeconds: number;
  /** Clock time (ms) the entry was stored or last refreshed. */
  storedAtMs: number;
  /** null, `*`, or a method (matched byte for byte). */
  method: string | null;
  /** null, `*`, or a header name (matched case-insensitively). */
  headerName: string | null;
}

/** §3.3.3: "5 by default" when Access-Control-Max-Age is absent or unparsable. */
export const DEFAULT_MAX_AGE_SECONDS = 5;

/** RFC 9111 §1.2.2: a delta-seconds too large to represent is taken as 2^31. */
export const DELTA_SECONDS_CEILING = 2147483648;

export interface MaxAge {
  seconds: number;
  /** Where the value came from: the header, or the default because it was absent or failed. */
  source: 'header' | 'absent' | 'failure';
  /** True when the user agent's imposed limit lowered it. */
  limited: boolean;
}

/** `delta-seconds = 1*DIGIT`: no sign, no fraction, no unit, no inner whitespace. */
export function parseDeltaSeconds(value: string): number | typeof FAILURE {
  if (!/^[0-9]+$/.test(value)) return FAILURE;
  return Math.min(Number(value), DELTA_SECONDS_CEILING);
}

/**
 * CORS-preflight fetch steps for max-age: "extract header list values" for
 * Access-Control-Max-Age (a single header, so two lines are failure); failure or null → 5;
 * then the user agent's imposed limit (implementation-defined; none by default here).
 */
export function parseMaxAge(responseHeaders: HeaderList, imposedLimitSeconds = Number.POSITIVE_INFINITY): MaxAge {
  const extracted = extractSingleValue(responseHeaders, 'Access-Control-Max-Age', parseDeltaSeconds);
  const base: Omit<MaxAge, 'limited'> =
    extracted === null
      ? { seconds: DEFAULT_MAX_AGE_SECONDS, source: 'absent' }
      : extracted === FAILURE
        ? { seconds: DEFAULT_MAX_AGE_SECONDS, source: 'failure' }
        : { seconds: extracted, source: 'header' };
  return base.seconds > imposedLimitSeconds ? { ...base, seconds: imposedLimitSeconds, limited: true } : { ...base, limited: false };
}

/** "Cache entry match": same origin and URL; a credentialed entry also serves uncredentialed requests. */
export function cacheEntryMatches(entry: CacheEntry, key: CacheRequestKey): boolean {
  return entry.origin === key.origin && entry.url === key.url && (entry.credentials || !key.credentials);
}

export class PreflightCache {
  #entries: CacheEntry[] = [];

  /** Entries are removed once max-age seconds have passed since they were stored. */
  #live(nowMs: number): CacheEntry[] {
    this.#entries = this.#entries.filter((e) => nowMs < e.storedAtMs + e.maxAgeSeconds * 1000);
    return this.#entries;
  }

  /** A snapshot of the entries still alive at `nowMs`. */
  entries(nowMs: number): readonly CacheEntry[] {
    return this.#live(nowMs).map((e) => ({ ...e }));
  }

  /**
   * "Method cache entry match": an entry whose method is `method` (byte-exact) or `*`.
   *
   * Reading: a `*` entry is stored whatever the preflight's credentials mode (the preflight check
   * only refuses `*` as a wildcard for "include" when it runs, not when it stores), and the
   * cache-match steps do not look at the entry's credentials again, so a `*` entry from a
   * credentialed preflight serves a later credentialed request. That is the letter of the
   * steps; Chromium honours a `*` entry only for requests without credentials.
   */
  methodMatch(key: CacheRequestKey, method: string, nowMs: number): CacheEntry | undefined {
    return this.#live(nowMs).find((e) => cacheEntryMatches(e, key) && e.method !== null && (e.method === method || e.method === '*'));
  }

  /**
   * "Header-name cache entry match": an entry whose header name matches case-insensitively,
   * or is `*` while the name is not Authorization (the CORS non-wildcard request-header name).
   * A `*` entry from a credentialed preflight serves credentialed requests too (the reading
   * methodMatch states).
   */
  headerNameMatch(key: CacheRequestKey, headerName: string, nowMs: number): CacheEntry | undefined {
    return this.#live(nowMs).find(
      (e) =>
        cacheEntryMatches(e, key) &&
        e.headerName !== null &&
        (byteCaseInsensitiveEqual(e.headerName, headerName) || (e.headerName === '*' && !isCorsNonWildcardRequestHeaderName(headerName))),
    );
  }

  /**
   * The last steps of a successful CORS-preflight fetch: for each allowed method and header
   * name, refresh a matching entry's max-age or create a new entry.
   *
   * The standard only says to "set matching entry's max-age"; this model also restarts the
   * entry's clock, reading "since storing the entry" as since it was last stored.
   */
  store(key: CacheRequestKey, methods: readonly string[], headerNames: readonly string[], maxAgeSeconds: number, nowMs: number): void {
    const refreshOrCreate = (found: CacheEntry | undefined, method: string | null, headerName: string | null): void => {
      if (found) {
        found.maxAgeSeconds = maxAgeSeconds;
        found.storedAtMs = nowMs;
      } else {
        this.#entries.push({ ...key, maxAgeSeconds, storedAtMs: nowMs, method, headerName });
      }
    };
    for (const method of methods) refreshOrCreate(this.methodMatch(key, method, nowMs), method, null);
    for (const name of headerNames) refreshOrCreate(this.headerNameMatch(key, name, nowMs), null, name);
  }

  /** "Clear cache entries": after a network error, drop every entry for this origin and URL. */
  clear(key: Pick<CacheRequestKey, 'origin' | 'url'>): number {
    const before = this.#entries.length;
    this.#entries = this.#entries.filter((e) => !(e.origin === key.origin && e.url === key.url));
    return before - this.#entries.length;
  }
}
