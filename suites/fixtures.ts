// Playwright Test fixtures: the lifecycle of servers and engines, once per worker.
// A project names its engine (`engineId`) and the browser builds (`browsers`, from the
// config); the `engine` fixture launches it through the engine layer and fails loudly when
// it cannot start. A worker starts its engine once: the reference cases, the end-to-end
// suites and the gradings all run in it, behind the worker's one proxy.
import { test as base } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { launchEngine, type BrowserChoice, type Engine } from '../engines/index.ts';
import type { EngineId } from '../model/results.ts';
import { startHarness, type Harness } from '../pipeline/harness.ts';
import type { ProxyRoute } from '../servers/proxy.ts';
import { Journal } from '../runner/results-store.ts';
import type { GradeSession } from '../pipeline/session.ts';

export interface EngineOptions {
  engineId: EngineId | null;
  browsers: BrowserChoice;
  /** Where the reference run's results go (its journal is written there as cases complete). */
  resultsDir: string;
}

export interface WorkerFixtures extends EngineOptions {
  harness: Harness;
  engine: Engine;
  runId: string;
  /** Where this worker's results go as they complete (reference run). */
  journal: Journal;
}

export interface TestFixtures {
  /** The worker's proxy and engine, for grading real servers and `explain`. */
  gradeSession: GradeSession;
}

function engineOf(engineId: EngineId | null): EngineId {
  if (!engineId) throw new Error('this project names no engine: set `use: { engineId }` in the Playwright config');
  return engineId;
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  engineId: [null, { option: true, scope: 'worker' }],
  browsers: [{ source: 'auto' }, { option: true, scope: 'worker' }],
  resultsDir: ['reports/latest', { option: true, scope: 'worker' }],
  runId: [
    async ({}, use, workerInfo) => {
      await use(`${Date.now().toString(36)}${workerInfo.workerIndex}${randomBytes(3).toString('hex')}`);
    },
    { scope: 'worker' },
  ],
  harness: [
    async ({}, use) => {
      const harness = await startHarness();
      await use(harness);
      await harness.close();
    },
    { scope: 'worker' },
  ],
  engine: [
    async ({ engineId, browsers, harness }, use) => {
      const engine = await launchEngine(engineOf(engineId), { proxy: harness.proxySettings, browsers });
      await use(engine);
      await engine.close();
    },
    { scope: 'worker', timeout: 120_000 },
  ],
  // The grading's routes (the target, its attacker and allowed pages) go on top of the
  // fixture server's, and the fixture server's alone are back when the test ends. The
  // engine and the proxy stay the worker's: nothing is launched or closed here.
  gradeSession: async ({ engine, harness }, use) => {
    const proxy = { ...harness.proxy, setRoutes: (routes: ProxyRoute[]) => harness.proxy.setRoutes([...harness.routes, ...routes]) };
    await use({ proxy, engines: [engine], close: async () => {} });
    await harness.proxy.setRoutes([...harness.routes]);
  },
  journal: [
    async ({ engine, resultsDir }, use, workerInfo) => {
      const journal = new Journal(resultsDir, `${engine.info.id}-${workerInfo.workerIndex}-${process.pid}`);
      journal.engine(engine.info);
      await use(journal);
    },
    { scope: 'worker' },
  ],
});

export { expect } from '@playwright/test';
