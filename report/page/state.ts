// The matrix's filters, page and open case, kept in the URL hash so that a link reopens the
// same view: #topic=preflight&div=1&page=2&case=<id>.
import type { Topic } from '../../model/case.ts';
import type { EngineId } from '../../model/results.ts';
import type { InitiatorForm } from './data.ts';
import type { Report } from './report.ts';

export interface State {
  topic: Topic | '';
  initiator: InitiatorForm['kind'] | '';
  engine: EngineId | '';
  /** Only rows with an expected or new divergence. */
  div: boolean;
  /** Only rows where an engine differs from the spec. */
  fail: boolean;
  /** Only rows where the engines do not all do the same. */
  disagree: boolean;
  q: string;
  page: number;
  /** The case whose detail is open. */
  case: string;
}

export type Filters = Omit<State, 'case'>;

export const NO_FILTERS: Filters = { topic: '', initiator: '', engine: '', div: false, fail: false, disagree: false, q: '', page: 1 };

const FILTER_KEYS: ReadonlyArray<keyof Filters> = ['topic', 'initiator', 'engine', 'div', 'fail', 'disagree', 'q', 'page'];

function oneOf<T extends string>(known: readonly T[], value: string | null): T | '' {
  return known.find((k) => k === value) ?? '';
}

export function parseHash(report: Report, hash: string = location.hash): State {
  const p = new URLSearchParams(hash.slice(1));
  return {
    topic: oneOf(report.topics, p.get('topic')),
    initiator: oneOf(report.initiatorKinds, p.get('initiator')),
    engine: oneOf(report.engines, p.get('engine')),
    div: p.get('div') === '1',
    fail: p.get('fail') === '1',
    disagree: p.get('disagree') === '1',
    q: p.get('q') ?? '',
    page: Math.max(1, Number.parseInt(p.get('page') ?? '1', 10) || 1),
    case: p.get('case') ?? '',
  };
}

export function serialize(s: State): string {
  const p = new URLSearchParams();
  if (s.topic) p.set('topic', s.topic);
  if (s.initiator) p.set('initiator', s.initiator);
  if (s.engine) p.set('engine', s.engine);
  if (s.div) p.set('div', '1');
  if (s.fail) p.set('fail', '1');
  if (s.disagree) p.set('disagree', '1');
  if (s.q) p.set('q', s.q);
  if (s.page > 1) p.set('page', String(s.page));
  if (s.case) p.set('case', s.case);
  return `#${p.toString()}`;
}

/** A plain section link (#matrix) is navigation, not state. */
export function isStateHash(): boolean {
  return location.hash === '' || location.hash === '#' || location.hash.includes('=');
}

export function filtersDiffer(a: State, b: State): boolean {
  return FILTER_KEYS.some((k) => a[k] !== b[k]);
}

let state: State | null = null;

export function current(): State {
  if (!state) throw new Error('the page state is read before the page started');
  return state;
}

export function startState(report: Report): State {
  state = parseHash(report);
  return state;
}

/** Replaces the state from a hash the browser navigated to. */
export function adoptState(next: State): void {
  state = next;
}

/** Changes the state and the hash: `push` adds a history entry (opening a case), otherwise the
 *  current entry is replaced (typing in the search box). */
export function setState(patch: Partial<State>, push = false): void {
  const next = { ...current(), ...patch };
  state = next;
  const hash = serialize(next);
  if (push) location.hash = hash;
  else history.replaceState(null, '', hash === '#' ? location.pathname + location.search : hash);
}
