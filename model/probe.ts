// The protocol between the runner (Node) and the probe runtime in the page (probe/runtime.js).
// Plain JSON both ways: the same batch runs through Playwright's evaluate and through
// WebDriver's execute/async.
import type { Credentials, Header, Initiator, ObservedOutcome, RedirectMode, RequestMode } from './case.ts';

/** A fetch() call's init, as the probe protocol carries it. */
export interface RequestShape {
  method: string;
  headers: Header[];
  body: string | null;
  credentials: Credentials;
  mode: RequestMode;
  redirect: RedirectMode;
}

export interface FetchSpec extends RequestShape {
  url: string;
}

export interface Probe {
  id: string;
  /** What makes the request (model/case.ts); `fetch` for a fetch() call. */
  initiator: Initiator;
  /** Run in an opaque-origin frame inside the page instead of the page itself. */
  opaque: 'sandboxed-iframe' | 'data-iframe' | null;
  prior: Array<{ fetch: FetchSpec; waitMs: number }>;
  fetch: FetchSpec;
  /** With prior requests: a no-cors GET that separates the steps in the server's log. */
  markUrl: string | null;
  readHeaders: string[];
  timeoutMs: number;
}

export interface FetchOutcome {
  outcome: ObservedOutcome;
  status: number | null;
  type: string | null;
  readable: Header[];
  /** The rejection as the page saw it, e.g. `TypeError: Failed to fetch`. */
  error: string | null;
  /** Initiators other than fetch: whether the page could read what it loaded (canvas not
   *  tainted, error not muted, cssRules readable); null where the initiator has no such test. */
  contentReadable?: boolean | null;
  /** Initiators other than fetch: what the page saw, in a few words (`load; canvas tainted`). */
  signal?: string;
  elapsedMs: number;
}

export interface ProbeResult {
  id: string;
  prior: FetchOutcome[];
  final: FetchOutcome;
}
