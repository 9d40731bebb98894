// The built report, opened from disk (file://) in Chromium: the summary numbers are the
// JSON's, the filters narrow the rows, a case opens with its spec reasoning and curl line, text
// from the results file never becomes markup, and nothing is read from outside the report's
// folder.
import { test as base, expect, type Page } from '@playwright/test';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { browserChoiceFrom, detectEngine, isMissing } from '../../engines/detect.ts';
import type { Agreement, CaseRecord, EngineId, EngineSummary, ResultsFile } from '../../model/results.ts';
import { buildReport, writeReportPage } from '../../report/build.ts';
import { loadResults } from '../../report/load.ts';
import { searchText } from '../../report/page-data.ts';
import { buildView } from '../../report/view.ts';
import { multiplyResults, withFourthEngine } from '../../scripts/measure-report-load.ts';
import { fixtureUrl } from '../../servers/recipe.ts';

const FIXTURE = fileURLToPath(new URL('fixtures/results.json', import.meta.url));
const BASELINE = fileURLToPath(new URL('fixtures/baseline.json', import.meta.url));

/**
 * Opens a built report and fails the test on anything the page should never do: a page error,
 * a console error (a refused script or style, a file that did not load), a request that is not
 * a file: URL in the report's own folder.
 */
async function openReport(page: Page, index: string, hash = ''): Promise<() => void> {
  const folder = pathToFileURL(dirname(index)).href + '/';
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  page.on('request', (r) => {
    if (!r.url().startsWith(folder) && !r.url().startsWith('data:')) problems.push(`request outside the report's folder: ${r.url()}`);
  });
  // Nothing may leave the disk: no server, no network.
  await page.route(/^(?!file:|data:)/, (route) => route.abort());
  await page.goto(pathToFileURL(index).href + hash);
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'true');
  return () => expect(problems).toEqual([]);
}

const test = base.extend<{ report: Page }, { built: { url: string; index: string; results: ResultsFile } }>({
  built: [
    async ({}, use) => {
      const chromium = detectEngine('chromium', browserChoiceFrom(process.env));
      if (isMissing(chromium)) {
        throw new Error(
          `the report test needs Chromium: ${chromium.missing} (install: apt-get install ${chromium.debianPackages.join(' ')}, or npx playwright install chromium)`,
        );
      }
      const out = mkdtempSync(join(tmpdir(), 'cc-report-'));
      const { index } = buildReport({ input: FIXTURE, out, baseline: BASELINE });
      await use({ url: pathToFileURL(index).href, index, results: loadResults(FIXTURE) });
    },
    { scope: 'worker' },
  ],
  report: async ({ page, built }, use) => {
    const check = await openReport(page, built.index);
    await use(page);
    check();
  },
});

const rows = (page: Page) => page.locator('#matrix-body tr[data-case]');

function hasDivergence(c: CaseRecord, engines: EngineId[]): boolean {
  return engines.some((e) => ['expected-divergence', 'new-divergence'].includes(c.agreement?.[e]?.status ?? ''));
}

/** One engine's numbers, tallied here straight from the fixture's per-case `agreement`. */
function tally(results: ResultsFile, engine: EngineId): EngineSummary {
  const all = results.cases.flatMap((c) => {
    const a = c.agreement?.[engine];
    return a ? [a] : [];
  });
  const status = (s: Agreement['status']): number => all.filter((a) => a.status === s).length;
  return {
    cases: all.length,
    agrees: status('agrees'),
    expectedDivergences: status('expected-divergence'),
    newDivergences: status('new-divergence'),
    unexpectedAgreements: status('unexpected-agreement'),
    errors: status('error'),
    agreesWithEngines: all.filter((a) => a.withEngines === true).length,
  };
}

const FIELDS = ['cases', 'agrees', 'agreesWithEngines', 'expectedDivergences', 'newDivergences', 'unexpectedAgreements', 'errors'] as const;

