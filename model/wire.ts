// What crossed the wire: every request the proxy received for a probe, and the response the
// browser got back. The proxy is the one witness for both fixture cases and real targets;
// the page's own view is the other.
import type { Header } from './case.ts';
import type { Integer } from './schemas.ts';

/** The query parameter that ties a request to its probe. A URL parameter, never a request
 *  header: a custom header would itself make the request need a preflight. The name is one
 *  a real API is unlikely to give meaning to. */
/**
 * How an https server's certificate is checked: verified against the system's roots, plus a
 * private CA when one is given; or not at all, which the output then says.
 */
export interface TargetTls {
  insecure: boolean;
  /** PEM of a CA to trust besides the system's roots. */
  ca?: string;
}

export const VERIFY_TLS: TargetTls = { insecure: false };

export const PROBE_TOKEN_PARAM = 'cc_probe';

/** The path on every virtual origin that separates a probe's steps in the log (prior requests
 *  first, the measured request last); answered by the proxy itself, never forwarded. */
export const STEP_MARK_PATH = '/__cc/mark';

/** The path on every virtual origin where a page asks what the proxy has seen so far for a
 *  probe token (`?cc_probe=T`), for requests whose outcome the page cannot see (a beacon).
 *  Answered by the proxy itself from its exchange log, as JSON (`SeenSoFar`), to any origin. */
export const SEEN_PATH = '/__cc/seen';

/** What the proxy has seen so far for one probe token (step marks left out). */
export interface SeenSoFar {
  /** Requests that are not CORS preflights. */
  actual: number;
  preflights: number;
  /** Preflights the browser has had an answer to. */
  preflightsAnswered: number;
}

/** One request that went through the proxy, and the response the browser got. */
export interface WireExchange {
  seq: Integer;
  at: number;
  /** The virtual origin the browser asked for. */
  origin: string;
  method: string;
  path: string;
  /** Cookie and authorization values redacted. */
  requestHeaders: Header[];
  status: Integer | null;
  responseHeaders: Header[];
  /** The upstream failed (refused, reset, timed out): no response reached the browser. */
  error?: string;
  /** A step marker: step `marker` of the probe starts here. Not a request of the probe. */
  marker?: Integer;
}
