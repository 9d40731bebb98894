// The JavaScript literals DevTools' "Copy as fetch" writes: strings in either quote, numbers,
// true/false/null/undefined, objects with quoted or bare keys, arrays, trailing commas and
// comments. Read, never evaluated: a capture is untrusted text, and anything beyond literals
// (a call, a variable, a template with a substitution) is refused with where it stands.
import { CaptureError } from './errors.ts';

export type Literal = string | number | boolean | null | undefined | Literal[] | LiteralObject;
export interface LiteralObject {
  readonly kind: 'object';
  /** In the order written; a key written twice keeps its last value, as JavaScript does. */
  readonly entries: ReadonlyMap<string, Literal>;
}

/** Nesting deeper than any capture has: a guard against input built to exhaust the stack. */
const MAX_DEPTH = 16;

export class LiteralReader {
  pos = 0;
  constructor(
    readonly text: string,
    private readonly what: string,
  ) {}

  fail(message: string, at = this.pos): never {
    const line = this.text.slice(0, at).split('\n').length;
    throw new CaptureError(`${this.what}, line ${line}: ${message}`);
  }

  skipSpace(): void {
    for (;;) {
      const rest = this.text.slice(this.pos);
      const m = /^(?:\s+|\/\/[^\n]*|\/\*[\s\S]*?\*\/)/.exec(rest);
      if (!m?.[0]) return;
      this.pos += m[0].length;
    }
  }

  /** Consumes `token` (after spaces) if it comes next. */
  eat(token: string): boolean {
    this.skipSpace();
    if (this.text.startsWith(token, this.pos)) {
      this.pos += token.length;
      return true;
    }
    return false;
  }

  expect(token: string, context: string): void {
    if (!this.eat(token)) this.fail(`expected "${token}" ${context}, found ${this.found()}`);
  }

  found(): string {
    const c = this.text.slice(this.pos, this.pos + 12);
    return c ? JSON.stringify(c.length === 12 ? `${c}…` : c) : 'the end of the text';
  }

  value(depth = 0): Literal {
    if (depth > MAX_DEPTH) this.fail(`nested more than ${MAX_DEPTH} levels deep; no DevTools copy is`);
    this.skipSpace();
    const c = this.text[this.pos];
    if (c === '"' || c === "'" || c === '`') return this.string();
    if (c === '{') return this.object(depth);
    if (c === '[') return this.array(depth);
    const word = /^(?:-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|true|false|null|undefined)(?![\w$])/.exec(this.text.slice(this.pos));
    if (word) {
      this.pos += word[0].length;
      const w = word[0];
      return w === 'true' ? true : w === 'false' ? false : w === 'null' ? null : w === 'undefined' ? undefined : Number(w);
    }
    return this.fail(`expected a literal (a string, a number, an object), found ${this.found()}; only literals are read, never code`);
  }

  string(): string {
    const quote = this.text[this.pos];
    const start = this.pos;
    this.pos++;
    let out = '';
    for (;;) {
      const c = this.text[this.pos];
      if (c === undefined) this.fail('a string that never ends', start);
      this.pos++;
      if (c === quote) return out;
      if (quote === '`' && c === '$' && this.text[this.pos] === '{') this.fail('a template with a $' + '{…} substitution is code, not a literal', this.pos - 1);
      if (c === '\n' && quote !== '`') this.fail('a line break inside a quoted string', this.pos - 1);
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = this.text[this.pos++];
      switch (e) {
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'v':
          out += '\v';
          break;
        case '0':
          out += '\0';
          break;
        case '\n':
          break;
        case 'x': {
          const h = this.text.slice(this.pos, this.pos + 2);
          if (!/^[0-9a-fA-F]{2}$/.test(h)) this.fail('\\x needs two hex digits');
          out += String.fromCharCode(Number.parseInt(h, 16));
          this.pos += 2;
          break;
        }
        case 'u': {
          const braced = /^\{([0-9a-fA-F]{1,6})\}/.exec(this.text.slice(this.pos));
          const plain = /^[0-9a-fA-F]{4}/.exec(this.text.slice(this.pos));
          const hex = braced?.[1] ?? plain?.[0];
          if (!hex) this.fail('\\u needs four hex digits or {…}');
          const cp = Number.parseInt(hex, 16);
          if (cp > 0x10ffff) this.fail('\\u{…} beyond U+10FFFF');
          out += String.fromCodePoint(cp);
          this.pos += (braced?.[0] ?? hex).length;
          break;
        }
        case undefined:
          this.fail('a string that never ends', start);
          break;
        default:
          out += e;
      }
    }
  }

  private key(): string {
    this.skipSpace();
    const c = this.text[this.pos];
    if (c === '"' || c === "'") return this.string();
    const bare = /^[A-Za-z_$][\w$]*/.exec(this.text.slice(this.pos));
    if (!bare) this.fail(`expected a property name, found ${this.found()}`);
    this.pos += bare[0].length;
    return bare[0];
  }

  private object(depth: number): LiteralObject {
    this.pos++;
    const entries = new Map<string, Literal>();
    for (;;) {
      if (this.eat('}')) return { kind: 'object', entries };
      if (this.eat('...')) this.fail('a spread (...) is code, not a literal');
      const k = this.key();
      this.expect(':', `after the property "${k}"`);
      entries.set(k, this.value(depth + 1));
      if (this.eat('}')) return { kind: 'object', entries };
      this.expect(',', 'between properties');
    }
  }

  private array(depth: number): Literal[] {
    this.pos++;
    const out: Literal[] = [];
    for (;;) {
      if (this.eat(']')) return out;
      out.push(this.value(depth + 1));
      if (this.eat(']')) return out;
      this.expect(',', 'between array items');
    }
  }
}

export function isLiteralObject(v: Literal): v is LiteralObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
