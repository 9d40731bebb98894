// How the report holds up as a run grows: multiplies a real results file's cases (new ids) up to
// --cases, optionally adds a fourth engine column, builds the report in a temp dir and opens it
// from disk in headless Chromium. Prints the size on disk and, per run, the time to the first
// matrix rows, to a search over every case and to a case's full detail; asserts nothing.
//
//   tsx scripts/measure-report-load.ts [--in reports/latest/results.json] [--cases 10000] [--engines 3|4] [--runs 3]
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Page } from 'playwright';
import { TOPICS } from '../model/case.ts';
import type { CaseRecord, EngineId, ResultsFile } from '../model/results.ts';
import { browserChoiceFrom, detectEngine, isMissing } from '../engines/detect.ts';
import { writeReportPage } from '../report/build.ts';
import { loadResults } from '../report/load.ts';
import { buildView, countAgreements, type ReportData } from '../report/view.ts';

/** `count` cases made from `base`'s, with new ids, spread over every topic. Never committed. */
export function multiplyResults(base: ResultsFile, count: number): ResultsFile {
  if (!base.cases.length) throw new Error('the base results file has no cases to multiply');
  const cases = Array.from({ length: count }, (_, i) => {
    const c = structuredClone(base.cases[i % base.cases.length] as CaseRecord);
    const copy = Math.floor(i / base.cases.length);
    c.id = `${c.id}~${copy}`;
    c.group = TOPICS[copy % TOPICS.length] ?? c.group;
    return c;
  });
  // The copies keep their stored agreement, so counting it gives the summary a run would store.
  return { ...base, cases, summary: countAgreements(cases), complete: true };
}

/**
 * The report's data with a fourth engine column: a copy of Chromium's results under another id.
 * The results format knows three engines, so no results file can say this; the page is
 * measured here as it would be with one more.
 */
export function withFourthEngine({ results, view }: ReportData): ReportData {
  // The one place an id outside EngineId is made: the page only ever reads it back as a column.
  const extra = 'chromium-next' as EngineId;
  const from: EngineId = 'chromium';
  const info = results.engines.find((e) => e.id === from);
  const summary = view.summary.find((s) => s.engine === from);
  if (!info || !summary) throw new Error(`the base results file has no ${from} to copy as a fourth engine`);
  for (const c of results.cases) {
    const r = c.results[from];
    const a = c.agreement?.[from];
    if (r) c.results[extra] = r;
    if (a && c.agreement) c.agreement[extra] = a;
  }
  return {
    results: { ...results, engines: [...results.engines, { ...info, id: extra, name: `${info.name} (copy)` }] },
    view: { ...view, summary: [...view.summary, { ...summary, engine: extra }] },
  };
}

function bytesUnder(path: string): number {
  const s = statSync(path);
  return s.isDirectory() ? readdirSync(path).reduce((n, name) => n + bytesUnder(join(path, name)), 0) : s.size;
}

interface LoadTiming {
  /** performance.mark at the first matrix rows, relative to the navigation start. */
  firstRowsMs: number;
  /** Wall clock from page.goto() to the first matrix rows in the DOM. */
  wallMs: number;
  /** From typing a search term to its rows in the table (the box waits 120 ms for more typing). */
  searchMs: number;
  /** The same, in the page: from the search's start to its rows (report/page/matrix.ts). */
  searchInPageMs: number;
  /** From selecting a row of the last page to its full detail in the dialog. */
  detailMs: number;
  /** The same, in the page: from opening the dialog to the case's detail in it (report/page/detail.ts). */
  detailInPageMs: number;
}

const SEARCH = 'access-control-allow-headers';

function lastMeasure(page: Page, name: string): Promise<number> {
  return page.evaluate((n) => Math.round(performance.getEntriesByName(n).at(-1)?.duration ?? -1), name);
}

async function measure(page: Page, url: string): Promise<LoadTiming> {
  const t0 = Date.now();
  await page.goto(url);
  await page.waitForSelector('#matrix-body tr[data-case]');
  const wallMs = Date.now() - t0;
  const firstRowsMs = await page.evaluate(() => performance.getEntriesByName('cc-rows-rendered')[0]?.startTime ?? -1);
  await page.waitForSelector('html[data-ready="true"]');
  const s0 = Date.now();
  await page.fill('#f-q', SEARCH);
  await page.waitForSelector(`#matrix-count[data-query="${SEARCH}"]`);
  const searchMs = Date.now() - s0;
  const searchInPageMs = await lastMeasure(page, 'cc-matrix');
  await page.click('#f-reset');
  await page.click('#page-last');
  const d0 = Date.now();
  await page.locator('#matrix-body tr[data-case]').last().click();
  await page.waitForSelector('#detail-body .spec-reason, #detail-body .warn');
  const detailMs = Date.now() - d0;
  const detailInPageMs = await lastMeasure(page, 'cc-detail');
  await page.keyboard.press('Escape');
  return { firstRowsMs: Math.round(firstRowsMs), wallMs, searchMs, searchInPageMs, detailMs, detailInPageMs };
}

function option(argv: string[], flag: string): string | undefined {
  const i = argv.indexOf(flag);
  return i >= 0 ? argv[i + 1] : undefined;
}

async function main(argv: string[]): Promise<void> {
  const input = option(argv, '--in') ?? 'reports/latest/results.json';
  const count = Number(option(argv, '--cases') ?? 10_000);
  const engines = Number(option(argv, '--engines') ?? 3);
  const runs = Number(option(argv, '--runs') ?? 3);
  if (engines !== 3 && engines !== 4) throw new Error('--engines is 3 or 4');
  const dir = mkdtempSync(join(tmpdir(), 'cc-report-large-'));
  const results = multiplyResults(loadResults(input), count);
  let data: ReportData = { results, view: buildView(results, { source: input }) };
  if (engines === 4) data = withFourthEngine(data);
  const b0 = Date.now();
  const index = writeReportPage(data, dir);
  const buildMs = Date.now() - b0;
  const target = detectEngine('chromium', browserChoiceFrom(process.env));
  if (isMissing(target)) throw new Error(`measure-load needs Chromium: ${target.missing}`);
  const browser = await chromium.launch({ executablePath: target.executable, args: process.getuid?.() === 0 ? ['--no-sandbox'] : [] });
  try {
    const page = await browser.newPage();
    const timings: LoadTiming[] = [];
    for (let i = 0; i < runs; i++) timings.push(await measure(page, pathToFileURL(index).href));
    const mb = (n: number): string => (n / 1e6).toFixed(1);
    const html = statSync(index).size;
    const files = bytesUnder(join(dir, 'report-data'));
    console.log(
      `report load, ${count.toLocaleString('en')} cases × ${data.results.engines.length} engines, Chromium ${target.build}: ` +
        `index.html ${mb(html)} MB + report-data/ ${mb(files)} MB = ${mb(html + files)} MB on disk (page written in ${buildMs} ms)`,
    );
    for (const [i, t] of timings.entries())
      console.log(
        `  run ${i + 1}: first rows at ${t.firstRowsMs} ms after navigation start (wall ${t.wallMs} ms); ` +
          `search over all cases ${t.searchMs} ms (in the page ${t.searchInPageMs} ms); a case's detail ${t.detailMs} ms (in the page ${t.detailInPageMs} ms)`,
      );
    console.log(`  report: ${index}`);
  } finally {
    await browser.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    console.error(`measure-load: ${(err as Error).message}`);
    process.exitCode = 1;
  });
}
