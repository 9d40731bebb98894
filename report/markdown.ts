// The short Markdown summary for CI logs and PR comments: engines, agreement numbers,
// divergences. Reads the same view the HTML report renders, and writes with outputs/markdown.ts:
// engine names and versions, ids and the baseline's name go in escaped.
import type { ResultsFile } from '../model/results.ts';
import type { ReportView } from './view.ts';
import { isEmptyDiff } from './diff.ts';
import { BLANK, code, type Markdown, markdownDocument, md, table } from '../outputs/markdown.ts';

const LISTED = 8;

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function pct(n: number, of: number): string {
  return of ? `${Math.round((1000 * n) / of) / 10}%` : '–';
}

export function markdownSummary(results: ResultsFile, view: ReportView): string {
  const out: Markdown[] = [];
  const state = results.complete ? md`complete` : md`**incomplete run**`;
  out.push(md`## CORS conformance: ${results.cases.length} cases (${state})`, BLANK);
  out.push(
    ...table(
      ['engine', 'version', 'build', 'agrees with spec', 'with other engines', 'expected div.', 'new div.', 'errors'],
      view.summary.map((s) => {
        const info = results.engines.find((e) => e.id === s.engine);
        const n = s.stored ?? s.counted;
        return [
          info ? info.name : s.engine,
          info?.version ?? '?',
          info?.build ?? '?',
          `${n.agrees}/${n.cases} (${pct(n.agrees, n.cases)})`,
          `${n.agreesWithEngines}/${n.cases}`,
          n.expectedDivergences,
          n.newDivergences,
          n.errors,
        ];
      }),
    ),
  );
  if (results.excludedEngines.length) out.push(BLANK, md`Excluded by name: ${results.excludedEngines.join(', ')}.`);
  const mismatched = view.summary.filter((s) => s.mismatches.length);
  if (mismatched.length) {
    out.push(
      BLANK,
      md`⚠ summary differs from the cases for ${mismatched.map((s) => `${s.engine} (${s.mismatches.join(', ')})`).join('; ')}; the table shows the stored summary.`,
    );
  }
  out.push(BLANK);
  if (view.newDivergences.length) {
    out.push(md`**New divergences (${view.newDivergences.length})**`);
    for (const d of view.newDivergences.slice(0, LISTED)) out.push(md`- ${code(d.id)} ${d.engine}: differs in ${d.differences.join(', ')}`);
    if (view.newDivergences.length > LISTED) out.push(md`- … and ${view.newDivergences.length - LISTED} more`);
  } else out.push(md`No new divergences.`);
  const expected = view.expectedDivergences.filter((g) => g.cases.length);
  if (expected.length) {
    out.push(BLANK, md`**Expected divergences**`);
    for (const g of expected.slice(0, LISTED))
      out.push(md`- ${code(g.id)}: ${g.cases.length} results (${[...new Set(g.cases.map((c) => c.engine))].join(', ')})`);
    if (expected.length > LISTED) out.push(md`- … and ${expected.length - LISTED} more known divergences (index.html lists them all)`);
  }
  if (view.unexpectedAgreements.length)
    out.push(BLANK, md`**Unexpected agreements**: ${view.unexpectedAgreements.length} (a known divergence no longer holds)`);
  if (view.baseline) {
    const d = view.baseline.diff;
    out.push(
      BLANK,
      isEmptyDiff(d)
        ? md`No changes since ${view.baseline.source}.`
        : md`**Since ${view.baseline.source}**: ${plural(d.added.length, 'case')} added, ${d.removed.length} removed, ${d.changed.length} changed; ${plural(d.engines.length, 'engine change')}.`,
    );
  }
  return markdownDocument(out);
}