test('the fixture tallies to one expected divergence per engine and one new one in WebKit', ({ built }) => {
  // Literal numbers, so a slip in the tally itself shows too.
  expect(tally(built.results, 'webkit')).toEqual({
    cases: 32,
    agrees: 30,
    expectedDivergences: 1,
    newDivergences: 1,
    unexpectedAgreements: 0,
    errors: 0,
    agreesWithEngines: 31,
  });
  expect(tally(built.results, 'chromium')).toEqual({
    cases: 32,
    agrees: 31,
    expectedDivergences: 1,
    newDivergences: 0,
    unexpectedAgreements: 0,
    errors: 0,
    agreesWithEngines: 31,
  });
  for (const e of ['chromium', 'firefox', 'webkit'] as const) expect(built.results.summary?.[e], e).toEqual(tally(built.results, e));
});

test('the summary shows each engine with the numbers counted from the JSON', async ({ report, built }) => {
  for (const info of built.results.engines) {
    const row = report.locator(`#summary-table tr[data-engine="${info.id}"]`);
    await expect(row).toContainText(info.name);
    await expect(row).toContainText(info.version);
    await expect(row).toContainText(info.driver);
    const n = tally(built.results, info.id);
    expect(n.cases, info.id).toBeGreaterThan(0);
    for (const field of FIELDS) {
      await expect(row.locator(`td[data-field="${field}"]`), `${info.id} ${field}`).toHaveText(new RegExp(`^${n[field]}\\b`));
    }
    await expect(row.locator('td[data-field="check"]')).toHaveText('✓ equals the counts from the cases');
  }
  await expect(report.locator('[data-divergence="acah-wildcard-covers-authorization"]')).toContainText('3 results');
  await expect(report.locator('#new-divergences tbody tr')).toHaveCount(1);
  await expect(report.locator('#new-divergences')).toContainText('basics/custom-headers-sorted');
  await expect(report.locator('#environment-notes')).toContainText('FIXTURE: made from a real run');
  await expect(report.locator('#summary-body')).toContainText('Excluded engines: none.');
  await expect(report.locator('#changes')).toBeVisible();
  await expect(report.locator('#changes-table')).toContainText('basics/custom-headers-sorted');
});

test('the page shows the file’s stored summary, and says where it differs from the cases', async ({ page, built }) => {
  const edited = structuredClone(built.results);
  const webkit = edited.summary?.webkit;
  if (!webkit || !edited.summary) throw new Error('fixture has no webkit summary');
  webkit.agrees = 27;
  delete edited.summary.chromium;
  const dir = mkdtempSync(join(tmpdir(), 'cc-report-summary-'));
  const file = join(dir, 'results.json');
  writeFileSync(file, JSON.stringify(edited));
  const { index } = buildReport({ input: file, out: dir });
  await page.goto(pathToFileURL(index).href);
  const row = (e: EngineId) => page.locator(`#summary-table tr[data-engine="${e}"]`);
  await expect(row('webkit').locator('td[data-field="agrees"]')).toHaveText(/^27\b/);
  await expect(row('webkit').locator('td[data-field="check"]')).toHaveText(
    `⚠ differs from the cases in agrees (counted ${tally(built.results, 'webkit').agrees})`,
  );
  // Without a stored summary the page falls back to the counts, and says so.
  await expect(row('chromium').locator('td[data-field="agrees"]')).toHaveText(new RegExp(`^${tally(built.results, 'chromium').agrees}\\b`));
  await expect(row('chromium').locator('td[data-field="check"]')).toHaveText('⚠ no stored summary; counted from the cases');
});

