// How the probe runtime makes one request for each initiator (model/case.ts Initiator), and
// what it reports: the same FetchOutcome as fetch(), plus whether the page could read what it
// loaded and, in a few words, what it saw. One module per family of initiators; this table is
// the only place that lists them.
import type { Initiator, InitiatorKind } from '../../model/case.ts';
import type { FetchOutcome, FetchSpec } from '../../model/probe.ts';

export interface InitiatorContext {
  spec: FetchSpec;
  readHeaders: string[];
  timeoutMs: number;
}

export type InitiatorRunner<K extends InitiatorKind> = (initiator: Extract<Initiator, { kind: K }>, ctx: InitiatorContext) => Promise<FetchOutcome>;

export type InitiatorTable = { [K in InitiatorKind]?: InitiatorRunner<K> };

const RUNNERS: InitiatorTable = {};

/** A thrown or rejected value as the page saw it, e.g. `TypeError: Failed to fetch`. */
export function errorText(e: unknown): string {
  const err = e as { name?: unknown; message?: unknown } | null;
  if (err && typeof err === 'object' && 'message' in err) return `${String(err.name)}: ${String(err.message)}`;
  return String(e);
}

/** Registers runners; each initiator module calls this once when the runtime loads. */
export function registerInitiators(table: InitiatorTable): void {
  Object.assign(RUNNERS, table);
}

/** The runner for an initiator other than fetch; an error outcome when the runtime has none. */
export function runInitiator(initiator: Initiator, ctx: InitiatorContext): Promise<FetchOutcome> {
  const runner = RUNNERS[initiator.kind] as InitiatorRunner<typeof initiator.kind> | undefined;
  if (!runner) {
    return Promise.resolve({
      outcome: 'error',
      status: null,
      type: null,
      readable: [],
      error: `the probe runtime has no runner for initiator ${initiator.kind}`,
      elapsedMs: 0,
    });
  }
  return runner(initiator as never, ctx);
}
