// The project's own tests: unit tests of the spec model and parsers, and end-to-end
// suites in the three real engines. The reference run has its own config
// (reference.config.ts). Leave an engine out by name with CC_ENGINES=chromium,firefox
// or --project.
import { defineConfig } from '@playwright/test';
import type { EngineOptions } from './suites/fixtures.ts';
import { wantedEngines } from './engines/selection.ts';

export const ENGINE_PROJECTS = wantedEngines().map((engineId) => ({
  name: engineId,
  use: { engineId },
}));

export default defineConfig<EngineOptions>({
  testDir: '.',
  timeout: 120_000,
  workers: 3,
  reporter: process.env.CI ? [['list'], ['junit', { outputFile: 'test-results/junit.xml' }]] : 'list',
  projects: [
    { name: 'unit', testMatch: 'tests/unit/**/*.spec.ts' },
    ...ENGINE_PROJECTS.map((p) => ({ ...p, testMatch: 'suites/*.spec.ts' })),
  ],
});
