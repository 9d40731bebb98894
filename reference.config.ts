// The reference run (npm run reference): every built-in case in Chromium, Firefox and
// WebKit, written to reports/latest/results.json (CC_OUT=<dir> elsewhere) as batches
// complete. Leave an engine out by name with --project or CC_ENGINES; an engine that cannot
// start fails the run. The environment is read here and passed down as options.
import { resolve } from 'node:path';
import { defineConfig } from '@playwright/test';
import type { EngineOptions } from './suites/fixtures.ts';
import { ENGINE_PROJECTS } from './playwright.config.ts';
import { referenceCases } from './cases/catalog.ts';
import { KNOWN_DIVERGENCES } from './cases/divergences.ts';
import { RUN_NOTES } from './runner/notes.ts';
import type { ResultsReporterOptions } from './runner/results-reporter.ts';

const outDir = resolve(process.env.CC_OUT ?? 'reports/latest');
const results: ResultsReporterOptions = {
  outDir,
  notes: RUN_NOTES,
  order: referenceCases(process.env.CC_CASES).map((c) => c.id),
  divergences: KNOWN_DIVERGENCES.map(({ id, title, engines, evidence, observed }) => ({ id, title, engines, evidence, observed })),
};

export default defineConfig<EngineOptions>({
  testDir: 'suites/reference',
  timeout: 300_000,
  workers: 3,
  outputDir: 'test-results/reference',
  // CC_TIMINGS=<file> adds Playwright's JSON report, for the benchmark's per-engine times.
  reporter: [
    ['list'],
    ['./runner/results-reporter.ts', results],
    ...(process.env.CC_TIMINGS ? [['json', { outputFile: process.env.CC_TIMINGS }] as ['json', { outputFile: string }]] : []),
  ],
  projects: ENGINE_PROJECTS.map((p) => ({ ...p, use: { ...p.use, resultsDir: outDir } })),
});
