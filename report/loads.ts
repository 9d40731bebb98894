// The tables of the topics about loads that fail for reasons other than CORS (CORP, MIME type
// and nosniff, mixed content, bad ports), computed from the results: for each loader, how many
// of its cases the spec loads and blocks, and per engine what loaded, what was blocked, which
// rule of the spec model stopped what both blocked, and which known divergence explains the
// rest. Observed facts and the cases' own verdicts only.
import type { Topic } from '../model/case.ts';
import { initiatorLabel } from '../model/initiators.ts';
import type { CaseRecord, EngineId, ResultsFile } from '../model/results.ts';
import { ENGINE_IDS } from '../model/results.ts';
import { ANCHOR } from '../oracle/index.ts';

/** The topics that get a load table, in the report's order. */
export const LOAD_TOPICS: readonly Topic[] = ['corp', 'mime', 'mixed-content', 'bad-ports'];

/** The rule behind the spec's deciding step, by its anchor; another anchor is the loader's own check. */
const RULES: ReadonlyMap<string, string> = new Map([
  [ANCHOR.crossOriginResourcePolicyCheck, 'Cross-Origin-Resource-Policy'],
  [ANCHOR.blockedDueToMimeType, 'MIME type'],
  [ANCHOR.blockedDueToNosniff, 'nosniff'],
  [ANCHOR.mixedContentShouldBlockFetch, 'mixed content'],
  [ANCHOR.blockBadPort, 'bad port'],
  [ANCHOR.linkTypeStylesheet, "the style sheet's type check"],
  [ANCHOR.javascriptMimeType, "the module script's type check"],
]);

export interface LoadEngineFacts {
  cases: number;
  loaded: number;
  blocked: number;
  errors: number;
  agrees: number;
  /** Cases the spec and the engine both block, by the rule that stops them in the spec, commonest first. */
  stoppedBy: Array<[rule: string, cases: number]>;
  /** Cases where the engine differs from the spec, by the known divergence that explains it
   *  (`new` for none), commonest first. */
  differs: Array<[divergence: string, cases: number]>;
}

export interface LoadRow {
  /** The loader in a few words (model/initiators.ts), with fetch()'s mode. */
  label: string;
  cases: number;
  specLoads: number;
  specBlocks: number;
  engines: Partial<Record<EngineId, LoadEngineFacts>>;
}

export interface LoadTable {
  topic: Topic;
  rows: LoadRow[];
}

function loaderLabel(c: CaseRecord): string {
  const label = initiatorLabel(c.request.initiator);
  return c.request.initiator === undefined ? `${label} mode ${c.request.mode}` : label;
}

/** The rule that stops the case in the spec model: the one of its deciding step. */
function specRule(c: CaseRecord): string {
  const step = c.spec?.steps.find((s) => s.decision === c.spec?.reason);
  return (step && RULES.get(step.anchor)) ?? "the loader's own check";
}

function tally(keys: string[]): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

function engineFacts(cases: CaseRecord[], engine: EngineId): LoadEngineFacts | null {
  const ran = cases.filter((c) => c.results[engine]);
  if (!ran.length) return null;
  const outcome = (c: CaseRecord) => c.results[engine]?.outcome;
  const verdict = (c: CaseRecord) => c.agreement?.[engine];
  const differing = ran.filter((c) => {
    const status = verdict(c)?.status;
    return status === 'expected-divergence' || status === 'new-divergence';
  });
  return {
    cases: ran.length,
    loaded: ran.filter((c) => outcome(c) === 'allowed').length,
    blocked: ran.filter((c) => outcome(c) === 'blocked').length,
    errors: ran.filter((c) => outcome(c) === 'error').length,
    agrees: ran.filter((c) => verdict(c)?.status === 'agrees').length,
    stoppedBy: tally(ran.filter((c) => c.spec?.outcome === 'blocked' && outcome(c) === 'blocked').map(specRule)),
    differs: tally(differing.map((c) => verdict(c)?.divergence ?? 'new')),
  };
}

/** One table per load topic the run has, one row per loader in the order the cases first name them. */
export function loadTables(results: Pick<ResultsFile, 'cases'>): LoadTable[] {
  return LOAD_TOPICS.flatMap((topic) => {
    const byLabel = new Map<string, CaseRecord[]>();
    for (const c of results.cases) {
      if (c.group !== topic) continue;
      const label = loaderLabel(c);
      byLabel.set(label, [...(byLabel.get(label) ?? []), c]);
    }
    if (!byLabel.size) return [];
    const rows = [...byLabel].map(([label, cases]): LoadRow => {
      const engines: LoadRow['engines'] = {};
      for (const engine of ENGINE_IDS) {
        const facts = engineFacts(cases, engine);
        if (facts) engines[engine] = facts;
      }
      return {
        label,
        cases: cases.length,
        specLoads: cases.filter((c) => c.spec?.outcome === 'allowed').length,
        specBlocks: cases.filter((c) => c.spec?.outcome === 'blocked').length,
        engines,
      };
    });
    return [{ topic, rows }];
  });
}
