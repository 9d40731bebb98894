// npm run bench: how fast the reference run is, measured on this machine, in one run:
//  - the ceiling: the raw request rate of the fixture server and of the proxy on loopback
//    (autocannon), i.e. how far the runner is from the physical limit;
//  - the whole reference run, all three engines, end to end, browser start-up included,
//    with each engine's own wall time inside it (the three share the CPUs);
//  - each engine's full matrix alone, start-up included, and the naive way on a sample of
//    the same cases, also alone: one navigation and one evaluate per case. The speed-up
//    compares these two, each engine with the machine to itself;
//  - grading (scripts/bench-grade.ts): the example server, correct and reflecting any origin,
//    graded with the origin search in all engines at once, start-up included, beside the
//    reference run's probes per second in the all-engine run (like with like), with where
//    each engine's grading time went.
// Writes reports/bench/latest.json and docs/measured.md (the one place the README's measured
// numbers come from), and prints the table. Numbers only: no test asserts a time.
//   tsx scripts/bench.ts [--naive-sample 200] [--ceiling-seconds 5]
import autocannon from 'autocannon';
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { cpus, loadavg } from 'node:os';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { browserChoiceFrom, launchEngine } from '../engines/index.ts';
import { wantedEngines } from '../engines/selection.ts';
import type { EngineId, ResultsFile } from '../model/results.ts';
import { startHarness } from '../pipeline/harness.ts';
import { caseProbe } from '../runner/run-cases.ts';
import { toProbe, tokenFor } from '../pipeline/probe-run.ts';
import { fixtureUrl, withToken } from '../servers/recipe.ts';
import { referenceCases } from '../cases/catalog.ts';
import { benchGrade, type GradeBench } from './bench-grade.ts';

const { values } = parseArgs({ options: { 'naive-sample': { type: 'string', default: '200' }, 'ceiling-seconds': { type: 'string', default: '5' } } });
const OUT = resolve('reports/bench');
const RUN_DIR = join(OUT, 'run');
const TIMINGS = join(OUT, 'timings.json');
const MEASURED = resolve('docs/measured.md');
const BIOME = createRequire(import.meta.url).resolve('@biomejs/biome/bin/biome');
const engines = wantedEngines(process.env.CC_ENGINES);

interface Rate {
  requestsPerSecond: number;
  errors: number;
}

async function hammer(url: string, path: string, host: string, seconds: number): Promise<Rate> {
  const r = await autocannon({
    url,
    connections: 32,
    duration: seconds,
    requests: [{ method: 'GET', path, headers: { Host: host, Origin: 'http://a.test' } }],
  });
  return { requestsPerSecond: Math.round(r.requests.average), errors: r.errors + r.non2xx };
}

async function ceiling(seconds: number): Promise<{ fixture: Rate; proxy: Rate }> {
  const h = await startHarness();
  try {
    const target = withToken(
      fixtureUrl('http://b.test/bench', { preflight: null, actual: { status: 200, headers: [['Access-Control-Allow-Origin', '*']], body: 'ok' } }),
      'bench',
    );
    const u = new URL(target);
    const fixture = await hammer(h.fixture.url, u.pathname + u.search, 'b.test', seconds);
    // Through the proxy, as the browsers send it: an absolute URL in the request line.
    const proxy = await hammer(h.proxy.url, target, 'b.test', seconds);
    return { fixture, proxy };
  } finally {
    await h.close();
  }
}

interface TimingsJson {
  suites: Array<{
    specs?: Array<{ tests: Array<{ projectName: string; results: Array<{ startTime: string; duration: number }> }> }>;
    suites?: TimingsJson['suites'];
  }>;
}

function perEngineWall(file: string): Partial<Record<EngineId, number>> {
  const json = JSON.parse(readFileSync(file, 'utf8')) as TimingsJson;
  const span = new Map<string, [number, number]>();
  const walk = (suites: TimingsJson['suites']) => {
    for (const s of suites) {
      for (const spec of s.specs ?? []) {
        for (const t of spec.tests) {
          for (const r of t.results) {
            const start = Date.parse(r.startTime);
            const [a, b] = span.get(t.projectName) ?? [Infinity, 0];
            span.set(t.projectName, [Math.min(a, start), Math.max(b, start + r.duration)]);
          }
        }
      }
      walk(s.suites ?? []);
    }
  };
  walk(json.suites);
  return Object.fromEntries([...span].map(([p, [a, b]]) => [p, (b - a) / 1000]));
}

