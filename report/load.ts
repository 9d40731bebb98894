// Reads a results file and checks, at the door, that it is one: the report renders only
// what model/results.ts describes, and says which field is wrong otherwise.
import { readFileSync } from 'node:fs';
import type { ResultsFile } from '../model/results.ts';
import { schemaErrors } from '../model/schemas.ts';
import { UserError } from '../model/errors.ts';

export class ResultsFileError extends UserError {}

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
  // The published schema is the one description of the file; what it cannot say (unique ids) is checked here.
  const invalid = schemaErrors('results', data, 5);
  if (invalid.length) throw new ResultsFileError(`${source} does not match schemas/results.schema.json:\n  ${invalid.join('\n  ')}`);
  const ids = new Set<string>();
  for (const c of o.cases ?? []) {
    if (ids.has(c.id)) throw new ResultsFileError(`${source}: case id ${c.id} appears twice`);
    ids.add(c.id);
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
