// Verdicts: how what a browser did compares with what the standard requires. The two
// stay separate fields in the results; this module only compares them. A known
// divergence turns an expected difference into an expected failure, and a difference
// nothing explains is a new divergence that fails the run, as WPT expectation files do.
import type { CorsCase } from '../model/case.ts';
import type { Agreement, CaseRecord, EngineId, EngineResult, EngineSummary, SpecExpectation } from '../model/results.ts';
import { ENGINE_IDS } from '../model/results.ts';
import { KNOWN_DIVERGENCES, type DivergenceRule } from '../cases/divergences.ts';

export type Difference = Agreement['differences'][number];

export function differences(spec: SpecExpectation, result: EngineResult): Difference[] {
  const out: Difference[] = [];
  if (result.outcome !== spec.outcome) out.push('outcome');
  if (result.preflight !== spec.preflight) out.push('preflight');
  if (result.outcome === 'allowed' && spec.outcome === 'allowed' && spec.readable && result.readable) {
    const seen = result.readable.map(([n]) => n.toLowerCase()).sort();
    const want = spec.readable.map((n) => n.toLowerCase()).sort();
    if (seen.join('\n') !== want.join('\n')) out.push('readable');
  }
  return out;
}

function sameSet<T>(a: T[], b: T[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

/** The per-engine verdict, without the cross-engine comparison. */
export function judge(c: CorsCase, engine: EngineId, spec: SpecExpectation, result: EngineResult, rules: readonly DivergenceRule[] = KNOWN_DIVERGENCES): Agreement {
  if (result.outcome === 'error') return { status: 'error', differences: [], withEngines: null };
  const diff = differences(spec, result);
  const rule = rules.find((r) => r.engines.includes(engine) && r.applies(c));
  if (diff.length === 0) {
    return rule
      ? { status: 'unexpected-agreement', differences: [], divergence: rule.id, withEngines: null }
      : { status: 'agrees', differences: [], withEngines: null };
  }
  if (rule && sameSet(rule.differences, diff)) return { status: 'expected-divergence', differences: diff, divergence: rule.id, withEngines: null };
  return { status: 'new-divergence', differences: diff, ...(rule ? { divergence: rule.id } : {}), withEngines: null };
}

/** Explains a failing verdict in one line, for test failures and logs. */
export function describeVerdict(c: CorsCase, engine: EngineId, spec: SpecExpectation, result: EngineResult, a: Agreement): string {
  const got = `${result.outcome}${result.preflight ? ' after a preflight' : ''}`;
  const want = `${spec.outcome}${spec.preflight ? ' after a preflight' : ''}`;
  if (a.status === 'unexpected-agreement') {
    return `${c.id}: ${engine} now follows the spec (${want}); known divergence "${a.divergence}" no longer holds — update cases/divergences.ts`;
  }
  return `${c.id}: ${engine} did ${got}, the spec requires ${want} (differs in ${a.differences.join(', ')}): ${spec.reason}`;
}

function observedShape(r: EngineResult): string {
  return `${r.outcome}/${String(r.preflight)}`;
}

/** Fills in agreement for every engine of a record, the cross-engine comparison included. */
export function agreementFor(record: CaseRecord): CaseRecord['agreement'] {
  if (!record.spec) return undefined;
  const out: NonNullable<CaseRecord['agreement']> = {};
  const ran = ENGINE_IDS.filter((id) => record.results[id] && record.results[id]?.outcome !== 'error');
  for (const id of ENGINE_IDS) {
    const r = record.results[id];
    if (!r) continue;
    const a = judge(record, id, record.spec, r);
    const others = ran.filter((o) => o !== id);
    a.withEngines = r.outcome === 'error' || others.length === 0 ? null : others.every((o) => observedShape(record.results[o] as EngineResult) === observedShape(r));
    out[id] = a;
  }
  return out;
}

export function summarize(records: CaseRecord[]): Partial<Record<EngineId, EngineSummary>> {
  const out: Partial<Record<EngineId, EngineSummary>> = {};
  for (const rec of records) {
    for (const [id, a] of Object.entries(rec.agreement ?? {}) as Array<[EngineId, Agreement]>) {
      const s = (out[id] ??= { cases: 0, agrees: 0, expectedDivergences: 0, newDivergences: 0, unexpectedAgreements: 0, errors: 0, agreesWithEngines: 0 });
      s.cases++;
      if (a.status === 'agrees') s.agrees++;
      else if (a.status === 'expected-divergence') s.expectedDivergences++;
      else if (a.status === 'new-divergence') s.newDivergences++;
      else if (a.status === 'unexpected-agreement') s.unexpectedAgreements++;
      else s.errors++;
      if (a.withEngines) s.agreesWithEngines++;
    }
  }
  return out;
}
