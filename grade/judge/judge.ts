// Findings from observations: each probe in each engine gives raw findings, and the same
// finding seen in several engines becomes one, naming them all.
import type { EngineId } from '../../model/results.ts';
import type { WireExchange } from '../../model/wire.ts';
import { getHeader } from '../../oracle/index.ts';
import { cookieNames } from '../../pipeline/cookies.ts';
import { isPreflight } from '../../pipeline/merge.ts';
import type { GradeProbe } from '../probes/battery.ts';
import { CATEGORIES, SEVERITY_RANK, severityFor, type FindingCategory } from './findings.ts';
import { decidingAcao } from './observe.ts';
import type { Finding, ProbeObservation, SessionUse } from '../types.ts';

/** The cookies set before the probes: the user's session (CORS_COOKIES), or the test cookie. */
export interface CookieSetup {
  names: string[];
  /** true: the user's session cookies; false: the test cookie, or none. */
  session: boolean;
}

export const TEST_COOKIE_SETUP: CookieSetup = { names: [], session: false };

export interface RawFinding {
  category: FindingCategory;
  origin: string;
  imitates: string | null;
  credentialed: boolean;
  /** The path probed, as appended to --target. */
  path: string;
  /** null: seen from outside the browsers. */
  engine: EngineId | null;
  probe: string;
  detail: string;
  evidence: WireExchange[];
  /** For a credentialed attacker read: whether it was made with the user's session. */
  session?: SessionUse | null;
}

/** Whether a credentialed read was made with the user's session, and how to say it. */
function sessionOf(obs: ProbeObservation, exchanges: readonly WireExchange[], cookies: CookieSetup): { use: SessionUse; text: string } {
  const sent = [...new Set(exchanges.filter((e) => !isPreflight(e)).flatMap((e) => cookieNames(e.requestHeaders)))].filter((n) => cookies.names.includes(n));
  const list = (names: string[]) => `cookie${names.length > 1 ? 's' : ''} ${names.join(', ')}`;
  if (cookies.session) {
    return obs.cookieSent && sent.length
      ? { use: 'sent', text: ` with the user's session (${list(sent)} sent)` }
      : { use: 'not-sent', text: ` with credentials but without the user's session: the browser did not send ${list(cookies.names)} (its cookie policy)` };
  }
  // Whether the test cookie went along differs by engine; the cookie policy says it once per engine.
  return { use: 'no-session', text: ' with credentials, without a session (no session cookie given)' };
}

/** A dynamic Access-Control-Allow-Origin (the request's own Origin) without Vary: Origin. */
function missingVary(exchanges: readonly WireExchange[]): string | null {
  for (const e of exchanges) {
    if (isPreflight(e) || e.status === null) continue;
    const a = getHeader(e.responseHeaders, 'access-control-allow-origin');
    const vary = (getHeader(e.responseHeaders, 'vary') ?? '').toLowerCase();
    if (a && a !== '*' && a === getHeader(e.requestHeaders, 'origin') && !/(^|,)\s*(origin|\*)\s*(,|$)/.test(vary)) {
      return `the response answered Access-Control-Allow-Origin: ${a} for that Origin without Vary: Origin`;
    }
  }
  return null;
}

