// `cors-conformance init [--target URL] [--openapi FILE] [--origin ORIGIN]...`: the files an API
// team needs to run the gate in its own repository, each written only where none exists:
//   cors-policy.json         a draft policy: paths and methods from the OpenAPI document, origins
//                            and headers from what the live target answers today for a few
//                            candidate origins; every guess listed under the "draft" field, which
//                            the gate refuses until the team has confirmed them and deleted it
//   playwright.config.ts     one project per engine (or, when a config exists, the lines to add)
//   tests/cors.spec.ts       the whole policy as the gate's tests, and the kit's matchers
//   .github/workflows/cors.yml  the gate in CI, with SARIF uploaded to code scanning
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadOpenApi } from '../grade/input/openapi.ts';
import type { Header } from '../model/case.ts';
import { VERIFY_TLS } from '../model/wire.ts';
import { checkTargetAnswers, parseTarget, requestTarget } from '../pipeline/target.ts';

/** The field that marks a draft: its name says what to do, since the gate's error quotes it. */
export const DRAFT_FIELD = 'draft: confirm every guess listed here, then delete this field';

/** A made-up origin no server has reason to allow: one that is allowed reflects any origin. */
const CANARY = 'https://cors-conformance-init.invalid';

/** Front ends on a developer's machine, tried beside the ones named with --origin. */
const LOCAL_FRONT_ENDS = ['http://localhost:3000', 'http://localhost:5173', 'http://localhost:8080', 'http://localhost:4200'];

