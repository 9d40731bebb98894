// Browser provisioning, run first by both README commands. Idempotent and quick when
// nothing is missing: for each engine it uses Playwright's own build when installed, the
// operating system's stock browser when present, and otherwise installs one — Playwright's
// build first (needs its CDN), then Debian's packages (needs root and apt). An engine that
// cannot be had is an error, never a skip. CC_ENGINES=chromium,firefox limits the engines;
// CC_BROWSERS=playwright|stock|auto chooses the builds (default auto).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DEBIAN_PACKAGES, browserChoiceFrom, detectEngine, isMissing, type EngineMissing, type EngineTarget } from '../engines/detect.ts';
import type { EngineId } from '../model/results.ts';
import { wantedEngines } from '../engines/selection.ts';

function describe(t: EngineTarget): string {
  if (t.backend === 'webdriver') return `stock ${t.executable} through ${t.driver.name}`;
  return `${t.build === 'playwright' ? "Playwright's own build" : 'stock'} ${t.executable}`;
}

function tryPlaywrightInstall(ids: EngineId[]): void {
  console.log(`provision: installing Playwright's builds of ${ids.join(', ')} ...`);
  const cli = fileURLToPath(new URL('../node_modules/playwright/cli.js', import.meta.url));
  const r = spawnSync(process.execPath, [cli, 'install', ...ids], { stdio: 'inherit', timeout: 600_000 });
  if (r.status !== 0) console.log(`provision: Playwright's download failed (exit ${r.status ?? r.signal}).`);
}

function tryApt(missing: EngineMissing[]): void {
  const packages = [...new Set(missing.flatMap((m) => (m.debianPackages.length ? m.debianPackages : DEBIAN_PACKAGES[m.id])))];
  if (!existsSync('/usr/bin/apt-get')) {
    console.log(`provision: no apt-get here; install these yourself: ${packages.join(' ')} (or Playwright's builds: npx playwright install)`);
    return;
  }
  const root = process.getuid?.() === 0;
  const sudo = !root && spawnSync('sudo', ['-n', 'true']).status === 0;
  if (!root && !sudo) {
    console.log(`provision: not root; run: sudo apt-get install -y ${packages.join(' ')}`);
    return;
  }
  const pre = root ? [] : ['sudo', '-n'];
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  console.log(`provision: apt-get install ${packages.join(' ')} (about two minutes on a fresh machine) ...`);
  const run = (args: string[]) => {
    const [cmd, ...rest] = [...pre, ...args] as [string, ...string[]];
    execFileSync(cmd, rest, { stdio: ['ignore', 'ignore', 'inherit'], env });
  };
  try {
    run(['apt-get', 'update', '-qq']);
    run(['apt-get', 'install', '-y', '-qq', ...packages]);
  } catch (err) {
    console.log(`provision: apt-get failed: ${(err as Error).message.split('\n')[0]}`);
  }
}

function main(): number {
  const t0 = Date.now();
  const ids = wantedEngines(process.env.CC_ENGINES);
  const choice = browserChoiceFrom(process.env);
  const source = choice.source;
  const detectAll = () => ids.map((id) => detectEngine(id, choice));
  let found = detectAll();
  let missing = found.filter(isMissing);
  if (missing.length && source !== 'stock') {
    tryPlaywrightInstall(missing.map((m) => m.id));
    found = detectAll();
    missing = found.filter(isMissing);
  }
  if (missing.length && source !== 'playwright') {
    tryApt(missing);
    found = detectAll();
    missing = found.filter(isMissing);
  }
  for (const t of found) {
    if (!isMissing(t)) console.log(`provision: ${t.id.padEnd(8)} ${describe(t)}`);
  }
  if (missing.length) {
    for (const m of missing) console.error(`provision: ERROR ${m.id} cannot be had: ${m.missing}.`);
    console.error('provision: an engine that cannot start is never skipped. Install it, or leave it out by name ' + '(CC_ENGINES=chromium,firefox).');
    return 1;
  }
  console.log(`provision: ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return 0;
}

process.exitCode = main();
