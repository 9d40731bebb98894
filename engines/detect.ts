// Which browser build runs each engine. Playwright's own builds when they are installed,
// the operating system's stock browsers otherwise (machines without internet cannot
// download Playwright's builds). Shared by scripts/provision.ts and the
// engine layer, so what provisioning prints is what a run uses.
import { existsSync, readdirSync } from 'node:fs';
import { chromium, firefox, webkit } from 'playwright';
import type { EngineId } from '../model/results.ts';

export type BrowserSource = 'auto' | 'playwright' | 'stock';

export type EngineTarget =
  | { id: EngineId; backend: 'playwright'; build: 'playwright'; executable: string }
  | { id: 'chromium'; backend: 'playwright'; build: 'stock'; executable: string }
  | { id: 'firefox'; backend: 'playwright'; build: 'stock'; executable: string; channel: 'moz-firefox' }
  | {
      id: 'webkit';
      backend: 'webdriver';
      build: 'stock';
      /** The browser binary the driver starts (MiniBrowser for WebKitGTK, Safari on a Mac). */
      executable: string;
      driver: WebDriverConfig;
    };

export interface WebDriverConfig {
  name: string;
  command: string;
  /** Arguments for listening on a port; `target` is the inspector address of a browser the
   *  engine layer started itself (`browser`), which the driver connects to instead of launching one. */
  args: (port: number, target: string | null) => string[];
  /** Capabilities for a new session, given the proxy URL. */
  capabilities: (proxyUrl: string) => Record<string, unknown>;
  /** WebKitGTK needs an X display; Safari does not. */
  needsDisplay: boolean;
  /** A browser the engine layer starts itself with WebKitGTK's remote inspector server on, so
   *  that it can read the console beside the driver (engines/webkit-inspector.ts). */
  browser?: { command: string; args: (proxyUrl: string) => string[] };
}

export interface EngineMissing {
  id: EngineId;
  missing: string;
  /** Debian packages that provide the stock engine. */
  debianPackages: string[];
}

export const DEBIAN_PACKAGES: Record<EngineId, string[]> = {
  chromium: ['chromium'],
  firefox: ['firefox-esr'],
  webkit: ['webkit2gtk-driver', 'xvfb'],
};

const PLAYWRIGHT_TYPES = { chromium, firefox, webkit } as const;

export function playwrightBuildPath(id: EngineId): string | null {
  try {
    const p = PLAYWRIGHT_TYPES[id].executablePath();
    return p && existsSync(p) ? p : null;
  } catch {
    return null;
  }
}

function firstExisting(paths: string[]): string | null {
  return paths.find((p) => existsSync(p)) ?? null;
}

export function findMiniBrowser(): string | null {
  const candidates: string[] = [];
  for (const dir of ['/usr/lib', '/usr/libexec']) {
    let entries: string[] = [];
    try {
      entries = readdirSync(dir);
    } catch {
      continue;
    }
    for (const e of entries) {
      for (const api of ['webkit2gtk-4.1', 'webkit2gtk-4.0', 'webkitgtk-6.0']) {
        candidates.push(`${dir}/${e}/${api}/MiniBrowser`);
      }
    }
    candidates.push(`${dir}/webkit2gtk-4.1/MiniBrowser`);
  }
  return firstExisting(candidates);
}

const WEBKITGTK_DRIVER = (minibrowser: string): WebDriverConfig => ({
  name: 'WebKitWebDriver (W3C WebDriver)',
  command: '/usr/bin/WebKitWebDriver',
  args: (port, target) => [`--port=${port}`, ...(target ? [`--target=${target}`] : [])],
  capabilities: () => ({ acceptInsecureCerts: true }),
  needsDisplay: true,
  // The engine layer starts MiniBrowser itself (the driver connects to it with --target), so
  // that it can attach to the page's console too. MiniBrowser's own --proxy covers http and
  // https; the W3C proxy capability does not (with sslProxy WebKitGTK speaks TLS to the proxy
  // itself, and fails).
  browser: { command: minibrowser, args: (proxyUrl) => ['--automation', `--proxy=${proxyUrl}`] },
});

