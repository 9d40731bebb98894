// The words an explanation is written in, shared by the terminal and the explanation's page:
// what a capture was, and one server change as a sentence.
import type { CaptureInfo } from '../explain/capture/request.ts';
import type { ServerChange } from '../explain/explain.ts';

export const CAPTURE_FORMATS: Record<CaptureInfo['format'], string> = {
  fetch: 'DevTools\' "Copy as fetch"',
  'fetch-node': 'DevTools\' "Copy as fetch (Node.js)"',
  'curl-bash': 'DevTools\' "Copy as cURL" (bash)',
  'curl-cmd': 'DevTools\' "Copy as cURL" (Windows command prompt)',
  har: 'a HAR file',
};

/** Whose DevTools wrote a capture, by its shape. */
export const CAPTURE_SHAPES: Record<NonNullable<CaptureInfo['shape']>, string> = { chromium: 'Chromium', firefox: 'Firefox', webkit: 'Safari' };

/** One server change as a sentence. */
export function changeLine(c: ServerChange): string {
  const where = c.response === 'preflight' ? 'on the preflight response (OPTIONS)' : 'on the actual response';
  if (c.status !== undefined) return `${where}: answer with status ${c.status}`;
  const [n, v] = c.header ?? ['', ''];
  return `${where}: ${n}: ${v}`;
}
