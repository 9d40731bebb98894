// The package as an API team gets it: `npm pack` (which builds dist/ through prepack), then a
// fresh project in a temporary folder with its own package.json and an express app with the
// cors middleware, the tarball installed beside @playwright/test from the npm registry (npm's
// cache is reused, one install for this file), and the command run there from
// node_modules/.bin as the team runs it. It runs in the chromium project, once, like
// tests/grade/cli.spec.ts: its gradings start their own engines.
import { test, expect } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import getPort from 'get-port';
import type { ResultsFile } from '../../model/results.ts';
import { ORDER, units, writeShard } from '../replay/shards.ts';
import { childOutput } from '../child-output.ts';

test.describe.configure({ mode: 'serial', timeout: 240_000 });

const ROOT = new URL('../..', import.meta.url).pathname;
const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  version: string;
  devDependencies: Record<string, string>;
  dependencies: Record<string, string>;
};

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, CI: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    void childOutput(child).then(({ code, stdout, stderr }) => resolve({ code, stdout, stderr }));
  });
}

const tail = (r: Run) => `${r.stdout.slice(-3000)}\n${r.stderr.slice(-3000)}`;

// The API of the team's own project: express with the cors middleware, configured either the
// classic wrong way (every origin reflected, with credentials) or as its policy says.
const APP = `import express from 'express';
import cors from 'cors';
const reflect = process.argv[2] === 'reflect';
const app = express();
app.use(cors(reflect ? { origin: true, credentials: true } : {
  origin: ['https://app.example.com'],
  credentials: true,
  methods: ['GET', 'POST'],
  allowedHeaders: ['Content-Type'],
  exposedHeaders: ['X-Request-Id'],
  maxAge: 600,
}));
app.get('/api/items', (req, res) => { res.set('X-Request-Id', 'r-1'); res.json([{ id: 1 }]); });
app.post('/api/items', (req, res) => { res.set('X-Request-Id', 'r-2'); res.status(201).json({ id: 2 }); });
app.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening'));
`;

const POLICY = {
  origins: ['https://app.example.com'],
  methods: ['GET', 'POST'],
  requestHeaders: ['Content-Type'],
  exposedHeaders: ['X-Request-Id'],
  credentials: true,
  maxAge: 600,
  paths: ['/api/items'],
};

let dir: string;
let tarball: string;
const servers: ChildProcess[] = [];

