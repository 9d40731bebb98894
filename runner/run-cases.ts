// The reference run's side of the probe path: a case becomes a probe request on its fixture
// URL, and the merged observation becomes the case's result. What a result says comes from
// two independent witnesses: the page (did the fetch resolve, what could it read) and the
// wire (was there a preflight, which Origin, was the cookie sent). When the two contradict
// each other, the result is a harness error, never a verdict.
import type { CorsCase } from '../model/case.ts';
import { initiatorFacts } from '../model/initiators.ts';
import { browserBlockLine, type EngineResult } from '../model/results.ts';
import type { Engine } from '../engines/types.ts';
import { getHeader } from '../oracle/index.ts';
import type { Harness } from '../pipeline/harness.ts';
import type { Merged } from '../pipeline/merge.ts';
import { runProbes, type PageFailure, type ProbeRecord, type ProbeRequest } from '../pipeline/probe-run.ts';
import { fixtureUrl, withToken } from '../servers/recipe.ts';

export interface RunOptions {
  /** Distinguishes this run's tokens from every other run's. */
  runId: string;
  /** Probes in flight per page. */
  concurrency?: number;
  /** Cases per evaluate call; results are reported after each chunk. */
  chunkSize?: number;
  timeoutMs?: number;
  onResults?: (results: Array<{ case: CorsCase; result: EngineResult }>) => void | Promise<void>;
}

export function caseProbe(c: CorsCase): ProbeRequest<CorsCase> {
  const fixture = fixtureUrl(c.request.url, c.response);
  return {
    subject: c,
    id: c.id,
    pageOrigin: c.request.page.origin,
    opaque: c.request.page.opaque ?? null,
    ...(c.request.initiator ? { initiator: c.request.initiator } : {}),
    url: (token) => withToken(fixture, token),
    request: {
      method: c.request.method,
      headers: c.request.headers,
      body: c.request.body ?? null,
      credentials: c.request.credentials,
      mode: c.request.mode,
      redirect: c.request.redirect ?? 'follow',
    },
    prior: c.request.prior ?? [],
    readHeaders: c.request.readHeaders ?? [],
  };
}

function harnessError(reason: string, elapsedMs?: number): EngineResult {
  return { outcome: 'error', preflight: null, status: null, reason, ...(elapsedMs !== undefined ? { elapsedMs } : {}) };
}

function failureResult(f: PageFailure): EngineResult {
  return harnessError(f.stage === 'missing' ? 'harness: the page returned no result for this case' : `harness: ${f.error}`);
}

export function buildResult(c: CorsCase, m: Merged): EngineResult {
  const steps = m.prior.length + 1;
  const final = m.final;
  if (c.request.page.opaque && m.frameOrigin !== 'null') {
    return harnessError(`harness: the ${c.request.page.opaque} reported origin ${m.frameOrigin}, not null`);
  }
  if (final.outcome === 'error') return harnessError(`harness: ${final.error ?? 'probe failed'}`, final.elapsedMs);
  if (steps > 1 && m.markers !== steps) {
    return harnessError(`harness: expected ${steps} step markers at the server, saw ${m.markers}`, final.elapsedMs);
  }
  // Where the page sees only whether the request was queued (a beacon, kept in `signal`), the
  // wire decides: the request reached the server, or it did not (its preflight failed, or
  // nothing came). The registry (model/initiators.ts) says which initiators these are.
  const wireDecides = initiatorFacts(c.request.initiator).wireDecidesOutcome;
  const outcome = wireDecides ? (m.actual.length > 0 ? 'allowed' : 'blocked') : final.outcome;
  // The page read a response the server never sent: the log is incomplete.
  if (outcome === 'allowed' && m.actual.length === 0) {
    return harnessError('harness: the page got a response but the server saw no request for this case', final.elapsedMs);
  }
  const lastActual = m.actual[m.actual.length - 1];
  const firstPreflight = m.preflights[0];
  const browserReason = wireDecides ? (outcome === 'blocked' ? browserBlockLine(m.console) : null) : m.browserReason;
  const result: EngineResult = {
    outcome,
    preflight: m.preflights.length > 0,
    status: outcome === 'allowed' && !wireDecides ? final.status : null,
    reason: browserReason ?? (outcome === 'blocked' ? final.error : null) ?? null,
    server: {
      preflightRequestMethod: firstPreflight ? getHeader(firstPreflight.requestHeaders, 'access-control-request-method') : null,
      preflightRequestHeaders: firstPreflight ? getHeader(firstPreflight.requestHeaders, 'access-control-request-headers') : null,
      origin: getHeader(lastActual?.requestHeaders ?? [], 'origin') ?? getHeader(firstPreflight?.requestHeaders ?? [], 'origin'),
      cookieSent: m.cookieSent,
      requests: m.preflights.length + m.actual.length,
      requestHeaderNames: [...new Set((lastActual ?? firstPreflight)?.requestHeaders.map(([n]) => n.toLowerCase()) ?? [])],
    },
    elapsedMs: final.elapsedMs,
  };
  if (final.type) result.type = final.type;
  if (final.contentReadable !== undefined && outcome === 'allowed') result.contentReadable = final.contentReadable;
  if (final.signal) result.signal = final.signal;
  if (final.error) result.pageError = final.error;
  if (c.request.readHeaders?.length) result.readable = final.readable;
  if (m.console.length) result.console = m.console;
  if (m.prior.length) result.prior = m.prior.map((p) => ({ outcome: p.outcome.outcome, preflight: p.outcome.outcome === 'error' ? null : p.preflight }));
  return result;
}

function resultOf(r: ProbeRecord<CorsCase>): EngineResult {
  return r.observed.ok ? buildResult(r.request.subject, r.observed.merged) : failureResult(r.observed.failure);
}

export async function runCases(engine: Engine, harness: Harness, cases: CorsCase[], opts: RunOptions): Promise<Map<string, EngineResult>> {
  const results = new Map<string, EngineResult>();
  await runProbes(engine, cases.map(caseProbe), {
    runId: opts.runId,
    proxy: harness.proxy,
    cookieOrigins: [...new Set(cases.filter((c) => c.request.withCookie).map((c) => new URL(c.request.url).origin))],
    timeoutMs: opts.timeoutMs ?? 15_000,
    ...(opts.concurrency !== undefined ? { concurrency: opts.concurrency } : {}),
    ...(opts.chunkSize !== undefined ? { chunkSize: opts.chunkSize } : {}),
    onRecords: async (records) => {
      const done = records.map((r) => ({ case: r.request.subject, result: resultOf(r) }));
      for (const d of done) results.set(d.case.id, d.result);
      await opts.onResults?.(done);
    },
  });
  return results;
}