const header = (headers: Header[], name: string): string | null => headers.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1] ?? null;
const list = (v: string | null): string[] =>
  (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** Origins of the target's own site that a front end commonly has: for api.example.com,
 *  https://example.com, https://www.example.com and https://app.example.com. */
function siteOrigins(target: URL): string[] {
  const host = target.hostname;
  if (host === 'localhost' || /^[\d.]+$/.test(host) || host.startsWith('[')) return [];
  const labels = host.split('.');
  const site = labels.length > 2 ? labels.slice(1).join('.') : host;
  return [`https://${site}`, `https://www.${site}`, `https://app.${site}`];
}

interface Answer {
  origin: string;
  allowOrigin: string | null;
  credentials: boolean;
  exposed: string[];
  methods: string[];
  headers: string[];
  maxAge: number | null;
}

/** What the target answers a page on `origin`: a GET, and a preflight for `method` with Content-Type. */
async function ask(target: URL, path: string, origin: string, method: string): Promise<Answer> {
  const get = await requestTarget(target, path, 'GET', [['Origin', origin]], { timeoutMs: 5_000, tls: VERIFY_TLS });
  const pre = await requestTarget(
    target,
    path,
    'OPTIONS',
    [
      ['Origin', origin],
      ['Access-Control-Request-Method', method],
      ['Access-Control-Request-Headers', 'content-type'],
    ],
    { timeoutMs: 5_000, tls: VERIFY_TLS },
  ).catch(() => null);
  const ph = pre?.responseHeaders ?? [];
  const age = header(ph, 'Access-Control-Max-Age');
  return {
    origin,
    allowOrigin: header(get.responseHeaders, 'Access-Control-Allow-Origin'),
    credentials: header(get.responseHeaders, 'Access-Control-Allow-Credentials') === 'true',
    exposed: list(header(get.responseHeaders, 'Access-Control-Expose-Headers')),
    methods: list(header(ph, 'Access-Control-Allow-Methods')).map((m) => m.toUpperCase()),
    headers: list(header(ph, 'Access-Control-Allow-Headers')),
    maxAge: age !== null && /^\d+$/.test(age) ? Number(age) : null,
  };
}

/** Header names as the policy writes them: Content-Type, X-Api-Key. */
const headerCase = (h: string): string =>
  h
    .split('-')
    .map((p) => (p ? p[0]?.toUpperCase() + p.slice(1).toLowerCase() : p))
    .join('-');

interface Draft {
  policy: Record<string, unknown>;
  guesses: string[];
}

/** The draft policy and the list of its guesses. */
async function draftPolicy(opts: InitOptions, say: (line: string) => void): Promise<Draft> {
  const guesses: string[] = [];
  const target = opts.target ? parseTarget(opts.target) : null;
  let paths: Array<string | { path: string; methods: string[] }> = [];
  let methods: string[] = [];
  const documentHeaders = new Set<string>();
  if (opts.openapi) {
    const api = await loadOpenApi(opts.openapi, opts.pathParams, target?.pathname.replace(/\/+$/, '') ?? '');
    const byPath = new Map<string, Set<string>>();
    for (const op of api.operations) {
      byPath.set(op.path, (byPath.get(op.path) ?? new Set()).add(op.method.toUpperCase()));
      for (const h of op.headers) documentHeaders.add(headerCase(h));
    }
    methods = [...new Set(api.operations.map((o) => o.method.toUpperCase()))].filter((m) => m !== 'OPTIONS');
    paths = [...byPath].map(([path, ms]) => ({ path, methods: [...ms].filter((m) => m !== 'OPTIONS') }));
    guesses.push(`paths: the ${paths.length} path(s) of ${opts.openapi} and their methods; keep the ones browsers call`);
  } else {
    paths = ['/'];
    guesses.push('paths[0] "/": a placeholder; list the paths browsers call (or grade with --openapi)');
  }
  const firstPath = typeof paths[0] === 'string' ? paths[0] : (paths[0]?.path ?? '/');
  const origins: string[] = [];
  let credentials = false;
  const requestHeaders = new Set<string>(documentHeaders);
  const exposed = new Set<string>();
  let maxAge: number | null = null;
  if (target) {
    // A target that does not answer is a setup error with its fix, before any guess.
    await checkTargetAnswers(target, firstPath);
    const preflightMethod = methods.find((m) => !['GET', 'HEAD', 'POST'].includes(m)) ?? 'POST';
    const canary = await ask(target, firstPath, CANARY, preflightMethod);
    const reflects = canary.allowOrigin === CANARY;
    const wildcard = canary.allowOrigin === '*';
    if (reflects) {
      guesses.push(
        `origins: the target answered a made-up origin (${CANARY}) with Access-Control-Allow-Origin: ${CANARY}: it reflects any origin${canary.credentials ? ', with credentials, so any site can read as your users' : ''}; what it allows is no guide, so list your front ends yourself (the gate fails until the server checks origins)`,
      );
    }
    const candidates = [...new Set([...opts.origins, ...siteOrigins(target), ...LOCAL_FRONT_ENDS])];
    for (const origin of candidates) {
      const a = await ask(target, firstPath, origin, preflightMethod).catch(() => null);
      if (!a || a.allowOrigin !== origin || reflects) continue;
      origins.push(origin);
      guesses.push(
        `origins[${origins.length - 1}] "${origin}": the target allows it today (Access-Control-Allow-Origin: ${origin}${a.credentials ? ', with credentials' : ''}); keep it only if it is one of your front ends`,
      );
      credentials ||= a.credentials;
      for (const h of a.headers) if (h !== '*') requestHeaders.add(headerCase(h));
      for (const h of a.exposed) if (h !== '*') exposed.add(headerCase(h));
      if (!opts.openapi) for (const m of a.methods) if (m !== '*' && m !== 'OPTIONS' && !methods.includes(m)) methods.push(m);
      if (a.maxAge !== null) maxAge = Math.max(maxAge ?? 0, a.maxAge);
    }
    if (wildcard && !origins.length) {
      origins.push('*');
      guesses.push(
        'origins ["*"]: the target answers every origin with Access-Control-Allow-Origin: *; keep it only for a public API read without credentials',
      );
    }
    if (credentials)
      guesses.push('credentials true: the target allows credentials for the origins above; keep it only if the front ends send cookies or HTTP auth');
    if (requestHeaders.size)
      guesses.push(`requestHeaders: what the target's preflight allows (or the document's header parameters): ${[...requestHeaders].join(', ')}`);
    if (exposed.size) guesses.push(`exposedHeaders: what the target exposes today: ${[...exposed].join(', ')}`);
    if (maxAge !== null) guesses.push(`maxAge ${maxAge}: the preflight's Access-Control-Max-Age today`);
    say(
      `asked ${target.origin} as ${candidates.length + 1} origins: ${origins.length ? `allowed ${origins.join(', ')}` : 'none allowed'}${reflects ? ' (it reflects any origin)' : ''}`,
    );
  }
  if (!origins.length) {
    origins.push('https://app.example.com');
    guesses.push(
      `origins[0] "https://app.example.com": a placeholder${target ? '; no candidate origin was allowed' : ''}; give your front ends' origins (or run init again with --origin)`,
    );
  }
  if (!opts.openapi && methods.length) guesses.push(`methods: what the target's preflight allows today: ${methods.join(', ')}`);
  const policy: Record<string, unknown> = {
    $schema: './node_modules/cors-conformance/schemas/policy.schema.json',
    [DRAFT_FIELD]: guesses,
    origins,
    ...(methods.length ? { methods } : {}),
    ...(requestHeaders.size ? { requestHeaders: [...requestHeaders] } : {}),
    ...(exposed.size ? { exposedHeaders: [...exposed] } : {}),
    credentials,
    ...(maxAge !== null ? { maxAge } : {}),
    paths,
  };
  return { policy, guesses };
}

function configFile(opts: InitOptions): string {
  const target = opts.target ? JSON.stringify(opts.target) : "'http://127.0.0.1:3000'";
  return `// The CORS gate (cors-conformance): one project per engine, each grading CORS_TARGET against
// CORS_POLICY in that real browser. Written by \`npx cors-conformance init\`.
import { defineConfig } from '@playwright/test';
import { corsProjects } from 'cors-conformance/playwright';

process.env.CORS_TARGET ??= ${target};
process.env.CORS_POLICY ??= './cors-policy.json';

export default defineConfig({
  testDir: './tests',
  // The gate grades once per engine, then reports every probe as its own test.
  timeout: 120_000,
  reporter: process.env.CI ? [['list'], ['junit', { outputFile: 'test-results/junit.xml' }]] : 'list',
  projects: corsProjects(),
});
`;
}

const CONFIG_LINES = `  import { corsProjects } from 'cors-conformance/playwright';
  process.env.CORS_TARGET ??= 'http://127.0.0.1:3000';   // your server
  process.env.CORS_POLICY ??= './cors-policy.json';
  // in defineConfig({ ... }): one project per engine running the gate (or add its entries to yours)
  projects: [...corsProjects()],`;

function specFile(origin: string, path: string): string {
  return `// The CORS gate: the whole policy as tests (corsGate), and requests the team cares about
// most, stated with the kit's matchers. Written by \`npx cors-conformance init\`.
import { test, expect, corsGate } from 'cors-conformance/playwright';

await corsGate();

test('the front end can read with its session', async ({ cors }) => {
  await expect(cors.from(${JSON.stringify(origin)}).fetch(${JSON.stringify(path)}, { credentials: 'include' })).toBeReadable();
});

test('an unrelated site cannot read with the session', async ({ cors }) => {
  await expect(cors.from('https://evil.example').fetch(${JSON.stringify(path)}, { credentials: 'include' })).not.toBeReadable();
});
`;
}

function workflowFile(): string {
  return `# The CORS gate in CI, written by \`npx cors-conformance init\`: the engines, the server, the
# grade (SARIF to code scanning) and the gate's Playwright tests.
name: cors
on: [push, pull_request]
permissions:
  contents: read
  security-events: write
jobs:
  cors:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 22
      - run: npm ci
      - run: npx cors-conformance install
      # Start your server here, e.g.: npm start & npx wait-on http://127.0.0.1:3000
      - run: npx cors-conformance grade --target "$CORS_TARGET" --policy cors-policy.json --sarif cors.sarif
        env:
          CORS_TARGET: http://127.0.0.1:3000
      - run: npx playwright test
        env:
          CORS_TARGET: http://127.0.0.1:3000
      - if: always() && hashFiles('cors.sarif') != ''
        uses: github/codeql-action/upload-sarif@v3
        with:
          sarif_file: cors.sarif
`;
}

export interface InitOptions {
  target?: string;
  openapi?: string;
  /** Values for the document's path parameters (--path-param). */
  pathParams: Record<string, string>;
  /** Front-end origins to try first (--origin). */
  origins: string[];
  /** The project's folder. */
  dir: string;
}

/** Writes what is missing; never overwrites. Returns the exit code. */
export async function initProject(opts: InitOptions, say: (line: string) => void): Promise<number> {
  const draft = await draftPolicy(opts, say);
  const write = (file: string, text: string) => {
    const full = join(opts.dir, file);
    if (existsSync(full)) {
      say(`${file}: exists; left as it is`);
      return false;
    }
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text, { flag: 'wx' });
    say(`${file}: written`);
    return true;
  };
  if (write('cors-policy.json', `${JSON.stringify(draft.policy, null, 2)}\n`)) {
    say(`cors-policy.json is a draft: confirm each of its ${draft.guesses.length} guess(es), then delete its "draft" field (the gate refuses it until then):`);
    for (const g of draft.guesses) say(`  - ${g}`);
  }
  const configs = ['playwright.config.ts', 'playwright.config.js', 'playwright.config.mjs', 'playwright.config.mts', 'playwright.config.cjs'];
  const existing = configs.find((c) => existsSync(join(opts.dir, c)));
  if (existing) say(`${existing}: exists; left as it is. Add these lines to run the gate in each engine:\n${CONFIG_LINES}`);
  else write('playwright.config.ts', configFile(opts));
  const origins = (draft.policy.origins as string[]).filter((o) => o !== '*');
  const paths = draft.policy.paths as Array<string | { path: string }>;
  const first = paths[0];
  write('tests/cors.spec.ts', specFile(origins[0] ?? 'https://app.example.com', typeof first === 'string' ? first : (first?.path ?? '/')));
  write('.github/workflows/cors.yml', workflowFile());
  const pkg = join(opts.dir, 'package.json');
  if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { type?: string }).type !== 'module') {
    say(
      'package.json has no "type": "module": tests/cors.spec.ts awaits corsGate() at its top level, which needs ES modules; add "type": "module", or rename it tests/cors.spec.mts',
    );
  }
  return 0;
}
