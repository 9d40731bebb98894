// The per-token observation log: every request a server received for a token, in order.
// Cookie and authorization values never enter the log (reports must not leak them).
import type { IncomingHttpHeaders } from 'node:http';
import type { Header } from '../model/case.ts';
import type { ServerObservation } from '../model/results.ts';

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

function single(headers: IncomingHttpHeaders, name: string): string | null {
  const v = headers[name];
  if (v === undefined) return null;
  return Array.isArray(v) ? v.join(', ') : v;
}

export interface IncomingRequestFacts {
  host: string;
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  rawHeaders: string[];
  marker?: number;
}

export class ObservationLog {
  private readonly byToken = new Map<string, ServerObservation[]>();
  private seq = 0;

  record(token: string, req: IncomingRequestFacts): ServerObservation {
    const acrm = single(req.headers, 'access-control-request-method');
    const cookie = single(req.headers, 'cookie');
    const obs: ServerObservation = {
      seq: ++this.seq,
      at: Date.now(),
      host: req.host,
      method: req.method,
      path: req.path,
      preflight: req.method === 'OPTIONS' && acrm !== null,
      origin: single(req.headers, 'origin'),
      accessControlRequestMethod: acrm,
      accessControlRequestHeaders: single(req.headers, 'access-control-request-headers'),
      cookieNames: cookie ? cookie.split(';').map((p) => p.split('=')[0]?.trim() ?? '').filter(Boolean) : [],
      headers: redactHeaders(pairsFromRaw(req.rawHeaders)),
    };
    if (req.marker !== undefined) obs.marker = req.marker;
    let list = this.byToken.get(token);
    if (!list) this.byToken.set(token, (list = []));
    list.push(obs);
    return obs;
  }

  get(token: string): ServerObservation[] {
    return this.byToken.get(token) ?? [];
  }

  /** Returns and forgets the observations of these tokens (the runner collects in bulk). */
  take(tokens: string[]): Record<string, ServerObservation[]> {
    const out: Record<string, ServerObservation[]> = {};
    for (const t of tokens) {
      out[t] = this.get(t);
      this.byToken.delete(t);
    }
    return out;
  }
}