export function judgeProbe(
  probe: GradeProbe,
  obs: ProbeObservation,
  exchanges: WireExchange[],
  engine: EngineId,
  cookies: CookieSetup = TEST_COOKIE_SETUP,
): RawFinding[] {
  // Cookie-policy probes measure the browser, not the server.
  if ((obs.outcome !== 'readable' && obs.outcome !== 'blocked') || probe.kind === 'cookie-policy') return [];
  const credentialed = probe.credentials === 'include';
  const raw = (category: FindingCategory, detail: string): RawFinding => ({
    category,
    origin: probe.sentOrigin,
    imitates: probe.kind === 'attacker' ? probe.imitates : null,
    credentialed,
    path: probe.path,
    engine,
    probe: probe.id,
    detail,
    evidence: exchanges,
  });
  const out: RawFinding[] = [];
  const vary = missingVary(exchanges);
  if (vary) out.push(raw('missing-vary', vary));
  const last = exchanges.filter((e) => !isPreflight(e)).at(-1);
  const acao = decidingAcao(exchanges);
  switch (probe.kind) {
    case 'intended':
      if (obs.outcome === 'blocked') {
        if (credentialed && acao === '*')
          out.push(raw('wildcard-with-credentials', 'the credentialed request was blocked: the response said Access-Control-Allow-Origin: *'));
        else
          out.push(
            raw(
              'intended-use-blocked',
              `the browser blocked it: ${obs.reason ?? 'no reason given'}${acao ? ` (Access-Control-Allow-Origin: ${acao})` : ' (no Access-Control-Allow-Origin)'}`,
            ),
          );
      } else {
        const readable = new Set(obs.readable.map(([n]) => n.toLowerCase()));
        for (const name of probe.readHeaders) {
          const sent = last ? getHeader(last.responseHeaders, name.toLowerCase()) : null;
          if (sent !== null && !readable.has(name.toLowerCase()))
            out.push(raw('exposed-header-missing', `${name} was in the response but the page could not read it`));
        }
      }
      break;
    case 'preflight-cache':
      if (obs.outcome === 'readable' && obs.preflight) out.push(raw('preflight-not-cached', 'the second request sent a new preflight'));
      break;
    case 'attacker':
      if (probe.expect === 'blocked' && obs.outcome === 'readable') {
        const session = credentialed ? sessionOf(obs, exchanges, cookies) : null;
        out.push({
          ...raw(probe.category, `the page read the response (status ${obs.status})${session?.text ?? ''}`),
          session: session?.use ?? null,
        });
      }
      break;
    case 'error-response':
      if (obs.outcome === 'blocked' && (obs.status ?? 0) >= 400) {
        // An error response that says "*" to a credentialed request has CORS headers: the
        // wildcard is what blocks it.
        if (credentialed && acao === '*')
          out.push(raw('wildcard-with-credentials', `the ${obs.status} response said Access-Control-Allow-Origin: * to a credentialed request`));
        else out.push(raw('error-response-without-cors', `the ${obs.status} response was blocked`));
      }
      break;
    case 'reflection':
      if (obs.outcome === 'readable')
        out.push(
          raw(
            probe.headers.length ? 'reflected-request-header' : 'reflected-method',
            `the browser allowed ${probe.method}${probe.headers.length ? ` with ${probe.headers.map(([n]) => n).join(', ')}` : ''}`,
          ),
        );
      break;
  }
  return out;
}

/** An OPTIONS request that is not a preflight got a preflight's answer (checked without a browser). */
export function optionsFinding(origin: string, path: string, options: WireExchange | null): RawFinding | null {
  if (!options || getHeader(options.responseHeaders, 'access-control-allow-methods') === null) return null;
  return {
    category: 'options-treated-as-preflight',
    origin,
    imitates: null,
    credentialed: false,
    path,
    engine: null,
    probe: `options/${path}`,
    detail: `OPTIONS ${path} with Origin and no Access-Control-Request-Method was answered ${options.status} with Access-Control-Allow-Methods, as a preflight (checked without a browser)`,
    evidence: [options],
  };
}

export function mergeFindings(raw: RawFinding[]): Finding[] {
  const byKey = new Map<string, Finding>();
  for (const r of raw) {
    // An engine that read with the session and one that read without it are two findings.
    const key = `${r.category} ${r.origin} ${r.credentialed} ${r.path} ${r.category === 'missing-vary' ? '' : r.probe} ${r.session ?? ''}`;
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
      imitates: r.imitates,
      engines: r.engine ? [r.engine] : [],
      credentialed: r.credentialed,
      path: r.path,
      probe: r.probe,
      detail: r.detail,
      evidence: r.evidence,
      fix: info.fix,
      session: r.session ?? null,
    });
  }
  return [...byKey.values()].sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.category.localeCompare(b.category));
}
