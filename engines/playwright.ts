// Playwright backend: Playwright's own builds, stock Chromium over CDP, and stock Firefox
// over WebDriver BiDi (channel moz-firefox), which Playwright 1.64.1 drives and 1.65 does not.
import { chromium, firefox, webkit, type Browser, type BrowserContext, type LaunchOptions as PwLaunchOptions } from 'playwright';
import { createRequire } from 'node:module';
import type { Probe } from '../model/probe.ts';
import type { EngineInfo } from '../model/results.ts';
import { awaitTrailingLines } from './console.ts';
import type { EngineTarget } from './detect.ts';
import { EngineUnavailableError, type Engine, type EnginePage, type LaunchOptions, type RunOutput } from './types.ts';
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

class PlaywrightPage implements EnginePage {
  private readonly console: string[] = [];
  constructor(private readonly page: import('playwright').Page) {
    page.on('console', (m) => this.console.push(m.text()));
    // Firefox over WebDriver BiDi reports its network security messages ("Cross-Origin
    // Request Blocked: …") as JavaScript errors of the page, which Playwright hands out as
    // page errors, split at the first ": " into name and message.
    page.on('pageerror', (e) => this.console.push(e.name ? `${e.name}: ${e.message}` : e.message));
  }
  /** A line from outside the page's console (Chromium's network log). */
  push(line: string): void {
    this.console.push(line);
  }
  async goto(url: string): Promise<void> {
    await this.page.goto(url, { waitUntil: 'load' });
  }
  async run(probes: Probe[], options: { concurrency: number }): Promise<RunOutput> {
    this.console.length = 0;
    const out = await this.page.evaluate(
      ([p, o]) => {
        if (!window.__cc) throw new Error('the probe runtime is not loaded in this page');
        return window.__cc.run(p, o);
      },
      [probes, options] as const,
    );
    // Console messages can trail the evaluate's result by a tick, and a block's by more.
    await new Promise((r) => setTimeout(r, 50));
    await awaitTrailingLines(this.console, probes, out);
    return { ...out, console: [...this.console] };
  }
  async close(): Promise<void> {
    await this.page.close();
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
  let browser: Browser;
  let forgetBrowser = () => {};
  try {
    const launched = await recordChildrenWhile(type.launch(launch), `${target.id} ${target.executable}`);
    browser = launched.value;
    forgetBrowser = launched.forget;
  } catch (err) {
    throw new EngineUnavailableError(target.id, `could not launch ${target.executable}: ${(err as Error).message.split('\n')[0]}`);
  }
  let context: BrowserContext;
  try {
    context = await browser.newContext({ ignoreHTTPSErrors: true });
  } catch (err) {
    await browser.close().catch(() => {});
    throw new EngineUnavailableError(target.id, `could not open a browser context: ${(err as Error).message.split('\n')[0]}`);
  }
  const probePage = await context.newPage();
  const userAgent = await probePage.evaluate(() => navigator.userAgent).catch(() => '');
  await probePage.close();
  const names = { chromium: 'Chromium', firefox: 'Firefox', webkit: 'WebKit' } as const;
  const info: EngineInfo = {
    id: target.id,
    name: target.build === 'playwright' ? `${names[target.id]} (Playwright build)` : names[target.id],
    version: browser.version(),
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
      const page = await context.newPage();
      const pwPage = new PlaywrightPage(page);
      if (target.id === 'chromium') await recordCorsNetworkErrors(page, (line) => pwPage.push(line));
      return pwPage;
    },
    close: async () => {
      await context.close().catch(() => {});
      await browser.close().catch(() => {});
      forgetBrowser();
    },
  };
}