async function referenceRun(
  only?: EngineId,
): Promise<{ totalWallSeconds: number; code: number; perEngine: Partial<Record<EngineId, number>>; results: ResultsFile }> {
  const t0 = Date.now();
  const dir = only ? join(OUT, `run-${only}`) : RUN_DIR;
  const code = await new Promise<number>((done) => {
    const child = spawn(
      process.execPath,
      [new URL('../node_modules/playwright/cli.js', import.meta.url).pathname, 'test', '-c', 'reference.config.ts', `--output=${join(dir, 'test-output')}`],
      {
        env: { ...process.env, CC_OUT: dir, CC_TIMINGS: TIMINGS, ...(only ? { CC_ENGINES: only } : {}) },
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    );
    child.on('exit', (c) => done(c ?? 1));
  });
  const totalWallSeconds = (Date.now() - t0) / 1000;
  return { totalWallSeconds, code, perEngine: perEngineWall(TIMINGS), results: JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as ResultsFile };
}

/** The naive way: one navigation and one evaluate per case, one case at a time. */
async function naive(id: EngineId, sample: number): Promise<{ cases: number; wallSeconds: number }> {
  const all = referenceCases(process.env.CC_CASES).filter((c) => !c.request.prior?.length && !c.request.withCookie);
  const step = Math.max(1, Math.floor(all.length / sample));
  const cases = all.filter((_, i) => i % step === 0).slice(0, sample);
  const h = await startHarness();
  const engine = await launchEngine(id, { proxy: h.proxySettings, browsers: browserChoiceFrom(process.env) });
  try {
    const page = await engine.newPage();
    const t0 = Date.now();
    for (const c of cases) {
      await page.goto(`${c.request.page.origin}/__cc/probe.html`);
      await page.run([toProbe(caseProbe(c), tokenFor('naive', id, c.id), 15_000)], { concurrency: 1 });
    }
    const wallSeconds = (Date.now() - t0) / 1000;
    await page.close();
    return { cases: cases.length, wallSeconds };
  } finally {
    await engine.close();
    await h.close();
  }
}

const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;

async function main(): Promise<number> {
  const loadBefore = loadavg()[0] ?? 0;
  mkdirSync(OUT, { recursive: true });
  console.log('bench: ceiling (autocannon on loopback) ...');
  const ceil = await ceiling(Number(values['ceiling-seconds']));
  console.log('bench: the reference run, all engines, end to end ...');
  const ref = await referenceRun();
  const alone: Partial<Record<EngineId, { cases: number; wallSeconds: number }>> = {};
  let code = ref.code;
  for (const id of engines) {
    console.log(`bench: the full matrix in ${id} alone ...`);
    const run = await referenceRun(id);
    code ||= run.code;
    alone[id] = { cases: run.results.cases.filter((c) => c.results[id]).length, wallSeconds: run.totalWallSeconds };
  }
  const sample = Number(values['naive-sample']);
  const naiveResults: Partial<Record<EngineId, { cases: number; wallSeconds: number; probesPerSecond: number }>> = {};
  for (const id of engines) {
    console.log(`bench: the naive way in ${id}, ${sample} cases ...`);
    const n = await naive(id, sample);
    naiveResults[id] = { ...n, wallSeconds: round(n.wallSeconds, 2), probesPerSecond: round(n.cases / n.wallSeconds) };
  }
  const gradings: GradeBench[] = [];
  for (const mode of ['correct', 'reflect'] as const) {
    console.log(`bench: grading the example server (${mode}), ${engines.length} engines at once ...`);
    gradings.push(await benchGrade(mode, engines));
  }
  const engineResults: Partial<
    Record<
      EngineId,
      { cases: number; wallSeconds: number; probesPerSecond: number; version: string; inFullRun: { wallSeconds: number; probesPerSecond: number } }
    >
  > = {};
  const speedup: Partial<Record<EngineId, number>> = {};
  for (const id of engines) {
    const a = alone[id] ?? { cases: 0, wallSeconds: NaN };
    const inFull = ref.perEngine[id] ?? NaN;
    const fullCases = ref.results.cases.filter((c) => c.results[id]).length;
    engineResults[id] = {
      cases: a.cases,
      wallSeconds: round(a.wallSeconds),
      probesPerSecond: round(a.cases / a.wallSeconds),
      version: ref.results.engines.find((e) => e.id === id)?.version ?? '?',
      inFullRun: { wallSeconds: round(inFull), probesPerSecond: round(fullCases / inFull) },
    };
    speedup[id] = round(a.cases / a.wallSeconds / (naiveResults[id]?.probesPerSecond ?? NaN));
  }
  const report = {
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? '?', node: process.version, platform: `${process.platform}-${process.arch}` },
    measuredAt: new Date().toISOString(),
    // The 1-minute load average when the bench started and ended: how busy the machine was.
    load: { before: round(loadBefore, 2), after: round(loadavg()[0] ?? 0, 2) },
    engines: engineResults,
    naive: naiveResults,
    speedup,
    ceilingRequestsPerSecond: ceil.proxy.requestsPerSecond,
    ceiling: ceil,
    grading: gradings.map((g) => ({
      ...g,
      engines: Object.fromEntries(
        engines.map((id) => {
          const e = g.engines[id];
          const reference = engineResults[id]?.inFullRun.probesPerSecond ?? NaN;
          return [id, e ? { ...e, referenceProbesPerSecond: reference, ratio: round(e.probesPerSecond / reference, 3) } : null];
        }),
      ),
    })),
    totalWallSeconds: round(ref.totalWallSeconds, 1),
    referenceExitCode: code,
    goals: {
      fullRunUnder120Seconds: ref.totalWallSeconds <= 120,
      tenTimesNaive: engines.every((id) => (speedup[id] ?? 0) >= 10),
    },
  };
  writeFileSync(join(OUT, 'latest.json'), JSON.stringify(report, null, 1));
  const rows = engines.map((id) => {
    const e = engineResults[id];
    const n = naiveResults[id];
    return `| ${id} ${e?.version} | ${e?.cases} | ${e?.wallSeconds} s | ${e?.probesPerSecond} | ${e?.inFullRun.wallSeconds} s, ${e?.inFullRun.probesPerSecond}/s | ${n?.probesPerSecond} (${n?.cases} cases) | ${speedup[id]}× |`;
  });
  const table = [
    `| engine | cases | wall alone (start-up incl.) | probes/s alone | in the ${engines.length}-engine run | naive probes/s | speed-up |`,
    `|---|---|---|---|---|---|---|`,
    ...rows,
  ];
  const lines = [
    `whole reference run, ${engines.length} engines, start-up included: ${report.totalWallSeconds} s (goal ≤ 120 s: ${report.goals.fullRunUnder120Seconds ? 'met' : 'missed'})`,
    `ceiling on loopback: fixture ${ceil.fixture.requestsPerSecond} req/s, through the proxy ${ceil.proxy.requestsPerSecond} req/s (${cpus().length} CPUs)`,
  ];
  const ms = (n: number) => `${round(n / 1000)} s`;
  const gradingTable = [
    `| server | engine | probes | wall (start-up incl.) | grading probes/s | reference probes/s | ratio | pages opened | navigations | origin checks | probe batches |`,
    `|---|---|---|---|---|---|---|---|---|---|---|`,
    ...report.grading.flatMap((g) =>
      engines.map((id) => {
        const e = g.engines[id];
        if (!e) return `| ${g.mode} | ${id} | not run | | | | | | | | |`;
        const b = e.breakdown;
        return `| ${g.mode} (${g.verdict}, ${g.findings} findings, ${g.causes} causes) | ${id} | ${e.probes} | ${e.wallSeconds} s (launch ${e.launchSeconds} s) | ${e.probesPerSecond} | ${e.referenceProbesPerSecond} | 1/${round(1 / e.ratio)} | ${ms(b.newPage)} | ${b.navigations}: ${ms(b.navigate)} | ${ms(b.originCheck)} | ${b.batchCount}: ${ms(b.batches)} |`;
      }),
    ),
  ];
  const drivers = ref.results.engines.map((e) => `| ${e.id} | ${e.name} | ${e.version} | ${e.driver} |`);
  writeFileSync(
    MEASURED,
    [
      '# Measured here',
      '',
      `Written by \`npm run bench\` (scripts/bench.ts) on ${report.measuredAt.slice(0, 10)}: ${report.machine.cpus} CPUs (${report.machine.cpuModel}), Node ${report.machine.node}, ${report.machine.platform}; load average ${report.load.before} at the start, ${report.load.after} at the end (a machine with nothing else running is near 0). Every measured number the README gives comes from this file; run the bench again to refresh it. Timings vary two to three times between machines and under load.`,
      '',
      '## Engines',
      '',
      '| engine | browser | version | driven by |',
      '|---|---|---|---|',
      ...drivers,
      '',
      '## The reference run',
      '',
      ...table,
      '',
      ...lines.map((l) => `- ${l}`),
      '',
      '## Grading',
      '',
      `The example server graded with the origin search in ${engines.length} engines at once, as the CLI grades, beside the reference run's probes per second in its ${engines.length}-engine run. The plan (setup check, OPTIONS check, the search's screen) runs before any browser and is not in the wall time: ${report.grading.map((g) => `${g.mode} ${g.planSeconds} s`).join(', ')}. Where the time went is summed over each engine's lanes of pages (Chromium and Firefox run four pages side by side, WebKit one).`,
      '',
      ...gradingTable,
      '',
    ].join('\n'),
  );
  // In the project's Markdown style (aligned tables), so the check passes on the written file.
  const format = spawnSync(process.execPath, [BIOME, 'format', '--write', MEASURED], { stdio: 'inherit' });
  if (format.status !== 0) console.error(`bench: biome could not format ${MEASURED} (exit ${format.status ?? format.signal})`);
  console.log(['', ...table, '', ...lines, '', ...gradingTable, `written: ${join(OUT, 'latest.json')}, ${MEASURED}`].join('\n'));
  return code === 0 ? 0 : 1;
}

process.exitCode = await main();
