// The initiators topic's table, computed from the results: for each initiator form (an <img>
// without crossorigin, an XHR with withCredentials, …) the request mode and credentials mode
// the standards give it, and per engine what was observed: whether the cookie went to a
// same-site and to a cross-site target, how often the page could read what it loaded, and
// what a blocked request looked like to the page. Observed facts only; the verdicts stay in
// the cases.
import type { Credentials, InitiatorKind, RequestMode, SiteRelation } from '../model/case.ts';
import { initiatorLabel } from '../model/initiators.ts';
import type { CaseRecord, EngineId, EngineResult, ResultsFile } from '../model/results.ts';
import { ENGINE_IDS } from '../model/results.ts';

export interface InitiatorEngineFacts {
  cases: number;
  agrees: number;
  errors: number;
  /** Whether the server got the cookie from this form's cookie case, same-site and cross-site (null: not measured). */
  cookieSameSite: boolean | null;
  cookieCrossSite: boolean | null;
  /** Allowed loads where the page could read the content, of those with a content test. */
  contentReadable: { readable: number; of: number };
  /** What a blocked request looked like to the page, the commonest first (at most two). */
  failures: string[];
}

export interface InitiatorRow {
  label: string;
  kind: InitiatorKind;
  mode: RequestMode;
  credentials: Credentials;
  cases: number;
  engines: Partial<Record<EngineId, InitiatorEngineFacts>>;
}

/** Whether the server got the cookie in the case that asks it of a target on this site. */
function cookieFact(cases: CaseRecord[], engine: EngineId, site: SiteRelation): boolean | null {
  const c = cases.find((x) => x.question?.asks === 'cookie-sent' && x.question.site === site);
  const r = c?.results[engine];
  return r && r.outcome !== 'error' && r.server ? r.server.cookieSent : null;
}

/** The page's view of a block, in a few words: its signal, else its error. */
function failureText(r: EngineResult): string | null {
  const text = r.signal ?? r.pageError ?? null;
  return text ? text.slice(0, 120) : null;
}

function commonest(texts: string[], n: number): string[] {
  const counts = new Map<string, number>();
  for (const t of texts) counts.set(t, (counts.get(t) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([t]) => t);
}

function engineFacts(cases: CaseRecord[], engine: EngineId): InitiatorEngineFacts | null {
  const ran = cases.filter((c) => c.results[engine]);
  if (!ran.length) return null;
  const results = ran.map((c) => c.results[engine] as EngineResult);
  const withContent = results.filter((r) => r.outcome === 'allowed' && typeof r.contentReadable === 'boolean');
  return {
    cases: ran.length,
    agrees: ran.filter((c) => c.agreement?.[engine]?.status === 'agrees').length,
    errors: results.filter((r) => r.outcome === 'error').length,
    cookieSameSite: cookieFact(cases, engine, 'same-site'),
    cookieCrossSite: cookieFact(cases, engine, 'cross-site'),
    contentReadable: { readable: withContent.filter((r) => r.contentReadable === true).length, of: withContent.length },
    failures: commonest(
      results.filter((r) => r.outcome === 'blocked').flatMap((r) => failureText(r) ?? []),
      2,
    ),
  };
}

/** One row per initiator form that the run has, in the order the cases first name them. */
export function initiatorRows(results: ResultsFile): InitiatorRow[] {
  const byLabel = new Map<string, CaseRecord[]>();
  for (const c of results.cases) {
    // The topics about loads that fail for other reasons have their own tables (report/loads.ts).
    if (c.group !== 'initiators') continue;
    const label = initiatorLabel(c.request.initiator);
    const list = byLabel.get(label) ?? [];
    list.push(c);
    byLabel.set(label, list);
  }
  return [...byLabel].map(([label, cases]) => {
    const first = cases[0] as CaseRecord;
    const engines: InitiatorRow['engines'] = {};
    for (const engine of ENGINE_IDS) {
      const facts = engineFacts(cases, engine);
      if (facts) engines[engine] = facts;
    }
    return {
      label,
      kind: first.request.initiator?.kind ?? 'fetch',
      mode: first.request.mode,
      credentials: first.request.credentials,
      cases: cases.length,
      engines,
    };
  });
}
