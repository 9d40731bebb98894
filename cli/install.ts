// Browser provisioning: `cors-conformance install` in a user's project, and `npm run provision`
// (scripts/provision.ts) in a clone. Idempotent and quick when nothing is missing: for each
// engine it uses Playwright's own build when installed, the operating system's stock browser
// when present, and otherwise installs one — Playwright's build first (needs its CDN), then
// Debian's packages (needs root and apt). An engine that cannot be had is an error, never a
// skip. CC_BROWSERS=playwright|stock|auto chooses the builds (default auto).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { type BrowserChoice, DEBIAN_PACKAGES, detectEngine, type EngineMissing, type EngineTarget, isMissing } from '../engines/detect.ts';
import type { EngineId } from '../model/results.ts';

function describe(t: EngineTarget): string {
  if (t.backend === 'webdriver') return `stock ${t.executable} through ${t.driver.name}`;
  return `${t.build === 'playwright' ? "Playwright's own build" : 'stock'} ${t.executable}`;
}

/** The Playwright command of the project that runs this: the user's own copy (a peer
 *  dependency), so the builds it installs are the ones its version drives. */
function playwrightCli(): string {
  return join(dirname(createRequire(import.meta.url).resolve('playwright/package.json')), 'cli.js');
}

function tryPlaywrightInstall(ids: EngineId[], say: (line: string) => void): void {
  say(`installing Playwright's builds of ${ids.join(', ')} ...`);
  const r = spawnSync(process.execPath, [playwrightCli(), 'install', ...ids], { stdio: 'inherit', timeout: 600_000 });
  if (r.status !== 0) say(`Playwright's download failed (exit ${r.status ?? r.signal}).`);
}

function tryApt(missing: EngineMissing[], say: (line: string) => void): void {
  const packages = [...new Set(missing.flatMap((m) => (m.debianPackages.length ? m.debianPackages : DEBIAN_PACKAGES[m.id])))];
  if (!existsSync('/usr/bin/apt-get')) {
    say(`no apt-get here; install these yourself: ${packages.join(' ')} (or Playwright's builds: npx playwright install)`);
    return;
  }
  const root = process.getuid?.() === 0;
  const sudo = !root && spawnSync('sudo', ['-n', 'true']).status === 0;
  if (!root && !sudo) {
    say(`not root; run: sudo apt-get install -y ${packages.join(' ')}`);
    return;
  }
  const pre = root ? [] : ['sudo', '-n'];
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  say(`apt-get install ${packages.join(' ')} (about two minutes on a fresh machine) ...`);
  const run = (args: string[]) => {
    const [cmd, ...rest] = [...pre, ...args] as [string, ...string[]];
    execFileSync(cmd, rest, { stdio: ['ignore', 'ignore', 'inherit'], env });
  };
  try {
    run(['apt-get', 'update', '-qq']);
    run(['apt-get', 'install', '-y', '-qq', ...packages]);
  } catch (err) {
    say(`apt-get failed: ${(err as Error).message.split('\n')[0]}`);
  }
}

/** Finds or installs `ids`; returns the exit code (0 every engine can start, 1 one cannot).
 *  Every line goes out with `prefix` ("provision", "cors-conformance install"). */
export function provisionEngines(ids: EngineId[], choice: BrowserChoice, prefix: string): number {
  const say = (line: string) => console.log(`${prefix}: ${line}`);
  const t0 = Date.now();
  const source = choice.source;
  const detectAll = () => ids.map((id) => detectEngine(id, choice));
  let found = detectAll();
  let missing = found.filter(isMissing);
  if (missing.length && source !== 'stock') {
    tryPlaywrightInstall(
      missing.map((m) => m.id),
      say,
    );
    found = detectAll();
    missing = found.filter(isMissing);
  }
  if (missing.length && source !== 'playwright') {
    tryApt(missing, say);
    found = detectAll();
    missing = found.filter(isMissing);
  }
  for (const t of found) {
    if (!isMissing(t)) say(`${t.id.padEnd(8)} ${describe(t)}`);
  }
  if (missing.length) {
    for (const m of missing) console.error(`${prefix}: ERROR ${m.id} cannot be had: ${m.missing}.`);
    console.error(`${prefix}: an engine that cannot start is never skipped. Install it, or leave it out by name (CC_ENGINES=chromium,firefox).`);
    return 1;
  }
  say(`ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return 0;
}
