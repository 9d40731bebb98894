// What the report page needs besides the results file itself, computed once here in Node:
// the check of the stored summary against the cases, divergences grouped by known
// divergence, the topic illustrations, the claims' verdicts, the reproduction snippets and
// the diff against a baseline. The page renders these and the results; it computes no
// verdicts of its own.
import { TOPICS, type Topic } from '../model/case.ts';
import { initiatorLabel } from '../model/initiators.ts';
import type { Agreement, CaseRecord, EngineId, EngineSummary, KnownDivergence, ResultsFile } from '../model/results.ts';
import { EMPTY_SUMMARY, ENGINE_IDS } from '../model/results.ts';
import { evaluateClaims, type EvaluatedClaim } from './claims.ts';
import type { ResultsDiff } from './diff.ts';
import { initiatorSummaries, type InitiatorSummary } from './initiator-standards.ts';
import { initiatorRows, type InitiatorRow } from './initiators.ts';
import { loadTables, type LoadTable } from './loads.ts';
import { reproduce, type Reproduction } from './reproduce.ts';
import { TOPIC_TEXT, type TopicText } from './topics.ts';

export interface SummaryCheck {
  engine: EngineId;
  /** As stored in results.summary (null when the file has none). */
  stored: EngineSummary | null;
  /** Counted from cases[].agreement. */
  counted: EngineSummary;
  /** Names of the fields where stored and counted differ. */
  mismatches: Array<keyof EngineSummary>;
}

export interface DivergenceGroup extends KnownDivergence {
  /** false: a case names this id but results.divergences[] does not list it. */
  listed: boolean;
  cases: Array<{ id: string; engine: EngineId; differences: Agreement['differences'] }>;
}

export interface CaseEngineRef {
  id: string;
  engine: EngineId;
  differences: Agreement['differences'];
  divergence?: string;
}

export interface TopicView extends TopicText {
  id: Topic;
  cases: number;
  specAllowed: number;
  specBlocked: number;
  specPreflight: number;
  /** Rows where some engine's status is not `agrees`. */
  divergent: number;
  /** Rows where the engines did not all do the same. */
  enginesDisagree: number;
  /** Ids of two or three rows that show the topic. */
  examples: string[];
}

export interface ReportView {
  generatedAt: string;
  source: string;
  summary: SummaryCheck[];
  expectedDivergences: DivergenceGroup[];
  newDivergences: CaseEngineRef[];
  unexpectedAgreements: CaseEngineRef[];
  errors: CaseEngineRef[];
  topics: TopicView[];
  /** The initiators topic's table: per initiator form, what each engine was seen to do. */
  initiators: InitiatorRow[];
  /** The same questions as the standards answer them (oracle/initiators.ts), one row per API. */
  initiatorStandard: InitiatorSummary[];
  /** Parallel to results.cases: each case's initiator in words (model/case.ts initiatorLabel). */
  initiatorLabels: string[];
  /** The tables of the topics about loads that fail for reasons other than CORS (report/loads.ts). */
  loads: LoadTable[];
  claims: EvaluatedClaim[];
  /** Parallel to results.cases. */
  reproduce: Reproduction[];
  baseline: { source: string; diff: ResultsDiff } | null;
}

export interface ReportData {
  results: ResultsFile;
  view: ReportView;
}

const SUMMARY_FIELDS: Array<keyof EngineSummary> = [
  'cases',
  'agrees',
  'expectedDivergences',
  'newDivergences',
  'unexpectedAgreements',
  'errors',
  'agreesWithEngines',
];

const STATUS_FIELD: Record<Agreement['status'], Exclude<keyof EngineSummary, 'cases' | 'agreesWithEngines'>> = {
  agrees: 'agrees',
  'expected-divergence': 'expectedDivergences',
  'new-divergence': 'newDivergences',
  'unexpected-agreement': 'unexpectedAgreements',
  error: 'errors',
};

export function ranEngines(results: ResultsFile): EngineId[] {
  return ENGINE_IDS.filter((id) => results.engines.some((e) => e.id === id) || results.cases.some((c) => c.results[id]));
}

/**
 * Per engine, the cases' stored `agreement` statuses counted: what the report checks the
 * stored summary against, and shows when a file has none. It reads verdicts, never makes them.
 */
export function countAgreements(cases: readonly CaseRecord[]): Partial<Record<EngineId, EngineSummary>> {
  const out: Partial<Record<EngineId, EngineSummary>> = {};
  for (const c of cases) {
    for (const [engine, a] of agreements(c)) {
      const n = out[engine] ?? { ...EMPTY_SUMMARY };
      out[engine] = n;
      n.cases++;
      n[STATUS_FIELD[a.status]]++;
      if (a.withEngines === true) n.agreesWithEngines++;
    }
  }
  return out;
}

