// The engine layer's entry point: detect which build runs an engine, launch it, and say
// loudly when it cannot be had (an engine is never skipped silently).
import type { EngineId } from '../model/results.ts';
import { detectEngine, isMissing } from './detect.ts';
import { launchPlaywright } from './playwright.ts';
import { reapStale } from './processes.ts';
import { EngineUnavailableError, type Engine, type LaunchOptions } from './types.ts';
import { launchWebDriver } from './webdriver.ts';

export type { Engine, LaunchOptions } from './types.ts';
export { browserChoiceFrom, type BrowserChoice } from './detect.ts';

let reaped = false;

export async function launchEngine(id: EngineId, opts: LaunchOptions): Promise<Engine> {
  if (!reaped) {
    reaped = true;
    reapStale();
  }
  const target = detectEngine(id, opts.browsers);
  if (isMissing(target)) {
    throw new EngineUnavailableError(
      id,
      `${target.missing}. Run \`npm run provision\`${target.debianPackages.length ? ` (Debian packages: ${target.debianPackages.join(' ')})` : ''}, or leave this engine out by name.`,
    );
  }
  return target.backend === 'webdriver' ? launchWebDriver(target, opts) : launchPlaywright(target, opts);
}
