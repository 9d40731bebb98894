// The one way this project writes HTML: the `html` tagged template. Every interpolated value is
// escaped for text and for quoted attribute values, unless it is itself the result of `html`
// (or of `raw`, for markup this project wrote, such as an inlined stylesheet or bundled script).
// Arrays are joined, and null, undefined and false render as nothing, so a page is written as
// one template with nested ones:
//
//   html`<ul>${items.map((i) => html`<li title="${i.title}">${i.name}</li>`)}</ul>`
//
// Untrusted text (a target's headers, a policy's paths, an engine's console) goes in as a plain
// string and comes out inert: no element, no attribute break-out, no control character.
import { htmlText } from './text.ts';

const SAFE = Symbol('safe html');

/** Markup that is already safe: made by `html` or declared by `raw`. */
export interface SafeHtml {
  readonly [SAFE]: true;
  readonly markup: string;
  toString(): string;
}

/** `false` writes nothing, for conditional fragments; a boolean meant to show is written as
 *  text (`String(b)`), since as a value its `false` would vanish: `true` is not accepted. */
type Interpolation = SafeHtml | string | number | false | null | undefined | readonly Interpolation[];

function safe(markup: string): SafeHtml {
  return { [SAFE]: true, markup, toString: () => markup };
}

function isSafe(v: unknown): v is SafeHtml {
  return typeof v === 'object' && v !== null && SAFE in v;
}

function render(v: Interpolation): string {
  if (v === null || v === undefined || v === false) return '';
  if (Array.isArray(v)) return v.map(render).join('');
  if (isSafe(v)) return v.markup;
  return htmlText(String(v));
}

export function html(strings: TemplateStringsArray, ...values: Interpolation[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += render(v) + (strings[i + 1] ?? '');
  });
  return safe(out);
}

/** Markup this project wrote itself (a bundled script, a stylesheet), passed through unescaped.
 *  Never call it on text that came from a target, a policy, a document or an engine. */
export function raw(markup: string): SafeHtml {
  return safe(markup);
}

/** A whole document: `<!doctype html>` and the page. */
export function htmlDocument(page: SafeHtml): string {
  return `<!doctype html>\n${page.markup}`;
}

/** A URL for an `href`: an http(s) URL or one relative to the page, as given; any other scheme
 *  (`javascript:`, `data:`) becomes `#`. Escaping keeps a URL inside its attribute, not from
 *  running code when followed, and a results file or a target may hold any string. Browsers
 *  drop leading spaces from a URL, so the scheme is read after them. */
export function href(url: string): string {
  const scheme = /^[\s]*([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  return scheme === undefined || scheme === 'http' || scheme === 'https' ? url : '#';
}
