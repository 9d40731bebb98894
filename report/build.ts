// npm run report: builds the static report from a results file alone.
//
//   tsx report/build.ts [--in reports/latest/results.json] [--out reports/latest] [--baseline old.json]
//
// Writes <out>/index.html, <out>/report-data/ (the case details and the search text, loaded by
// the page when first needed), <out>/messages.html (what each browser message means) and
// <out>/summary.md, and prints the Markdown summary. The report opens from disk, with no server
// and no network: index.html holds the page's script (report/page/, bundled here), its
// stylesheet and what the first table needs, and its Content-Security-Policy lets scripts come
// from the report's own folder and nowhere else.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { buildSync } from 'esbuild';
import { UserError, type UserErrorDetails } from '../model/errors.ts';
import { html, htmlDocument, raw } from '../outputs/html.ts';
import { diffResults } from './diff.ts';
import { loadResults } from './load.ts';
import { markdownSummary } from './markdown.ts';
import { messagesHtml } from './messages.ts';
import { CHUNK_SIZE, detailChunks, pageData, searchText } from './page-data.ts';
import { DATA_CALLBACK, DATA_ELEMENT, type PageData } from './page/data.ts';
import { buildView, type ReportData } from './view.ts';

const HERE = dirname(fileURLToPath(import.meta.url));

export interface BuildOptions {
  input: string;
  out: string;
  baseline?: string;
}

export interface BuildOutput {
  index: string;
  summary: string;
  markdown: string;
}

export class UsageError extends UserError {
  constructor(message: string, details: UserErrorDetails = {}) {
    super(message, { showUsage: true, ...details });
  }
}

export function parseArgs(argv: string[]): BuildOptions {
  const opts: BuildOptions = { input: 'reports/latest/results.json', out: 'reports/latest' };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (flag !== '--in' && flag !== '--out' && flag !== '--baseline') {
      throw new UsageError(`unknown argument ${flag}: use --in <results.json>, --out <dir>, --baseline <old results.json>`);
    }
    if (value === undefined || value.startsWith('--')) throw new UsageError(`${flag} needs a value`);
    if (flag === '--in') opts.input = value;
    else if (flag === '--out') opts.out = value;
    else opts.baseline = value;
    i++;
  }
  return opts;
}

/** JSON inside <script type="application/json">: only `</script` could end it early. */
function scriptJson(data: unknown): string {
  return JSON.stringify(data).replace(/</g, '\\u003c');
}

/** The folder beside index.html that holds the data files, and their names. */
const DATA_DIR = 'report-data';
const DATA_FILE = /^(?:cases-\d+|search)\.js$/;

/** A data file (report/page/files.ts): one call that hands the page its JSON, gzipped and in
 *  base64. The records compress some twenty-fold (the same headers, anchors and console lines
 *  in every case), and a page opened from disk can read another file only as a script. */
function dataFile(build: string, name: string, data: unknown): string {
  const packed = gzipSync(JSON.stringify(data)).toString('base64');
  return `${DATA_CALLBACK}(${JSON.stringify(build)},${JSON.stringify(name)},"${packed}");\n`;
}

/** The bundled page script's file name beside the built module (scripts/build.ts writes it). */
export const PAGE_SCRIPT = 'page.js';

let bundled: string | null = null;

