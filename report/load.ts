// Reads a results file and checks, at the door, that it is one: the report renders only
// what model/results.ts describes, and says which field is wrong otherwise.
import { readFileSync } from 'node:fs';
import type { ResultsFile } from '../model/results.ts';

export class ResultsFileError extends Error {}

export function parseResults(text: string, source: string): ResultsFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new ResultsFileError(`${source} is not JSON: ${(err as Error).message}`);
  }
  const o = data as Partial<ResultsFile> | null;
  if (!o || typeof o !== 'object') throw new ResultsFileError(`${source}: expected an object`);
  if (o.schema !== 'cors-conformance/results@1') {
    throw new ResultsFileError(`${source}: schema is ${JSON.stringify(o.schema)}, expected "cors-conformance/results@1"`);
  }
  for (const field of ['engines', 'excludedEngines', 'cases'] as const) {
    if (!Array.isArray(o[field])) throw new ResultsFileError(`${source}: ${field} must be an array`);
  }
  if (!o.environment || !Array.isArray(o.environment.notes)) throw new ResultsFileError(`${source}: environment.notes must be an array`);
  const ids = new Set<string>();
  for (const [i, c] of (o.cases ?? []).entries()) {
    if (typeof c?.id !== 'string') throw new ResultsFileError(`${source}: cases[${i}].id must be a string`);
    if (ids.has(c.id)) throw new ResultsFileError(`${source}: case id ${c.id} appears twice`);
    ids.add(c.id);
    if (!c.request || !c.response || !c.results) {
      throw new ResultsFileError(`${source}: cases[${i}] (${c.id}) needs request, response and results`);
    }
  }
  return o as ResultsFile;
}

export function loadResults(path: string): ResultsFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ResultsFileError(`cannot read ${path}: ${(err as Error).message}`);
  }
  return parseResults(text, path);
}
