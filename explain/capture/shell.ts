// The two shells DevTools' "Copy as cURL" writes for: POSIX sh/bash (single quotes, $'…'
// ANSI-C quoting for control characters, backslash-newline continuations) and the Windows
// command prompt (cmd.exe's ^ escapes and ^-newline continuations, then the C runtime's
// splitting of the command line into arguments, with "…" and \" ). The words are read as the
// shell would read them, and never run: anything a shell would expand ($VAR, $(…), `…`, a
// pipe, a redirection) is refused, so that what is read is what the text literally says.
import { CaptureError } from './errors.ts';

const where = (text: string, at: number) => `line ${text.slice(0, at).split('\n').length}`;

/** The words of a bash command line. */
export function bashWords(text: string): string[] {
  const words: string[] = [];
  let word: string | null = null;
  let i = 0;
  const add = (s: string) => {
    word = (word ?? '') + s;
  };
  const unsafe = (what: string) => {
    throw new CaptureError(
      `the cURL command, ${where(text, i)}: ${what} would make the shell run or expand something`,
      'copy it again from DevTools, unedited',
    );
  };
  while (i < text.length) {
    const c = text[i] as string;
    if (c === '\\' && (text[i + 1] === '\n' || (text[i + 1] === '\r' && text[i + 2] === '\n'))) {
      i += text[i + 1] === '\r' ? 3 : 2;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      if (word !== null) words.push(word);
      word = null;
      i++;
      continue;
    }
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) throw new CaptureError(`the cURL command, ${where(text, i)}: a quote (') that never closes`, 'copy the whole command');
      add(text.slice(i + 1, end));
      i = end + 1;
      continue;
    }
    if (c === '$' && text[i + 1] === "'") {
      i += 2;
      add(ansiC());
      continue;
    }
    if (c === '"') {
      i++;
      let s = '';
      for (;;) {
        const d = text[i];
        if (d === undefined) throw new CaptureError(`the cURL command: a quote (") that never closes`, 'copy the whole command');
        if (d === '"') break;
        if (d === '$' || d === '`') unsafe(`"${d}" inside double quotes`);
        if (d === '\\' && ['"', '\\', '$', '`', '\n'].includes(text[i + 1] ?? '')) {
          if (text[i + 1] !== '\n') s += text[i + 1];
          i += 2;
          continue;
        }
        s += d;
        i++;
      }
      add(s);
      i++;
      continue;
    }
    if (c === '\\') {
      add(text[i + 1] ?? '');
      i += 2;
      continue;
    }
    if ('$`|&;<>()'.includes(c)) unsafe(`"${c}" outside quotes`);
    add(c);
    i++;
  }
  if (word !== null) words.push(word);
  return words;

  // $'…': the escapes bash expands there.
  function ansiC(): string {
    let s = '';
    for (;;) {
      const d = text[i];
      if (d === undefined) throw new CaptureError(`the cURL command: a $'…' string that never closes`, 'copy the whole command');
      if (d === "'") {
        i++;
        return s;
      }
      if (d !== '\\') {
        s += d;
        i++;
        continue;
      }
      const e = text[i + 1] ?? '';
      i += 2;
      const simple: Record<string, string> = {
        n: '\n',
        r: '\r',
        t: '\t',
        a: '\x07',
        b: '\b',
        e: '\x1b',
        E: '\x1b',
        f: '\f',
        v: '\v',
        '\\': '\\',
        "'": "'",
        '"': '"',
        '?': '?',
      };
      if (e in simple) {
        s += simple[e];
        continue;
      }
      const hex =
        e === 'x'
          ? /^[0-9a-fA-F]{1,2}/.exec(text.slice(i))
          : e === 'u'
            ? /^[0-9a-fA-F]{1,4}/.exec(text.slice(i))
            : e === 'U'
              ? /^[0-9a-fA-F]{1,8}/.exec(text.slice(i))
              : null;
      if (hex) {
        const cp = Number.parseInt(hex[0], 16);
        if (cp > 0x10ffff) throw new CaptureError(`the cURL command, ${where(text, i)}: \\${e}${hex[0]} is beyond Unicode`);
        s += e === 'x' ? String.fromCharCode(cp) : String.fromCodePoint(cp);
        i += hex[0].length;
        continue;
      }
      const oct = /^[0-7]{1,3}/.exec(e + text.slice(i, i + 2));
      if (oct) {
        s += String.fromCharCode(Number.parseInt(oct[0], 8) & 0xff);
        i += oct[0].length - 1;
        continue;
      }
      s += `\\${e}`;
    }
  }
}

/** The words of a Windows command-prompt command line: cmd.exe's pass, then the C runtime's. */
export function cmdWords(text: string): string[] {
  // cmd.exe: ^ takes the next character literally; ^ before a line break joins the lines and
  // takes the first character of the next line literally (so ^ + two line breaks is one line
  // break kept). Inside an unescaped "…" pair, ^ is an ordinary character.
  let line = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '"') {
      quoted = !quoted;
      line += c;
      continue;
    }
    if (!quoted && c === '^') {
      let j = i + 1;
      if (text[j] === '\r' && text[j + 1] === '\n') j++;
      if (text[j] === '\n') {
        j++;
        if (text[j] === '\r' && text[j + 1] === '\n') j++;
      }
      const next = text[j];
      if (next === undefined) break;
      line += next;
      i = j;
      continue;
    }
    if (!quoted && '|&<>'.includes(c)) {
      throw new CaptureError(`the cURL command: "${c}" outside quotes would make the command prompt run something`, 'copy it again from DevTools, unedited');
    }
    if (!quoted && c === '%' && /^%[A-Za-z_][\w]*%/.test(text.slice(i))) {
      throw new CaptureError('the cURL command: %…% outside quotes would make the command prompt expand a variable', 'copy it again from DevTools, unedited');
    }
    line += c === '\r' || (c === '\n' && !quoted) ? ' ' : c;
  }
  // The C runtime: spaces split words outside "…"; 2n backslashes before a quote are n and the
  // quote toggles; 2n+1 are n and a literal quote; "" inside quotes is a literal quote.
  const words: string[] = [];
  let word: string | null = null;
  let inQuotes = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (c === '\\') {
      let n = 0;
      while (line[i + n] === '\\') n++;
      if (line[i + n] === '"') {
        word = (word ?? '') + '\\'.repeat(Math.floor(n / 2));
        i += n;
        if (n % 2 === 1) word += '"';
        else inQuotes = !inQuotes;
      } else {
        word = (word ?? '') + '\\'.repeat(n);
        i += n - 1;
      }
      continue;
    }
    if (c === '"') {
      if (inQuotes && line[i + 1] === '"') {
        word = `${word ?? ''}"`;
        i++;
        continue;
      }
      inQuotes = !inQuotes;
      word ??= '';
      continue;
    }
    if (!inQuotes && (c === ' ' || c === '\t')) {
      if (word !== null) words.push(word);
      word = null;
      continue;
    }
    word = (word ?? '') + c;
  }
  if (word !== null) words.push(word);
  return words;
}