/** report/page/main.ts and the modules it imports, bundled as one script for the page. */
export function bundlePageScript(): string {
  const out = buildSync({
    entryPoints: [join(HERE, 'page', 'main.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    logLevel: 'silent',
  });
  const file = out.outputFiles[0];
  if (!file) throw new Error('esbuild produced no report page script');
  // Inline in index.html, the script may not hold what would end its element early.
  if (/<\/script|<!--/i.test(file.text)) throw new Error('the bundled report page script holds </script or <!--, which cannot be inlined');
  return file.text;
}

/** The page's script: bundled by the package's build beside this module (PAGE_SCRIPT, where
 *  the page's sources are not shipped), else bundled here from them. */
function pageScript(): string {
  if (bundled === null) {
    const prebuilt = join(HERE, PAGE_SCRIPT);
    bundled = existsSync(prebuilt) ? readFileSync(prebuilt, 'utf8') : bundlePageScript();
  }
  return bundled;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('base64');

function renderHtml(page: PageData): string {
  const run = page.run;
  const title = `CORS in real browsers: ${page.table.rows.length} cases × ${run.engines.map((e) => e.name).join(', ')}`;
  const style = readFileSync(join(HERE, 'assets', 'style.css'), 'utf8');
  const script = pageScript();
  // Scripts: this page's own (by hash) and the data files of its folder ('self'); nothing else
  // loads, and no request leaves the disk.
  const csp = `default-src 'none'; style-src 'sha256-${sha256(style)}'; script-src 'sha256-${sha256(script)}' 'self'; img-src data:`;
  return htmlDocument(html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<title>${title}</title>
<style>${raw(style)}</style>
</head>
<body>
<header class="top">
  <h1>What browsers do with CORS</h1>
  <p class="muted" id="run-line"></p>
</header>
<nav class="sections" aria-label="Sections">
  <a href="#summary">Summary</a> <a href="#divergences">Divergences</a> <a href="#matrix">Matrix</a>
  <a href="#topics">Topics explained</a> <a href="#claims">Common claims, tested</a>
  <a href="#changes" id="nav-changes" hidden>Changes since baseline</a> <a href="#environment">Environment</a>
  <a href="messages.html">Browser messages explained</a>
</nav>
<main>
<noscript><p class="warn">This report renders its tables with JavaScript. The data is the results file it was built from.</p></noscript>
<section id="summary" aria-labelledby="summary-h"><h2 id="summary-h">Summary</h2><div id="summary-body"></div></section>
<section id="divergences" aria-labelledby="divergences-h"><h2 id="divergences-h">Divergences from the standard</h2><div id="divergences-body"></div></section>
<section id="changes" aria-labelledby="changes-h" hidden><h2 id="changes-h">Changes since baseline</h2><div id="changes-body"></div></section>
<section id="matrix" aria-labelledby="matrix-h">
  <h2 id="matrix-h">Matrix</h2>
  <p>One row per case. The spec column is the Fetch standard's expectation from the spec model; each engine cell says what the engine did and, by symbol and colour, how that compares. Select a row (click, or Enter) for the full case.</p>
  <ul class="legend" aria-label="Legend">
    <li class="st-agrees">✓ agrees with the spec</li><li class="st-expected-divergence">≈ expected divergence (known)</li>
    <li class="st-new-divergence">✗ new divergence</li><li class="st-unexpected-agreement">↺ unexpected agreement</li>
    <li class="st-error">⚠ harness error</li><li>PF: a preflight was sent · no PF: none</li>
  </ul>
  <form class="filters" id="filters" role="search">
    <label>Topic <select id="f-topic"></select></label>
    <label>Initiator <select id="f-initiator"></select></label>
    <label>Engine <select id="f-engine"></select></label>
    <label class="check"><input type="checkbox" id="f-div"> Only divergences</label>
    <label class="check"><input type="checkbox" id="f-fail"> Only spec failures (engine ≠ spec)</label>
    <label class="check"><input type="checkbox" id="f-disagree"> Engines disagree</label>
    <label>Search ids, titles, headers <input type="search" id="f-q" placeholder="e.g. authorization, max-age, basics/"></label>
    <button type="button" id="f-reset">Clear filters</button>
  </form>
  <p id="matrix-count" aria-live="polite"></p>
  <table class="cases" id="matrix-table" tabindex="-1" aria-describedby="matrix-count">
    <thead id="matrix-head"></thead>
    <tbody id="matrix-body"></tbody>
  </table>
  <div class="pager">
    <button type="button" id="page-first">« First</button><button type="button" id="page-prev">‹ Previous</button>
    <span id="page-label"></span>
    <button type="button" id="page-next">Next ›</button><button type="button" id="page-last">Last »</button>
  </div>
</section>
<section id="topics" aria-labelledby="topics-h"><h2 id="topics-h">The topics, in plain words</h2><div id="topics-body"></div></section>
<section id="claims" aria-labelledby="claims-h"><h2 id="claims-h">Common claims, tested</h2>
  <p>Statements often made about CORS, each decided per engine from this run's rows (report/claims.ts). "Not measured": no row of this run can decide it.</p>
  <div id="claims-body"></div></section>
<section id="environment" aria-labelledby="environment-h"><h2 id="environment-h">Environment and notes</h2><div id="environment-body"></div></section>
</main>
<dialog id="detail" aria-labelledby="detail-title">
  <div class="detail-bar"><button type="button" id="detail-close">Close (Esc)</button></div>
  <div id="detail-body"></div>
</dialog>
<script type="application/json" id="${DATA_ELEMENT}">${raw(scriptJson(page))}</script>
<script>${raw(script)}</script>
</body>
</html>
`);
}

/** Writes index.html and its data files into `out`, replacing the data files of an earlier build. */
export function writeReportPage(data: ReportData, out: string): string {
  const { results, view } = data;
  const chunks = detailChunks(results, view);
  const files: PageData['files'] = {
    chunkSize: CHUNK_SIZE,
    details: chunks.map((_, k) => `${DATA_DIR}/cases-${String(k).padStart(3, '0')}.js`),
    search: `${DATA_DIR}/search.js`,
  };
  const unnamed = pageData(results, view, '', files);
  const page: PageData = { ...unnamed, build: createHash('sha256').update(JSON.stringify(unnamed)).digest('hex').slice(0, 16) };
  const dir = join(out, DATA_DIR);
  mkdirSync(dir, { recursive: true });
  for (const name of readdirSync(dir)) if (DATA_FILE.test(name)) rmSync(join(dir, name));
  chunks.forEach((chunk, k) => {
    const name = files.details[k] ?? '';
    writeFileSync(join(out, name), dataFile(page.build, name, chunk));
  });
  writeFileSync(join(out, files.search), dataFile(page.build, files.search, results.cases.map(searchText)));
  const index = join(out, 'index.html');
  writeFileSync(index, renderHtml(page));
  return index;
}

export function buildReport(opts: BuildOptions): BuildOutput {
  const results = loadResults(opts.input);
  const baseline = opts.baseline
    ? { source: relative(process.cwd(), resolve(opts.baseline)), diff: diffResults(loadResults(opts.baseline), results) }
    : undefined;
  const view = buildView(results, { source: relative(process.cwd(), resolve(opts.input)), ...(baseline ? { baseline } : {}) });
  mkdirSync(opts.out, { recursive: true });
  const summary = join(opts.out, 'summary.md');
  const markdown = markdownSummary(results, view);
  const index = writeReportPage({ results, view }, opts.out);
  writeFileSync(join(opts.out, 'messages.html'), messagesHtml(results));
  writeFileSync(summary, markdown);
  return { index, summary, markdown };
}

function main(argv: string[]): number {
  try {
    const out = buildReport(parseArgs(argv));
    process.stdout.write(out.markdown);
    console.log(`\ncors-conformance: report written to ${resolve(out.index)} and ${resolve(out.summary)}`);
    return 0;
  } catch (err) {
    console.error(`report: ${(err as Error).message}`);
    return err instanceof UsageError ? 2 : 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) process.exitCode = main(process.argv.slice(2));
