// WebKitGTK's console, read through its remote Web Inspector. MiniBrowser under automation
// runs an ephemeral session, and WebCore prints no console message of an ephemeral page
// (not even with --enable-write-console-messages-to-stdout), while classic WebDriver has no
// console at all. A browser started with WEBKIT_INSPECTOR_SERVER=host:port listens there for
// inspector clients; WebKitWebDriver is one (the automation client, connected with
// --target), and this module is another: it attaches to the page and enables the Console
// domain, which gets every console message, the network ones with the request's URL.
//
// The socket protocol (WebKit's SocketConnection): each message is a 4-byte big-endian body
// size, a flags byte (1: the parameters are little-endian), the message name with a NUL, and
// the parameters as a serialized GVariant. The inspector protocol's JSON travels inside.
import { connect, type Socket } from 'node:net';

/** How the page reported one console message, in the Web Inspector protocol. */
interface ConsoleMessage {
  source: string;
  level: string;
  text: string;
  url?: string;
  line?: number;
  column?: number;
}

interface ProtocolMessage {
  id?: number;
  method?: string;
  params?: {
    targetInfo?: { targetId: string; isPaused?: boolean };
    targetId?: string;
    message?: string | ConsoleMessage;
  };
}

const LITTLE_ENDIAN = 1;

function frame(name: string, parameters: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(`${name}\0`, 'utf8'), parameters]);
  const header = Buffer.alloc(5);
  header.writeUInt32BE(body.length, 0);
  header[4] = LITTLE_ENDIAN;
  return Buffer.concat([header, body]);
}

function u64Pair(a: bigint, b: bigint): Buffer {
  const out = Buffer.alloc(16);
  out.writeBigUInt64LE(a, 0);
  out.writeBigUInt64LE(b, 8);
  return out;
}

/** The width of a GVariant container's framing offsets, from the container's size. */
function offsetWidth(size: number): number {
  return size <= 0xff ? 1 : size <= 0xffff ? 2 : 4;
}

function readOffset(data: Buffer, at: number, width: number): number {
  return width === 1 ? data.readUInt8(at) : width === 2 ? data.readUInt16LE(at) : data.readUInt32LE(at);
}

/** One remote inspector's connection id and its targets, from SetTargetList `(t@a(tsssb))`:
 *  each target is (id, type, name, url, has a local debugger). */
export function parseTargetList(data: Buffer): { connection: bigint; targets: Array<{ id: bigint; type: string; url: string }> } {
  const connection = data.readBigUInt64LE(0);
  const array = data.subarray(8);
  const targets: Array<{ id: bigint; type: string; url: string }> = [];
  if (array.length === 0) return { connection, targets };
  const width = offsetWidth(array.length);
  const tableStart = readOffset(array, array.length - width, width);
  const count = (array.length - tableStart) / width;
  let start = 0;
  for (let i = 0; i < count; i++) {
    const end = readOffset(array, tableStart + i * width, width);
    const element = array.subarray(start, end);
    // (t s s s b): the three strings follow the id one after another, NUL-terminated.
    const strings: string[] = [];
    let at = 8;
    for (let s = 0; s < 3; s++) {
      const nul = element.indexOf(0, at);
      strings.push(element.subarray(at, nul).toString('utf8'));
      at = nul + 1;
    }
    targets.push({ id: element.readBigUInt64LE(0), type: strings[0] ?? '', url: strings[2] ?? '' });
    start = (end + 7) & ~7;
  }
  return { connection, targets };
}

const SOURCE_NAMES: Record<string, string> = { javascript: 'JS', 'console-api': 'CONSOLE', 'content-blocker': 'CONTENTBLOCKER' };
const LEVEL_NAMES: Record<string, string> = { warning: 'WARN' };

/** A console message as WebKit itself prints one with --enable-write-console-messages-to-stdout
 *  (`url:line:column: CONSOLE SOURCE LEVEL text`), e.g.
 *  `http://b.test/x?…: CONSOLE NETWORK ERROR Failed to load resource: Origin http://a.test is not allowed by Access-Control-Allow-Origin. Status code: 200`. */
export function consoleLine(m: ConsoleMessage): string {
  let where = '';
  if (m.url) {
    where = m.url;
    if (m.line) where += `:${m.line}${m.column ? `:${m.column}` : ''}`;
    where += ': ';
  }
  const source = SOURCE_NAMES[m.source] ?? m.source.toUpperCase();
  const level = LEVEL_NAMES[m.level] ?? m.level.toUpperCase();
  return `${where}CONSOLE ${source} ${level} ${m.text}`;
}

export interface InspectorConsole {
  /** Attaches to the browser's pages (once, after the first navigation gave them a web
   *  process: a page attached before that never answers); resolves when the page's console
   *  is enabled. */
  attach(): Promise<void>;
  close(): void;
}

/** How long attaching waits for the page to enable its console. */
const ATTACH_MS = 5000;

