// What changed between two results files, by case and by engine: outcome, preflight and
// agreement per engine, cases added and removed, engine versions. Used by the CLI
// (`npm run diff -- old.json new.json`) and by the report's "Changes since baseline".
import { pathToFileURL } from 'node:url';
import type { Agreement, CaseRecord, EngineId, EngineInfo, EngineResult, ResultsFile } from '../model/results.ts';
import { ENGINE_IDS } from '../model/results.ts';
import { loadResults } from './load.ts';

export interface Observed {
  outcome: EngineResult['outcome'];
  preflight: boolean | null;
  agreement: Agreement['status'] | null;
}

export type ChangeKind = 'outcome' | 'preflight' | 'agreement' | 'added' | 'removed';

export interface EngineCaseChange {
  engine: EngineId;
  from: Observed | null;
  to: Observed | null;
  changed: ChangeKind[];
}

export interface CaseChange {
  id: string;
  title: string;
  /** The spec model's expectation changed (outcome/preflight), e.g. after an oracle fix. */
  spec: { from: string; to: string } | null;
  engines: EngineCaseChange[];
}

export interface EngineInfoChange {
  engine: EngineId;
  field: 'present' | 'name' | 'version' | 'driver' | 'build';
  from: string | null;
  to: string | null;
}

export interface EngineTally {
  outcome: number;
  preflight: number;
  agreement: number;
  added: number;
  removed: number;
}

export interface ResultsDiff {
  old: { updatedAt: string; cases: number };
  new: { updatedAt: string; cases: number };
  engines: EngineInfoChange[];
  added: string[];
  removed: string[];
  changed: CaseChange[];
  byEngine: Partial<Record<EngineId, EngineTally>>;
}

function observed(c: CaseRecord, engine: EngineId): Observed | null {
  const r = c.results[engine];
  if (!r) return null;
  return { outcome: r.outcome, preflight: r.preflight, agreement: c.agreement?.[engine]?.status ?? null };
}

function specShape(c: CaseRecord): string {
  return c.spec ? `${c.spec.outcome}${c.spec.preflight ? ' after a preflight' : ''}` : 'no expectation';
}

const INFO_FIELDS = ['name', 'version', 'driver', 'build'] as const;

function engineChanges(a: EngineInfo[], b: EngineInfo[]): EngineInfoChange[] {
  const out: EngineInfoChange[] = [];
  for (const engine of ENGINE_IDS) {
    const x = a.find((e) => e.id === engine);
    const y = b.find((e) => e.id === engine);
    if (!x && !y) continue;
    if (!x || !y) {
      out.push({ engine, field: 'present', from: x ? `${x.name} ${x.version}` : null, to: y ? `${y.name} ${y.version}` : null });
      continue;
    }
    for (const field of INFO_FIELDS) if (x[field] !== y[field]) out.push({ engine, field, from: x[field], to: y[field] });
  }
  return out;
}

export function diffResults(before: ResultsFile, after: ResultsFile): ResultsDiff {
  const oldById = new Map(before.cases.map((c) => [c.id, c]));
  const newById = new Map(after.cases.map((c) => [c.id, c]));
  const byEngine: Partial<Record<EngineId, EngineTally>> = {};
  const tally = (e: EngineId): EngineTally => (byEngine[e] ??= { outcome: 0, preflight: 0, agreement: 0, added: 0, removed: 0 });
  const changed: CaseChange[] = [];
  for (const c of after.cases) {
    const o = oldById.get(c.id);
    if (!o) continue;
    const engines: EngineCaseChange[] = [];
    for (const engine of ENGINE_IDS) {
      const from = observed(o, engine);
      const to = observed(c, engine);
      if (!from && !to) continue;
      const kinds: ChangeKind[] = [];
      if (!from) kinds.push('added');
      else if (!to) kinds.push('removed');
      else {
        if (from.outcome !== to.outcome) kinds.push('outcome');
        if (from.preflight !== to.preflight) kinds.push('preflight');
        if (from.agreement !== to.agreement) kinds.push('agreement');
      }
      if (!kinds.length) continue;
      for (const k of kinds) tally(engine)[k]++;
      engines.push({ engine, from, to, changed: kinds });
    }
    const spec = specShape(o) !== specShape(c) ? { from: specShape(o), to: specShape(c) } : null;
    if (engines.length || spec) changed.push({ id: c.id, title: c.title, spec, engines });
  }
  return {
    old: { updatedAt: before.updatedAt, cases: before.cases.length },
    new: { updatedAt: after.updatedAt, cases: after.cases.length },
    engines: engineChanges(before.engines, after.engines),
    added: after.cases.filter((c) => !oldById.has(c.id)).map((c) => c.id),
    removed: before.cases.filter((c) => !newById.has(c.id)).map((c) => c.id),
    changed,
    byEngine,
  };
}

function shape(o: Observed | null): string {
  if (!o) return 'not run';
  const pf = o.preflight === null ? 'preflight unknown' : o.preflight ? 'preflight' : 'no preflight';
  return `${o.outcome}, ${pf}${o.agreement ? `, ${o.agreement}` : ''}`;
}

export function isEmptyDiff(d: ResultsDiff): boolean {
  return !d.engines.length && !d.added.length && !d.removed.length && !d.changed.length;
}

export function formatDiff(d: ResultsDiff, names: { old: string; new: string } = { old: 'old', new: 'new' }): string {
  const out: string[] = [];
  out.push(`cors-conformance diff: ${names.old} (${d.old.cases} cases, ${d.old.updatedAt}) → ${names.new} (${d.new.cases} cases, ${d.new.updatedAt})`);
  if (isEmptyDiff(d)) {
    out.push('No changes.');
    return out.join('\n');
  }
  out.push('', 'Engines:');
  if (!d.engines.length) out.push('  unchanged');
  for (const e of d.engines) out.push(`  ${e.engine}: ${e.field} ${e.from ?? '(absent)'} → ${e.to ?? '(absent)'}`);
  out.push('', `Cases: ${d.added.length} added, ${d.removed.length} removed, ${d.changed.length} changed`);
  for (const id of d.added) out.push(`  + ${id}`);
  for (const id of d.removed) out.push(`  - ${id}`);
  out.push('', 'By engine:');
  const engines = ENGINE_IDS.filter((e) => d.byEngine[e]);
  if (!engines.length) out.push('  no result changed');
  for (const e of engines) {
    const t = d.byEngine[e] as EngineTally;
    out.push(`  ${e}: ${t.outcome} outcome, ${t.preflight} preflight, ${t.agreement} agreement changed; ${t.added} results added, ${t.removed} removed`);
  }
  if (d.changed.length) out.push('', 'By case:');
  for (const c of d.changed) {
    out.push(`  ${c.id}`);
    if (c.spec) out.push(`    spec: ${c.spec.from} → ${c.spec.to}`);
    for (const e of c.engines) out.push(`    ${e.engine} [${e.changed.join(', ')}]: ${shape(e.from)} → ${shape(e.to)}`);
  }
  return out.join('\n');
}

function main(argv: string[]): number {
  const [oldPath, newPath] = argv;
  if (!oldPath || !newPath) {
    console.error('usage: tsx report/diff.ts <old results.json> <new results.json>');
    return 2;
  }
  console.log(formatDiff(diffResults(loadResults(oldPath), loadResults(newPath)), { old: oldPath, new: newPath }));
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) process.exitCode = main(process.argv.slice(2));
