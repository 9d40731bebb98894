// Grading's second stage: a plan's probes through the probe path (pipeline/probe-run.ts), in
// every engine of the session at once. The proxy serves each page origin and the target on
// TARGET_ORIGIN, which it forwards to the real server with the server's own Host and, when
// signed in, holds the user's session cookies for the engines' jars. What each engine
// observed comes back as recorded, in the order the engines reported it; the judge reads it.
import { randomBytes } from 'node:crypto';
import type { EngineId, EngineInfo } from '../../model/results.ts';
import { TARGET_ORIGIN } from '../../model/virtual-origins.ts';
import { PROBE_TOKEN_PARAM } from '../../model/wire.ts';
import { sessionSetCookies } from '../../pipeline/cookies.ts';
import { type ProbeRecord, type ProbeRequest, runProbes } from '../../pipeline/probe-run.ts';
import type { GradeSession } from '../../pipeline/session.ts';
import type { ProxyRoute } from '../../servers/proxy.ts';
import { secretsOf } from '../input/signed-in.ts';
import type { GradePlan } from '../plan.ts';
import type { GradeProbe } from './battery.ts';

export interface RunOptions {
  onProgress?: (line: string) => void;
  timeoutMs?: number;
  /** The whole run's budget (--timeout): once aborted, no further probe starts, and the run
   *  comes back with what finished. */
  signal?: AbortSignal;
}

/** One probe's observation in one engine, as the probe path recorded it. */
export interface Seen {
  probe: GradeProbe;
  engine: EngineId;
  observed: ProbeRecord<GradeProbe>['observed'];
}

export interface GradeRun {
  engines: EngineInfo[];
  /** Every observation, in the order the engines reported them. */
  seen: Seen[];
  /** How long the browsers took. */
  ms: number;
  /** Probes per engine that never ran because the whole run's budget ran out (0 when complete). */
  notRun: Partial<Record<EngineId, number>>;
  finishedAt: string;
}

/** How long probes in flight may still finish once the whole run's budget has run out. */
const RUN_BUDGET_GRACE_MS = 15_000;

/** Resolves `graceMs` after `signal` aborts (never, if it does not). */
function afterAbort(signal: AbortSignal, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const start = () => setTimeout(resolve, graceMs).unref();
    if (signal.aborted) start();
    else signal.addEventListener('abort', start, { once: true });
  });
}

/** Grading probes run fewer at a time than fixture cases: a real server is slower to answer. */
const GRADE_CONCURRENCY = 16;

function probeRequest(p: GradeProbe, base: string): ProbeRequest<GradeProbe> {
  return {
    subject: p,
    id: p.id,
    pageOrigin: p.pageOrigin,
    opaque: p.opaque,
    url: (token) => {
      const url = new URL(base + p.path);
      url.searchParams.set(PROBE_TOKEN_PARAM, token);
      return url.href;
    },
    request: { method: p.method, headers: p.headers, body: p.body, credentials: p.credentials, mode: 'cors', redirect: 'follow' },
    prior: p.repeat ? [{ waitMs: 0 }] : [],
    readHeaders: p.readHeaders,
  };
}

/** The proxy's routes for a plan: the target, and a probe page on every page origin. */
function routesFor(plan: GradePlan): ProxyRoute[] {
  const pageOrigins = new Set(plan.probes.map((p) => p.pageOrigin));
  return [
    {
      origin: TARGET_ORIGIN,
      upstream: plan.target.origin,
      // The cookie-policy control runs in a page on the target itself.
      probePage: pageOrigins.has(TARGET_ORIGIN),
      rewriteHost: true,
      upstreamTls: plan.tls,
      sessionCookies: sessionSetCookies(TARGET_ORIGIN, plan.signedIn.cookies),
      secrets: secretsOf(plan.signedIn),
    },
    ...[...pageOrigins].filter((o) => o !== TARGET_ORIGIN).map((origin) => ({ origin, upstream: null, probePage: true })),
  ];
}

export async function runPlan(session: GradeSession, plan: GradePlan, opts: RunOptions = {}): Promise<GradeRun> {
  const started = performance.now();
  const runId = randomBytes(4).toString('hex');
  await session.proxy.setRoutes(routesFor(plan));
  const requests = plan.probes.map((p) => probeRequest(p, plan.browserTarget));
  // The user's session, or else the test cookie where a path has credentials.
  const withSession = plan.cookies.session;
  const testCookie = !withSession && plan.cookies.names.length > 0;
  const seen: Seen[] = [];
  const all = Promise.all(
    session.engines.map(async (engine) => {
      const id = engine.info.id;
      let done = 0;
      await runProbes(engine, requests, {
        runId,
        proxy: session.proxy,
        cookieOrigins: testCookie ? [TARGET_ORIGIN] : [],
        sessionOrigins: withSession ? [TARGET_ORIGIN] : [],
        concurrency: GRADE_CONCURRENCY,
        timeoutMs: opts.timeoutMs ?? 10_000,
        ...(opts.signal ? { signal: opts.signal } : {}),
        onRecords: (chunk, pageOrigin) => {
          for (const r of chunk) seen.push({ probe: r.request.subject, engine: id, observed: r.observed });
          done += chunk.length;
          opts.onProgress?.(`${id}: ${done}/${plan.probes.length} probes (${pageOrigin})`);
        },
      });
    }),
  );
  if (opts.signal) {
    // Past the budget, what is in flight gets a short grace; then the run comes back with what
    // it has, and closing the session ends the rest.
    all.catch(() => {});
    await Promise.race([all, afterAbort(opts.signal, RUN_BUDGET_GRACE_MS)]);
  } else await all;
  const notRun: Partial<Record<EngineId, number>> = {};
  for (const engine of session.engines) {
    const ran = seen.filter((s) => s.engine === engine.info.id).length;
    if (ran < plan.probes.length) notRun[engine.info.id] = plan.probes.length - ran;
  }
  return {
    engines: session.engines.map((e) => e.info),
    // A copy: past the budget, engines still finishing may append to the live list.
    seen: [...seen],
    ms: Math.round(performance.now() - started),
    notRun,
    finishedAt: new Date().toISOString(),
  };
}
