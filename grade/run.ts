// Grading a real server: the battery derived from the policy runs in real engines, from
// virtual attacker and allowed origins, against the target reached through the proxy. The
// proxy is the witness of what crossed the wire: a probe the browser blocked is a CORS
// verdict only if the proxy saw the target answer; a network failure is an error.
import http from 'node:http';
import https from 'node:https';
import { createHash, randomBytes } from 'node:crypto';
import { launchEngine, type Engine } from '../engines/index.ts';
import type { Header } from '../model/case.ts';
import type { Probe, ProbeResult } from '../model/probe.ts';
import type { EngineId, EngineInfo } from '../model/results.ts';
import { runOnPages, type PageWork } from '../pipeline/pages.ts';
import { cookieSetupUrls, COOKIE_NAME } from '../runner/run-cases.ts';
import { pairsFromRaw } from '../servers/observations.ts';
import { startProxy, GRADE_TOKEN_PARAM, type ProxyExchange, type ProxyRoute, type VirtualOriginProxy } from '../servers/proxy.ts';
import { buildBattery, type GradeProbe } from './battery.ts';
import { getHeader } from '../oracle/index.ts';
import { CATEGORIES, SEVERITY_RANK, severityFor, type FindingCategory, type Severity } from './findings.ts';
import { TARGET_ORIGIN } from './origins.ts';
import type { Policy } from './policy.ts';

export class GradeSetupError extends Error {}

export interface ProbeObservation {
  /** readable: the page read the response; blocked: the target answered and the browser withheld it;
   *  network-error: the target did not answer; not-applicable: this engine will not open that origin;
   *  error: the harness could not tell. */
  outcome: 'readable' | 'blocked' | 'network-error' | 'not-applicable' | 'error';
  status: number | null;
  preflight: boolean | null;
  cookieSent: boolean | null;
  readable: Header[];
  reason: string | null;
}

export interface ProbeRecord extends Omit<GradeProbe, 'readHeaders'> {
  readHeaders: string[];
  results: Partial<Record<EngineId, ProbeObservation>>;
}

export interface Finding {
  category: FindingCategory;
  title: string;
  severity: Severity;
  origin: string;
  engines: EngineId[];
  credentialed: boolean;
  probe: string;
  detail: string;
  evidence: ProxyExchange[];
  fix: string;
}

export interface GradeReport {
  schema: 'cors-conformance/grade@1';
  target: string;
  /** The origin the browsers fetched; the proxy forwarded it to the target. */
  browserTarget: string;
  policy: Policy;
  startedAt: string;
  finishedAt: string;
  /** pass: no finding of low severity or above; fail: at least one; error: probes failed for network or harness reasons. */
  verdict: 'pass' | 'fail' | 'error';
  engines: EngineInfo[];
  findings: Finding[];
  probes: ProbeRecord[];
  errors: string[];
  notes: string[];
}

export interface GradeSession {
  proxy: VirtualOriginProxy;
  engines: Engine[];
  close(): Promise<void>;
}

/** Starts the proxy and the engines once; many gradings can run in one session. */
export async function openGradeSession(engineIds: EngineId[]): Promise<GradeSession> {
  const proxy = await startProxy([]);
  const engines: Engine[] = [];
  try {
    for (const id of engineIds) engines.push(await launchEngine(id, { proxy: { url: proxy.url, host: '127.0.0.1', port: proxy.port } }));
  } catch (err) {
    for (const e of engines) await e.close();
    await proxy.close();
    throw err;
  }
  return {
    proxy,
    engines,
    close: async () => {
      for (const e of engines) await e.close();
      await proxy.close();
    },
  };
}

