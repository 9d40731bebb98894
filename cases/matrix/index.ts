// The generated matrix: per topic, blocks of dimensions whose deciding ones
// are generated exhaustively and the rest pairwise (pairwise.ts), plus the hand-written
// cases from the Fetch standard's own examples (cases/standard/cases.ts).
import type { CorsCase } from '../../model/case.ts';
import { STANDARD_CASES } from '../standard/cases.ts';
import { BAD_PORT_BLOCKS } from './bad-ports.ts';
import { CORP_BLOCKS } from './corp.ts';
import { CREDENTIALS_BLOCKS } from './credentials.ts';
import { EXPOSURE_BLOCKS } from './exposure.ts';
import { INITIATOR_BLOCKS } from './initiators.ts';
import { MIME_BLOCKS } from './mime.ts';
import { MIXED_CONTENT_BLOCKS } from './mixed-content.ts';
import { ORIGIN_BLOCKS } from './origins.ts';
import { PREFLIGHT_CACHE_BLOCKS } from './preflight-cache.ts';
import { PREFLIGHT_BLOCKS } from './preflight.ts';
import { REDIRECT_BLOCKS } from './redirects.ts';
import { SIMPLE_BLOCKS } from './simple.ts';
import { blockCases, type Block } from './shared.ts';

export const MATRIX_BLOCKS: readonly Block[] = [
  ...SIMPLE_BLOCKS,
  ...PREFLIGHT_BLOCKS,
  ...CREDENTIALS_BLOCKS,
  ...EXPOSURE_BLOCKS,
  ...PREFLIGHT_CACHE_BLOCKS,
  ...REDIRECT_BLOCKS,
  ...ORIGIN_BLOCKS,
  ...INITIATOR_BLOCKS,
  ...CORP_BLOCKS,
  ...MIME_BLOCKS,
  ...MIXED_CONTENT_BLOCKS,
  ...BAD_PORT_BLOCKS,
];

/** Every generated case, then the standard's examples; the same list in the same order on every call. */
export function generateMatrix(): CorsCase[] {
  return [...MATRIX_BLOCKS.flatMap(blockCases), ...STANDARD_CASES];
}
