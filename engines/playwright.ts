// Playwright backend: Playwright's own builds, stock Chromium over CDP, and stock Firefox
// over WebDriver BiDi (channel moz-firefox), which Playwright 1.64.1 drives and 1.65 does not.
import { chromium, firefox, webkit, type Browser, type BrowserContext, type LaunchOptions as PwLaunchOptions } from 'playwright';
import { createRequire } from 'node:module';
import type { Probe } from '../model/probe.ts';
import type { EngineId, EngineInfo } from '../model/results.ts';
import { awaitTrailingLines } from './console.ts';
import type { EngineTarget } from './detect.ts';
import { EngineClosedError, EngineUnavailableError, type Engine, type EnginePage, type LaunchOptions, type RunOutput } from './types.ts';
import { recordChildrenWhile } from './processes.ts';

const PLAYWRIGHT_VERSION: string = (createRequire(import.meta.url)('playwright/package.json') as { version: string }).version;

// Chromium phones home through any proxy it is given; these keep it quiet.
const CHROMIUM_ARGS = [
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-default-apps',
  '--disable-domain-reliability',
  '--disable-client-side-phishing-detection',
  // Loopback goes through the proxy too, so a page on a virtual origin never fetches
  // 127.0.0.1 directly and Local Network Access never applies (reports say so).
  '--proxy-bypass-list=<-loopback>',
  // http://a.test must stay http: automatic HTTPS upgrades would land on https://a.test.
  '--disable-features=HttpsUpgrades,HttpsFirstBalancedModeAutoEnable,HttpsFirstModeV2ForTypicallySecureUsers',
];

function firefoxPrefs(proxyHost: string, proxyPort: number): Record<string, string | number | boolean> {
  return {
    // The launch `proxy` option covers plain http only over BiDi; https needs these.
    'network.proxy.type': 1,
    'network.proxy.http': proxyHost,
    'network.proxy.http_port': proxyPort,
    'network.proxy.ssl': proxyHost,
    'network.proxy.ssl_port': proxyPort,
    'network.proxy.no_proxies_on': '',
    'network.proxy.allow_hijacking_localhost': true,
    'network.proxy.share_proxy_settings': false,
    // http://a.test must stay http.
    'dom.security.https_first': false,
    'dom.security.https_first_pbm': false,
    'dom.security.https_first_schemeless': false,
    'dom.security.https_only_mode': false,
    // Background connections, refused by the proxy anyway.
    'app.update.enabled': false,
    'app.update.auto': false,
    'browser.safebrowsing.malware.enabled': false,
    'browser.safebrowsing.phishing.enabled': false,
    'browser.safebrowsing.downloads.enabled': false,
    'browser.safebrowsing.provider.google4.updateURL': '',
    'browser.safebrowsing.provider.mozilla.updateURL': '',
    'datareporting.healthreport.uploadEnabled': false,
    'datareporting.policy.dataSubmissionEnabled': false,
    'toolkit.telemetry.enabled': false,
    'toolkit.telemetry.server': '',
    'services.settings.server': 'data:,',
    'network.captive-portal-service.enabled': false,
    'network.connectivity-service.enabled': false,
    'browser.region.network.url': '',
    'browser.region.update.enabled': false,
    'extensions.update.enabled': false,
    'extensions.getAddons.cache.enabled': false,
    'browser.search.update': false,
    'network.dns.disablePrefetch': true,
    'network.prefetch-next': false,
    'network.predictor.enabled': false,
    'security.OCSP.enabled': 0,
    'browser.newtabpage.enabled': false,
    'browser.aboutHomeSnippets.updateUrl': '',
    'browser.ping-centre.telemetry': false,
    'messaging-system.rsexperimentloader.enabled': false,
    'app.normandy.enabled': false,
    'app.shield.optoutstudies.enabled': false,
  };
}

/**
 * Chromium logs no console line for some blocks (a redirect to a URL with credentials, a
 * redirect in `redirect: 'error'` mode); its network log still names its own CORS error for
 * the request (`Network.loadingFailed`'s `corsErrorStatus`). Those are kept as lines of the
 * form `Chromium network log: <url>: CORS error <CorsError> (<net error>)`, which rank after
 * console lines (model/results.ts).
 */
