// The reference run (npm run reference): every built-in case in Chromium, Firefox and
// WebKit, written to reports/latest/results.json as batches complete. Leave an engine
// out by name with --project; an engine that cannot start fails the run.
import { defineConfig } from '@playwright/test';
import type { EngineOptions } from './suites/fixtures.ts';
import { ENGINE_PROJECTS } from './playwright.config.ts';

export default defineConfig<EngineOptions>({
  testDir: 'suites/reference',
  timeout: 300_000,
  workers: 3,
  outputDir: 'test-results/reference',
  // CC_TIMINGS=<file> adds Playwright's JSON report, for the benchmark's per-engine times.
  reporter: [['list'], ['./runner/results-reporter.ts'], ...(process.env.CC_TIMINGS ? [['json', { outputFile: process.env.CC_TIMINGS }] as ['json', { outputFile: string }]] : [])],
  projects: ENGINE_PROJECTS,
});
