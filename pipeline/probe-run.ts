// The one probe path. A reference case and a grading probe both become a ProbeRequest; this
// module gives each a token, groups them by page origin, runs them in pages of one engine
// (pipeline/pages.ts), takes what the proxy saw for each token, and hands back one record per
// probe with the page's view and the wire's view merged (pipeline/merge.ts). Callers keep
// their own subject on the record, so nothing is looked up again by id.
import { createHash } from 'node:crypto';
import type { Initiator } from '../model/case.ts';
import type { FetchSpec, Probe, ProbeResult, RequestShape } from '../model/probe.ts';
import { PROBE_TOKEN_PARAM, STEP_MARK_PATH } from '../model/wire.ts';
import type { Engine } from '../engines/types.ts';
import type { VirtualOriginProxy } from '../servers/proxy.ts';
import { cookieSetupUrls, sessionClearUrls, sessionSetupUrls } from './cookies.ts';
import { mergeObservation, type Merged } from './merge.ts';
import { runOnPages, type PageWork } from './pages.ts';

/** Probes in flight per page, unless a caller needs fewer (pipeline/pages.ts). */
export const DEFAULT_CONCURRENCY = 48;

export interface ProbeRequest<S> {
  /** The caller's own record (a case, a grading probe); it comes back untouched. */
  subject: S;
  /** Stable id; with the run and engine it derives the token. */
  id: string;
  pageOrigin: string;
  /** Run in an opaque-origin frame inside the page (its requests carry `Origin: null`). */
  opaque: Probe['opaque'];
  /** What makes the request; absent means fetch(). */
  initiator?: Initiator;
  /** The request URL carrying this token (in every redirect hop, for fixture URLs). */
  url(token: string): string;
  request: RequestShape;
  /** Sent first to the same URL, in order; the result describes the last request. */
  prior: Array<Partial<Pick<RequestShape, 'method' | 'headers' | 'credentials'>> & { waitMs: number }>;
  readHeaders: string[];
}

/** Why a probe has no page result: the page could not open its origin, the batch failed, or
 *  the page returned nothing for it. */
export interface PageFailure {
  stage: 'open' | 'run' | 'missing';
  error: string;
}

export interface ProbeRecord<S> {
  request: ProbeRequest<S>;
  token: string;
  /** What the page and the wire showed, merged; or why the page gave nothing. */
  observed: { ok: true; merged: Merged } | { ok: false; failure: PageFailure };
}

/** A token per run, engine and probe: no preflight-cache entry or log line can leak between probes. */
export function tokenFor(runId: string, engine: string, id: string): string {
  const h = createHash('sha256').update(id).digest('base64url').slice(0, 16);
  return `${runId}.${engine}.${h}`;
}

/** The probe protocol's form of a request (model/probe.ts), for one token. */
export function toProbe<S>(p: ProbeRequest<S>, token: string, timeoutMs: number): Probe {
  const url = p.url(token);
  const spec = (o: ProbeRequest<S>['prior'][number] | null): FetchSpec => ({
    url,
    method: o?.method ?? p.request.method,
    headers: o?.headers ?? p.request.headers,
    body: p.request.body,
    credentials: o?.credentials ?? p.request.credentials,
    mode: p.request.mode,
    redirect: p.request.redirect,
  });
  const mark = new URL(STEP_MARK_PATH, url);
  mark.searchParams.set(PROBE_TOKEN_PARAM, token);
  return {
    id: p.id,
    initiator: p.initiator ?? { kind: 'fetch' },
    opaque: p.opaque,
    prior: p.prior.map((o) => ({ fetch: spec(o), waitMs: o.waitMs })),
    fetch: spec(null),
    markUrl: p.prior.length ? mark.href : null,
    readHeaders: p.readHeaders,
    timeoutMs,
  };
}

export interface ProbeRunOptions<S> {
  runId: string;
  proxy: VirtualOriginProxy;
  /** Origins that get the test cookie before any probe runs. */
  cookieOrigins: readonly string[];
  /** Origins whose proxy route holds the user's session cookies (ProxyRoute.sessionCookies),
   *  put into the engine's jar the same way before any probe runs. */
  sessionOrigins?: readonly string[];
  concurrency?: number;
  /** Probes per evaluate call; results are handed back after each chunk. */
  chunkSize?: number;
  timeoutMs: number;
  /** Stops starting new pages and chunks (pipeline/pages.ts). */
  signal?: AbortSignal;
  onRecords(records: Array<ProbeRecord<S>>, pageOrigin: string): void | Promise<void>;
}

interface Planned<S> {
  request: ProbeRequest<S>;
  token: string;
  probe: Probe;
}

/** Runs every probe in `engine`; records arrive through `onRecords`, chunk by chunk. */
export async function runProbes<S>(engine: Engine, requests: ReadonlyArray<ProbeRequest<S>>, opts: ProbeRunOptions<S>): Promise<void> {
  const byOrigin = new Map<string, Array<Planned<S>>>();
  for (const request of requests) {
    const token = tokenFor(opts.runId, engine.info.id, request.id);
    const list = byOrigin.get(request.pageOrigin) ?? [];
    list.push({ request, token, probe: toProbe(request, token, opts.timeoutMs) });
    byOrigin.set(request.pageOrigin, list);
  }
  const work: Array<PageWork<Planned<S>>> = [...byOrigin].map(([pageOrigin, items]) => ({ pageOrigin, items }));
  await runOnPages(engine, work, {
    ...(opts.chunkSize !== undefined ? { chunkSize: opts.chunkSize } : {}),
    concurrency: opts.concurrency ?? DEFAULT_CONCURRENCY,
    ...(opts.signal ? { signal: opts.signal } : {}),
    probeOf: (item) => item.probe,
    setupUrls: [...cookieSetupUrls(opts.cookieOrigins), ...sessionSetupUrls(opts.sessionOrigins ?? [], opts.proxy.sessionKey)],
    // The user's session leaves the jar with the run: the next run in this engine starts signed out.
    teardownUrls: sessionClearUrls(opts.sessionOrigins ?? [], opts.proxy.sessionKey),
    onChunk: async (pageOrigin, items, chunk) => {
      const wire = opts.proxy.takeExchanges(items.map((i) => i.token));
      const results = chunk.ok ? new Map<string, ProbeResult>(chunk.out.results.map((r) => [r.id, r])) : null;
      const records = items.map(({ request, token }): ProbeRecord<S> => {
        if (!chunk.ok) return { request, token, observed: { ok: false, failure: { stage: chunk.stage, error: chunk.error } } };
        const page = results?.get(request.id);
        if (!page) return { request, token, observed: { ok: false, failure: { stage: 'missing', error: 'the page returned no result for this probe' } } };
        const frameOrigin = request.opaque ? (chunk.out.frameOrigins[request.opaque] ?? null) : null;
        return { request, token, observed: { ok: true, merged: mergeObservation(page, wire.get(token) ?? [], chunk.out.console, token, frameOrigin) } };
      });
      await opts.onRecords(records, pageOrigin);
    },
  });
}