async function recordCorsNetworkErrors(page: import('playwright').Page, push: (line: string) => void): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  const urls = new Map<string, string>();
  cdp.on('Network.requestWillBeSent', (e) => urls.set(e.requestId, e.request.url));
  cdp.on('Network.loadingFailed', (e) => {
    const url = urls.get(e.requestId);
    urls.delete(e.requestId);
    if (!url) return;
    const cors = e.corsErrorStatus;
    const net = e.errorText ? ` (${e.errorText})` : '';
    if (cors) push(`Chromium network log: ${url}: CORS error ${cors.corsError}${cors.failedParameter ? ` ${cors.failedParameter}` : ''}${net}`);
    else if (e.blockedReason) push(`Chromium network log: ${url}: blocked ${e.blockedReason}${net}`);
  });
  cdp.on('Network.loadingFinished', (e) => urls.delete(e.requestId));
  await cdp.send('Network.enable');
}

/**
 * Playwright's words for a page, context or browser that is gone. Firefox over WebDriver BiDi
 * answers `no such user context` for a browser context it no longer has: a
 * `browsingContext.create` that reached it after `browser.removeUserContext`, which is what
 * closing the engine sends (the worker's teardown after a test ran out of time, while the
 * grading it abandoned still opened pages). Playwright says the others were closed.
 */
const GONE = /no such user context|has been closed|Target closed|browser has disconnected/i;

function isGone(err: unknown): boolean {
  return err instanceof Error && GONE.test(err.message);
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
}

/** A browser as launched: its context, and how to drop its processes from the reaper's record once it is closed. */
interface Launched {
  browser: Browser;
  context: BrowserContext;
  forget: () => void;
}

/** The browser and the context pages are opened in; a fresh one has a new generation. */
interface Live extends Launched {
  generation: number;
}

/**
 * The browser behind an engine. A context that is lost while the engine is open (the browser
 * dropped it, or crashed) is replaced once by a fresh context in the same browser, then by a
 * fresh browser; each time the navigations that set cookies are made again, so that the jar
 * holds what the lost one held. A third loss makes the engine unavailable, naming it. An
 * engine that was closed (by its owner: the run or the test ended) is never brought back:
 * what still runs in it fails with EngineClosedError.
 */
class Browsers {
  live: Live;
  closed = false;
  /** Rejects with EngineClosedError once the engine is closed. Work in flight is raced
   *  against it: a `newPage()` that Playwright had sent when the browser closed can stay
   *  pending forever (measured in Chromium under load), and nothing may wait on it. */
  readonly whenClosed: Promise<never>;
  private endWork: (err: Error) => void = () => {};
  /** Navigations whose response set a cookie, in order (each URL at its latest place). */
  private readonly cookieNavigations: string[] = [];
  private recovery: Promise<void> | null = null;
  constructor(
    readonly id: EngineId,
    first: Launched,
    private readonly start: () => Promise<Launched>,
  ) {
    this.live = { ...first, generation: 0 };
    this.whenClosed = new Promise<never>((_, reject) => {
      this.endWork = reject;
    });
    this.whenClosed.catch(() => {});
  }

  rememberCookieNavigation(url: string): void {
    const at = this.cookieNavigations.indexOf(url);
    if (at >= 0) this.cookieNavigations.splice(at, 1);
    this.cookieNavigations.push(url);
  }

  /** Replaces the live context (`how`), once for all the pages that saw it go (`seen`: the generation they had). */
  private async recover(seen: number, how: 'context' | 'browser'): Promise<void> {
    if (this.live.generation !== seen) return;
    this.recovery ??= this.replace(how).finally(() => {
      this.recovery = null;
    });
    await this.recovery;
  }

  private async restore(context: BrowserContext): Promise<void> {
    const page = await context.newPage();
    try {
      for (const url of this.cookieNavigations) await page.goto(url, { waitUntil: 'load' });
    } finally {
      await page.close().catch(() => {});
    }
  }

