// Every built-in case the reference run measures, in a stable order.
import type { CorsCase } from '../model/case.ts';
import { BASICS } from './basics/cases.ts';
import { generateMatrix } from './matrix/index.ts';

/**
 * `CC_CASES=basics,preflight/methods` keeps the cases whose id starts with one of the
 * prefixes (a quick run, or the project's own stability tests); unset, every case runs.
 */
export function referenceCases(filter: string | undefined): CorsCase[] {
  const all = [...BASICS, ...generateMatrix()];
  const seen = new Set<string>();
  for (const c of all) {
    if (seen.has(c.id)) throw new Error(`duplicate case id ${c.id}: ids must be unique and stable`);
    seen.add(c.id);
  }
  const prefixes =
    filter
      ?.split(',')
      .map((p) => p.trim())
      .filter(Boolean) ?? [];
  if (!prefixes.length) return all;
  const kept = all.filter((c) => prefixes.some((p) => c.id.startsWith(p)));
  if (!kept.length) throw new Error(`CC_CASES=${filter} selects no case: give id prefixes such as basics or preflight/methods`);
  return kept;
}

export interface Batch {
  title: string;
  cases: CorsCase[];
  /** Probes in flight at once. Redirected requests that need a new preflight hold a
   *  connection while they wait for another; Chromium allows 32 per proxy, so too many at
   *  once stall until they time out. Preflight-cache cases send their second request "at
   *  once", which must not queue for seconds behind others (Chromium keeps 6 connections
   *  per https host): a 5-second default max-age expired in one of ten repeats at 48. */
  concurrency: number;
}

/**
 * One batch per topic (per initiator in the initiators topic), cut to a size one evaluate per
 * page handles well; a batch's page origins run side by side (pipeline/pages.ts). Cases that
 * wait (preflight-cache expiry) run in a batch of their own, all at once, so their waits
 * overlap with each other and nothing
 * else delays their second request: beside other work, on a busy machine, a second request
 * meant to land within max-age landed after it, and other preflights evicted their entries
 * from Firefox's 100-entry preflight cache.
 */
export function planBatches(cases: CorsCase[], size = 400): Batch[] {
  const waits = (c: CorsCase) => (c.request.prior ?? []).some((p) => p.waitMs > 0);
  const groups = new Map<string, CorsCase[]>();
  for (const c of cases) {
    // Initiators run in a batch per kind, so a failure names the initiator.
    const group = c.group === 'initiators' ? `initiators: ${c.request.initiator?.kind ?? 'fetch'}` : c.group;
    const key = waits(c) ? `${group} (waits)` : group;
    const list = groups.get(key) ?? [];
    list.push(c);
    groups.set(key, list);
  }
  const batches: Batch[] = [];
  for (const [key, list] of groups) {
    const parts = Math.ceil(list.length / size);
    for (let i = 0; i < parts; i++) {
      const part = list.slice(i * size, (i + 1) * size);
      batches.push({
        title: parts > 1 ? `${key} (${i + 1}/${parts})` : key,
        cases: part,
        concurrency: part[0]?.group === 'redirects' || part[0]?.group === 'preflight-cache' ? 12 : 48,
      });
    }
  }
  return batches;
}
