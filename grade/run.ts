// Grading a real server: the battery derived from the policy runs through the probe path
// (pipeline/probe-run.ts) in real engines, from virtual attacker and allowed origins, against
// the target reached through the proxy; findings come from what the browsers could read.
import { randomBytes } from 'node:crypto';
import { runProbes, type ProbeRequest } from '../pipeline/probe-run.ts';
import type { ProxyRoute } from '../servers/proxy.ts';
import { buildBattery, type GradeProbe } from './battery.ts';
import { SEVERITY_RANK } from './findings.ts';
import { findCauses } from './causes.ts';
import { planSearch, type SearchPlan } from './search.ts';
import { judgeProbe, mergeFindings, optionsFinding, type RawFinding } from './judge.ts';
import { observe } from './observe.ts';
import { TARGET_ORIGIN } from './origins.ts';
import { originRules, type Policy, rulesFor } from './policy.ts';
import { type EndpointPlan, resolveEndpoints } from './endpoints.ts';
import { concreteAllowedOrigins } from './candidates.ts';
import type { GradeSession } from './session.ts';
import { checkTargetAnswers, optionsExchange, parseTarget } from './target.ts';
import type { GradeReport, ProbeRecord } from './types.ts';
import { PROBE_TOKEN_PARAM, type TargetTls, VERIFY_TLS } from '../model/wire.ts';

export interface GradeOptions {
  target: string;
  policy: Policy;
  onProgress?: (line: string) => void;
  timeoutMs?: number;
  /** Skip the origin search (the fixed battery alone). */
  noSearch?: boolean;
  /** A search already planned for this target and policy (the Playwright gate plans it once). */
  search?: SearchPlan;
  /** How an https target's certificate is checked; verified by default. */
  tls?: TargetTls;
  /** The endpoints to probe and their rules (with --openapi); by default the policy's own. */
  endpoints?: EndpointPlan;
}

/** Grading probes run fewer at a time than fixture cases: a real server is slower to answer. */
const GRADE_CONCURRENCY = 16;

/** A battery probe and the record its observations go into. */
interface Graded {
  probe: GradeProbe;
  record: ProbeRecord;
}

function probeRequest(g: Graded, base: string): ProbeRequest<Graded> {
  const p = g.probe;
  return {
    subject: g,
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

export async function grade(session: GradeSession, opts: GradeOptions): Promise<GradeReport> {
  const startedAt = new Date().toISOString();
  const target = parseTarget(opts.target);
  const plan = opts.endpoints ?? resolveEndpoints(opts.policy);
  const fixed = buildBattery(opts.policy, plan);
  const tls = opts.tls ?? VERIFY_TLS;
  await checkTargetAnswers(target, plan.endpoints[0]?.path ?? '/', tls);
  const search = opts.noSearch ? null : (opts.search ?? (await planSearch(target, opts.policy, fixed, tls, plan)));
  if (search)
    opts.onProgress?.(
      `search: ${search.summary.candidates} candidates, ${search.summary.flagged} flagged by the screen, ${search.probes.length} to confirm in the browsers`,
    );
  const battery = [...fixed, ...(search?.probes ?? [])];
  const confirmStarted = performance.now();
  const runId = randomBytes(4).toString('hex');
  const routes: ProxyRoute[] = [
    { origin: TARGET_ORIGIN, upstream: target.origin, probePage: false, rewriteHost: true, upstreamTls: tls },
    ...[...new Set(battery.map((p) => p.pageOrigin))].map((origin) => ({ origin, upstream: null, probePage: true })),
  ];
  await session.proxy.setRoutes(routes);
  const base = `${TARGET_ORIGIN}${target.pathname.replace(/\/+$/, '')}`;
  const graded: Graded[] = battery.map((probe) => ({ probe, record: { ...probe, results: {} } }));
  const requests = graded.map((g) => probeRequest(g, base));
  const raw: RawFinding[] = [...(search?.unreachable ?? [])];
  const errors: string[] = [];

  await Promise.all(
    session.engines.map(async (engine) => {
      const id = engine.info.id;
      let done = 0;
      await runProbes(engine, requests, {
        runId,
        proxy: session.proxy,
        cookieOrigins: plan.endpoints.some((e) => e.rules.credentials) ? [TARGET_ORIGIN] : [],
        concurrency: GRADE_CONCURRENCY,
        timeoutMs: opts.timeoutMs ?? 10_000,
        onRecords: (chunk, pageOrigin) => {
          for (const r of chunk) {
            const { probe: p, record } = r.request.subject;
            const { obs, exchanges } = observe(p, r.observed);
            record.results[id] = obs;
            if (obs.outcome === 'error' || obs.outcome === 'network-error') errors.push(`${id}: ${p.id}: ${obs.reason ?? obs.outcome}`);
            raw.push(...judgeProbe(p, obs, exchanges, id));
          }
          done += chunk.length;
          opts.onProgress?.(`${id}: ${done}/${battery.length} probes (${pageOrigin})`);
        },
      });
    }),
  );

  const first = battery.find((p) => p.kind === 'intended');
  if (first) {
    const options = optionsFinding(first.pageOrigin, first.path, await optionsExchange(target, first.path, first.pageOrigin, tls));
    if (options) raw.push(options);
  }
  const findings = mergeFindings(raw);
  const causes = findCauses(findings, {
    scope: (path) => {
      const { origins, credentials } = rulesFor(plan.policy, path).rules;
      return JSON.stringify([origins, credentials]);
    },
    allowed: (path) => concreteAllowedOrigins(originRules(rulesFor(plan.policy, path).rules)),
  });
  const summary = search ? { ...search.summary, ms: { ...search.summary.ms, confirm: Math.round(performance.now() - confirmStarted) } } : null;
  if (summary)
    summary.confirmed = graded.filter((g) => g.probe.source === 'search' && Object.values(g.record.results).some((o) => o?.outcome === 'readable')).length;
  const failing = findings.some((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK.low);
  return {
    schema: 'cors-conformance/grade@1',
    target: target.href,
    browserTarget: base,
    certificate: target.protocol === 'https:' ? (tls.insecure ? 'not-checked' : 'verified') : null,
    policy: opts.policy,
    endpoints: plan.endpoints,
    startedAt,
    finishedAt: new Date().toISOString(),
    verdict: failing ? 'fail' : errors.length ? 'error' : 'pass',
    engines: session.engines.map((e) => e.info),
    causes,
    findings,
    search: summary,
    probes: graded.map((g) => g.record),
    errors,
    notes: [
      `The browsers fetched ${base}; the local proxy forwarded each request to ${target.href}, with the target's own Host header, and recorded it as evidence.`,
      'Attacker and allowed pages are virtual origins the proxy serves; nothing left this machine.',
      ...plan.notes,
      'A probe the browser blocked counts as blocked only when the proxy saw the target answer; a target that failed or hung is an error, not a verdict.',
      ...(target.protocol === 'https:'
        ? [
            tls.insecure
              ? "Certificate verification was OFF (--insecure): the target's certificate was not checked."
              : `The target's certificate was verified${tls.ca ? ' against the system roots and the CA given with --ca' : ' against the system roots'}.`,
          ]
        : []),
    ],
  };
}