  private async replace(how: 'context' | 'browser'): Promise<void> {
    const old = this.live;
    if (how === 'context') {
      try {
        const context = await old.browser.newContext(CONTEXT_OPTIONS);
        await this.restore(context);
        this.live = { ...old, context, generation: old.generation + 1 };
        // Not waited for: closing a context can wait on pages that never report closed (close(), below).
        void old.context.close().catch(() => {});
        return;
      } catch {
        // The browser itself is gone, or will not give a context: a fresh one, below.
      }
    }
    await old.browser.close().catch(() => {});
    old.forget();
    if (this.closed) throw new EngineClosedError(this.id);
    const fresh = await this.start();
    try {
      if (this.closed) throw new EngineClosedError(this.id);
      await this.restore(fresh.context);
    } catch (err) {
      await fresh.browser.close().catch(() => {});
      fresh.forget();
      throw err;
    }
    this.live = { ...fresh, generation: old.generation + 1 };
  }

  /** Runs `fn` in the live context; what the loss of the context breaks is tried again in a
   *  fresh context, then in a fresh browser. */
  async withLive<T>(fn: (live: Live) => Promise<T>): Promise<T> {
    let lost: unknown = null;
    for (const how of ['context', 'browser', null] as const) {
      if (this.closed) throw new EngineClosedError(this.id);
      const live = this.live;
      try {
        return await Promise.race([fn(live), this.whenClosed]);
      } catch (err) {
        if (this.closed) throw new EngineClosedError(this.id);
        if (!isGone(err)) throw err;
        lost ??= err;
        if (!how) break;
        try {
          await this.recover(live.generation, how);
        } catch (failed) {
          if (failed instanceof EngineClosedError) throw failed;
          throw new EngineUnavailableError(this.id, `the browser lost its context (${firstLine(lost)}) and could not be replaced: ${firstLine(failed)}`);
        }
      }
    }
    throw new EngineUnavailableError(this.id, `the browser lost its context (${firstLine(lost)}) in a fresh context and again in a fresh browser`);
  }

  /** Closes the browser, and with it its context. Not the context first: over WebDriver BiDi,
   *  closing a context waits for every page it had to report closed, and a page whose
   *  `browsingContext.create` was still in flight never does (measured: two minutes). */
  async close(): Promise<void> {
    this.closed = true;
    this.endWork(new EngineClosedError(this.id));
    await this.recovery?.catch(() => {});
    await this.live.browser.close().catch(() => {});
    this.live.forget();
  }
}

const CONTEXT_OPTIONS = { ignoreHTTPSErrors: true } as const;

class PlaywrightPage implements EnginePage {
  private readonly console: string[] = [];
  private page: import('playwright').Page | null = null;
  private generation = -1;
  constructor(
    private readonly browsers: Browsers,
    private readonly networkLog: boolean,
  ) {}

  /** This page's Playwright page in `live`'s context: opened there when its own was lost. */
  private async pageIn(live: Live): Promise<import('playwright').Page> {
    if (this.page && this.generation === live.generation && !this.page.isClosed()) return this.page;
    const page = await live.context.newPage();
    page.on('console', (m) => this.console.push(m.text()));
    // Firefox over WebDriver BiDi reports its network security messages ("Cross-Origin
    // Request Blocked: …") as JavaScript errors of the page, which Playwright hands out as
    // page errors, split at the first ": " into name and message.
    page.on('pageerror', (e) => this.console.push(e.name ? `${e.name}: ${e.message}` : e.message));
    if (this.networkLog) await recordCorsNetworkErrors(page, (line) => this.console.push(line));
    this.page = page;
    this.generation = live.generation;
    return page;
  }

  async open(): Promise<void> {
    await this.browsers.withLive((live) => this.pageIn(live));
  }

  async goto(url: string): Promise<void> {
    // A navigation is made again when the context went away under it: nothing it did
    // survived the context.
    await this.browsers.withLive(async (live) => {
      const response = await (await this.pageIn(live)).goto(url, { waitUntil: 'load' });
      const setCookie = response ? await response.headerValue('set-cookie').catch(() => null) : null;
      if (setCookie !== null) this.browsers.rememberCookieNavigation(url);
    });
  }

