// The engine's life in this project's real engine, with an engine of its own beside the
// worker's: work that outlives its engine (the run or the test ended, say on a timeout) fails
// with EngineClosedError naming the engine, never with the browser's words for a context it
// no longer has (Firefox's `no such user context`); and a browser that dies under an open
// engine is replaced by a fresh one, with the cookies its navigations had set.
import { readdirSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { test, expect } from '../../suites/fixtures.ts';
import { launchEngine, type Engine } from '../../engines/index.ts';
import { EngineClosedError } from '../../engines/types.ts';
import type { Probe } from '../../model/probe.ts';
import { PROBE_TOKEN_PARAM } from '../../model/wire.ts';
import { COOKIE_NAME, cookieNames, cookieSetupUrls } from '../../pipeline/cookies.ts';
import { ORIGINS } from '../../model/origins.ts';

const PAGE = ORIGINS.pageHttps;

/** The browsers Playwright launched below this worker (their profile folder names them). */
function browserPids(): Set<number> {
  const out = new Set<number>();
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const cmd = readFileSync(`/proc/${e}/cmdline`, 'utf8').replace(/\0/g, ' ');
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === process.pid && /playwright_(firefox|chromium)dev_profile-/.test(cmd)) out.add(Number(e));
    } catch {
      /* gone */
    }
  }
  return out;
}

/** A credentialed same-origin GET to the fixture server, with a token for the proxy's log. */
function cookieProbe(token: string): Probe {
  const url = `${PAGE}/cookie-check?${PROBE_TOKEN_PARAM}=${token}`;
  return {
    id: 'cookie-check',
    initiator: { kind: 'fetch' },
    opaque: null,
    prior: [],
    fetch: { url, method: 'GET', headers: [], body: null, credentials: 'include', mode: 'cors', redirect: 'follow' },
    markUrl: null,
    readHeaders: [],
    timeoutMs: 10_000,
  };
}

test('work that outlives its engine fails with EngineClosedError, naming the engine', async ({ engineId, browsers, harness }) => {
  const engine: Engine = await launchEngine(engineId ?? 'chromium', { proxy: harness.proxySettings, browsers });
  // Pages being opened and navigated while the owner closes the engine, as a grading's lanes are.
  const work = Promise.allSettled(
    Array.from({ length: 4 }, async () => {
      for (;;) {
        const page = await engine.newPage();
        await page.goto(`${PAGE}/__cc/probe.html`);
        await page.close();
      }
    }),
  );
  await new Promise((r) => setTimeout(r, 500));
  await engine.close();
  const outcomes = await work;
  for (const o of outcomes) {
    expect(o.status).toBe('rejected');
    if (o.status === 'rejected') {
      expect(o.reason, String(o.reason)).toBeInstanceOf(EngineClosedError);
      expect(String(o.reason)).toContain(`${engineId}: the engine was closed while probes were still running`);
    }
  }
});

test('a browser that dies under an open engine is replaced, with the cookies it had', async ({ engineId, browsers, harness, engine: shared }) => {
  test.skip(shared.info.driver.includes('W3C WebDriver'), 'the W3C WebDriver backend ends the run when its browser dies (tests/stability)');
  const before = browserPids();
  const engine = await launchEngine(engineId ?? 'chromium', { proxy: harness.proxySettings, browsers });
  try {
    const mine = [...browserPids()].filter((p) => !before.has(p));
    expect(mine.length, 'the new engine has its own browser').toBe(1);
    const first = await engine.newPage();
    await first.goto(cookieSetupUrls([PAGE])[0] as string);
    process.kill(mine[0] as number, 'SIGKILL');
    await expect.poll(() => browserPids().has(mine[0] as number)).toBe(false);

    const page = await engine.newPage();
    await page.goto(`${PAGE}/__cc/probe.html`);
    const token = `lifecycle.${engineId}.${randomBytes(8).toString('hex')}`;
    const out = await page.run([cookieProbe(token)], { concurrency: 1 });
    expect(out.results[0]?.final.status).not.toBeNull();
    const sent = (harness.proxy.takeExchanges([token]).get(token) ?? []).flatMap((e) => cookieNames(e.requestHeaders));
    expect(sent, 'the fresh browser has the cookie the lost one was given').toContain(COOKIE_NAME);
    await page.close();
  } finally {
    await engine.close();
  }
});
