// The batched runner: one page per page origin runs many probes at once, each case under
// its own token (so no preflight-cache entry or observation can leak between cases), and
// the server's observations are taken in bulk after each chunk. What a case's result says
// comes from two independent witnesses: the page (did the fetch resolve, what could it
// read) and the server (was there a preflight, which Origin, was the cookie sent). When the
// two contradict each other, the result is a harness error, never a verdict.
import { createHash } from 'node:crypto';
import type { CorsCase } from '../model/case.ts';
import type { FetchSpec, Probe, ProbeResult } from '../model/probe.ts';
import type { EngineResult, ServerObservation } from '../model/results.ts';
import type { Engine } from '../engines/types.ts';
import { runOnPages, type PageWork } from '../pipeline/pages.ts';
import { fixtureUrl, withToken } from '../servers/recipe.ts';
import type { Harness } from '../pipeline/harness.ts';

export const COOKIE_NAME = 'cc_session';

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

export function tokenFor(runId: string, engine: string, caseId: string): string {
  const h = createHash('sha256').update(caseId).digest('base64url').slice(0, 16);
  return `${runId}.${engine}.${h}`;
}

function fetchSpec(c: CorsCase, url: string, override?: { method?: string; headers?: CorsCase['request']['headers']; credentials?: CorsCase['request']['credentials'] }): FetchSpec {
  return {
    url,
    method: override?.method ?? c.request.method,
    headers: override?.headers ?? c.request.headers,
    body: c.request.body ?? null,
    credentials: override?.credentials ?? c.request.credentials,
    mode: c.request.mode,
    redirect: c.request.redirect ?? 'follow',
  };
}

export function probeFor(c: CorsCase, token: string, timeoutMs: number): Probe {
  const url = withToken(fixtureUrl(c.request.url, c.response), token);
  const prior = (c.request.prior ?? []).map((p) => ({ fetch: fetchSpec(c, url, p), waitMs: p.waitMs }));
  return {
    id: c.id,
    opaque: c.request.page.opaque ?? null,
    prior,
    fetch: fetchSpec(c, url),
    markUrl: prior.length ? new URL(`/__cc/mark?token=${encodeURIComponent(token)}`, c.request.url).href : null,
    readHeaders: c.request.readHeaders ?? [],
    timeoutMs,
  };
}

/** The observations of step `step` (prior requests come first, the measured request last). */
function stepObservations(all: ServerObservation[], step: number, steps: number): ServerObservation[] {
  if (steps === 1) return all.filter((o) => o.marker === undefined);
  const out: ServerObservation[] = [];
  let current = -1;
  for (const o of all) {
    if (o.marker !== undefined) current = o.marker;
    else if (current === step) out.push(o);
  }
  return out;
}

function harnessError(reason: string, elapsedMs?: number): EngineResult {
  return { outcome: 'error', preflight: null, status: null, reason, ...(elapsedMs !== undefined ? { elapsedMs } : {}) };
}

