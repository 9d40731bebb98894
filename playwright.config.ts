// The project's own tests: unit tests of the spec model and parsers, and end-to-end
// suites in the three real engines. The reference run has its own config
// (reference.config.ts). Leave an engine out by name with CC_ENGINES=chromium,firefox
// or --project. The environment is read here and passed down as options.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from '@playwright/test';
import type { EngineOptions } from './suites/fixtures.ts';
import type { CorsGateProjectOptions } from './kit/gate.ts';
import { wantedEngines } from './engines/selection.ts';
import { browserChoiceFrom, detectEngine, isMissing } from './engines/detect.ts';

const BROWSERS = browserChoiceFrom(process.env);

export const ENGINE_PROJECTS = wantedEngines(process.env.CC_ENGINES).map((engineId) => ({
  name: engineId,
  use: { engineId, browsers: BROWSERS },
}));

// The report's own test opens the built page in Chromium: Playwright's build when installed,
// the stock one otherwise (tests/report/report.spec.ts fails loudly when there is none).
const reportChromium = detectEngine('chromium', BROWSERS);
const REPORT_LAUNCH = isMissing(reportChromium) ? {} : { executablePath: reportChromium.executable, args: process.getuid?.() === 0 ? ['--no-sandbox'] : [] };

// The project's own tests, in tiers. Without a browser: `unit` (pure), `hostile`, `replay`
// (grading's judgement from observations recorded in the three engines, against real servers:
// see tests/replay/) and `setup` (setup errors, which come before any browser starts). Then the
// browser tier, one project per engine: what only a real engine can show, each worker's
// engine launched once and shared by its suites and gradings. The command-line tests start
// their own engines, so they run once (in the chromium project) rather than once per engine.
// `stability` runs reference runs as child processes, each on the engines it needs, one test
// at a time so that it does not crowd the other projects out of the CPUs.
const OWN_PROJECTS = [
  { name: 'unit', testMatch: 'tests/unit/**/*.spec.ts', fullyParallel: true },
  // Hostile targets, documents and runners (the security section of the README): no browser.
  { name: 'hostile', testMatch: 'tests/hostile/**/*.spec.ts' },
  { name: 'replay', testMatch: 'tests/replay/**/*.spec.ts', fullyParallel: true },
  { name: 'setup', testMatch: 'tests/setup/**/*.spec.ts', fullyParallel: true },
  { name: 'stability', testMatch: 'tests/stability/**/*.spec.ts', workers: 1 },
  { name: 'report', testMatch: 'tests/report/**/*.spec.ts', use: { browserName: 'chromium' as const, launchOptions: REPORT_LAUNCH } },
  ...ENGINE_PROJECTS.map((p) => ({
    ...p,
    testMatch: [
      'suites/*.spec.ts',
      'tests/grade/grade.spec.ts',
      'tests/grade/search.spec.ts',
      'tests/grade/session.spec.ts',
      'tests/grade/paths.spec.ts',
      'tests/grade/configuration.spec.ts',
      'tests/engines/*.spec.ts',
      'tests/explain/*.spec.ts',
      'tests/initiators/*.spec.ts',
      ...(p.name === 'chromium' ? ['tests/grade/cli.spec.ts', 'tests/package/*.spec.ts'] : []),
    ],
  })),
];

// With CORS_TARGET set, this config grades that server instead (suites/target/).
// The run's folder (suites/target/once.ts): made once, by the runner, with mkdtemp (0700, an
// unguessable name); the workers inherit its path, and the runner removes it when it exits.
if (process.env.CORS_TARGET && !process.env.CC_GATE_DIR) {
  const dir = mkdtempSync(join(tmpdir(), 'cors-conformance-gate-'));
  process.env.CC_GATE_DIR = dir;
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
}
// The gate's options (kit/gate.ts): the engine and where its browser comes from.
const GRADE_PROJECTS = ENGINE_PROJECTS.map((p) => ({
  name: p.name,
  testMatch: 'suites/target/*.spec.ts',
  use: { corsEngine: p.use.engineId, corsBrowsers: BROWSERS },
}));

export default defineConfig<EngineOptions & CorsGateProjectOptions>({
  testDir: '.',
  timeout: 120_000,
  // The project's own tests: two, one per core (with three, the browser tiers starved each
  // other on a loaded 2-core machine until a Firefox grading ran past its test timeout). The
  // gate keeps three: a failing probe test costs a fresh worker, and most of a worker's time
  // is its start, not the CPU.
  workers: process.env.CORS_TARGET ? 3 : 2,
  reporter: process.env.CI ? [['list'], ['junit', { outputFile: 'test-results/junit.xml' }]] : 'list',
  projects: process.env.CORS_TARGET ? GRADE_PROJECTS : OWN_PROJECTS,
});
