// W3C WebDriver backend: WebKitGTK's MiniBrowser through WebKitWebDriver here, real Safari
// through safaridriver on a Mac (a WebDriverConfig in detect.ts, not another backend).
// A few lines of fetch are the whole client. The layer starts Xvfb, the browser (WebKitGTK,
// to read its console: webkit-inspector.ts) and the driver itself, on free loopback ports,
// and stops them; processes.ts reaps what a crashed run left.
import getPort from 'get-port';
import type { Readable } from 'node:stream';
import type { Probe } from '../model/probe.ts';
import type { PageRunOutput } from '../probe/runtime.ts';
import type { EngineInfo } from '../model/results.ts';
import { awaitTrailingLines } from './console.ts';
import type { EngineTarget } from './detect.ts';
import { spawnManaged, type Managed } from './processes.ts';
import { connectInspectorConsole, type InspectorConsole } from './webkit-inspector.ts';
import { EngineUnavailableError, type Engine, type EnginePage, type LaunchOptions, type RunOutput } from './types.ts';

type WebDriverTarget = Extract<EngineTarget, { backend: 'webdriver' }>;

interface WireValue<T> {
  value: T;
}
interface WireError {
  error: string;
  message: string;
}

class WebDriverClient {
  constructor(readonly base: string) {}
  async call<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
    const res = await fetch(this.base + path, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? null : JSON.stringify(body),
    });
    const json = (await res.json()) as WireValue<T | WireError>;
    const v = json.value;
    if (!res.ok || (v && typeof v === 'object' && 'error' in v)) {
      const e = v as WireError;
      throw new Error(`WebDriver ${method} ${path}: ${e.error ?? res.status}: ${e.message ?? ''}`);
    }
    return v as T;
  }
}

async function startXvfb(): Promise<{ display: string; proc: Managed }> {
  // -displayfd lets Xvfb pick a free display number and tell us which.
  const proc = spawnManaged('/usr/bin/Xvfb', ['-displayfd', '3', '-screen', '0', '1280x800x24', '-nolisten', 'tcp'], process.env, 1);
  const fd = proc.child.stdio[3] as Readable | null;
  const display = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Xvfb did not start: ${proc.output()}`)), 15_000);
    let buf = '';
    fd?.on('data', (b: Buffer) => {
      buf += b.toString();
      const m = /(\d+)\s/.exec(buf);
      if (m) {
        clearTimeout(timer);
        resolve(`:${m[1]}`);
      }
    });
    proc.child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Xvfb exited (${code}): ${proc.output()}`));
    });
  });
  return { display, proc };
}

