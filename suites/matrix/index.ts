// The generated matrix (issue 3). Placeholder until the generator lands.
import type { CorsCase } from '../../model/case.ts';

export function generateMatrix(): CorsCase[] {
  return [];
}
