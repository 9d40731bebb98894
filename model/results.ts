// The results file, reports/latest/results.json, and the pieces it is built from.
// What a browser was observed to do (EngineResult) and what the standard requires
// (SpecExpectation) are separate fields, never merged.
// These types are the source of schemas/results.schema.json (scripts/schemas.ts); the JSDoc
// tags (@pattern, @minimum, …) are the schema's constraints.
import type { CaseQuestion, CaseRequest, CaseResponse, Header, ObservedOutcome, SpecOutcome, Topic } from './case.ts';
import type { Count, Integer } from './schemas.ts';

/** The engines, in the order every output lists them. */
export const ENGINE_IDS = ['chromium', 'firefox', 'webkit'] as const;
export type EngineId = (typeof ENGINE_IDS)[number];

export interface EngineInfo {
  id: EngineId;
  /** Browser product name as it reports itself, e.g. `Chromium`, `Firefox`, `MiniBrowser (WebKitGTK)`. */
  name: string;
  version: string;
  /** How it was driven, e.g. `playwright 1.64.1 over CDP`, `WebKitWebDriver (W3C WebDriver)`. */
  driver: string;
  /** Which build ran: Playwright's own download or the operating system's package. */
  build: 'playwright' | 'stock';
  executable: string;
  userAgent?: string;
}

/**
 * A section of a standard, as a full URL with its fragment.
 * @pattern ^https://[a-z0-9.-]+/[^#]*#
 */
type SpecAnchor = string;

/** One step of the spec model's reasoning, with the section of the Fetch standard that decided it. */
export interface SpecStep {
  decision: string;
  anchor: string;
}

export interface SpecExpectation {
  outcome: SpecOutcome;
  /** Whether the measured request is preceded by a CORS-preflight request. */
  preflight: boolean;
  /**
   * One sentence: why.
   * @minLength 1
   */
  reason: string;
  /**
   * Fetch standard section anchors (full URLs) that decided the outcome.
   * @minItems 1
   */
  anchors: SpecAnchor[];
  steps: SpecStep[];
  /** Of the case's readHeaders, those the page can read when allowed. */
  readable?: string[];
  /** Initiators other than fetch, where the page has a test for it: whether it can read what
   *  it loaded (the response is not opaque: canvas origin-clean, errors not muted, cssRules). */
  contentReadable?: boolean;
  /** The Origin header the server sees on the measured request (its last actual request, or
   *  its first preflight when no actual one carries Origin), null when it carries none; absent
   *  when the standard sends nothing at all. */
  origin?: string | null;
  /** Whether the measured request's last actual request includes credentials (cookies). */
  credentialsSent?: boolean;
}

export interface EngineResult {
  outcome: ObservedOutcome;
  /** null when it could not be determined (harness error). */
  preflight: boolean | null;
  /** Status the page could read; 0 for opaque responses; null when blocked. */
  status: Integer | null;
  /** `response.type` (basic, cors, opaque, opaqueredirect). */
  type?: string;
  /** Initiators other than fetch: whether the page could read what it loaded (model/probe.ts). */
  contentReadable?: boolean | null;
  /** Initiators other than fetch: what the page saw, in a few words. */
  signal?: string;
  /** Of the case's readHeaders, those the page could read, with values. */
  readable?: Header[];
  /** The browser's own words: its console line blocking this request (`BROWSER_BLOCK_LINE`)
   *  where it gives one, otherwise the rejected promise's message. */
  reason: string | null;
  /** The rejected promise's message exactly as the page saw it, e.g. `TypeError: Failed to fetch`. */
  pageError?: string;
  console?: string[];
  /** The Origin and request headers the server saw on the measured request. */
  server?: {
    preflightRequestMethod: string | null;
    preflightRequestHeaders: string | null;
    origin: string | null;
    cookieSent: boolean;
    requests: Count;
    /** Names of the request headers the server received on the measured request, lowercase. */
    requestHeaderNames: string[];
  };
  /** Outcomes of prior requests (preflight-cache cases). */
  prior?: Array<{ outcome: ObservedOutcome; preflight: boolean | null }>;
  /** @minimum 0 */
  elapsedMs?: number;
}

/**
 * Console lines in which the browser itself says why it blocked a request, in each engine's
 * wording:
 * - Chromium: `Access to fetch at '…' from origin '…' has been blocked by CORS policy: …` (`Access to
 *   XMLHttpRequest at …` for XHR, `Access to resource at …` for EventSource and sendBeacon, `image`,
 *   `script`, `CSS stylesheet`, `font`, `video`, `audio` for elements), or
 *   `Fetch API cannot load <url>. <reason>` for a request it refused before sending;
 * - Firefox: `Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at …. (Reason: …)`,
 *   and `Security Error: Content at <page> may not load data from <url>.` for a worker script on another origin;
 * - WebKit: its network message for the request, `<url>: CONSOLE NETWORK ERROR Failed to load resource: <reason>`,
 *   with one of its access-control reasons (`Origin … is not allowed by Access-Control-Allow-Origin.`,
 *   `Preflight response is not successful.`, `Cross-origin redirection to … denied by Cross-Origin Resource Sharing policy: …`, …),
 *   or `Fetch API cannot load <url>. <reason>` like Chromium (`Beacon API cannot load <url>. <reason>` for sendBeacon).
 */
