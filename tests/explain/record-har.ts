// A HAR as an engine writes it itself: a page on one loopback origin makes one fetch() to a
// server on another, in a browser context opened with Playwright's `recordHar`. Playwright
// records HARs only for the browsers it drives (Chromium over CDP, Firefox over WebDriver
// BiDi); WebKit here is WebKitGTK driven over W3C WebDriver, which has no HAR export.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, firefox, type LaunchOptions } from 'playwright';
import { detectEngine, isMissing, type BrowserChoice } from '../../engines/detect.ts';
import { recordChildrenWhile } from '../../engines/processes.ts';
import type { EngineId } from '../../model/results.ts';

export interface PageRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
  credentials: RequestCredentials;
}

/** A page server on its own loopback port: its origin is the page's origin. */
export async function pageServer(): Promise<{ origin: string; stop(): Promise<void> }> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><title>page</title>');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** The engine whose own HAR export records `id`'s requests here: itself where Playwright drives it, else Chromium. */
export const harEngine = (id: EngineId): 'chromium' | 'firefox' => (id === 'webkit' ? 'chromium' : id);

function launchOptions(engine: 'chromium' | 'firefox', browsers: BrowserChoice): LaunchOptions {
  const target = detectEngine(engine, browsers);
  if (isMissing(target) || target.backend !== 'playwright') throw new Error(`${engine}: no Playwright-driven build here`);
  const launch: LaunchOptions = { headless: true, timeout: 60_000 };
  if (target.build === 'stock') {
    launch.executablePath = target.executable;
    if ('channel' in target && target.channel) launch.channel = target.channel;
  }
  if (engine === 'chromium' && process.getuid?.() === 0) launch.args = ['--no-sandbox'];
  return launch;
}

/** Opens `url` in `engine` and returns the text of its `#out` once the page has written its outcome there. */
export async function pageOutcome(engine: 'chromium' | 'firefox', browsers: BrowserChoice, url: string): Promise<string> {
  const launching = (engine === 'chromium' ? chromium : firefox).launch(launchOptions(engine, browsers));
  const { value: browser, forget } = await recordChildrenWhile(launching, `${engine} (repro)`);
  try {
    const page = await browser.newPage();
    await page.goto(url);
    const out = page.locator('#out');
    await out.filter({ hasNotText: 'running' }).waitFor();
    return (await out.textContent()) ?? '';
  } finally {
    await browser.close().catch(() => {});
    forget();
  }
}

/** Makes `req` from a page on `pageOrigin` in `engine`, and returns the HAR the browser wrote. */
export async function recordHar(
  engine: 'chromium' | 'firefox',
  browsers: BrowserChoice,
  pageOrigin: string,
  req: PageRequest,
  harPath: string,
): Promise<string> {
  const launch = launchOptions(engine, browsers);
  const { value: browser, forget } = await recordChildrenWhile((engine === 'chromium' ? chromium : firefox).launch(launch), `${engine} (HAR)`);
  try {
    const context = await browser.newContext({ recordHar: { path: harPath, content: 'embed' } });
    const page = await context.newPage();
    await page.goto(`${pageOrigin}/`);
    const outcome = await page.evaluate(async (r) => {
      try {
        const res = await fetch(r.url, { method: r.method, headers: r.headers, credentials: r.credentials, ...(r.body !== undefined ? { body: r.body } : {}) });
        return `allowed ${res.status}`;
      } catch (err) {
        return `blocked ${String(err)}`;
      }
    }, req);
    // The HAR is written when its context closes.
    await context.close();
    return outcome;
  } finally {
    await browser.close().catch(() => {});
    forget();
  }
}
