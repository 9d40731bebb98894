// What the initiator specs share: their cases are the reference run's own (cases/matrix), picked
// by the values of their id segments, and each result is judged as the reference run judges it
// (the spec model's expectation, runner/verdict.ts with cases/divergences.ts). On top of the
// verdict, the specs check what the wire shows that the verdict does not read: the Origin the
// server saw, what a preflight asked for, whether the cookie went along.
import type { CorsCase } from '../../model/case.ts';
import type { EngineId, EngineResult, SpecExpectation } from '../../model/results.ts';
import { KNOWN_DIVERGENCES } from '../../cases/divergences.ts';
import { generateMatrix } from '../../cases/matrix/index.ts';
import { evaluate } from '../../oracle/index.ts';
import { describeVerdict, judge, type Verdict } from '../../runner/verdict.ts';

const MATRIX = generateMatrix();

/** A case id's `key=value` segments after `topic/block`. */
function segments(id: string): Map<string, string> {
  return new Map(
    id
      .split('/')
      .slice(2)
      .map((seg) => [seg.slice(0, seg.indexOf('=')), seg.slice(seg.indexOf('=') + 1)]),
  );
}

/** The cases of a block (`initiators/element`) whose segments take one of the given values. */
export function pick(block: string, where: Record<string, string[]> = {}): CorsCase[] {
  const picked = MATRIX.filter((c) => {
    if (!c.id.startsWith(`${block}/`)) return false;
    const seg = segments(c.id);
    return Object.entries(where).every(([key, values]) => values.includes(seg.get(key) ?? ''));
  });
  if (picked.length === 0) throw new Error(`no case of ${block} matches ${JSON.stringify(where)}`);
  return picked;
}

/** The same case from a data: iframe instead of a sandboxed one: both have an opaque origin, so
 *  the case means the same (the matrix's initiator blocks have no data: route). */
export function inDataFrame(c: CorsCase): CorsCase {
  if (c.request.page.opaque !== 'sandboxed-iframe') throw new Error(`${c.id} is not from a sandboxed iframe`);
  return {
    ...c,
    id: `${c.id}/page=data-iframe`,
    title: `${c.title} (from a data: iframe)`,
    request: { ...c.request, page: { ...c.request.page, opaque: 'data-iframe' } },
  };
}

/** The same case between https origins (the matrix's WebSocket block has no https route): the
 *  page and the target on https, the request a wss: one. Only for a case whose answer names no
 *  origin of the page's. */
export function overHttps(c: CorsCase): CorsCase {
  const https = (url: string): string => url.replace(/^http:/, 'https:');
  return {
    ...c,
    id: `${c.id}/page=https`,
    title: `${c.title} (over https)`,
    request: { ...c.request, page: { ...c.request.page, origin: https(c.request.page.origin) }, url: https(c.request.url) },
  };
}

export interface Judged {
  spec: SpecExpectation;
  verdict: Verdict;
  /** The verdict in words when it fails the run (a new divergence, a known one that no longer
   *  holds, a harness error); null when it passes. */
  failure: string | null;
}

/** The reference run's verdict on one result. */
export function judged(c: CorsCase, engine: EngineId, result: EngineResult): Judged {
  const spec = evaluate(c);
  const verdict = judge(c, engine, spec, result, KNOWN_DIVERGENCES);
  const passes = verdict.status === 'agrees' || verdict.status === 'expected-divergence';
  const failure = passes
    ? null
    : verdict.status === 'error'
      ? `harness error: ${result.reason ?? 'no result'}`
      : describeVerdict(c, engine, spec, result, verdict);
  return { spec, verdict, failure };
}

/** The Origin a request of this case carries: the page's serialized origin, "null" from an
 *  opaque-origin document. */
export function sentOrigin(c: CorsCase): string {
  return c.request.page.opaque ? 'null' : new URL(c.request.page.origin).origin;
}

/** Whether the request goes to another origin than its document's (always from an opaque one):
 *  only then does a GET carry an Origin header. */
export function crossOrigin(c: CorsCase): boolean {
  return !!c.request.page.opaque || new URL(c.request.url).origin !== new URL(c.request.page.origin).origin;
}
