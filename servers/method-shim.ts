// Node's HTTP parser knows a fixed list of methods and answers 400 to any other, before any
// handler runs: `CHICKEN`, `patch` and `pAtCh` are legal methods that browsers send as they
// are (Fetch only normalizes DELETE, GET, HEAD, OPTIONS, POST and PUT), and CORS tests need
// them (WPT cors-preflight.any.js). This stream sits between a connection and the parser:
// it frames each HTTP/1.1 request, and when the method is one the parser would refuse it
// sends POST instead, with the real method in a header the proxy restores and removes
// before anything else sees the request. It also percent-encodes the bytes of a request
// target that the parser refuses but browsers send (encodeTarget).
import { METHODS } from 'node:http';
import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';

export const ORIGINAL_METHOD_HEADER = 'x-cc-original-method';
const KNOWN = new Set(METHODS);
const HEAD_END = Buffer.from('\r\n\r\n');
/** A request head larger than this is passed on untouched, for the parser to refuse. */
const MAX_HEAD = 64 * 1024;

/**
 * Bytes some engines send raw in a request target (a host such as app.example.com`.evil.test
 * in CONNECT) that Node's parser refuses; percent-encoded, the URL parser reads them back.
 */
const UNPARSABLE_IN_TARGET = /["`{}|\\^<>]/g;

/** The request line with its target's unparsable bytes percent-encoded. */
function encodeTarget(line: string): string {
  const first = line.indexOf(' ');
  const last = line.lastIndexOf(' ');
  if (first < 0 || last <= first) return line;
  const target = line.slice(first + 1, last).replace(UNPARSABLE_IN_TARGET, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${line.slice(0, first + 1)}${target}${line.slice(last)}`;
}

type State = { kind: 'head' } | { kind: 'body'; remaining: number } | { kind: 'raw' };

export class MethodShim extends Duplex {
  private state: State = { kind: 'head' };
  private pending: Buffer = Buffer.alloc(0);
  private readonly onData = (chunk: Buffer) => this.frame(chunk);
  private readonly onEnd = () => this.push(null);
  private readonly onError = (err: Error) => this.destroy(err);
  private readonly onClose = () => this.destroy();

  constructor(readonly inner: Socket) {
    super();
    // Node's HTTP server sets no-delay on sockets it owns; behind this stream it cannot, and
    // Nagle's algorithm with delayed ACKs then costs 40 ms per response.
    inner.setNoDelay(true);
    inner.on('data', this.onData);
    inner.on('end', this.onEnd);
    inner.on('error', this.onError);
    inner.on('close', this.onClose);
  }

  get remoteAddress(): string | undefined {
    return this.inner.remoteAddress;
  }
  get remotePort(): number | undefined {
    return this.inner.remotePort;
  }
  setTimeout(ms: number, cb?: () => void): this {
    this.inner.setTimeout(ms, cb);
    return this;
  }
  setNoDelay(noDelay?: boolean): this {
    this.inner.setNoDelay(noDelay);
    return this;
  }
  setKeepAlive(enable?: boolean, delay?: number): this {
    this.inner.setKeepAlive(enable, delay);
    return this;
  }

  /** Hands the connection back untouched from here on (after CONNECT, for TLS). */
  detach(): Socket {
    this.inner.off('data', this.onData);
    this.inner.off('end', this.onEnd);
    this.inner.off('error', this.onError);
    this.inner.off('close', this.onClose);
    return this.inner;
  }

  override _read(): void {}

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.inner.write(chunk, cb);
  }

  override _final(cb: (err?: Error | null) => void): void {
    this.inner.end(() => cb());
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    this.inner.destroy();
    cb(err);
  }

  private frame(chunk: Buffer): void {
    let data: Buffer = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = Buffer.alloc(0);
    while (data.length) {
      if (this.state.kind === 'raw') {
        this.push(data);
        return;
      }
      if (this.state.kind === 'body') {
        const n = Math.min(this.state.remaining, data.length);
        this.push(data.subarray(0, n));
        data = data.subarray(n);
        this.state = this.state.remaining - n > 0 ? { kind: 'body', remaining: this.state.remaining - n } : { kind: 'head' };
        continue;
      }
      const end = data.indexOf(HEAD_END);
      if (end < 0) {
        if (data.length > MAX_HEAD) {
          this.state = { kind: 'raw' };
          continue;
        }
        this.pending = data;
        return;
      }
      const head = data.subarray(0, end + HEAD_END.length);
      data = data.subarray(end + HEAD_END.length);
      this.push(this.rewrite(head));
    }
  }

  private rewrite(head: Buffer): Buffer {
    const text = head.toString('latin1');
    const lineEnd = text.indexOf('\r\n');
    const method = text.slice(0, text.indexOf(' '));
    const lower = text.toLowerCase();
    const length = /\r\ncontent-length:[ \t]*(\d+)/.exec(lower);
    if (method === 'CONNECT' || /\r\nupgrade:/.test(lower) || /\r\ntransfer-encoding:/.test(lower)) {
      // After CONNECT come TLS bytes, after an upgrade another protocol's; a chunked body
      // cannot be framed here. Pass the rest on.
      this.state = { kind: 'raw' };
    } else if (length) {
      const n = Number(length[1]);
      if (n > 0) this.state = { kind: 'body', remaining: n };
    }
    const line = encodeTarget(text.slice(0, lineEnd));
    const rest = text.slice(lineEnd);
    if (KNOWN.has(method) || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(method)) {
      return line.length === lineEnd ? head : Buffer.from(line + rest, 'latin1');
    }
    return Buffer.from(`POST${line.slice(method.length)}\r\n${ORIGINAL_METHOD_HEADER}: ${method}${rest}`, 'latin1');
  }
}