export function buildResult(c: CorsCase, probe: ProbeResult, observations: ServerObservation[], console: string[], token: string): EngineResult {
  const steps = probe.prior.length + 1;
  const final = probe.final;
  if (final.outcome === 'error') return harnessError(`harness: ${final.error ?? 'probe failed'}`, final.elapsedMs);
  const markers = observations.filter((o) => o.marker !== undefined).length;
  if (steps > 1 && markers !== steps) {
    return harnessError(`harness: expected ${steps} step markers at the server, saw ${markers}`, final.elapsedMs);
  }
  const measured = stepObservations(observations, steps - 1, steps);
  const preflights = measured.filter((o) => o.preflight);
  const actual = measured.filter((o) => !o.preflight);
  // The page read a response the server never sent: the log is incomplete.
  if (final.outcome === 'allowed' && actual.length === 0) {
    return harnessError('harness: the page got a response but the server saw no request for this case', final.elapsedMs);
  }
  const lastActual = actual[actual.length - 1];
  const firstPreflight = preflights[0];
  const consoleForCase = console.filter((line) => line.includes(token) || line.includes(encodeURIComponent(token)));
  const result: EngineResult = {
    outcome: final.outcome,
    preflight: preflights.length > 0,
    status: final.outcome === 'allowed' ? final.status : null,
    reason: final.error ?? null,
    server: {
      preflightRequestMethod: firstPreflight?.accessControlRequestMethod ?? null,
      preflightRequestHeaders: firstPreflight?.accessControlRequestHeaders ?? null,
      origin: lastActual?.origin ?? firstPreflight?.origin ?? null,
      cookieSent: actual.some((o) => o.cookieNames.includes(COOKIE_NAME)),
      requests: measured.length,
      requestHeaderNames: [...new Set((lastActual ?? firstPreflight)?.headers.map(([n]) => n.toLowerCase()) ?? [])],
    },
    elapsedMs: final.elapsedMs,
  };
  if (final.type) result.type = final.type;
  if (final.error) result.pageError = final.error;
  if (c.request.readHeaders?.length) result.readable = final.readable;
  if (consoleForCase.length) {
    result.console = consoleForCase;
    // Chromium's console line is the browser's own reason; the TypeError says nothing.
    const blocked = consoleForCase.find((l) => /blocked by CORS policy|Cross-Origin Request Blocked/.test(l));
    if (blocked && final.outcome === 'blocked') result.reason = blocked;
  }
  if (probe.prior.length) {
    result.prior = probe.prior.map((p, i) => {
      const obs = stepObservations(observations, i, steps);
      return { outcome: p.outcome, preflight: p.outcome === 'error' ? null : obs.some((o) => o.preflight) };
    });
  }
  return result;
}

/** The first-party navigations that give the browser the cookie on each target origin. */
export function cookieSetupUrls(origins: string[]): string[] {
  return origins.map((origin) => {
    const secure = origin.startsWith('https:');
    const attrs = secure ? 'Path=/; SameSite=None; Secure' : 'Path=/; SameSite=Lax';
    return `${origin}/__cc/cookie?${new URLSearchParams({ name: COOKIE_NAME, value: 'secret-value', attrs })}`;
  });
}

export async function runCases(engine: Engine, harness: Harness, cases: CorsCase[], opts: RunOptions): Promise<Map<string, EngineResult>> {
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const results = new Map<string, EngineResult>();
  const byId = new Map(cases.map((c) => [c.id, c]));
  const tokens = new Map(cases.map((c) => [c.id, tokenFor(opts.runId, engine.info.id, c.id)]));
  const work = new Map<string, PageWork>();
  for (const c of cases) {
    const origin = c.request.page.origin;
    const w = work.get(origin) ?? { pageOrigin: origin, probes: [] };
    w.probes.push(probeFor(c, tokens.get(c.id) as string, timeoutMs));
    work.set(origin, w);
  }
  const cookieOrigins = [...new Set(cases.filter((c) => c.request.withCookie).map((c) => new URL(c.request.url).origin))];

  await runOnPages(engine, [...work.values()], {
    ...(opts.chunkSize !== undefined ? { chunkSize: opts.chunkSize } : {}),
    concurrency: opts.concurrency ?? 48,
    setupUrls: cookieSetupUrls(cookieOrigins),
    onChunk: async (_origin, probes, chunk) => {
      const observed = harness.fixture.log.take(probes.map((p) => tokens.get(p.id) as string));
      const outputs = chunk.ok ? new Map(chunk.out.results.map((r) => [r.id, r])) : new Map<string, ProbeResult>();
      const done = probes.map((p) => {
        const c = byId.get(p.id) as CorsCase;
        const token = tokens.get(c.id) as string;
        if (!chunk.ok) return { case: c, result: harnessError(`harness: ${chunk.error}`) };
        const probe = outputs.get(c.id);
        if (!probe) return { case: c, result: harnessError('harness: the page returned no result for this case') };
        const frame = c.request.page.opaque;
        if (frame && chunk.out.frameOrigins[frame] !== 'null') {
          return { case: c, result: harnessError(`harness: the ${frame} reported origin ${chunk.out.frameOrigins[frame]}, not null`) };
        }
        return { case: c, result: buildResult(c, probe, observed[token] ?? [], chunk.out.console, token) };
      });
      for (const d of done) results.set(d.case.id, d.result);
      await opts.onResults?.(done);
    },
  });
  return results;
}