test('the filters narrow the rows, and the URL hash keeps them', async ({ report, built }) => {
  const cases = built.results.cases;
  await expect(rows(report)).toHaveCount(cases.length);

  await report.selectOption('#f-topic', 'credentials');
  await expect(rows(report)).toHaveCount(cases.filter((c) => c.group === 'credentials').length);
  expect(new URL(report.url()).hash).toBe('#topic=credentials');

  await report.selectOption('#f-topic', '');
  await report.check('#f-div');
  const divergent = cases.filter((c) => hasDivergence(c, ['chromium', 'firefox', 'webkit']));
  expect(divergent.length).toBe(2);
  await expect(rows(report)).toHaveCount(2);
  await expect(rows(report).first()).toContainText('≈ allowed · PF');

  await report.selectOption('#f-engine', 'webkit');
  await report.uncheck('#f-div');
  await report.check('#f-fail');
  await expect(rows(report)).toHaveCount(cases.filter((c) => (c.agreement?.webkit?.differences.length ?? 0) > 0).length);
  await expect(report.locator('#matrix-head th[data-engine]')).toHaveCount(1);
  await expect(report.locator('#matrix-body td[data-status="new-divergence"]')).toHaveText('✗ blocked · PF (new divergence from the spec; differs in outcome)');

  await report.click('#f-reset');
  await report.fill('#f-q', 'x-zeta');
  await expect(rows(report)).toHaveCount(1);
  await expect(rows(report)).toHaveAttribute('data-case', 'basics/custom-headers-sorted');
  // Enter does not submit the filters' form (which would reload the page without its state):
  // the page cancels the submit event, as a listener after its own sees.
  await report.evaluate(() => {
    const seen: boolean[] = [];
    document.addEventListener('submit', (ev) => seen.push(ev.defaultPrevented));
    Object.assign(window, { submits: seen });
  });
  await report.press('#f-q', 'Enter');
  await expect.poll(() => report.evaluate(() => Reflect.get(window, 'submits'))).toEqual([true]);
  await expect(rows(report)).toHaveCount(1);
  await report.fill('#f-q', 'access-control-allow-headers: *');
  await expect(rows(report)).toHaveCount(1);
  await expect(rows(report)).toHaveAttribute('data-case', 'preflight/acah-star-authorization');

  // A link with a filter state opens with it.
  await report.goto(built.url.replace(/#.*$/, '') + '#topic=preflight&div=1');
  await report.reload();
  await expect(report.locator('#f-topic')).toHaveValue('preflight');
  await expect(report.locator('#f-div')).toBeChecked();
  await expect(rows(report)).toHaveCount(cases.filter((c) => c.group === 'preflight' && hasDivergence(c, ['chromium', 'firefox', 'webkit'])).length);
});

test('a case opens with its recipes, the spec reasoning and a curl line; screenshot', async ({ report, built }, testInfo) => {
  const c = built.results.cases.find((x) => x.id === 'preflight/acah-star-authorization');
  if (!c?.spec) throw new Error('fixture lost its Authorization case');
  await report.setViewportSize({ width: 1400, height: 1000 });
  await report.screenshot({ path: 'test-results/report.png', fullPage: true });
  await testInfo.attach('report', { path: 'test-results/report.png', contentType: 'image/png' });
  await report.locator(`#matrix-body tr[data-case="${c.id}"]`).click();
  const dialog = report.locator('dialog#detail');
  await expect(dialog).toBeVisible();
  expect(new URL(report.url()).hash).toBe(`#case=${encodeURIComponent(c.id)}`);
  await expect(dialog.locator('h2')).toHaveText(c.title);
  await expect(dialog).toContainText('Access-Control-Allow-Headers: *');
  await expect(dialog.locator('.spec-reason')).toHaveText(c.spec.reason);
  const steps = dialog.locator('ol.steps li');
  await expect(steps).toHaveCount(c.spec.steps.length);
  await expect(steps.last().locator('a')).toHaveAttribute('href', c.spec.steps.at(-1)?.anchor ?? '');
  const url = fixtureUrl(c.request.url, c.response);
  await expect(dialog.locator('pre.copy').last()).toContainText(
    `curl -si -x http://127.0.0.1:<proxy-port> -H 'Origin: http://a.test' -H 'Authorization: Bearer token' '${url}'`,
  );
  await expect(dialog.locator('pre.copy').first()).toContainText(`const url = ${JSON.stringify(url)};`);
  await expect(dialog).toContainText('≈ expected-divergence (differs in outcome) · acah-wildcard-covers-authorization');
  await testInfo.attach('case-detail', { body: await report.screenshot(), contentType: 'image/png' });

  await report.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  // The dialog's close event clears the hash; it can come a moment after the dialog hides.
  await expect.poll(() => new URL(report.url()).hash).toBe('');

  // Addressable by hash, with the engine's own blocking message.
  await report.goto(`${built.url}#case=${encodeURIComponent('basics/custom-headers-sorted')}`);
  await report.reload();
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('TypeError: Load failed');
  await expect(dialog).toContainText('Server saw Origin');
});

test('topics are explained with live rows and claims are marked per engine', async ({ report, built }) => {
  const credentials = report.locator('#topic-credentials');
  await expect(credentials).toContainText('credentials: "include"');
  await expect(credentials.locator('tr[data-case]')).not.toHaveCount(0);
  await expect(report.locator('#topic-redirects')).toContainText('No case of this topic in this run.');
  const claim = report.locator('[data-claim="credentials-with-wildcard"]');
  await expect(claim.locator('td[data-verdict]')).toHaveText(['✗ false', '✗ false', '✗ false']);
  await claim.locator('a[data-case="basics/credentials-acao-star"]').first().click();
  const title = built.results.cases.find((c) => c.id === 'basics/credentials-acao-star')?.title ?? '';
  await expect(report.locator('dialog#detail h2')).toHaveText(title);
});

test('the initiator filter and column, and the initiators topic with the standards beside each engine', async ({ report, built }) => {
  const img = built.results.cases.filter((c) => c.request.initiator?.kind === 'img');
  expect(img.length).toBe(1);
  await report.selectOption('#f-initiator', 'img');
  await expect(rows(report)).toHaveCount(1);
  expect(new URL(report.url()).hash).toBe('#initiator=img');
  const row = rows(report).first();
  await expect(row.locator('td.initiator')).toHaveText('img no crossorigin');
  await expect(row.locator('td[data-engine="firefox"]')).toContainText('allowed · no PF · unreadable');
  await report.selectOption('#f-initiator', 'fetch');
  await expect(rows(report)).toHaveCount(built.results.cases.filter((c) => !c.request.initiator).length);

  const topic = report.locator('#topic-initiators');
  const standard = topic.locator('#initiator-standard tbody tr');
  await expect(standard.filter({ hasText: '<img src>' })).toContainText('sent by default');
  await expect(standard.filter({ hasText: 'new WebSocket()' })).toContainText('No CORS');
  const measured = topic.locator('#initiator-table tr[data-initiator="img no crossorigin"]');
  await expect(measured).toContainText('no-cors · include');
  await expect(measured).toContainText('readable 0 of 1 loads');
  await expect(topic.locator('#initiator-table tr[data-initiator="websocket"]')).toContainText('1 of 1 agree with the spec');
});

test('10,000 cases × 4 engines: index.html holds the rows, the details and the search load from their files', async ({ page, built }) => {
  test.slow();
  // The results format knows three engines; the page gets a fourth column as
  // scripts/measure-report-load.ts measures it.
  const big = multiplyResults(built.results, 10_000);
  const data = withFourthEngine({ results: big, view: buildView(big, { source: 'multiplied fixture' }) });
  const dir = mkdtempSync(join(tmpdir(), 'cc-report-large-'));
  const index = writeReportPage(data, dir);
  // One detail file per 100 cases beside the search text; index.html has none of a case's record.
  expect(readdirSync(join(dir, 'report-data')).sort()).toEqual([
    ...Array.from({ length: 100 }, (_, k) => `cases-${String(k).padStart(3, '0')}.js`),
    'search.js',
  ]);
  const last = big.cases.at(-1);
  const line = big.cases.flatMap((c) => Object.values(c.results).flatMap((r) => r.console ?? [])).at(-1);
  if (!last?.spec || !line) throw new Error('the multiplied fixture has no spec on its last case, or no console line');
  // As a string in the inline JSON.
  const inJson = (s: string): string => JSON.stringify(s).slice(1, -1).replace(/</g, '\\u003c');
  const html = readFileSync(index, 'utf8');
  expect(html).toContain(inJson(last.id));
  expect(html).not.toContain(inJson(line));
  expect(html).not.toContain(inJson(last.spec.steps[0]?.decision ?? ''));

  const check = await openReport(page, index);
  await expect(rows(page)).toHaveCount(100);
  await expect(page.locator('#matrix-head th[data-engine]')).toHaveCount(4);
  await expect(rows(page).first().locator('td[data-engine="chromium-next"]')).toHaveText(
    (await rows(page).first().locator('td[data-engine="chromium"]').textContent()) ?? '',
  );
  await expect(page.locator('#matrix-count')).toHaveText('Rows 1–100 of 10,000');
  await page.click('#page-last');
  await expect(page.locator('#page-label')).toHaveText('Page 100 of 100');
  await expect(rows(page).last()).toHaveAttribute('data-case', last.id);

  // The last case is in the last detail file.
  await rows(page).last().click();
  const dialog = page.locator('dialog#detail');
  await expect(dialog.locator('h2')).toHaveText(last.title);
  await expect(dialog.locator('.spec-reason')).toHaveText(last.spec.reason);
  await page.keyboard.press('Escape');

  // The search finds what it looks at (id, title, topic, initiator, request and response
  // headers) in every case, not only the shown page.
  const term = last.id.toLowerCase();
  const expected = big.cases.filter((c, i) =>
    `${c.id}\n${c.title}\n${c.group}\n${data.view.initiatorLabels[i]}\n${searchText(c)}`.toLowerCase().includes(term),
  );
  expect(expected.length).toBeGreaterThan(0);
  await page.fill('#f-q', last.id);
  await expect(page.locator('#matrix-count')).toHaveAttribute('data-matching', String(expected.length));
  await expect(rows(page)).toHaveCount(Math.min(100, expected.length));
  await page.fill('#f-q', 'x-zeta');
  const zeta = big.cases.filter((c) => searchText(c).includes('x-zeta')).length;
  expect(zeta).toBeGreaterThan(100);
  await expect(page.locator('#matrix-count')).toHaveText(`Rows 1–100 of ${zeta.toLocaleString('en')} (filtered from 10,000)`);

  await page.click('#f-reset');
  await page.selectOption('#f-topic', 'redirects');
  const redirects = big.cases.filter((c) => c.group === 'redirects').length;
  await expect(page.locator('#matrix-count')).toContainText(`of ${redirects.toLocaleString('en')} (filtered from 10,000)`);
  check();
});

/** Markup and both quotes, in every kind of string the page shows. */
const HOSTILE = `"'><img src=x id=injected onerror="document.documentElement.dataset.pwned='1'"><b class=injected>&amp;</b>`;

test('text from the results file stays text: no element is injected, in the page or in a case’s detail', async ({ page, built }) => {
  const r = structuredClone(built.results);
  const c = r.cases.find((x) => x.id === 'basics/custom-headers-sorted');
  const engine = r.engines[0];
  const divergence = r.divergences?.[0];
  const webkit = c?.results.webkit;
  if (!c?.spec || !engine || !divergence || !webkit) throw new Error('the fixture lost a field this test writes into');
  c.id = `basics/${HOSTILE}`;
  c.title = `Title ${HOSTILE}`;
  c.request.headers.push(['X-Hostile', HOSTILE]);
  c.response.actual.headers.push(['X-Echo', HOSTILE]);
  c.spec.reason = HOSTILE;
  c.spec.steps[0] = { decision: HOSTILE, anchor: `https://fetch.spec.whatwg.org/#${HOSTILE}` };
  webkit.reason = HOSTILE;
  webkit.console = [HOSTILE];
  engine.name = `Chromium ${HOSTILE}`;
  engine.version = HOSTILE;
  r.environment.notes.push(`a note with \`${HOSTILE}\` in code and ${HOSTILE} outside`);
  divergence.title = HOSTILE;
  divergence.observed = HOSTILE;
  divergence.evidence.push(`https://example.test/${HOSTILE}`);
  const dir = mkdtempSync(join(tmpdir(), 'cc-report-hostile-'));
  const file = join(dir, 'results.json');
  writeFileSync(file, JSON.stringify(r));
  const { index } = buildReport({ input: file, out: dir });
  const check = await openReport(page, index);

  const injected = (): Promise<{ elements: number; pwned: string | undefined }> =>
    page.evaluate(() => ({ elements: document.querySelectorAll('img, .injected, #injected').length, pwned: document.documentElement.dataset.pwned }));
  expect(await injected()).toEqual({ elements: 0, pwned: undefined });
  await expect(page).toHaveTitle(`CORS in real browsers: 32 cases × ${r.engines.map((e) => e.name).join(', ')}`);
  await expect(page.locator('#summary-table tr[data-engine="chromium"] th')).toContainText(HOSTILE);
  await expect(page.locator('#environment-notes li').last().locator('code')).toHaveText(HOSTILE);
  await expect(page.locator('.divergence').first().locator('h4')).toContainText(HOSTILE);
  await expect(page.locator('.divergence ul.evidence a').last()).toHaveAttribute('href', `https://example.test/${HOSTILE}`);

  await page.fill('#f-q', 'x-hostile');
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page).locator('.case-title')).toHaveText(c.title);
  await expect(rows(page)).toHaveAttribute('data-case', c.id);
  await expect(rows(page).locator('td[data-engine="webkit"]')).toHaveAttribute('title', /new divergence from the spec/);
  await rows(page).click();
  const dialog = page.locator('dialog#detail');
  await expect(dialog.locator('.spec-reason')).toHaveText(HOSTILE);
  expect(new URLSearchParams(new URL(page.url()).hash.slice(1)).get('case')).toBe(c.id);
  await expect(dialog.locator('h2')).toHaveText(c.title);
  await expect(dialog.locator('ol.steps li').first()).toContainText(HOSTILE);
  await expect(dialog.locator('ol.steps li a').first()).toHaveAttribute('href', `https://fetch.spec.whatwg.org/#${HOSTILE}`);
  await expect(dialog.locator('ul.console li')).toHaveText([HOSTILE]);
  await expect(dialog.locator('code.reason').last()).toHaveText(HOSTILE);
  await expect(dialog.locator('ol.headers li').filter({ hasText: 'X-Echo' })).toHaveText(`X-Echo: ${HOSTILE}`);
  expect(await injected()).toEqual({ elements: 0, pwned: undefined });
  check();
});

