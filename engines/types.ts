// The engine layer's one interface: every suite opens pages on origins and runs probe
// batches through this, whichever backend (Playwright, W3C WebDriver) drives the browser.
import type { Probe, ProbeResult } from '../model/probe.ts';
import type { EngineId, EngineInfo } from '../model/results.ts';
import type { BrowserChoice } from './detect.ts';

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

export interface RunOutput {
  results: ProbeResult[];
  /** The browser's own console messages; empty where the engine gives no console access. */
  console: string[];
  /** `self.origin` of the page, and of each opaque frame kind, as the page itself reported. */
  pageOrigin: string;
  frameOrigins: Record<string, string>;
  userAgent: string;
}

export interface EnginePage {
  goto(url: string): Promise<void>;
  run(probes: Probe[], options?: { concurrency?: number }): Promise<RunOutput>;
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

export class EngineUnavailableError extends Error {
  constructor(
    readonly engine: EngineId,
    message: string,
  ) {
    super(`${engine}: ${message}`);
  }
}
