// Grading a real server: the battery derived from the policy runs through the probe path
// (pipeline/probe-run.ts) in real engines, from virtual attacker and allowed origins, against
// the target reached through the proxy; findings come from what the browsers could read.
import { randomBytes } from 'node:crypto';
import { runProbes, type ProbeRequest } from '../pipeline/probe-run.ts';
import type { ProxyRoute } from '../servers/proxy.ts';
import { buildBattery, type GradeProbe } from './probes/battery.ts';
import { failsGrade } from './judge/findings.ts';
import { findCauses, pathScopes } from './judge/causes.ts';
import { planSearch, type SearchPlan } from './search/search.ts';
import { type CookieSetup, judgeProbe, mergeFindings, optionsFinding, type RawFinding } from './judge/judge.ts';
import { observe } from './judge/observe.ts';
import { TARGET_ORIGIN } from '../model/virtual-origins.ts';
import type { Policy } from './input/policy.ts';
import { type EndpointPlan, resolveEndpoints } from './input/endpoints.ts';
import type { GradeSession } from '../pipeline/session.ts';
import { checkTargetAnswers, optionsExchange, parseTarget } from '../pipeline/target.ts';
import type { GradedProbe, GradeReport } from './types.ts';
import { PROBE_TOKEN_PARAM, type TargetTls, VERIFY_TLS } from '../model/wire.ts';
import { COOKIE_NAME, cookieAttributes, sessionSetCookies } from '../pipeline/cookies.ts';
import { redactHeaders, scrubDeep } from '../servers/redact.ts';
import { cookiePolicyOf, cookieProbes } from './probes/cookie-policy.ts';
import { NOT_SIGNED_IN, secretsOf, type SignedIn } from './input/signed-in.ts';

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
  /** The signed-in user's cookies and request header values (grade/input/signed-in.ts); none by default. */
  signedIn?: SignedIn;
  /** The endpoints to probe and their rules (with --openapi); by default the policy's own. */
  endpoints?: EndpointPlan;
}

/** Grading probes run fewer at a time than fixture cases: a real server is slower to answer. */
const GRADE_CONCURRENCY = 16;

/** A battery probe and the record its observations go into. */
interface Graded {
  probe: GradeProbe;
  record: GradedProbe;
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
  const signedIn = opts.signedIn ?? NOT_SIGNED_IN;
  const secrets = secretsOf(signedIn);
  const plan = opts.endpoints ?? resolveEndpoints(opts.policy);
  const fixed = buildBattery(opts.policy, plan, signedIn.requestHeaders);
  const tls = opts.tls ?? VERIFY_TLS;
  // The user's session cookies when given; else the test cookie when a path has credentials.
  const withSession = signedIn.cookies.length > 0;
  const anyCredentials = plan.endpoints.some((e) => e.rules.credentials);
  const cookies: CookieSetup = withSession
    ? { names: signedIn.cookies.map((c) => c.name), session: true }
    : { names: anyCredentials ? [COOKIE_NAME] : [], session: false };
  await checkTargetAnswers(target, plan.endpoints[0]?.path ?? '/', tls);
  const search = opts.noSearch ? null : (opts.search ?? (await planSearch(target, opts.policy, fixed, tls, plan)));
  if (search)
    opts.onProgress?.(
      `search: ${search.summary.candidates} candidates, ${search.summary.flagged} flagged by the screen, ${search.probes.length} to confirm in the browsers`,
    );
  // With a cookie in the jar: each engine's cookie policy, and the attacker it leaves (a sibling on the target's site).
  const withCookie = cookieProbes(plan, withSession);
  const battery = [...fixed, ...(search?.probes ?? []), ...withCookie];
  const confirmStarted = performance.now();
  const runId = randomBytes(4).toString('hex');
  const pageOrigins = new Set(battery.map((p) => p.pageOrigin));
  const routes: ProxyRoute[] = [
    {
      origin: TARGET_ORIGIN,
      upstream: target.origin,
      // The cookie-policy control runs in a page on the target itself.
      probePage: pageOrigins.has(TARGET_ORIGIN),
      rewriteHost: true,
      upstreamTls: tls,
      sessionCookies: sessionSetCookies(TARGET_ORIGIN, signedIn.cookies),
      secrets,
    },
    ...[...pageOrigins].filter((o) => o !== TARGET_ORIGIN).map((origin) => ({ origin, upstream: null, probePage: true })),
  ];
  await session.proxy.setRoutes(routes);
  const base = `${TARGET_ORIGIN}${target.pathname.replace(/\/+$/, '')}`;
  // A probe's record is written out: the given header values stay in the probe, never in it.
  const graded: Graded[] = battery.map((probe) => ({ probe, record: { ...probe, headers: redactHeaders(probe.headers, secrets), results: {} } }));
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
        cookieOrigins: !withSession && anyCredentials ? [TARGET_ORIGIN] : [],
        sessionOrigins: withSession ? [TARGET_ORIGIN] : [],
        concurrency: GRADE_CONCURRENCY,
        timeoutMs: opts.timeoutMs ?? 10_000,
        onRecords: (chunk, pageOrigin) => {
          for (const r of chunk) {
            const { probe: p, record } = r.request.subject;
            const { obs, exchanges } = observe(p, r.observed, cookies.names);
            record.results[id] = obs;
            if (obs.outcome === 'error' || obs.outcome === 'network-error') errors.push(`${id}: ${p.id}: ${obs.reason ?? obs.outcome}`);
            // The proxy's log is the witness: a probe without credentials must never carry the cookie.
            if (p.credentials === 'omit' && obs.cookieSent) errors.push(`${id}: ${p.id}: a request without credentials carried the cookie; not a verdict`);
            raw.push(...judgeProbe(p, obs, exchanges, id, cookies));
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
  const causes = findCauses(findings, pathScopes(plan.policy));
  const summary = search ? { ...search.summary, ms: { ...search.summary.ms, confirm: Math.round(performance.now() - confirmStarted) } } : null;
  if (summary)
    summary.confirmed = graded.filter((g) => g.probe.source === 'search' && Object.values(g.record.results).some((o) => o?.outcome === 'readable')).length;
  const failing = findings.some((f) => failsGrade(f.severity));
  const report: GradeReport = {
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
    signedIn: { cookies: signedIn.cookies.map((c) => c.name), requestHeaders: signedIn.requestHeaders.map(([n]) => n) },
    cookiePolicy: cookies.names.length
      ? cookiePolicyOf(
          graded.map((g) => g.record),
          session.engines.map((e) => e.info.id),
          cookies.names,
          cookies.session,
        )
      : null,
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
      ...(withSession
        ? [
            `Signed in: the cookie(s) ${cookies.names.join(', ')} (--cookie) were put into each engine's jar for ${TARGET_ORIGIN} by a first-party navigation (${cookieAttributes(TARGET_ORIGIN)}); credentialed probes carried them as the browser decided. Their values are redacted here.`,
          ]
        : anyCredentials
          ? [`No --cookie: credentialed probes carried the test cookie ${COOKIE_NAME} (a made-up value), so no response was made with a real session.`]
          : []),
      ...(signedIn.requestHeaders.length
        ? [
            `The intended callers sent the given value of ${signedIn.requestHeaders.map(([n]) => n).join(', ')} (--request-header, redacted here); attacker pages never did, as no other site holds the user's token.`,
          ]
        : []),
    ],
  };
  // Every given value, wherever it might still show up (a server echoing it in a readable
  // header, a browser message), is scrubbed before anything is written.
  return scrubDeep(report, secrets.values);
}
