// The report page: renders the data report/build.ts wrote into index.html and beside it. It
// decides nothing about CORS; it filters, pages and shows. Plain DOM, no framework, so that it
// opens from disk in any browser. Bundled into one script by report/build.ts.
import { renderChanges } from './changes.ts';
import { renderClaims } from './claims.ts';
import { closeDetail, initDetail, openDetail } from './detail.ts';
import { el } from './dom.ts';
import { renderEnvironment } from './environment.ts';
import { initMatrix, renderMatrix, syncControls } from './matrix.ts';
import { readReport, searchHaystacks } from './report.ts';
import { adoptState, current, filtersDiffer, isStateHash, parseHash, startState } from './state.ts';
import { renderSummary } from './summary.ts';
import { renderTopics } from './topics.ts';

async function start(): Promise<void> {
  const report = readReport();
  const state = startState(report);
  initMatrix(report);
  initDetail();
  syncControls();
  const firstRows = renderMatrix(report);
  renderSummary(report);
  renderEnvironment(report);
  renderChanges(report);
  renderTopics(report);
  renderClaims(report);

  window.addEventListener('hashchange', () => {
    if (!isStateHash()) return;
    const next = parseHash(report);
    const changed = filtersDiffer(next, current());
    adoptState(next);
    if (changed) {
      syncControls();
      void renderMatrix(report);
      if (!next.case) el('matrix').scrollIntoView();
    }
    if (next.case) openDetail(report, next.case);
    else closeDetail();
  });
  if (state.case) openDetail(report, state.case);
  else if (isStateHash() && location.hash.length > 1) el('matrix').scrollIntoView();
  await firstRows;
  document.documentElement.dataset.ready = 'true';
  // The search text, ready before the first search; a failure shows when a search needs it.
  searchHaystacks(report).catch(() => {});
}

void start();
