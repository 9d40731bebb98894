// Verdicts: how what a browser did compares with what the standard requires. The two
// stay separate fields in the results; this module only compares them. A known
// divergence turns an expected difference into an expected failure, and a difference
// nothing explains is a new divergence that fails the run, as WPT expectation files do.
// The rules of known divergences are a parameter: the caller says which ones apply.
import type { CorsCase } from '../model/case.ts';
import type { Agreement, CaseRecord, EngineId, EngineResult, SpecExpectation } from '../model/results.ts';
import { ENGINE_IDS } from '../model/results.ts';

/** One engine's verdict on one case; the cross-engine comparison is added when results are folded. */
export type Verdict = Omit<Agreement, 'withEngines'>;

/** A known divergence as the verdict sees it: which engines, which cases, what differs. */
export interface DivergencePredicate {
  id: string;
  engines: readonly EngineId[];
  differences: ReadonlyArray<Agreement['differences'][number]>;
  applies(c: CorsCase): boolean;
}

type Difference = Agreement['differences'][number];

function differences(spec: SpecExpectation, result: EngineResult): Difference[] {
  const out: Difference[] = [];
  if (result.outcome !== spec.outcome) out.push('outcome');
  if (result.preflight !== spec.preflight) out.push('preflight');
  if (result.outcome === 'allowed' && spec.outcome === 'allowed' && spec.readable && result.readable) {
    const seen = result.readable.map(([n]) => n.toLowerCase()).sort();
    const want = spec.readable.map((n) => n.toLowerCase()).sort();
    if (seen.join('\n') !== want.join('\n')) out.push('readable');
  }
  // Initiators other than fetch: a tainted canvas, a muted error or unreadable cssRules.
  if (result.outcome === 'allowed' && spec.outcome === 'allowed' && spec.contentReadable !== undefined && typeof result.contentReadable === 'boolean') {
    if (result.contentReadable !== spec.contentReadable) out.push('content');
  }
  // The Origin header the server saw on the measured request, against the one the standard's
  // request carries (oracle: append a request Origin header), wherever both sent something.
  if (spec.origin !== undefined && result.server && result.server.requests > 0 && (result.server.origin ?? null) !== spec.origin) out.push('origin');
  return out;
}

function sameSet<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

/** The per-engine verdict: the first rule that names the engine and applies decides. */
export function judge(c: CorsCase, engine: EngineId, spec: SpecExpectation, result: EngineResult, rules: readonly DivergencePredicate[]): Verdict {
  if (result.outcome === 'error') return { status: 'error', differences: [] };
  const diff = differences(spec, result);
  const rule = rules.find((r) => r.engines.includes(engine) && r.applies(c));
  if (diff.length === 0) return rule ? { status: 'unexpected-agreement', differences: [], divergence: rule.id } : { status: 'agrees', differences: [] };
  if (rule && sameSet(rule.differences, diff)) return { status: 'expected-divergence', differences: diff, divergence: rule.id };
  return { status: 'new-divergence', differences: diff, ...(rule ? { divergence: rule.id } : {}) };
}

/** Explains a failing verdict in one line, for test failures and logs. */
export function describeVerdict(c: CorsCase, engine: EngineId, spec: SpecExpectation, result: EngineResult, v: Verdict): string {
  const got = `${result.outcome}${result.preflight ? ' after a preflight' : ''}`;
  const want = `${spec.outcome}${spec.preflight ? ' after a preflight' : ''}`;
  if (v.status === 'unexpected-agreement') {
    return `${c.id}: ${engine} now follows the spec (${want}); known divergence "${v.divergence}" no longer holds — update cases/divergences.ts`;
  }
  return `${c.id}: ${engine} did ${got}, the spec requires ${want} (differs in ${v.differences.join(', ')}): ${spec.reason}`;
}

function observedShape(r: EngineResult): string {
  return `${r.outcome}/${String(r.preflight)}/${String(r.contentReadable ?? '')}`;
}

/** Each engine's verdict with the cross-engine comparison: same outcome and preflight as every
 *  other engine that produced a result (and, for initiators with such a test, the same readable
 *  content). Engines without a verdict are left out. */
export function withEngines(results: CaseRecord['results'], verdicts: Partial<Record<EngineId, Verdict>>): NonNullable<CaseRecord['agreement']> {
  const out: NonNullable<CaseRecord['agreement']> = {};
  const ran = ENGINE_IDS.filter((id) => results[id] && results[id]?.outcome !== 'error');
  for (const id of ENGINE_IDS) {
    const r = results[id];
    const v = verdicts[id];
    if (!r || !v) continue;
    const others = ran.filter((o) => o !== id);
    out[id] = {
      ...v,
      withEngines: r.outcome === 'error' || others.length === 0 ? null : others.every((o) => observedShape(results[o] as EngineResult) === observedShape(r)),
    };
  }
  return out;
}
