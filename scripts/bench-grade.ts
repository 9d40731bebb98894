// Grading's speed, for npm run bench (scripts/bench.ts) and on its own:
//   tsx scripts/bench-grade.ts [correct|reflect ...]   (engines: CC_ENGINES)
// Grades the example server (examples/server.ts) with the origin search on, in every engine at
// once as the CLI does, start-up included, and says per engine how many probes it ran, how
// long it took from the session's start to its last probe, and where that time went: opening
// pages, navigating them to an origin's probe page (TLS to a new virtual host included), the
// page's check that it is on that origin, and the probe batches themselves. Each lane of pages
// runs these in turn, so a lane's parts add up to its wall time; the breakdown sums them over
// the engine's lanes. Numbers only: no test asserts a time.
import { type ChildProcess, spawn } from 'node:child_process';
import getPort from 'get-port';
import { browserChoiceFrom } from '../engines/index.ts';
import { wantedEngines } from '../engines/selection.ts';
import type { Engine, EnginePage } from '../engines/types.ts';
import { loadPolicy } from '../grade/input/policy.ts';
import { planGrade } from '../grade/plan.ts';
import { gradePlanned } from '../grade/run.ts';
import type { EngineId } from '../model/results.ts';
import { type GradeSession, openGradeSession } from '../pipeline/session.ts';

export type GradeBenchMode = 'correct' | 'reflect';

/** Where one engine's grading time went, in ms summed over its lanes of pages. */
export interface GradeBreakdown {
  newPage: number;
  /** Navigations: to each origin's probe page, and the cookie set-up and teardown pages. */
  navigate: number;
  navigations: number;
  /** The page's empty batch that checks it runs the probe runtime on the origin asked for. */
  originCheck: number;
  /** Probe batches. */
  batches: number;
  batchCount: number;
}

export interface GradeBenchEngine {
  probes: number;
  /** From the session's start (the engines' launch) to this engine's last probe. */
  wallSeconds: number;
  probesPerSecond: number;
  /** The engine's launch, inside wallSeconds. */
  launchSeconds: number;
  breakdown: GradeBreakdown;
}

export interface GradeBench {
  mode: GradeBenchMode;
  verdict: string;
  findings: number;
  causes: number;
  /** The plan: setup check, OPTIONS check and the search's screen, before any browser starts. */
  planSeconds: number;
  engines: Partial<Record<EngineId, GradeBenchEngine>>;
}

const emptyBreakdown = (): GradeBreakdown => ({ newPage: 0, navigate: 0, navigations: 0, originCheck: 0, batches: 0, batchCount: 0 });

/** `engine`, with every page's calls timed into `b`, and the end of its last call kept in `last`. */
function timed(engine: Engine, b: GradeBreakdown, last: { at: number }): Engine {
  const time = async <T>(add: (ms: number) => void, work: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    try {
      return await work();
    } finally {
      const t1 = performance.now();
      add(t1 - t0);
      last.at = Math.max(last.at, t1);
    }
  };
  return {
    info: engine.info,
    consoleMessages: engine.consoleMessages,
    concurrentPages: engine.concurrentPages,
    close: () => engine.close(),
    newPage: async (): Promise<EnginePage> => {
      const page = await time(
        (ms) => (b.newPage += ms),
        () => engine.newPage(),
      );
      return {
        goto: (url) =>
          time(
            (ms) => {
              b.navigate += ms;
              b.navigations++;
            },
            () => page.goto(url),
          ),
        run: (probes, options) =>
          time(
            (ms) => {
              if (probes.length === 0) b.originCheck += ms;
              else {
                b.batches += ms;
                b.batchCount++;
              }
            },
            () => page.run(probes, options),
          ),
        close: () => page.close(),
      };
    },
  };
}

async function exampleServer(mode: GradeBenchMode): Promise<{ url: string; child: ChildProcess }> {
  const port = await getPort({ host: '127.0.0.1' });
  const args = ['--import', 'tsx', 'examples/server.ts', '--port', String(port), ...(mode === 'reflect' ? ['--reflect-any-origin'] : [])];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the example server exited ${child.exitCode}`);
    if (
      await fetch(`${url}/api/health`).then(
        () => true,
        () => false,
      )
    )
      return { url, child };
    if (Date.now() > deadline) {
      child.kill();
      throw new Error(`the example server did not answer on ${url} within 30 s`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;
const rounded = (b: GradeBreakdown): GradeBreakdown => ({
  newPage: Math.round(b.newPage),
  navigate: Math.round(b.navigate),
  navigations: b.navigations,
  originCheck: Math.round(b.originCheck),
  batches: Math.round(b.batches),
  batchCount: b.batchCount,
});

/** Grades the example server in `mode` in all of `engines` at once, as the CLI does. */
export async function benchGrade(mode: GradeBenchMode, engines: EngineId[]): Promise<GradeBench> {
  const server = await exampleServer(mode);
  try {
    const t0 = performance.now();
    const plan = await planGrade({ target: server.url, policy: loadPolicy('examples/cors-policy.json') });
    const planned = performance.now();
    const launched: Partial<Record<EngineId, number>> = {};
    const raw = await openGradeSession(engines, browserChoiceFrom(process.env));
    const opened = performance.now();
    for (const id of engines) launched[id] = (opened - planned) / 1000;
    const parts = new Map<EngineId, { b: GradeBreakdown; last: { at: number } }>();
    const session: GradeSession = {
      proxy: raw.proxy,
      close: () => raw.close(),
      engines: raw.engines.map((e) => {
        const part = { b: emptyBreakdown(), last: { at: opened } };
        parts.set(e.info.id, part);
        return timed(e, part.b, part.last);
      }),
    };
    try {
      const report = await gradePlanned(session, plan);
      const out: GradeBench['engines'] = {};
      for (const id of engines) {
        const part = parts.get(id);
        if (!part) continue;
        const probes = report.probes.filter((p) => p.results[id]).length;
        // Start-up included: the engines' launch; the plan, which runs before any browser and
        // once for all engines, is given on its own.
        const wallSeconds = (part.last.at - planned) / 1000;
        out[id] = {
          probes,
          wallSeconds: round(wallSeconds, 2),
          probesPerSecond: round(probes / wallSeconds, 2),
          launchSeconds: round(launched[id] ?? 0, 2),
          breakdown: rounded(part.b),
        };
      }
      return {
        mode,
        verdict: report.verdict,
        findings: report.findings.length,
        causes: report.causes.length,
        planSeconds: round((planned - t0) / 1000, 2),
        engines: out,
      };
    } finally {
      await session.close();
    }
  } finally {
    server.child.kill();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const modes = (process.argv.slice(2).length ? process.argv.slice(2) : ['correct', 'reflect']) as GradeBenchMode[];
  for (const mode of modes) console.log(JSON.stringify(await benchGrade(mode, wantedEngines(process.env.CC_ENGINES)), null, 1));
}
