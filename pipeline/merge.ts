// Two witnesses of one probe, merged: the page (did the fetch resolve, what could it read,
// what did the browser log) and the wire (the proxy's log of what the browser sent and got).
// Callers decide what a contradiction between them means; this module only lines them up.
import type { FetchOutcome, ProbeResult } from '../model/probe.ts';
import { browserBlockLine } from '../model/results.ts';
import type { WireExchange } from '../model/wire.ts';
import { isCorsPreflightRequest } from '../oracle/index.ts';
import { cookieNames, TEST_COOKIE_NAMES } from './cookies.ts';

export interface Merged {
  /** The measured request, as the page saw it. */
  final: FetchOutcome;
  /** The prior requests, as the page saw them, each with whether the wire saw a preflight. */
  prior: Array<{ outcome: FetchOutcome; preflight: boolean }>;
  /** Step marks the wire saw; a probe with prior requests has one per step. */
  markers: number;
  /** The measured request's exchanges, preflights first as they came. */
  preflights: WireExchange[];
  actual: WireExchange[];
  /** Every exchange of the probe except step marks, in order (evidence). */
  exchanges: WireExchange[];
  /** The measured request carried the signed-in cookie. */
  cookieSent: boolean;
  /** The upstream failed for one of the probe's requests (refused, reset, timed out). */
  upstreamError: string | null;
  /** The browser's console lines about this probe, where the engine gives them. */
  console: string[];
  /** The browser's own words for a block, where it gives them (not the page's TypeError):
   *  the probe's console line that reports it (model/results.ts `browserBlockLine`). */
  browserReason: string | null;
  /** `self.origin` of the opaque frame the probe ran in, as that frame reported it. */
  frameOrigin: string | null;
}

export function isPreflight(e: WireExchange): boolean {
  return isCorsPreflightRequest(e.method, e.requestHeaders);
}

/** The exchanges of step `step` (prior requests come first, the measured request last). */
function stepExchanges(all: readonly WireExchange[], step: number, steps: number): WireExchange[] {
  if (steps === 1) return all.filter((e) => e.marker === undefined);
  const out: WireExchange[] = [];
  let current = -1;
  for (const e of all) {
    if (e.marker !== undefined) current = e.marker;
    else if (current === step) out.push(e);
  }
  return out;
}

export function mergeObservation(
  page: ProbeResult,
  wire: readonly WireExchange[],
  console: readonly string[],
  token: string,
  frameOrigin: string | null,
): Merged {
  const steps = page.prior.length + 1;
  const measured = stepExchanges(wire, steps - 1, steps);
  const actual = measured.filter((e) => !isPreflight(e));
  const forProbe = console.filter((line) => line.includes(token) || line.includes(encodeURIComponent(token)));
  const exchanges = wire.filter((e) => e.marker === undefined);
  return {
    final: page.final,
    prior: page.prior.map((outcome, i) => ({ outcome, preflight: stepExchanges(wire, i, steps).some(isPreflight) })),
    markers: wire.filter((e) => e.marker !== undefined).length,
    preflights: measured.filter(isPreflight),
    actual,
    exchanges,
    cookieSent: actual.some((e) => cookieNames(e.requestHeaders).some((n) => TEST_COOKIE_NAMES.includes(n))),
    upstreamError: exchanges.find((e) => e.error !== undefined)?.error ?? null,
    console: forProbe,
    browserReason: page.final.outcome === 'blocked' ? browserBlockLine(forProbe) : null,
    frameOrigin,
  };
}
