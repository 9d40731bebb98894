// Which engines a run uses. All three unless the user names a subset: an engine is only
// ever left out by name, and the results file lists it as excluded.
import { ENGINE_IDS, type EngineId } from '../model/results.ts';

/** `raw` is the user's CC_ENGINES (or an option naming engines); unset means all three. */
export function wantedEngines(raw: string | undefined): EngineId[] {
  if (!raw) return [...ENGINE_IDS];
  const ids = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const id of ids) {
    if (!(ENGINE_IDS as readonly string[]).includes(id)) {
      throw new Error(`CC_ENGINES names "${id}": use a comma-separated list of ${ENGINE_IDS.join(', ')}`);
    }
  }
  if (!ids.length) throw new Error(`CC_ENGINES is empty: name at least one of ${ENGINE_IDS.join(', ')}, or unset it`);
  return ids as EngineId[];
}
