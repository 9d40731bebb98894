// Building the page from data: elements, text nodes and attributes only. Nothing here parses
// markup, so a title, header or console line from the results file is always text, whatever
// it holds.
export type Kid = Node | string | null | undefined | false | readonly Kid[];

type AttrValue = string | number | boolean | null | undefined;

/** `class` sets the class list, `text` the text content; any other name is an attribute
 *  (true: present and empty; null, undefined, false: absent). */
export type Attrs = Record<string, AttrValue>;

function appendKids(parent: ParentNode, kids: readonly Kid[]): void {
  for (const kid of kids) {
    if (kid === null || kid === undefined || kid === false) continue;
    if (typeof kid === 'string' || kid instanceof Node) parent.append(kid);
    else appendKids(parent, kid);
  }
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...kids: Kid[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    // Event handlers are added with addEventListener, never as attributes.
    if (k.startsWith('on')) throw new Error(`h(): ${k} is not an attribute this page sets`);
    if (k === 'class') el.className = String(v);
    else if (k === 'text') el.textContent = String(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  appendKids(el, kids);
  return el;
}

export function fragment(...kids: Kid[]): DocumentFragment {
  const frag = document.createDocumentFragment();
  appendKids(frag, kids);
  return frag;
}

/** Text in which `backticks` mark code. */
export function prose(text: string): DocumentFragment {
  return fragment(text.split('`').map((part, i) => (i % 2 ? h('code', { text: part }) : part)));
}

/** An element the page template always has (report/build.ts writes it), of the type it has there. */
export function el(id: string): HTMLElement;
export function el<T extends HTMLElement>(id: string, type: new () => T): T;
export function el<T extends HTMLElement>(id: string, type?: new () => T): HTMLElement {
  const found = document.getElementById(id);
  if (!found) throw new Error(`the report page has no #${id}`);
  const want = type ?? HTMLElement;
  if (!(found instanceof want)) throw new Error(`#${id} is a ${found.tagName}, not a ${want.name}`);
  return found;
}

export function fmt(n: number): string {
  return n.toLocaleString('en');
}

export function pct(n: number, of: number): string {
  return of ? `${Math.round((1000 * n) / of) / 10}%` : '–';
}

/** `§ section` for a link into a standard, the URL itself otherwise. */
export function anchorName(url: string): string {
  const i = url.indexOf('#');
  return i >= 0 ? `§ ${url.slice(i + 1)}` : url;
}

/** A link out of the report (a standard's section, an issue): only http and https URLs become
 *  links, anything else in the results file stays text. */
export function externalLink(url: string, text: string = anchorName(url)): HTMLElement {
  let scheme = '';
  try {
    scheme = new URL(url).protocol;
  } catch {
    // not a URL: shown as text
  }
  if (scheme !== 'http:' && scheme !== 'https:') return h('code', { text: url });
  return h('a', { href: url, target: '_blank', rel: 'noopener', text });
}

/** A definition list of facts; null entries are left out. */
export function dl(pairs: ReadonlyArray<readonly [string, Kid] | null>): HTMLDListElement {
  return h(
    'dl',
    { class: 'facts' },
    pairs.map((p) => (p ? [h('dt', { text: p[0] }), h('dd', {}, p[1])] : null)),
  );
}

/** A header row of column headings. */
export function headRow(labels: readonly string[]): HTMLTableSectionElement {
  return h(
    'thead',
    {},
    h(
      'tr',
      {},
      labels.map((t) => h('th', { scope: 'col', text: t })),
    ),
  );
}
