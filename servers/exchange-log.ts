// The proxy's per-token log of exchanges, in arrival order. The probe pipeline takes a chunk's
// exchanges in bulk once the page has reported, and the log forgets them then.
import type { IncomingMessage } from 'node:http';
import { PROBE_TOKEN_PARAM, type WireExchange } from '../model/wire.ts';
import { NO_SECRETS, pairsFromRaw, redactHeaders, type Secrets } from './redact.ts';

export class ExchangeLog {
  private readonly byToken = new Map<string, WireExchange[]>();
  private seq = 0;

  /** Adds an exchange under `token`, numbered in arrival order; returns it for the response to fill in. */
  record(token: string, exchange: Omit<WireExchange, 'seq'>): WireExchange {
    const e: WireExchange = { seq: ++this.seq, ...exchange };
    const list = this.byToken.get(token);
    if (list) list.push(e);
    else this.byToken.set(token, [e]);
    return e;
  }

  /** Opens the exchange of a request to `target` under its probe token, with its headers
   *  redacted; null for a request that carries no token (nothing to log it under). */
  recordRequest(target: URL, req: IncomingMessage, secrets: Secrets = NO_SECRETS): WireExchange | null {
    const token = target.searchParams.get(PROBE_TOKEN_PARAM);
    if (token === null) return null;
    return this.record(token, {
      at: Date.now(),
      origin: target.origin,
      method: req.method ?? 'GET',
      path: target.pathname + target.search,
      requestHeaders: redactHeaders(pairsFromRaw(req.rawHeaders), secrets),
      status: null,
      responseHeaders: [],
    });
  }

  /** The exchanges of a token so far, left in the log. */
  peek(token: string): readonly WireExchange[] {
    return this.byToken.get(token) ?? [];
  }

  /** Returns and forgets the exchanges of these tokens. */
  take(tokens: readonly string[]): Map<string, WireExchange[]> {
    const out = new Map<string, WireExchange[]>();
    for (const t of tokens) {
      out.set(t, this.byToken.get(t) ?? []);
      this.byToken.delete(t);
    }
    return out;
  }
}
