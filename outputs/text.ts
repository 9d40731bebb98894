// Text from outside the project made safe for each output it reaches. A target's bytes, a
// policy file or an OpenAPI document from a pull request, an engine's console: any of it may
// carry control characters (a fake terminal line, a broken XML file), markup or Markdown.
// Each output format has one function here, and every writer of that format uses it.

/** C0 controls but tab and newline, DEL, and the C1 controls (U+0080–U+009F, which some
 *  terminals read as escape sequences). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what this matches
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what this matches
const CONTROL_OR_NEWLINE = /[\u0000-\u001f\u007f-\u009f]/g;

/** A control character written as a visible escape: `\x1b`, `\r`, `\u009b`. */
function shown(c: string): string {
  if (c === '\n') return '\\n';
  if (c === '\r') return '\\r';
  if (c === '\t') return '\\t';
  const code = c.charCodeAt(0);
  return code <= 0x7f ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Whether a string holds a control character (tab and newline aside). */
export function hasControlCharacter(s: string): boolean {
  return new RegExp(CONTROL.source).test(s);
}

/** One line of terminal output (and a Playwright test title): every control character, newline
 *  included, shown as an escape, so untrusted text can neither move the cursor, colour the
 *  screen nor start a line of its own. */
export function terminalText(s: string): string {
  return s.replace(CONTROL_OR_NEWLINE, shown);
}

/** Text in an HTML element or a quoted attribute value. Control characters are shown as
 *  escapes too: they have no place in a page and some are not allowed in HTML at all. */
export function htmlText(s: string): string {
  return s.replace(CONTROL, shown).replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Text in an XML element or attribute (JUnit). XML 1.0 cannot carry most control characters
 *  even escaped, so they are shown as escapes; markup characters become references. */
export function xmlText(s: string): string {
  return s
    .replace(CONTROL, shown)
    .replace(/[\ud800-\udfff]/g, (c, i: number, all: string) => {
      // A lone surrogate is not a character XML can hold; a pair is kept.
      const code = c.charCodeAt(0);
      const next = all.charCodeAt(i + 1);
      const prev = all.charCodeAt(i - 1);
      const paired = code < 0xdc00 ? next >= 0xdc00 && next <= 0xdfff : prev >= 0xd800 && prev < 0xdc00;
      return paired ? c : '\\ufffd';
    })
    .replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c);
}

/** Text in a cell of a Markdown table, or in running Markdown text: no control characters, no
 *  line break, no pipe that ends the cell, and no character GitHub's renderer would turn into
 *  markup (HTML, emphasis, strikethrough, code, links, @-mentions, #-references, entities).
 *  Parentheses, braces, quotes, `+` and `!` stay as they are: with `[`, `<` and the line start
 *  out of reach they begin nothing, and the project's own sentences are full of them. */
export function markdownText(s: string): string {
  return s.replace(CONTROL_OR_NEWLINE, shown).replace(/[\\`*_[\]<>#|@~&]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Text in a Markdown code span: a span fenced by more backticks than the text holds in a row,
 *  so the text cannot close it, with no control character or line break inside. */
export function markdownCode(s: string): string {
  const text = s.replace(CONTROL_OR_NEWLINE, shown);
  const longest = Math.max(0, ...Array.from(text.matchAll(/`+/g), (m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') || text.startsWith(' ') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** Lines in a fenced Markdown code block: fenced by more backticks than the text holds in a
 *  row (three at least), so the text cannot close it, with control characters shown as escapes
 *  (line breaks kept). Nothing inside a fenced block is read as markup. */
export function markdownBlock(s: string): string {
  const text = s.replace(CONTROL, shown);
  const longest = Math.max(2, ...Array.from(text.matchAll(/`+/g), (m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}\n${text}\n${fence}`;
}

/** A value as JSON (a file, an attachment, `--json` on stdout). JSON.stringify already writes
 *  the C0 controls and lone surrogates as \u escapes; DEL, the C1 controls and the two line
 *  separators JavaScript treats as line breaks go the same way, so a `cat` of the file cannot
 *  drive the terminal. The value read back is the same. */
export function jsonText(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(/[\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