export function parseTarget(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new GradeSetupError(`--target ${raw}: not a URL; give the base URL of your server, e.g. http://127.0.0.1:3000`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new GradeSetupError(`--target ${raw}: only http and https targets can be graded`);
  if (url.search || url.hash) throw new GradeSetupError(`--target ${raw}: leave out the query and fragment; paths come from the policy`);
  return url;
}

/** One request straight to the target (no browser, no proxy), accepting a self-signed certificate. */
function requestTarget(target: URL, path: string, method: string, requestHeaders: Header[], timeoutMs: number): Promise<ProxyExchange> {
  const url = new URL(target.href.replace(/\/+$/, '') + path);
  return new Promise((resolve, reject) => {
    const lib = url.protocol === 'https:' ? https : http;
    const req = lib.request(url, { method, headers: Object.fromEntries(requestHeaders), timeout: timeoutMs, rejectUnauthorized: false }, (res) => {
      res.resume();
      resolve({ seq: 0, at: Date.now(), origin: url.origin, method, path: url.pathname, requestHeaders, status: res.statusCode ?? null, responseHeaders: pairsFromRaw(res.rawHeaders) });
    });
    req.on('timeout', () => req.destroy(new Error(`no response within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

/**
 * An OPTIONS request with an Origin but no Access-Control-Request-Method is not a preflight
 * (Fetch §3.3.2) and belongs to the application. No page can send one without a preflight
 * of its own, so this one check is made from here, not from a browser.
 */
export function optionsExchange(target: URL, path: string, origin: string, timeoutMs = 5_000): Promise<ProxyExchange | null> {
  return requestTarget(target, path, 'OPTIONS', [['Origin', origin]], timeoutMs).catch(() => null);
}

/** The target must answer (any HTTP status) before any probing starts. */
export async function checkTargetAnswers(target: URL, path: string, timeoutMs = 5_000): Promise<number> {
  try {
    return (await requestTarget(target, path, 'GET', [], timeoutMs)).status ?? 0;
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new GradeSetupError(`the target ${target.href.replace(/\/+$/, '') + path} did not answer (${e.code ?? e.message}); start the server, or fix --target`);
  }
}

function observe(probe: GradeProbe, result: ProbeResult | undefined, exchanges: ProxyExchange[]): ProbeObservation {
  const base = { status: null, preflight: null, cookieSent: null, readable: [] as Header[] };
  if (!result) return { ...base, outcome: 'error', reason: 'the page returned no result' };
  const f = result.final;
  const actual = exchanges.filter((e) => !isPreflight(e));
  const failed = exchanges.find((e) => e.error !== undefined);
  if (f.outcome === 'error') {
    return { ...base, outcome: failed ? 'network-error' : 'error', reason: failed ? `the target failed: ${failed.error}` : f.error };
  }
  // The measured request's preflight: with a repeat, only what came after the first actual request.
  const firstActual = exchanges.indexOf(actual[0] as ProxyExchange);
  const measured = probe.repeat && firstActual >= 0 ? exchanges.slice(firstActual + 1) : exchanges;
  const last = actual[actual.length - 1];
  const common = {
    preflight: measured.some(isPreflight),
    cookieSent: actual.length ? actual.some((e) => (getHeader(e.requestHeaders, 'cookie') ?? '').includes(`${COOKIE_NAME}=`)) : null,
  };
  if (f.outcome === 'allowed') return { ...common, outcome: 'readable', status: f.status, readable: f.readable, reason: null };
  if (failed || (last && last.status === null)) {
    return { ...common, outcome: 'network-error', status: null, readable: [], reason: `the target failed: ${failed?.error ?? 'no response'}` };
  }
  if (!exchanges.length) return { ...common, outcome: 'error', status: null, readable: [], reason: `the browser sent nothing (${f.error ?? 'no reason'}); not a CORS verdict` };
  return { ...common, outcome: 'blocked', status: last?.status ?? exchanges[exchanges.length - 1]?.status ?? null, readable: [], reason: f.error };
}

function isPreflight(e: ProxyExchange): boolean {
  return e.method === 'OPTIONS' && getHeader(e.requestHeaders, 'access-control-request-method') !== null;
}

interface RawFinding {
  category: FindingCategory;
  origin: string;
  credentialed: boolean;
  /** null: seen from outside the browsers. */
  engine: EngineId | null;
  probe: string;
  detail: string;
  evidence: ProxyExchange[];
}

function judgeProbe(probe: GradeProbe, obs: ProbeObservation, exchanges: ProxyExchange[], engine: EngineId): RawFinding[] {
  const credentialed = probe.credentials === 'include';
  const raw = (category: FindingCategory, detail: string): RawFinding => ({ category, origin: probe.sentOrigin, credentialed, engine, probe: probe.id, detail, evidence: exchanges });
  const out: RawFinding[] = [];
  const last = exchanges.filter((e) => !isPreflight(e)).at(-1);
  // The response that decided: the actual one, or the preflight when it never got that far.
  const deciding = exchanges.at(-1);
  const acao = deciding ? getHeader(deciding.responseHeaders, 'access-control-allow-origin') : null;
  if (obs.outcome === 'readable' || obs.outcome === 'blocked') {
    for (const e of exchanges) {
      if (isPreflight(e) || e.status === null) continue;
      const a = getHeader(e.responseHeaders, 'access-control-allow-origin');
      const vary = (getHeader(e.responseHeaders, 'vary') ?? '').toLowerCase();
      if (a && a !== '*' && a === getHeader(e.requestHeaders, 'origin') && !/(^|,)\s*(origin|\*)\s*(,|$)/.test(vary)) {
        out.push(raw('missing-vary', `the response answered Access-Control-Allow-Origin: ${a} for that Origin without Vary: Origin`));
        break;
      }
    }
  }
  if (obs.outcome !== 'readable' && obs.outcome !== 'blocked') return out;
  switch (probe.kind) {
    case 'intended':
      if (obs.outcome === 'blocked') {
        if (credentialed && acao === '*') out.push(raw('wildcard-with-credentials', 'the credentialed request was blocked: the response said Access-Control-Allow-Origin: *'));
        else out.push(raw('intended-use-blocked', `the browser blocked it: ${obs.reason ?? 'no reason given'}${acao ? ` (Access-Control-Allow-Origin: ${acao})` : ' (no Access-Control-Allow-Origin)'}`));
      } else {
        const readable = new Set(obs.readable.map(([n]) => n.toLowerCase()));
        for (const name of probe.readHeaders) {
          const sent = last ? getHeader(last.responseHeaders, name.toLowerCase()) : null;
          if (sent !== null && !readable.has(name.toLowerCase())) out.push(raw('exposed-header-missing', `${name} was in the response but the page could not read it`));
        }
      }
      break;
    case 'preflight-cache':
      if (obs.outcome === 'readable' && obs.preflight) out.push(raw('preflight-not-cached', 'the second request sent a new preflight'));
      break;
    case 'attacker':
      if (probe.expect === 'blocked' && obs.outcome === 'readable') {
        out.push(raw(probe.category ?? 'arbitrary-origin', `the page read the response (status ${obs.status})${credentialed ? `, with credentials${obs.cookieSent ? ' and the cookie was sent' : ''}` : ''}`));
      }
      break;
    case 'error-response':
      if (obs.outcome === 'blocked' && (obs.status ?? 0) >= 400) out.push(raw('error-response-without-cors', `the ${obs.status} response was blocked`));
      break;
    case 'reflection':
      if (obs.outcome === 'readable') out.push(raw(probe.headers.length ? 'reflected-request-header' : 'reflected-method', `the browser allowed ${probe.method}${probe.headers.length ? ` with ${probe.headers.map(([n]) => n).join(', ')}` : ''}`));
      break;
  }
  return out;
}

function mergeFindings(raw: RawFinding[]): Finding[] {
  const byKey = new Map<string, Finding>();
  for (const r of raw) {
    const key = `${r.category} ${r.origin} ${r.credentialed} ${r.category === 'missing-vary' ? '' : r.probe}`;
    const f = byKey.get(key);
    if (f) {
      if (r.engine && !f.engines.includes(r.engine)) f.engines.push(r.engine);
      continue;
    }
    const info = CATEGORIES[r.category];
    byKey.set(key, {
      category: r.category,
      title: info.title,
      severity: severityFor(r.category, r.credentialed),
      origin: r.origin,
      engines: r.engine ? [r.engine] : [],
      credentialed: r.credentialed,
      probe: r.probe,
      detail: r.detail,
      evidence: r.evidence,
      fix: info.fix,
    });
  }
  return [...byKey.values()].sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.category.localeCompare(b.category));
}

export interface GradeOptions {
  target: string;
  policy: Policy;
  onProgress?: (line: string) => void;
  timeoutMs?: number;
}

export async function grade(session: GradeSession, opts: GradeOptions): Promise<GradeReport> {
  const startedAt = new Date().toISOString();
  const target = parseTarget(opts.target);
  const battery = buildBattery(opts.policy);
  await checkTargetAnswers(target, opts.policy.paths[0]?.path ?? '/');
  const runId = randomBytes(4).toString('hex');
  const pageOrigins = [...new Set(battery.map((p) => p.pageOrigin))];
  const routes: ProxyRoute[] = [
    { origin: TARGET_ORIGIN, upstream: target.origin, probePage: false, rewriteHost: true, insecureUpstream: true },
    ...pageOrigins.map((origin) => ({ origin, upstream: null, probePage: true })),
  ];
  await session.proxy.setRoutes(routes);
  const base = `${TARGET_ORIGIN}${target.pathname.replace(/\/+$/, '')}`;
  const records = new Map<string, ProbeRecord>(battery.map((p) => [p.id, { ...p, results: {} }]));
  const byId = new Map(battery.map((p) => [p.id, p]));
  const raw: RawFinding[] = [];
  const errors: string[] = [];
  const timeoutMs = opts.timeoutMs ?? 10_000;

  await Promise.all(
    session.engines.map(async (engine) => {
      const id = engine.info.id;
      const token = (probeId: string) => `${runId}.${id}.${createHash('sha256').update(probeId).digest('base64url').slice(0, 12)}`;
      const toProbe = (p: GradeProbe): Probe => {
        const url = new URL(base + p.path);
        url.searchParams.set(GRADE_TOKEN_PARAM, token(p.id));
        const fetch = { url: url.href, method: p.method, headers: p.headers, body: p.body, credentials: p.credentials, mode: 'cors' as const, redirect: 'follow' as const };
        return { id: p.id, opaque: p.opaque, prior: p.repeat ? [{ fetch, waitMs: 0 }] : [], fetch, markUrl: null, readHeaders: p.readHeaders, timeoutMs };
      };
      const work = new Map<string, PageWork>();
      for (const p of battery) {
        const w = work.get(p.pageOrigin) ?? { pageOrigin: p.pageOrigin, probes: [] };
        w.probes.push(toProbe(p));
        work.set(p.pageOrigin, w);
      }
      let done = 0;
      await runOnPages(engine, [...work.values()], {
        concurrency: 16,
        setupUrls: opts.policy.credentials ? cookieSetupUrls([TARGET_ORIGIN]) : [],
        onChunk: (pageOrigin, probes, chunk) => {
          const outputs = chunk.ok ? new Map(chunk.out.results.map((r) => [r.id, r])) : new Map<string, ProbeResult>();
          for (const pr of probes) {
            const p = byId.get(pr.id) as GradeProbe;
            const exchanges = session.proxy.exchanges(token(p.id));
            let obs: ProbeObservation;
            if (!chunk.ok) {
              // An attacker origin this engine will not even open cannot attack in it.
              obs = chunk.stage === 'open' && p.kind === 'attacker'
                ? { outcome: 'not-applicable', status: null, preflight: null, cookieSent: null, readable: [], reason: chunk.error }
                : { outcome: 'error', status: null, preflight: null, cookieSent: null, readable: [], reason: chunk.error };
            } else {
              obs = observe(p, outputs.get(p.id), exchanges);
            }
            (records.get(p.id) as ProbeRecord).results[id] = obs;
            if (obs.outcome === 'error' || obs.outcome === 'network-error') errors.push(`${id}: ${p.id}: ${obs.reason ?? obs.outcome}`);
            raw.push(...judgeProbe(p, obs, exchanges, id));
          }
          done += probes.length;
          opts.onProgress?.(`${id}: ${done}/${battery.length} probes (${pageOrigin})`);
        },
      });
    }),
  );

  const first = battery.find((p) => p.kind === 'intended');
  if (first) {
    const options = await optionsExchange(target, first.path, first.pageOrigin);
    if (options && getHeader(options.responseHeaders, 'access-control-allow-methods') !== null) {
      raw.push({
        category: 'options-treated-as-preflight',
        origin: first.pageOrigin,
        credentialed: false,
        engine: null,
        probe: `options/${first.path}`,
        detail: `OPTIONS ${first.path} with Origin and no Access-Control-Request-Method was answered ${options.status} with Access-Control-Allow-Methods, as a preflight (checked without a browser)`,
        evidence: [options],
      });
    }
  }
  const findings = mergeFindings(raw);
  const failing = findings.some((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK.low);
  return {
    schema: 'cors-conformance/grade@1',
    target: target.href,
    browserTarget: base,
    policy: opts.policy,
    startedAt,
    finishedAt: new Date().toISOString(),
    verdict: failing ? 'fail' : errors.length ? 'error' : 'pass',
    engines: session.engines.map((e) => e.info),
    findings,
    probes: [...records.values()],
    errors,
    notes: [
      `The browsers fetched ${base}; the local proxy forwarded each request to ${target.href}, with the target's own Host header, and recorded it as evidence.`,
      'Attacker and allowed pages are virtual origins the proxy serves; nothing left this machine.',
      'A probe the browser blocked counts as blocked only when the proxy saw the target answer; a target that failed or hung is an error, not a verdict.',
    ],
  };
}
