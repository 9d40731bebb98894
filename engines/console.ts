// The browser's console lines arrive on their own channel (CDP, WebDriver BiDi, the Web
// Inspector), not with the probe page's result, and can trail it: a run waits a little for
// the lines of the probes the page saw blocked.
import type { Probe } from '../model/probe.ts';
import { PROBE_TOKEN_PARAM } from '../model/wire.ts';
import type { PageRunOutput } from '../probe/runtime.ts';

/** The longest a run waits for trailing console lines after the page answered. */
const TRAILING_LINES_MS = 1000;

function tokenOf(url: string): string | null {
  try {
    return new URL(url).searchParams.get(PROBE_TOKEN_PARAM);
  } catch {
    return null;
  }
}

/** Resolves when every probe the page saw blocked has a console line naming its token, or
 *  when `TRAILING_LINES_MS` have passed (an engine need not log every block). */
export async function awaitTrailingLines(lines: readonly string[], probes: readonly Probe[], out: PageRunOutput): Promise<void> {
  const blocked = new Set(out.results.filter((r) => r.final.outcome === 'blocked').map((r) => r.id));
  const tokens = probes
    .filter((p) => blocked.has(p.id))
    .map((p) => tokenOf(p.fetch.url))
    .filter((t): t is string => t !== null);
  const deadline = Date.now() + TRAILING_LINES_MS;
  while (Date.now() < deadline) {
    if (tokens.every((t) => lines.some((line) => line.includes(t)))) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}
