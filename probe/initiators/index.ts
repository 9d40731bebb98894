// How the probe runtime makes one request for each initiator (model/case.ts Initiator), and
// what it reports: the same FetchOutcome as fetch(), plus whether the page could read what it
// loaded and, in a few words, what it saw. One module per family of initiators, each exporting
// its runners; probe/runtime.ts puts them into one table that must have every kind.
import type { InitiatorKind } from '../../model/case.ts';
import type { InitiatorOf } from '../../model/initiators.ts';
import type { FetchOutcome, FetchSpec } from '../../model/probe.ts';

export interface InitiatorContext {
  spec: FetchSpec;
  readHeaders: string[];
  timeoutMs: number;
}

export type InitiatorRunner<K extends InitiatorKind> = (initiator: InitiatorOf<K>, ctx: InitiatorContext) => Promise<FetchOutcome>;

/** A runner for every kind: a kind without one is a compile error where the table is made. */
export type InitiatorTable = { [K in InitiatorKind]: InitiatorRunner<K> };

/** A thrown or rejected value as the page saw it, e.g. `TypeError: Failed to fetch`. */
export function errorText(e: unknown): string {
  const err = e as { name?: unknown; message?: unknown } | null;
  if (err && typeof err === 'object' && 'message' in err) return `${String(err.name)}: ${String(err.message)}`;
  return String(e);
}
