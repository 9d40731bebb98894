// Cookie and authorization values never enter a log or a report: names stay, values go.
import type { Header } from '../model/case.ts';

const SECRET_HEADERS = new Set(['cookie', 'authorization', 'proxy-authorization', 'set-cookie']);

export function redactValue(name: string, value: string): string {
  const lower = name.toLowerCase();
  if (lower === 'cookie') {
    return value
      .split(';')
      .map((pair) => `${pair.split('=')[0]?.trim() ?? ''}=<redacted>`)
      .join('; ');
  }
  if (lower === 'set-cookie') return `${value.split('=')[0] ?? ''}=<redacted>`;
  if (SECRET_HEADERS.has(lower)) {
    const scheme = value.split(' ')[0];
    return scheme && scheme !== value ? `${scheme} <redacted>` : '<redacted>';
  }
  return value;
}

export function redactHeaders(headers: Header[]): Header[] {
  return headers.map(([name, value]) => [name, redactValue(name, value)]);
}

/** Node's raw header array (name, value, name, value…) as a header list. */
export function pairsFromRaw(raw: string[]): Header[] {
  const out: Header[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i] as string, raw[i + 1] as string]);
  return out;
}
