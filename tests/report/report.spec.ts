// The built report, opened from disk (file://) in Chromium: the summary numbers are the
// JSON's, the filters narrow the rows, a case opens with its spec reasoning and curl line.
import { test as base, expect, type Page } from '@playwright/test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { browserChoiceFrom, detectEngine, isMissing } from '../../engines/detect.ts';
import type { Agreement, CaseRecord, EngineId, EngineSummary, ResultsFile } from '../../model/results.ts';
import { buildReport } from '../../report/build.ts';
import { loadResults } from '../../report/load.ts';
import { measure, multiplyResults } from '../../scripts/measure-report-load.ts';
import { fixtureUrl } from '../../servers/recipe.ts';

const FIXTURE = fileURLToPath(new URL('fixtures/results.json', import.meta.url));
const BASELINE = fileURLToPath(new URL('fixtures/baseline.json', import.meta.url));

const test = base.extend<{ report: Page }, { built: { url: string; results: ResultsFile } }>({
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
      await use({ url: pathToFileURL(index).href, results: loadResults(FIXTURE) });
    },
    { scope: 'worker' },
  ],
  report: async ({ page, built }, use) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // Nothing may leave the page: no server, no network.
    await page.route(/^(?!file:|data:)/, (route) => {
      errors.push(`network request: ${route.request().url()}`);
      return route.abort();
    });
    await page.goto(built.url);
    await expect(page.locator('html')).toHaveAttribute('data-ready', 'true');
    await use(page);
    expect(errors).toEqual([]);
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

test('10,000 cases × 3 engines: the first page renders, filters stay usable (timing printed, not asserted)', async ({ page, built }) => {
  test.slow();
  const dir = mkdtempSync(join(tmpdir(), 'cc-report-large-'));
  const file = join(dir, 'results.json');
  const big = multiplyResults(built.results, 10_000);
  writeFileSync(file, JSON.stringify(big));
  const { index } = buildReport({ input: file, out: dir });
  const timing = await measure(page, index);
  console.log(
    `report with 10,000 cases × 3 engines: first rows ${timing.firstRowsMs} ms after navigation start (wall ${timing.wallMs} ms), search ${timing.searchMs} ms, ${(timing.htmlBytes / 1e6).toFixed(1)} MB`,
  );
  await expect(page.locator('#matrix-count')).toHaveAttribute('data-matching', /^\d+$/);
  await page.click('#f-reset');
  await expect(rows(page)).toHaveCount(100);
  await expect(page.locator('#matrix-count')).toHaveText('Rows 1–100 of 10,000');
  await page.click('#page-last');
  await expect(page.locator('#page-label')).toHaveText('Page 100 of 100');
  await page.selectOption('#f-topic', 'redirects');
  const redirects = big.cases.filter((c) => c.group === 'redirects').length;
  await expect(page.locator('#matrix-count')).toContainText(`of ${redirects.toLocaleString('en')} (filtered from 10,000)`);
});