// Real Safari on macOS speaks the same protocol through safaridriver: a configuration,
// not another backend. The system proxy must point at the run's proxy there.
const SAFARI_DRIVER: WebDriverConfig = {
  name: 'safaridriver (W3C WebDriver)',
  command: '/usr/bin/safaridriver',
  args: (port) => ['-p', String(port)],
  capabilities: () => ({ browserName: 'safari', acceptInsecureCerts: true }),
  needsDisplay: false,
};

/** Which builds to use, and where the stock browsers are when not in the usual places. */
export interface BrowserChoice {
  source: BrowserSource;
  chromiumPath?: string;
  firefoxPath?: string;
  miniBrowserPath?: string;
}

/** The choice from the environment (CC_BROWSERS, CC_CHROMIUM_PATH, CC_FIREFOX_PATH,
 *  CC_MINIBROWSER_PATH); read by the entry points only. */
export function browserChoiceFrom(env: NodeJS.ProcessEnv): BrowserChoice {
  const v = env.CC_BROWSERS ?? 'auto';
  if (v !== 'auto' && v !== 'playwright' && v !== 'stock') throw new Error(`CC_BROWSERS=${v} is not valid: use auto, playwright or stock`);
  return {
    source: v,
    ...(env.CC_CHROMIUM_PATH ? { chromiumPath: env.CC_CHROMIUM_PATH } : {}),
    ...(env.CC_FIREFOX_PATH ? { firefoxPath: env.CC_FIREFOX_PATH } : {}),
    ...(env.CC_MINIBROWSER_PATH ? { miniBrowserPath: env.CC_MINIBROWSER_PATH } : {}),
  };
}

export function detectEngine(id: EngineId, choice: BrowserChoice): EngineTarget | EngineMissing {
  const source = choice.source;
  if (source !== 'stock') {
    const bundled = playwrightBuildPath(id);
    if (bundled) return { id, backend: 'playwright', build: 'playwright', executable: bundled };
    if (source === 'playwright') {
      return { id, missing: `Playwright's ${id} build is not installed (npx playwright install ${id})`, debianPackages: [] };
    }
  }
  const packages = DEBIAN_PACKAGES[id];
  switch (id) {
    case 'chromium': {
      const exe = choice.chromiumPath ?? firstExisting(['/usr/bin/chromium', '/usr/bin/chromium-browser']);
      return exe ? { id, backend: 'playwright', build: 'stock', executable: exe } : { id, missing: 'no chromium binary', debianPackages: packages };
    }
    case 'firefox': {
      const exe = choice.firefoxPath ?? firstExisting(['/usr/bin/firefox-esr', '/usr/bin/firefox']);
      return exe
        ? { id, backend: 'playwright', build: 'stock', executable: exe, channel: 'moz-firefox' }
        : { id, missing: 'no firefox binary', debianPackages: packages };
    }
    case 'webkit': {
      if (process.platform === 'darwin' && existsSync(SAFARI_DRIVER.command)) {
        return { id, backend: 'webdriver', build: 'stock', executable: '/Applications/Safari.app', driver: SAFARI_DRIVER };
      }
      const mini = choice.miniBrowserPath ?? findMiniBrowser();
      if (!mini) return { id, missing: 'no WebKitGTK MiniBrowser', debianPackages: packages };
      if (!existsSync(WEBKITGTK_DRIVER(mini).command)) return { id, missing: 'no WebKitWebDriver', debianPackages: packages };
      if (!firstExisting(['/usr/bin/Xvfb'])) return { id, missing: 'no Xvfb (WebKitGTK needs an X display)', debianPackages: packages };
      return { id, backend: 'webdriver', build: 'stock', executable: mini, driver: WEBKITGTK_DRIVER(mini) };
    }
  }
}

export function isMissing(t: EngineTarget | EngineMissing): t is EngineMissing {
  return 'missing' in t;
}
