// WebSocket handshakes on the fixture origins, answered by the proxy itself with the `ws`
// library: the browser's opening handshake is logged like any other request of its probe (the
// Origin it carried, cookies redacted), and the response recipe's status and header lines are
// the answer. Status 200 or 101 accepts the connection with a 101 that also carries the
// recipe's headers (an Access-Control-Allow-Origin that names another origin shows that
// browsers do not check it); any other status refuses the handshake with that response.
import { type IncomingMessage, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { Header } from '../model/case.ts';
import type { WireExchange } from '../model/wire.ts';
import type { ExchangeLog } from './exchange-log.ts';
import { parseWireResponse, RecipeError, type WireRecipe } from './recipe.ts';
import { redactHeaders } from './redact.ts';

/** Writes a plain HTTP response on a connection that asked to upgrade, and closes it. */
export function refuseUpgrade(socket: Duplex, status: number, headers: Header[], body: string): void {
  const bytes = Buffer.from(body);
  const lines = [`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Unknown'}`, ...headers.map(([n, v]) => `${n}: ${v}`)];
  lines.push(`Content-Length: ${bytes.length}`, 'Connection: close', 'Cache-Control: no-store');
  socket.end(Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), bytes]));
}

/** Header lines a recipe may put on a handshake answer: no line breaks, which would forge lines. */
function safeLines(recipe: WireRecipe): Header[] | null {
  return recipe.headers.some(([n, v]) => /[\r\n]/.test(n) || /[\r\n]/.test(v)) ? null : recipe.headers;
}

interface Pending {
  extra: Header[];
  exchange: WireExchange | null;
}

export class WebSocketHandshakes {
  private readonly server = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  private readonly pending = new WeakMap<IncomingMessage, Pending>();

  constructor() {
    this.server.on('headers', (lines, req) => {
      const p = this.pending.get(req);
      if (!p) return;
      for (const [n, v] of p.extra) lines.push(`${n}: ${v}`);
      if (p.exchange) {
        p.exchange.status = 101;
        p.exchange.responseHeaders = redactHeaders(
          lines.slice(1).map((l): Header => {
            const colon = l.indexOf(':');
            return [l.slice(0, colon), l.slice(colon + 1).trim()];
          }),
        );
      }
    });
  }

  /** Answers one opening handshake for `target` (an http(s) URL carrying a fixture recipe). */
  answer(target: URL, req: IncomingMessage, socket: Duplex, head: Buffer, log: ExchangeLog): void {
    socket.on('error', () => socket.destroy());
    const exchange = log.recordRequest(target, req);
    const refuse = (status: number, headers: Header[], body: string) => {
      if (exchange) {
        exchange.status = status;
        exchange.responseHeaders = redactHeaders(headers);
      }
      refuseUpgrade(socket, status, headers, body);
    };
    if ((req.headers.upgrade ?? '').toLowerCase() !== 'websocket') {
      refuse(400, [['Content-Type', 'text/plain']], `cors-conformance proxy: only WebSocket upgrades are answered, not ${req.headers.upgrade}`);
      return;
    }
    let recipe: WireRecipe;
    try {
      recipe = parseWireResponse(target.searchParams).actual;
    } catch (err) {
      if (!(err instanceof RecipeError)) throw err;
      refuse(400, [['Content-Type', 'text/plain']], `bad fixture recipe: ${err.message}`);
      return;
    }
    const extra = safeLines(recipe);
    if (extra === null) {
      refuse(400, [['Content-Type', 'text/plain']], 'bad fixture recipe: a header line holds a line break');
      return;
    }
    if (recipe.status !== 200 && recipe.status !== 101) {
      refuse(recipe.status, extra, recipe.body);
      return;
    }
    this.pending.set(req, { extra, exchange });
    this.server.handleUpgrade(req, socket, head, (ws) => {
      // Nothing is said on the connection: the page closes it once it has seen it open.
      ws.on('error', () => ws.terminate());
    });
  }

  /** Ends every open connection. */
  close(): void {
    for (const ws of this.server.clients) ws.terminate();
    this.server.close();
  }
}
