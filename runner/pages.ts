// Runs probes in pages of one engine: one page per page origin, probes sent in chunks
// (one evaluate each), pages side by side where the engine allows it. Shared by the
// reference run (fixture cases) and grading (a real target).
import type { Engine, EnginePage, RunOutput } from '../engines/types.ts';
import type { Probe } from '../model/probe.ts';

export interface PageWork {
  pageOrigin: string;
  probes: Probe[];
}

export type ChunkResult = { ok: true; out: RunOutput } | { ok: false; error: string };

export interface PageRunOptions {
  chunkSize?: number;
  concurrency?: number;
  /** Navigations to make first, in one page (cookie set-up). */
  setupUrls?: string[];
  onChunk(pageOrigin: string, probes: Probe[], result: ChunkResult): void | Promise<void>;
}

function chunks<T>(list: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

async function runPage(engine: Engine, work: PageWork, opts: PageRunOptions): Promise<void> {
  let page: EnginePage | null = null;
  try {
    page = await engine.newPage();
    await page.goto(`${work.pageOrigin}/__cc/probe.html`);
  } catch (err) {
    // A page that cannot open (an origin the engine will not navigate to) fails its probes, not the run.
    const error = `could not open ${work.pageOrigin}: ${(err as Error).message.split('\n')[0]}`;
    for (const part of chunks(work.probes, opts.chunkSize ?? 400)) await opts.onChunk(work.pageOrigin, part, { ok: false, error });
    await page?.close().catch(() => {});
    return;
  }
  try {
    for (const part of chunks(work.probes, opts.chunkSize ?? 400)) {
      let result: ChunkResult;
      try {
        const out = await page.run(part, { concurrency: opts.concurrency ?? 48 });
        result =
          out.pageOrigin === work.pageOrigin
            ? { ok: true, out }
            : { ok: false, error: `the probe page is on ${out.pageOrigin}, not ${work.pageOrigin} (an https upgrade or a redirect?)` };
      } catch (err) {
        result = { ok: false, error: (err as Error).message.split('\n')[0] ?? 'probe run failed' };
      }
      await opts.onChunk(work.pageOrigin, part, result);
    }
  } finally {
    await page.close().catch(() => {});
  }
}

export async function runOnPages(engine: Engine, work: PageWork[], opts: PageRunOptions): Promise<void> {
  if (opts.setupUrls?.length) {
    const page = await engine.newPage();
    try {
      for (const url of opts.setupUrls) await page.goto(url);
    } finally {
      await page.close();
    }
  }
  if (engine.concurrentPages) await Promise.all(work.map((w) => runPage(engine, w, opts)));
  else for (const w of work) await runPage(engine, w, opts);
}
