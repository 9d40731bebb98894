// How long the report takes to show its first rows for a large run: multiplies a real
// results file's cases (new ids) up to 10,000 × its engines in a temp dir, builds the
// report and opens it from disk in Chromium. Prints the numbers; asserts nothing.
//
//   tsx scripts/measure-report-load.ts [--in reports/latest/results.json] [--cases 10000]
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Page } from 'playwright';
import { TOPICS } from '../model/case.ts';
import type { ResultsFile } from '../model/results.ts';
import { browserChoiceFrom, detectEngine, isMissing } from '../engines/detect.ts';
import { buildReport } from '../report/build.ts';
import { loadResults } from '../report/load.ts';
import { countAgreements } from '../report/view.ts';

/** `count` cases made from `base`'s, with new ids, spread over every topic. Never committed. */
export function multiplyResults(base: ResultsFile, count: number): ResultsFile {
  if (!base.cases.length) throw new Error('the base results file has no cases to multiply');
  const cases = Array.from({ length: count }, (_, i) => {
    const c = structuredClone(base.cases[i % base.cases.length] as ResultsFile['cases'][number]);
    const copy = Math.floor(i / base.cases.length);
    c.id = `${c.id}~${copy}`;
    c.group = TOPICS[copy % TOPICS.length] ?? c.group;
    return c;
  });
  // The copies keep their stored agreement, so counting it gives the summary a run would store.
  return { ...base, cases, summary: countAgreements(cases), complete: true };
}

export interface LoadTiming {
  /** Wall clock from page.goto() to the first matrix rows in the DOM. */
  wallMs: number;
  /** performance.mark at the first rows, relative to the navigation start. */
  firstRowsMs: number;
  /** Time to apply a search over every case, after load. */
  searchMs: number;
  htmlBytes: number;
}

export async function measure(page: Page, indexPath: string): Promise<LoadTiming> {
  const t0 = Date.now();
  await page.goto(pathToFileURL(indexPath).href);
  await page.waitForSelector('#matrix-body tr[data-case]');
  const wallMs = Date.now() - t0;
  const firstRowsMs = await page.evaluate(() => performance.getEntriesByName('cc-rows-rendered')[0]?.startTime ?? -1);
  const s0 = Date.now();
  await page.fill('#f-q', 'access-control-allow-headers');
  await page.waitForFunction(() => location.hash.includes('q='));
  const searchMs = Date.now() - s0;
  return { wallMs, firstRowsMs: Math.round(firstRowsMs), searchMs, htmlBytes: statSync(indexPath).size };
}

async function main(argv: string[]): Promise<void> {
  const input = (argv.includes('--in') ? argv[argv.indexOf('--in') + 1] : undefined) ?? 'reports/latest/results.json';
  const count = argv.includes('--cases') ? Number(argv[argv.indexOf('--cases') + 1]) : 10_000;
  const dir = mkdtempSync(join(tmpdir(), 'cc-report-large-'));
  const big = multiplyResults(loadResults(input), count);
  const file = join(dir, 'results.json');
  writeFileSync(file, JSON.stringify(big));
  const b0 = Date.now();
  const { index } = buildReport({ input: file, out: dir });
  const buildMs = Date.now() - b0;
  const target = detectEngine('chromium', browserChoiceFrom(process.env));
  if (isMissing(target)) throw new Error(`measure-load needs Chromium: ${target.missing}`);
  const browser = await chromium.launch({ executablePath: target.executable, args: process.getuid?.() === 0 ? ['--no-sandbox'] : [] });
  try {
    const page = await browser.newPage();
    const runs: LoadTiming[] = [];
    for (let i = 0; i < 3; i++) runs.push(await measure(page, index));
    const engines = big.engines.length;
    console.log(
      `report load, ${count.toLocaleString('en')} cases × ${engines} engines (${((runs[0]?.htmlBytes ?? 0) / 1e6).toFixed(1)} MB index.html, built in ${buildMs} ms), Chromium ${target.build}:`,
    );
    for (const [i, r] of runs.entries())
      console.log(`  run ${i + 1}: first rows at ${r.firstRowsMs} ms after navigation start (wall ${r.wallMs} ms); search over all cases ${r.searchMs} ms`);
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