  async run(probes: Probe[], options: { concurrency: number }): Promise<RunOutput> {
    if (this.browsers.closed) throw new EngineClosedError(this.browsers.id);
    if (!this.page) throw new Error('the page was never navigated to a probe page');
    this.console.length = 0;
    // Never made again: a batch whose context was lost may have sent its requests already.
    const evaluated = this.page.evaluate(
      ([p, o]) => {
        if (!window.__cc) throw new Error('the probe runtime is not loaded in this page');
        return window.__cc.run(p, o);
      },
      [probes, options] as const,
    );
    const out = await Promise.race([evaluated, this.browsers.whenClosed]);
    // Console messages can trail the evaluate's result by a tick, and a block's by more.
    await new Promise((r) => setTimeout(r, 50));
    await awaitTrailingLines(this.console, probes, out);
    return { ...out, console: [...this.console] };
  }

  async close(): Promise<void> {
    await this.page?.close().catch(() => {});
  }
}

export async function launchPlaywright(target: Extract<EngineTarget, { backend: 'playwright' }>, opts: LaunchOptions): Promise<Engine> {
  const type = { chromium, firefox, webkit }[target.id];
  const launch: PwLaunchOptions = { headless: true, timeout: 60_000 };
  let driver: string;
  if (target.id === 'chromium') {
    launch.args = [...CHROMIUM_ARGS, ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])];
    launch.proxy = { server: opts.proxy.url, bypass: '<-loopback>' };
    driver = `Playwright ${PLAYWRIGHT_VERSION} over CDP`;
  } else if (target.id === 'firefox') {
    launch.firefoxUserPrefs = firefoxPrefs(opts.proxy.host, opts.proxy.port);
    driver = `Playwright ${PLAYWRIGHT_VERSION} over ${target.build === 'stock' ? 'WebDriver BiDi' : 'Juggler'}`;
  } else {
    launch.proxy = { server: opts.proxy.url, bypass: '<-loopback>' };
    driver = `Playwright ${PLAYWRIGHT_VERSION} (Playwright WebKit protocol)`;
  }
  if (target.build === 'stock') {
    launch.executablePath = target.executable;
    if ('channel' in target) launch.channel = target.channel;
  }
  const start = async (): Promise<Launched> => {
    let browser: Browser;
    let forget = () => {};
    try {
      const launched = await recordChildrenWhile(type.launch(launch), `${target.id} ${target.executable}`);
      browser = launched.value;
      forget = launched.forget;
    } catch (err) {
      throw new EngineUnavailableError(target.id, `could not launch ${target.executable}: ${firstLine(err)}`);
    }
    try {
      return { browser, context: await browser.newContext(CONTEXT_OPTIONS), forget };
    } catch (err) {
      await browser.close().catch(() => {});
      forget();
      throw new EngineUnavailableError(target.id, `could not open a browser context: ${firstLine(err)}`);
    }
  };
  const browsers = new Browsers(target.id, await start(), start);
  const first = browsers.live;
  const probePage = await first.context.newPage();
  const userAgent = await probePage.evaluate(() => navigator.userAgent).catch(() => '');
  await probePage.close();
  const names = { chromium: 'Chromium', firefox: 'Firefox', webkit: 'WebKit' } as const;
  const info: EngineInfo = {
    id: target.id,
    name: target.build === 'playwright' ? `${names[target.id]} (Playwright build)` : names[target.id],
    version: first.browser.version(),
    driver,
    build: target.build,
    executable: target.executable,
    userAgent,
  };
  return {
    info,
    // Chromium over CDP and Firefox over BiDi (page errors) both report their blocking reasons.
    consoleMessages: true,
    concurrentPages: true,
    newPage: async () => {
      const page = new PlaywrightPage(browsers, target.id === 'chromium');
      await page.open();
      return page;
    },
    close: () => browsers.close(),
  };
}