/** The stored summary, which the report shows, beside the counts from the cases. */
export function checkSummary(results: ResultsFile): SummaryCheck[] {
  const counted = countAgreements(results.cases);
  return ranEngines(results).map((engine) => {
    const stored = results.summary?.[engine] ?? null;
    const c = counted[engine] ?? EMPTY_SUMMARY;
    return { engine, stored, counted: c, mismatches: stored ? SUMMARY_FIELDS.filter((f) => stored[f] !== c[f]) : [] };
  });
}

function agreements(c: CaseRecord): Array<[EngineId, Agreement]> {
  return ENGINE_IDS.flatMap((e) => {
    const a = c.agreement?.[e];
    return a ? [[e, a] as [EngineId, Agreement]] : [];
  });
}

function divergenceLists(results: ResultsFile): Pick<ReportView, 'expectedDivergences' | 'newDivergences' | 'unexpectedAgreements' | 'errors'> {
  const groups = new Map<string, DivergenceGroup>();
  for (const d of results.divergences ?? []) groups.set(d.id, { ...d, listed: true, cases: [] });
  const out: Pick<ReportView, 'newDivergences' | 'unexpectedAgreements' | 'errors'> = { newDivergences: [], unexpectedAgreements: [], errors: [] };
  for (const c of results.cases) {
    for (const [engine, a] of agreements(c)) {
      const ref: CaseEngineRef = { id: c.id, engine, differences: a.differences, ...(a.divergence ? { divergence: a.divergence } : {}) };
      if (a.status === 'expected-divergence') {
        const key = a.divergence ?? '(no id)';
        let g = groups.get(key);
        if (!g) {
          g = { id: key, title: 'Not listed in results.divergences', engines: [], evidence: [], observed: '', listed: false, cases: [] };
          groups.set(key, g);
        }
        g.cases.push({ id: c.id, engine, differences: a.differences });
      } else if (a.status === 'new-divergence') out.newDivergences.push(ref);
      else if (a.status === 'unexpected-agreement') out.unexpectedAgreements.push(ref);
      else if (a.status === 'error') out.errors.push(ref);
    }
  }
  return { expectedDivergences: [...groups.values()], ...out };
}

function pickExamples(cases: CaseRecord[]): string[] {
  const picked: CaseRecord[] = [];
  const add = (c: CaseRecord | undefined): void => {
    if (c && !picked.includes(c) && picked.length < 3) picked.push(c);
  };
  add(cases.find((c) => agreements(c).some(([, a]) => a.status !== 'agrees')));
  add(cases.find((c) => c.spec?.outcome === 'allowed' && !picked.includes(c)));
  add(cases.find((c) => c.spec?.outcome === 'blocked' && !picked.includes(c)));
  add(cases.find((c) => c.spec?.preflight && !picked.includes(c)));
  for (const c of cases) add(c);
  return picked.map((c) => c.id);
}

function topicViews(results: ResultsFile): TopicView[] {
  return TOPICS.map((id) => {
    const cases = results.cases.filter((c) => c.group === id);
    return {
      id,
      ...TOPIC_TEXT[id],
      cases: cases.length,
      specAllowed: cases.filter((c) => c.spec?.outcome === 'allowed').length,
      specBlocked: cases.filter((c) => c.spec?.outcome === 'blocked').length,
      specPreflight: cases.filter((c) => c.spec?.preflight).length,
      divergent: cases.filter((c) => agreements(c).some(([, a]) => a.status !== 'agrees')).length,
      enginesDisagree: cases.filter((c) => agreements(c).some(([, a]) => a.withEngines === false)).length,
      examples: pickExamples(cases),
    };
  });
}

export function buildView(results: ResultsFile, opts: { source: string; baseline?: { source: string; diff: ResultsDiff } }): ReportView {
  return {
    generatedAt: new Date().toISOString(),
    source: opts.source,
    summary: checkSummary(results),
    ...divergenceLists(results),
    topics: topicViews(results),
    initiators: initiatorRows(results),
    initiatorStandard: initiatorSummaries(),
    initiatorLabels: results.cases.map((c) => initiatorLabel(c.request.initiator)),
    loads: loadTables(results),
    claims: evaluateClaims(results),
    reproduce: results.cases.map(reproduce),
    baseline: opts.baseline ?? null,
  };
}