test('a case whose detail file is missing says where it belongs; the rest of the page works', async ({ page, built }) => {
  const dir = mkdtempSync(join(tmpdir(), 'cc-report-partial-'));
  const { index } = buildReport({ input: FIXTURE, out: dir });
  rmSync(join(dir, 'report-data', 'cases-000.js'));
  await page.goto(pathToFileURL(index).href);
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'true');
  await expect(rows(page)).toHaveCount(built.results.cases.length);
  await rows(page).first().click();
  await expect(page.locator('dialog#detail .warn')).toHaveText(
    'The case’s detail could not load: report-data/cases-000.js did not load: it belongs beside index.html (keep the report’s folder together)',
  );
  await expect(page.locator('dialog#detail h2')).toHaveText(built.results.cases[0]?.title ?? '');
});

test('a data file from a later build of the same folder is refused, not mixed in', async ({ page, built }) => {
  const dir = mkdtempSync(join(tmpdir(), 'cc-report-rebuilt-'));
  const { index } = buildReport({ input: FIXTURE, out: dir });
  await page.goto(pathToFileURL(index).href);
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'true');
  buildReport({ input: FIXTURE, out: dir });
  await rows(page).first().click();
  await expect(page.locator('dialog#detail .warn')).toContainText('report-data/cases-000.js is from another build of this report');
  await expect(rows(page)).toHaveCount(built.results.cases.length);
});
