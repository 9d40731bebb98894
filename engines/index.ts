// The engine layer's entry point: detect which build runs an engine, launch it, and say
// loudly when it cannot be had (an engine is never skipped silently).
import type { EngineId } from '../model/results.ts';
import { detectEngine, isMissing } from './detect.ts';
import { launchPlaywright } from './playwright.ts';
import { reapStale } from './processes.ts';
import { EngineClosedError, EngineUnavailableError, type Engine, type EnginePage, type LaunchOptions } from './types.ts';
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
      `${target.missing}. Run \`npx cors-conformance install\` (in a clone of cors-conformance: \`npm run provision\`)${target.debianPackages.length ? ` (Debian packages: ${target.debianPackages.join(' ')})` : ''}, or leave this engine out by name.`,
    );
  }
  return closable(await (target.backend === 'webdriver' ? launchWebDriver(target, opts) : launchPlaywright(target, opts)));
}

/**
 * Once its owner has closed an engine (the run or the test ended, say on a timeout), whatever
 * still runs in it fails with EngineClosedError, in every backend: not with the browser's own
 * words for what it no longer has (Firefox's `no such user context`), which read like an
 * engine fault.
 */
function closable(engine: Engine): Engine {
  let closed = false;
  let endWork: (err: Error) => void = () => {};
  // Work in flight is raced against the close: a command the backend had sent when the
  // browser went can stay pending forever, and nothing may wait on it.
  const whenClosed = new Promise<never>((_, reject) => {
    endWork = reject;
  });
  whenClosed.catch(() => {});
  const guard = async <T>(fn: () => Promise<T>): Promise<T> => {
    if (closed) throw new EngineClosedError(engine.info.id);
    try {
      return await Promise.race([fn(), whenClosed]);
    } catch (err) {
      if (closed) throw new EngineClosedError(engine.info.id);
      throw err;
    }
  };
  const page = (p: EnginePage): EnginePage => ({
    goto: (url) => guard(() => p.goto(url)),
    run: (probes, options) => guard(() => p.run(probes, options)),
    close: () => guard(() => p.close()),
  });
  return {
    ...engine,
    newPage: () => guard(async () => page(await engine.newPage())),
    close: () => {
      closed = true;
      endWork(new EngineClosedError(engine.info.id));
      return engine.close();
    },
  };
}