const BLOCK_WITH_REASON =
  /blocked by CORS policy|Cross-Origin Request Blocked|Security Error: Content at \S+ may not load data from \S+|(?:Fetch|Beacon) API cannot load \S+\. \S|CONSOLE NETWORK ERROR Failed to load resource: .*(?:Access-Control|access control|Cross-Origin Resource Sharing|CORS|Preflight)/;

/** WebKit's line for a request it refused on access-control grounds, which names no reason
 *  (`Fetch API cannot load <url> due to access control checks.`, and `XMLHttpRequest cannot
 *  load …`, `EventSource cannot load …` or `Cannot load image …` in those APIs' wording); it
 *  comes with a line that does, except where WebKit refuses the request before sending it. */
const BLOCK_WITHOUT_REASON = /(?:(?:Fetch API|XMLHttpRequest|EventSource) cannot load|Cannot load image) \S+ due to access control checks\./;

/** Chromium's network log naming its own CORS error code, where it logs no console line. */
const BLOCK_IN_NETWORK_LOG = /^Chromium network log: \S+: (?:CORS error \w+|blocked \w+)/;

/** A console line in which the browser itself reports blocking a request. */
export const BROWSER_BLOCK_LINE = new RegExp(`${BLOCK_WITH_REASON.source}|${BLOCK_WITHOUT_REASON.source}|${BLOCK_IN_NETWORK_LOG.source}`);

/** The browser's own words for a block among one request's console lines: the first line that
 *  names a reason, else the first that reports the block. A probe's prior requests share its
 *  lines, so a blocked prior request would come first. */
export function browserBlockLine(lines: readonly string[]): string | null {
  return (
    lines.find((l) => BLOCK_WITH_REASON.test(l)) ?? lines.find((l) => BLOCK_IN_NETWORK_LOG.test(l)) ?? lines.find((l) => BLOCK_WITHOUT_REASON.test(l)) ?? null
  );
}

/** How one engine's observed result compares with the spec model and with the other engines. */
export interface Agreement {
  /**
   * - `agrees`: outcome, preflight and readable headers match the spec model;
   * - `expected-divergence`: differs, and a known divergence (cases/divergences.ts) explains it;
   * - `new-divergence`: differs and nothing explains it (fails the run, as WPT expectations do);
   * - `unexpected-agreement`: a known divergence is listed but the engine now follows the spec;
   * - `error`: the harness produced no verdict for this engine.
   */
  status: 'agrees' | 'expected-divergence' | 'new-divergence' | 'unexpected-agreement' | 'error';
  /** What differs from the spec model (`origin`: the Origin header the server saw). */
  differences: Array<'outcome' | 'preflight' | 'readable' | 'content' | 'origin'>;
  /** Id of the known divergence that explains the difference. */
  divergence?: string;
  /** Same outcome and preflight as every other engine that produced a result (null: no other engine). */
  withEngines: boolean | null;
}

export interface CaseRecord {
  /** @minLength 1 */
  id: string;
  group: Topic;
  /** @minLength 1 */
  title: string;
  request: CaseRequest;
  response: CaseResponse;
  /** The case's question (model/case.ts), for the report's tables. */
  question?: CaseQuestion;
  spec?: SpecExpectation;
  results: Partial<Record<EngineId, EngineResult>>;
  agreement?: Partial<Record<EngineId, Agreement>>;
}

/** @pattern ^https?:// */
type HttpUrl = string;

/** A documented difference between an engine and the standard, with its evidence. */
export interface KnownDivergence {
  id: string;
  title: string;
  engines: EngineId[];
  /**
   * Links to the evidence: engine source, WPT expectation files, issue threads.
   * @minItems 1
   */
  evidence: HttpUrl[];
  /** What the engine does instead, in plain words. */
  observed: string;
}

export interface EngineSummary {
  cases: Count;
  agrees: Count;
  expectedDivergences: Count;
  newDivergences: Count;
  unexpectedAgreements: Count;
  errors: Count;
  /** Cases where this engine's outcome and preflight equal every other engine's. */
  agreesWithEngines: Count;
}

/** An engine's summary before any case is counted. */
export const EMPTY_SUMMARY: Readonly<EngineSummary> = {
  cases: 0,
  agrees: 0,
  expectedDivergences: 0,
  newDivergences: 0,
  unexpectedAgreements: 0,
  errors: 0,
  agreesWithEngines: 0,
};

/**
 * reports/<run>/results.json: what each engine did for each case, the Fetch standard's
 * expectation beside it, and how they compare.
 * @title cors-conformance results file
 */
export interface ResultsFile {
  schema: 'cors-conformance/results@1';
  tool: { name: 'cors-conformance'; version: string };
  startedAt: string;
  updatedAt: string;
  complete: boolean;
  environment: {
    platform: string;
    /** @asType integer @minimum 1 */
    cpus: number;
    node: string;
    notes: string[];
  };
  engines: EngineInfo[];
  /** Engines the user left out by name; never silently missing. */
  excludedEngines: EngineId[];
  /** Per engine, computed from cases[].agreement. */
  summary?: Partial<Record<EngineId, EngineSummary>>;
  /** The known divergences this run was checked against. */
  divergences?: KnownDivergence[];
  cases: CaseRecord[];
}