async function waitForDriver(client: WebDriverClient, driver: Managed, name: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      await client.call('GET', '/status');
      return;
    } catch {
      if (driver.child.exitCode !== null) throw new Error(`${name} exited: ${driver.output()}`);
      if (Date.now() > deadline) throw new Error(`${name} did not answer /status: ${driver.output()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** One window of the session. WebDriver commands act on the current window, so pages take turns. */
class WebDriverPage implements EnginePage {
  constructor(
    private readonly session: WebDriverSession,
    readonly handle: string,
  ) {}
  goto(url: string): Promise<void> {
    return this.session.exclusive(this, async () => {
      await this.session.client.call('POST', `${this.session.path}/url`, { url });
      // A page the inspector attaches to before it has a web process never answers.
      await this.session.inspector?.attach();
    });
  }
  run(probes: Probe[], options: { concurrency: number }): Promise<RunOutput> {
    return this.session.exclusive(this, async () => {
      const lines = this.session.console;
      lines.length = 0;
      const out = await this.session.client.call<PageRunOutput | { ccError: string }>('POST', `${this.session.path}/execute/async`, {
        script:
          'const done = arguments[arguments.length - 1];' + 'window.__cc.run(arguments[0], arguments[1]).then(done, (e) => done({ ccError: String(e) }));',
        args: [probes, options],
      });
      if ('ccError' in out) throw new Error(`probe runtime failed: ${out.ccError}`);
      if (!this.session.inspector) return { ...out, console: [] };
      await awaitTrailingLines(lines, probes, out);
      return { ...out, console: [...lines] };
    });
  }
  close(): Promise<void> {
    return this.session.release(this);
  }
}

class WebDriverSession {
  current: WebDriverPage | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  /** Closing a session's last window ends the session, so the last one is kept for reuse. */
  private spare: string | null;
  private open = 0;
  constructor(
    readonly client: WebDriverClient,
    readonly path: string,
    firstWindow: string,
    /** The browser's console lines since the current run began (pages take turns). */
    readonly console: string[],
    /** WebKitGTK's console, attached to the browser's first page; null where there is none (Safari). */
    readonly inspector: InspectorConsole | null,
  ) {
    this.spare = firstWindow;
  }
  exclusive<T>(page: WebDriverPage | null, fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(async () => {
      if (page && this.current !== page) {
        await this.client.call('POST', `${this.path}/window`, { handle: page.handle });
        this.current = page;
      }
      return fn();
    });
    this.queue = run.catch(() => {});
    return run;
  }
  newPage(): Promise<WebDriverPage> {
    return this.exclusive(null, async () => {
      this.open++;
      if (this.spare) {
        const handle = this.spare;
        this.spare = null;
        return new WebDriverPage(this, handle);
      }
      const created = await this.client.call<{ handle: string }>('POST', `${this.path}/window/new`, { type: 'tab' });
      return new WebDriverPage(this, created.handle);
    });
  }
  release(page: WebDriverPage): Promise<void> {
    return this.exclusive(page, async () => {
      this.open--;
      if (this.open === 0 && this.spare === null) {
        await this.client.call('POST', `${this.path}/url`, { url: 'about:blank' });
        this.spare = page.handle;
      } else {
        await this.client.call('DELETE', `${this.path}/window`);
        this.current = null;
      }
    });
  }
}

export async function launchWebDriver(target: WebDriverTarget, opts: LaunchOptions): Promise<Engine> {
  const cfg = target.driver;
  const started: Managed[] = [];
  const stopAll = async () => {
    for (const p of started.reverse()) await p.stop();
  };
  let inspector: InspectorConsole | null = null;
  try {
    const env: NodeJS.ProcessEnv = { ...process.env };
    if (cfg.needsDisplay) {
      const x = await startXvfb();
      started.push(x.proc);
      env.DISPLAY = x.display;
    }
    // MiniBrowser must not pick up a desktop session's proxy or accessibility bus.
    env.NO_AT_BRIDGE = '1';
    env.WEBKIT_DISABLE_COMPOSITING_MODE = '1';
    // WebKitGTK: the browser is started here with its inspector server on loopback, and this
    // layer's console client connects before the driver does (engines/webkit-inspector.ts).
    let browserAddress: string | null = null;
    const lines: string[] = [];
    if (cfg.browser) {
      const inspectorPort = await getPort({ host: '127.0.0.1' });
      browserAddress = `127.0.0.1:${inspectorPort}`;
      const browser = spawnManaged(cfg.browser.command, cfg.browser.args(opts.proxy.url), { ...env, WEBKIT_INSPECTOR_SERVER: browserAddress });
      started.push(browser);
      try {
        inspector = await connectInspectorConsole('127.0.0.1', inspectorPort, (line) => lines.push(line));
      } catch (err) {
        throw new Error(`${(err as Error).message}: ${browser.output()}`);
      }
    }
    const port = await getPort({ host: '127.0.0.1' });
    const driver = spawnManaged(cfg.command, cfg.args(port, browserAddress), env);
    started.push(driver);
    const client = new WebDriverClient(`http://127.0.0.1:${port}`);
    await waitForDriver(client, driver, cfg.name);
    const created = await client.call<{ sessionId: string; capabilities: Record<string, unknown> }>('POST', '/session', {
      capabilities: { alwaysMatch: cfg.capabilities(opts.proxy.url) },
    });
    const path = `/session/${created.sessionId}`;
    await client.call('POST', `${path}/timeouts`, { script: 600_000, pageLoad: 60_000 });
    const firstWindow = await client.call<string>('GET', `${path}/window`);
    const session = new WebDriverSession(client, path, firstWindow, lines, inspector);
    const caps = created.capabilities;
    const userAgent = await client.call<string>('POST', `${path}/execute/sync`, { script: 'return navigator.userAgent', args: [] });
    const info: EngineInfo = {
      id: target.id,
      name: cfg.needsDisplay ? 'MiniBrowser (WebKitGTK)' : String(caps.browserName ?? 'Safari'),
      version: String(caps.browserVersion ?? 'unknown'),
      driver: cfg.name,
      build: target.build,
      executable: target.executable,
      userAgent,
    };
    return {
      info,
      consoleMessages: inspector !== null,
      concurrentPages: false,
      newPage: () => session.newPage(),
      close: async () => {
        await client.call('DELETE', path).catch(() => {});
        inspector?.close();
        await stopAll();
      },
    };
  } catch (err) {
    inspector?.close();
    await stopAll();
    throw new EngineUnavailableError(target.id, `${cfg.name} could not start a session: ${(err as Error).message}`);
  }
}
