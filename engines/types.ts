// The engine layer's one interface: every suite opens pages on origins and runs probe
// batches through this, whichever backend (Playwright, W3C WebDriver) drives the browser.
import type { Probe } from '../model/probe.ts';
import type { PageRunOutput } from '../probe/runtime.ts';
import type { EngineId, EngineInfo } from '../model/results.ts';
import type { BrowserChoice } from './detect.ts';
import { UserError } from '../model/errors.ts';

export interface ProxySettings {
  /** `http://127.0.0.1:PORT`: both plain http and CONNECT for https go here. */
  url: string;
  host: string;
  port: number;
}

export interface LaunchOptions {
  proxy: ProxySettings;
  browsers: BrowserChoice;
}

/** What a probe page reported (probe/runtime.ts), with the browser's own console messages;
 *  `console` is empty where the engine gives no console access. */
export interface RunOutput extends PageRunOutput {
  console: string[];
}

export interface EnginePage {
  goto(url: string): Promise<void>;
  run(probes: Probe[], options: { concurrency: number }): Promise<RunOutput>;
  close(): Promise<void>;
}

export interface Engine {
  info: EngineInfo;
  /** Whether run() returns the browser's own console messages. */
  consoleMessages: boolean;
  /** Whether two pages of this engine can run batches at the same time. */
  concurrentPages: boolean;
  newPage(): Promise<EnginePage>;
  close(): Promise<void>;
}

export class EngineUnavailableError extends UserError {
  constructor(
    readonly engine: EngineId,
    message: string,
  ) {
    super(`${engine}: ${message}`);
  }
}

/** Work that outlived its engine: the engine's owner (the run, the test) closed it first, so
 *  what is still running fails with this rather than with the browser's own words for a
 *  context it no longer has. */
export class EngineClosedError extends Error {
  constructor(readonly engine: EngineId) {
    super(`${engine}: the engine was closed while probes were still running in it (its run or test had already ended, e.g. on a timeout)`);
    this.name = 'EngineClosedError';
  }
}
