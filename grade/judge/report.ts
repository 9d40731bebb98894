// Grading's last stage, pure: what the browsers observed (the run) and what the plan checked
// without them become the findings, their root causes, each engine's cookie policy, the notes
// and the report written as grade.json. A probe blocked by the browser counts as blocked only
// when the proxy saw the target answer (observe.ts); a failure is an error, never a verdict.
import { TARGET_ORIGIN } from '../../model/virtual-origins.ts';
import { COOKIE_NAME, cookieAttributes } from '../../pipeline/cookies.ts';
import { redactHeaders, scrubDeep } from '../../servers/redact.ts';
import { secretsOf } from '../input/signed-in.ts';
import type { GradePlan } from '../plan.ts';
import type { GradeProbe } from '../probes/battery.ts';
import { cookiePolicyOf } from '../probes/cookie-policy.ts';
import type { GradeRun } from '../probes/run-probes.ts';
import type { GradedProbe, GradeReport } from '../types.ts';
import { findCauses, pathScopes } from './causes.ts';
import { configurationFor } from './configuration.ts';
import { frameworkFromHeaders } from '../../frameworks/config.ts';
import { failsGrade } from './findings.ts';
import { judgeProbe, mergeFindings, optionsFinding, type RawFinding } from './judge.ts';
import { observe } from './observe.ts';

export function judgeGrade(plan: GradePlan, run: GradeRun): GradeReport {
  const { target, tls, signedIn, cookies } = plan;
  const secrets = secretsOf(signedIn);
  const results = new Map<GradeProbe, GradedProbe['results']>();
  const raw: RawFinding[] = [...(plan.search?.unreachable ?? [])];
  const errors: string[] = [];
  // The target's own headers, for the framework they name (the first answer that names one).
  const answers = [plan.options?.exchange?.responseHeaders ?? []];
  for (const { probe: p, engine: id, observed } of run.seen) {
    const { obs, exchanges } = observe(p, observed, cookies.names);
    if (answers.length < 8) answers.push(...exchanges.slice(0, 2).map((x) => x.responseHeaders));
    results.set(p, { ...results.get(p), [id]: obs });
    if (obs.outcome === 'error' || obs.outcome === 'network-error') errors.push(`${id}: ${p.id}: ${obs.reason ?? obs.outcome}`);
    // The proxy's log is the witness: a probe without credentials must never carry the cookie.
    if (p.credentials === 'omit' && obs.cookieSent) errors.push(`${id}: ${p.id}: a request without credentials carried the cookie; not a verdict`);
    raw.push(...judgeProbe(p, obs, exchanges, id, cookies));
  }
  // A run its whole budget (--timeout) cut short says what did not run; it is never a pass.
  const incomplete = Object.entries(run.notRun).map(
    ([engine, n]) => `${engine}: ${n} of ${plan.probes.length} probes did not run: the run's budget (--timeout) ran out; what finished is reported`,
  );
  errors.push(...incomplete);
  if (plan.options) {
    const options = optionsFinding(plan.options.origin, plan.options.path, plan.options.exchange);
    if (options) raw.push(options);
  }
  // A probe's record is written out: the given header values stay in the probe, never in it.
  const probes: GradedProbe[] = plan.probes.map((p) => ({ ...p, headers: redactHeaders(p.headers, secrets), results: results.get(p) ?? {} }));
  const findings = mergeFindings(raw);
  const causes = findCauses(findings, pathScopes(plan.endpoints.policy));
  const search = plan.search
    ? {
        ...plan.search.summary,
        ms: { ...plan.search.summary.ms, confirm: run.ms },
        confirmed: probes.filter((r) => r.source === 'search' && Object.values(r.results).some((o) => o?.outcome === 'readable')).length,
      }
    : null;
  const failing = findings.some((f) => failsGrade(f.severity));
  const configuration = configurationFor(causes, plan.policy, plan.endpoints.endpoints, {
    named: plan.framework,
    told: answers.map(frameworkFromHeaders).find((f) => f !== null) ?? null,
  });
  const report: GradeReport = {
    schema: 'cors-conformance/grade@1',
    target: target.href,
    browserTarget: plan.browserTarget,
    certificate: target.protocol === 'https:' ? (tls.insecure ? 'not-checked' : 'verified') : null,
    policy: plan.policy,
    endpoints: plan.endpoints.endpoints,
    startedAt: plan.startedAt,
    finishedAt: run.finishedAt,
    verdict: incomplete.length ? 'error' : failing ? 'fail' : errors.length ? 'error' : 'pass',
    engines: run.engines,
    causes,
    findings,
    ...(configuration ? { configuration } : {}),
    signedIn: { cookies: signedIn.cookies.map((c) => c.name), requestHeaders: signedIn.requestHeaders.map(([n]) => n) },
    cookiePolicy: cookies.names.length
      ? cookiePolicyOf(
          probes,
          run.engines.map((e) => e.id),
          cookies.names,
          cookies.session,
        )
      : null,
    search,
    probes,
    errors,
    notes: notesFor(plan),
  };
  // Every given value, wherever it might still show up (a server echoing it in a readable
  // header, a browser message), is scrubbed before anything is written.
  return scrubDeep(report, secrets.values);
}

/** What the report says about how the grading was made. */
function notesFor(plan: GradePlan): string[] {
  const { target, tls, signedIn, cookies, browserTarget } = plan;
  return [
    `The browsers fetched ${browserTarget}; the local proxy forwarded each request to ${target.href}, with the target's own Host header, and recorded it as evidence.`,
    'Attacker and allowed pages are virtual origins the proxy serves; nothing left this machine.',
    ...plan.endpoints.notes,
    'A probe the browser blocked counts as blocked only when the proxy saw the target answer; a target that failed or hung is an error, not a verdict.',
    ...(target.protocol === 'https:'
      ? [
          tls.insecure
            ? "Certificate verification was OFF (--insecure): the target's certificate was not checked."
            : `The target's certificate was verified${tls.ca ? ' against the system roots and the CA given with --ca' : ' against the system roots'}.`,
        ]
      : []),
    ...(cookies.session
      ? [
          `Signed in: the cookie(s) ${cookies.names.join(', ')} (CORS_COOKIES) were put into each engine's jar for ${TARGET_ORIGIN} by a first-party navigation (${cookieAttributes(TARGET_ORIGIN)}); credentialed probes carried them as the browser decided. Their values are redacted here.`,
        ]
      : cookies.names.length
        ? [
            `No session cookie given: credentialed probes carried the test cookie ${COOKIE_NAME} (a made-up value), so no response was made with a real session.`,
          ]
        : []),
    ...(signedIn.requestHeaders.length
      ? [
          `The intended callers sent the given value of ${signedIn.requestHeaders.map(([n]) => n).join(', ')} (CORS_REQUEST_HEADERS, redacted here); attacker pages never did, as no other site holds the user's token.`,
        ]
      : []),
  ];
}
