// Runs probes in pages of one engine: one page per page origin, probes sent in chunks
// (one evaluate each), pages side by side where the engine allows it.
import type { Engine, EnginePage, RunOutput } from '../engines/types.ts';
import type { Probe } from '../model/probe.ts';

export interface PageWork<T> {
  pageOrigin: string;
  items: T[];
}

/** `open`: the page could not be opened on its origin (the engine refused the origin). */
export type ChunkResult = { ok: true; out: RunOutput } | { ok: false; stage: 'open' | 'run'; error: string };

export interface PageRunOptions<T> {
  chunkSize?: number;
  concurrency: number;
  probeOf(item: T): Probe;
  /** Navigations to make first, in one page (cookie set-up). */
  setupUrls: string[];
  /** Navigations to make last, whatever happened (removing a session); none by default. */
  teardownUrls?: string[];
  onChunk(pageOrigin: string, items: T[], result: ChunkResult): void | Promise<void>;
  /** Once aborted (a whole-run budget ran out), no further page or chunk starts; what runs
   *  ends within its probe timeout and is handed back, and the rest never runs. */
  signal?: AbortSignal;
}

function chunks<T>(list: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/** Navigates `page` to the origin's probe page; throws when it does not end up there. */
async function open(page: EnginePage, origin: string): Promise<void> {
  await page.goto(`${origin}/__cc/probe.html`);
  // The navigation can "succeed" onto an error page: the page must run the probe runtime
  // on the origin asked for.
  const ready = await page.run([], { concurrency: 1 });
  if (ready.pageOrigin !== origin) throw new Error(`the page opened on ${ready.pageOrigin}`);
}

/** Returns false when the page failed to open the origin: its late error navigation can still
 *  interrupt the next one, so the caller replaces the page. */
async function runWork<T>(page: EnginePage, work: PageWork<T>, opts: PageRunOptions<T>): Promise<boolean> {
  const size = opts.chunkSize ?? 400;
  try {
    await open(page, work.pageOrigin);
  } catch (err) {
    // A page that cannot open (an origin the engine will not navigate to) fails its probes, not the run.
    const error = `could not open ${work.pageOrigin}: ${(err as Error).message.split('\n')[0]}`;
    for (const part of chunks(work.items, size)) await opts.onChunk(work.pageOrigin, part, { ok: false, stage: 'open', error });
    return false;
  }
  for (const part of chunks(work.items, size)) {
    if (opts.signal?.aborted) break;
    let result: ChunkResult;
    try {
      const out = await page.run(part.map(opts.probeOf), { concurrency: opts.concurrency });
      result =
        out.pageOrigin === work.pageOrigin
          ? { ok: true, out }
          : { ok: false, stage: 'run', error: `the probe page is on ${out.pageOrigin}, not ${work.pageOrigin} (an https upgrade or a redirect?)` };
    } catch (err) {
      result = { ok: false, stage: 'run', error: (err as Error).message.split('\n')[0] ?? 'probe run failed' };
    }
    await opts.onChunk(work.pageOrigin, part, result);
  }
  return true;
}

/** Pages open side by side where the engine allows it; each page then visits origins in turn
 *  (opening a page costs more than navigating one, notably in Firefox). */
const PAGES_PER_ENGINE = 4;

export async function runOnPages<T>(engine: Engine, work: Array<PageWork<T>>, opts: PageRunOptions<T>): Promise<void> {
  const queue = [...work];
  const lanes = Math.max(1, Math.min(engine.concurrentPages ? PAGES_PER_ENGINE : 1, queue.length));
  // Cookies first, before any probe runs in any page.
  const first = await engine.newPage();
  try {
    for (const url of opts.setupUrls) await first.goto(url);
  } catch (err) {
    await first.close().catch(() => {});
    throw err;
  }
  try {
    await Promise.all(
      Array.from({ length: lanes }, async (_, lane) => {
        let page = lane === 0 ? first : await engine.newPage();
        try {
          for (let w = queue.shift(); w && !opts.signal?.aborted; w = queue.shift()) {
            if (!(await runWork(page, w, opts))) {
              await page.close().catch(() => {});
              page = await engine.newPage();
            }
          }
        } finally {
          await page.close().catch(() => {});
        }
      }),
    );
  } finally {
    if (opts.teardownUrls?.length) {
      const last = await engine.newPage();
      try {
        for (const url of opts.teardownUrls) await last.goto(url);
      } finally {
        await last.close().catch(() => {});
      }
    }
  }
}