/**
 * Connects to the browser's inspector server before any automation client does: until one
 * does, the browser sends its target list to this client, which is how it learns the page's
 * target id (afterwards the lists go to the automation client only).
 */
export async function connectInspectorConsole(host: string, port: number, onLine: (line: string) => void, timeoutMs = 15_000): Promise<InspectorConsole> {
  const deadline = Date.now() + timeoutMs;
  let socket: Socket;
  for (;;) {
    try {
      socket = await new Promise<Socket>((resolve, reject) => {
        const s = connect(port, host);
        s.once('connect', () => resolve(s));
        s.once('error', reject);
      });
      break;
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`the browser's inspector server at ${host}:${port} did not answer: ${(err as Error).message}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const sock = socket;
  sock.on('error', () => {});
  let pages: { connection: bigint; ids: bigint[] } | null = null;
  let listed: () => void = () => {};
  const firstList = new Promise<void>((resolve) => {
    listed = resolve;
  });
  let nextId = 1;
  /** Console.enable commands not answered yet; the first answer means the console is on. */
  const enabling = new Set<number>();
  let enabled: () => void = () => {};
  const consoleOn = new Promise<void>((resolve) => {
    enabled = resolve;
  });
  const send = (name: string, parameters: Buffer) => {
    if (!sock.destroyed) sock.write(frame(name, parameters));
  };
  const toTarget = (connection: bigint, page: bigint, subTarget: string, command: { method: string; params?: object }) => {
    const id = nextId++;
    if (command.method === 'Console.enable') enabling.add(id);
    const inner = JSON.stringify({ id, ...command });
    const outer = JSON.stringify({ id: nextId++, method: 'Target.sendMessageToTarget', params: { targetId: subTarget, message: inner } });
    send('SendMessageToBackend', Buffer.concat([u64Pair(connection, page), Buffer.from(`${outer}\0`, 'utf8')]));
  };
  const onFrontendMessage = (connection: bigint, page: bigint, json: string) => {
    let m: ProtocolMessage;
    try {
      m = JSON.parse(json) as ProtocolMessage;
    } catch {
      return;
    }
    // The page's web process is a target of its own (a new one after a process swap).
    if (m.method === 'Target.targetCreated' && m.params?.targetInfo) {
      const sub = m.params.targetInfo.targetId;
      toTarget(connection, page, sub, { method: 'Console.enable' });
      if (m.params.targetInfo.isPaused) toTarget(connection, page, sub, { method: 'Target.resume' });
      return;
    }
    if (m.method === 'Target.dispatchMessageFromTarget' && typeof m.params?.message === 'string') {
      let inner: ProtocolMessage;
      try {
        inner = JSON.parse(m.params.message) as ProtocolMessage;
      } catch {
        return;
      }
      if (inner.id !== undefined && enabling.has(inner.id)) enabled();
      const message = inner.params?.message;
      if (inner.method === 'Console.messageAdded' && message && typeof message === 'object') onLine(consoleLine(message));
    }
  };
  let buffer = Buffer.alloc(0);
  sock.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    while (buffer.length >= 5) {
      const size = buffer.readUInt32BE(0);
      if (buffer.length < 5 + size) break;
      const littleEndian = (buffer[4] ?? 0) & LITTLE_ENDIAN;
      const body = buffer.subarray(5, 5 + size);
      buffer = buffer.subarray(5 + size);
      const nul = body.indexOf(0);
      const name = body.subarray(0, nul).toString('utf8');
      const parameters = body.subarray(nul + 1);
      if (!littleEndian) continue;
      if (name === 'SetTargetList' && pages === null && parameters.length >= 8) {
        const list = parseTargetList(parameters);
        const ids = list.targets.filter((t) => t.type === 'WebPage').map((t) => t.id);
        if (ids.length) {
          pages = { connection: list.connection, ids };
          listed();
        }
      } else if (name === 'SendMessageToFrontend' && parameters.length > 16) {
        const connection = parameters.readBigUInt64LE(0);
        const page = parameters.readBigUInt64LE(8);
        onFrontendMessage(connection, page, parameters.subarray(16, parameters.length - 1).toString('utf8'));
      }
    }
  });
  // An empty hash: the server answers with its protocol description, which is not needed.
  send('SetupInspectorClient', Buffer.from([0]));
  const remaining = Math.max(1000, deadline - Date.now());
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), remaining);
  });
  const outcome = await Promise.race([firstList.then(() => 'listed' as const), timedOut]);
  clearTimeout(timer);
  if (outcome === 'timeout') {
    sock.destroy();
    throw new Error(`the browser's inspector server at ${host}:${port} listed no page`);
  }
  let attached: Promise<void> | null = null;
  return {
    attach: () => {
      if (!attached) {
        const list = pages;
        if (list) for (const id of list.ids) send('Setup', u64Pair(list.connection, id));
        attached = Promise.race([consoleOn, new Promise<void>((resolve) => setTimeout(resolve, ATTACH_MS).unref())]);
      }
      return attached;
    },
    close: () => {
      sock.destroy();
    },
  };
}
