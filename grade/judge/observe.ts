// Grading's reading of a merged observation. The proxy is the witness of what crossed the
// wire: a probe the browser blocked is a CORS verdict only if the proxy saw the target answer;
// a network failure is an error, never a verdict.
import type { WireExchange } from '../../model/wire.ts';
import { getHeader } from '../../oracle/index.ts';
import { COOKIE_NAME, cookieNames } from '../../pipeline/cookies.ts';
import { isPreflight } from '../../pipeline/merge.ts';
import type { ProbeRecord } from '../../pipeline/probe-run.ts';
import type { GradeProbe } from '../probes/battery.ts';
import type { ProbeObservation } from '../types.ts';

function none(outcome: ProbeObservation['outcome'], reason: string | null): ProbeObservation {
  return { outcome, reason, status: null, preflight: null, cookieSent: null, readable: [] };
}

/** The observation of one probe in one engine, and the exchanges that are its evidence.
 *  `cookies`: the names of the cookies set before the probes (cookieSent means the target
 *  received one of them on the actual request). */
export function observe(
  probe: GradeProbe,
  observed: ProbeRecord<unknown>['observed'],
  cookies: readonly string[] = [COOKIE_NAME],
): { obs: ProbeObservation; exchanges: WireExchange[] } {
  if (!observed.ok) {
    const f = observed.failure;
    // An attacker origin this engine will not even open cannot attack in it.
    if (f.stage === 'open' && probe.kind === 'attacker') return { obs: none('not-applicable', f.error), exchanges: [] };
    return { obs: none('error', f.stage === 'missing' ? 'the page returned no result' : f.error), exchanges: [] };
  }
  const m = observed.merged;
  const exchanges = m.exchanges;
  const f = m.final;
  if (f.outcome === 'error') {
    return { obs: m.upstreamError !== null ? none('network-error', `the target failed: ${m.upstreamError}`) : none('error', f.error), exchanges };
  }
  const actual = exchanges.filter((e) => !isPreflight(e));
  const last = actual[actual.length - 1];
  const common = {
    preflight: m.preflights.length > 0,
    cookieSent: actual.length ? actual.some((e) => cookieNames(e.requestHeaders).some((n) => cookies.includes(n))) : null,
  };
  if (f.outcome === 'allowed') return { obs: { ...common, outcome: 'readable', status: f.status, readable: f.readable, reason: null }, exchanges };
  if (m.upstreamError !== null || (last && last.status === null)) {
    return {
      obs: { ...common, outcome: 'network-error', status: null, readable: [], reason: `the target failed: ${m.upstreamError ?? 'no response'}` },
      exchanges,
    };
  }
  if (!exchanges.length)
    return {
      obs: { ...common, outcome: 'error', status: null, readable: [], reason: `the browser sent nothing (${f.error ?? 'no reason'}); not a CORS verdict` },
      exchanges,
    };
  return {
    obs: { ...common, outcome: 'blocked', status: last?.status ?? exchanges[exchanges.length - 1]?.status ?? null, readable: [], reason: f.error },
    exchanges,
  };
}

/** The response that decided a probe: the actual one, or the preflight when it never got that far. */
export function decidingAcao(exchanges: readonly WireExchange[]): string | null {
  const deciding = exchanges.at(-1);
  return deciding ? getHeader(deciding.responseHeaders, 'access-control-allow-origin') : null;
}