async function startApp(mode: 'reflect' | 'correct'): Promise<string> {
  const port = await getPort({ host: '127.0.0.1' });
  const child = spawn(process.execPath, ['app.mjs', mode], { cwd: dir, env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'inherit'] });
  servers.push(child);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the project's app exited ${child.exitCode}`);
    if (
      await fetch(`${url}/api/items`).then(
        () => true,
        () => false,
      )
    )
      return url;
    if (Date.now() > deadline) throw new Error(`the project's app did not answer on ${url}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test.beforeAll(async () => {
  test.setTimeout(900_000);
  dir = mkdtempSync(join(tmpdir(), 'cc-package-'));
  const pack = await run('npm', ['pack', '--json', '--pack-destination', dir], ROOT);
  expect(pack.code, tail(pack)).toBe(0);
  // npm prints prepack's output before the JSON.
  const packed = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('\n[') + 1)) as Array<{ filename: string; files: Array<{ path: string }> }>;
  const entry = packed[0];
  if (!entry) throw new Error(`npm pack printed no tarball: ${tail(pack)}`);
  tarball = join(dir, entry.filename);
  const files = entry.files.map((f) => f.path);
  // What a user gets: the command, the compiled modules with their declarations, the schemas;
  // none of this project's own tests, suites or sources.
  expect(files).toContain('bin/cors-conformance.mjs');
  expect(files).toContain('dist/cli/main.js');
  expect(files).toContain('dist/kit/index.js');
  expect(files).toContain('dist/kit/index.d.ts');
  expect(files).toContain('dist/probe/page.html');
  expect(files).toContain('dist/report/page.js');
  expect(files).toContain('schemas/grade.schema.json');
  expect(files.filter((f) => /^(tests|suites|cases|scripts)\//.test(f) || (f.endsWith('.ts') && !f.endsWith('.d.ts')))).toEqual([]);

  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'team-api', private: true, type: 'module' }, null, 2));
  writeFileSync(join(dir, 'app.mjs'), APP);
  writeFileSync(join(dir, 'cors-policy.json'), JSON.stringify(POLICY, null, 2));
  // The versions this project tests with, from the registry (npm's cache first).
  const install = await run(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      '--save-dev',
      tarball,
      `@playwright/test@${PKG.devDependencies['@playwright/test']}`,
      `express@${PKG.dependencies.express}`,
      `cors@${PKG.dependencies.cors}`,
    ],
    dir,
  );
  expect(install.code, tail(install)).toBe(0);
});

test.afterAll(() => {
  for (const s of servers) s.kill();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('npx cors-conformance --version and --help answer from node_modules/.bin', async () => {
  const version = await run('npx', ['--no-install', 'cors-conformance', '--version'], dir);
  expect(version.code, tail(version)).toBe(0);
  expect(version.stdout.trim()).toBe(PKG.version);
  const help = await run('npx', ['--no-install', 'cors-conformance', '--help'], dir);
  expect(help.code, tail(help)).toBe(0);
  expect(help.stdout).toContain('usage: cors-conformance [options] [command]');
  const grade = await run('npx', ['--no-install', 'cors-conformance', 'grade', '-h'], dir);
  expect(grade.stdout).toContain('--target <url>');
  const typo = await run('npx', ['--no-install', 'cors-conformance', 'grad'], dir);
  expect(typo.code).toBe(2);
  expect(typo.stderr).toContain('(Did you mean grade?)');
  // The reference run is the clone's own suite, and says so.
  const reference = await run('npx', ['--no-install', 'cors-conformance', 'reference'], dir);
  expect(reference.code).toBe(2);
  expect(reference.stderr).toContain('the reference run needs a clone of cors-conformance');
});

test("npx cors-conformance merge folds a sharded reference run's folders into one results file and report", async () => {
  // Two shards as a sharded run in a clone leaves them (from the recorded journals): a team
  // merges its CI's shard artifacts with the installed package, which ships no report sources.
  const dirs = [0, 1].map((s) =>
    writeShard(
      join(dir, `shards/${s + 1}`),
      units.filter((_u, i) => i % 2 === s),
    ),
  );
  const r = await run('npx', ['--no-install', 'cors-conformance', 'merge', ...dirs, '--out', 'reports/merged'], dir);
  expect(r.code, tail(r)).toBe(0);
  const merged = JSON.parse(readFileSync(join(dir, 'reports/merged/results.json'), 'utf8')) as ResultsFile;
  expect(merged.cases.map((c) => c.id)).toEqual(ORDER);
  expect(merged.complete).toBe(true);
  const index = readFileSync(join(dir, 'reports/merged/index.html'), 'utf8');
  expect(index).toContain('What browsers do with CORS');
  expect(existsSync(join(dir, 'reports/merged/messages.html'))).toBe(true);
});

test('the programmatic API and its types resolve from the package', async () => {
  writeFileSync(
    join(dir, 'api.mjs'),
    `import { grade, explain, loadPolicy, validatePolicy, schemaFile, ENGINE_IDS } from 'cors-conformance';
import { readFileSync } from 'node:fs';
const policy = loadPolicy('cors-policy.json');
console.log(JSON.stringify({ grade: typeof grade, explain: typeof explain, origins: policy.origins, engines: ENGINE_IDS, valid: validatePolicy(policy).credentials, schema: JSON.parse(readFileSync(schemaFile('grade'), 'utf8')).title }));
`,
  );
  const r = await run(process.execPath, ['api.mjs'], dir);
  expect(r.code, tail(r)).toBe(0);
  expect(JSON.parse(r.stdout)).toEqual({
    grade: 'function',
    explain: 'function',
    origins: ['https://app.example.com'],
    engines: ['chromium', 'firefox', 'webkit'],
    valid: true,
    schema: 'cors-conformance grade',
  });
  // The declarations: a team's TypeScript checks against them (this project's own compiler,
  // pointed at the project; skipLibCheck as most projects set it).
  writeFileSync(
    join(dir, 'tsconfig.typed.json'),
    JSON.stringify({
      compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', strict: true, noEmit: true, skipLibCheck: true, types: [] },
      files: ['typed.ts'],
    }),
  );
  writeFileSync(
    join(dir, 'typed.ts'),
    `import { grade, loadPolicy, type GradeReport } from 'cors-conformance';
import { test, expect } from 'cors-conformance/playwright';
const origins: string[] = loadPolicy('cors-policy.json').origins;
export const verdict = async (target: string): Promise<GradeReport['verdict']> => (await grade({ target, policy: 'cors-policy.json' })).verdict;
test('typed', async ({ cors }) => {
  await expect(cors.from(origins[0] ?? '').fetch('/api/items', { credentials: 'include' })).toBeReadable();
  // @ts-expect-error: not an engine
  await grade({ target: 'x', policy: {}, engines: ['safari'] });
});
export const wrong: number = loadPolicy('cors-policy.json').origins;
`,
  );
  const tsc = await run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.typed.json', '--pretty', 'false'], dir);
  // Exactly the one planted error: the rest, the matcher and the @ts-expect-error included, type-check.
  expect(tsc.stdout.trim()).toBe("typed.ts(10,14): error TS2322: Type 'string[]' is not assignable to type 'number'.");
});

test('npx cors-conformance grade: the reflecting app fails (exit 1), the app configured as its policy passes (exit 0)', async () => {
  const reflecting = await startApp('reflect');
  const correct = await startApp('correct');
  const grade = (target: string, out: string) =>
    run(
      'npx',
      ['--no-install', 'cors-conformance', 'grade', '--target', target, '--policy', 'cors-policy.json', '--engine', 'chromium', '--no-search', '--out', out],
      dir,
    );
  const bad = await grade(reflecting, 'reports/reflect');
  expect(bad.code, tail(bad)).toBe(1);
  expect(bad.stdout).toContain('[high] arbitrary-origin');
  const good = await grade(correct, 'reports/correct');
  expect(good.code, tail(good)).toBe(0);
  expect(good.stdout).toContain('cors-conformance grade: PASS');
  const report = JSON.parse(readFileSync(join(dir, 'reports/correct/grade.json'), 'utf8')) as { verdict: string; engines: Array<{ id: string }> };
  expect(report.verdict).toBe('pass');
  expect(report.engines.map((e) => e.id)).toEqual(['chromium']);
});

test('npx cors-conformance install finds the engines; init drafts a policy with every guess marked, which the gate refuses until confirmed', async () => {
  const install = await run('npx', ['--no-install', 'cors-conformance', 'install'], dir);
  expect(install.code, tail(install)).toBe(0);
  for (const id of ['chromium', 'firefox', 'webkit']) expect(install.stdout).toMatch(new RegExp(`cors-conformance install: ${id} +\\S`));
  expect(install.stdout).toContain('cors-conformance install: ready');

  // A folder of its own, so this draft is not the project's policy.
  const draftDir = join(dir, 'draft');
  mkdirSync(draftDir);
  const reflecting = await startApp('reflect');
  const draft = await run('npx', ['--no-install', 'cors-conformance', 'init', '--target', reflecting], draftDir);
  expect(draft.code, tail(draft)).toBe(0);
  const policy = JSON.parse(readFileSync(join(draftDir, 'cors-policy.json'), 'utf8')) as Record<string, unknown>;
  const guesses = policy['draft: confirm every guess listed here, then delete this field'] as string[];
  expect(guesses.some((g) => g.includes('it reflects any origin, with credentials'))).toBe(true);
  expect(guesses.some((g) => g.startsWith('origins[0] "https://app.example.com": a placeholder'))).toBe(true);
  expect(guesses.some((g) => g.startsWith('paths[0] "/": a placeholder'))).toBe(true);
  const refused = await run('npx', ['--no-install', 'cors-conformance', 'grade', '--target', reflecting, '--policy', 'draft/cors-policy.json'], dir);
  expect(refused.code).toBe(2);
  expect(refused.stderr).toContain('draft: confirm every guess listed here, then delete this field: unknown field');

  // In the project, its own policy is kept, and the config, spec and workflow are written.
  const correct = await startApp('correct');
  const init = await run('npx', ['--no-install', 'cors-conformance', 'init', '--target', correct, '--origin', 'https://app.example.com'], dir);
  expect(init.code, tail(init)).toBe(0);
  expect(init.stdout).toContain('cors-policy.json: exists; left as it is');
  expect(JSON.parse(readFileSync(join(dir, 'cors-policy.json'), 'utf8'))).toEqual(POLICY);
  for (const f of ['playwright.config.ts', 'tests/cors.spec.ts', '.github/workflows/cors.yml']) expect(init.stdout).toContain(`${f}: written`);
  expect(readFileSync(join(dir, 'tests/cors.spec.ts'), 'utf8')).toContain("from 'cors-conformance/playwright'");
  const workflow = readFileSync(join(dir, '.github/workflows/cors.yml'), 'utf8');
  expect(workflow).toContain('github/codeql-action/upload-sarif');
  expect(workflow).toContain('--sarif cors.sarif');
  // Run again, it writes nothing.
  const again = await run('npx', ['--no-install', 'cors-conformance', 'init'], dir);
  expect(again.stdout).not.toContain(': written');
});

test("npx playwright test in the three engines: the project's own spec (the gate and the kit's matchers) fails against the reflecting app and passes against the correct one", async () => {
  test.setTimeout(900_000);
  const correct = await startApp('correct');
  const reflecting = await startApp('reflect');
  const pass = await run('npx', ['--no-install', 'playwright', 'test', '--reporter=json'], dir, {
    CORS_TARGET: correct,
    PLAYWRIGHT_JSON_OUTPUT_NAME: 'pass.json',
  });
  expect(pass.code, tail(pass)).toBe(0);
  const passed = JSON.parse(readFileSync(join(dir, 'pass.json'), 'utf8')) as { stats: { expected: number; unexpected: number }; suites: unknown[] };
  expect(passed.stats.unexpected).toBe(0);
  const passText = readFileSync(join(dir, 'pass.json'), 'utf8');
  for (const project of ['chromium', 'firefox', 'webkit']) expect(passText).toContain(`"projectName": "${project}"`);
  expect(passText).toContain('the front end can read with its session');
  expect(passText).toContain('root causes');

  // Against the reflecting app, the root causes and the kit's own test, in each engine (every
  // one of the gate's failing probes would cost a fresh worker; the causes summarise them).
  const fail = await run('npx', ['--no-install', 'playwright', 'test', '--reporter=json', '-g', 'root causes|an unrelated site cannot read'], dir, {
    CORS_TARGET: reflecting,
    PLAYWRIGHT_JSON_OUTPUT_NAME: 'fail.json',
  });
  expect(fail.code, tail(fail)).toBe(1);
  const failText = readFileSync(join(dir, 'fail.json'), 'utf8');
  const failed = JSON.parse(failText) as { stats: { expected: number; unexpected: number } };
  expect(failed.stats).toMatchObject({ expected: 0, unexpected: 6 });
  expect(failText).toContain('[high] reflects-any-origin');
  // The kit's matcher says what explain says: what the engine did, the standard's steps.
  expect(failText).toContain('expected the page not to read GET');
  expect(failText).toContain('The Fetch standard, over the server');
  expect(failText).toContain('To refuse this origin, send no Access-Control-Allow-Origin for it');
});
