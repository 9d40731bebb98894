// The one HTML helper and the per-format text functions: untrusted text comes out inert in
// every format, and nothing else is changed.
import { test, expect } from '@playwright/test';
import { html, htmlDocument, raw } from '../../outputs/html.ts';
import { hasControlCharacter, markdownCode, markdownText, terminalText, xmlText } from '../../outputs/text.ts';

const HOSTILE = 'a<script>alert(1)</script>"\'`&\u001b[32mALL CHECKS PASSED\u001b[0m\r\u0007\u009b@team #1 |x|';

test('html escapes every interpolated string, in text and in quoted attributes', () => {
  const page = html`<p title="${HOSTILE}">${HOSTILE}</p>`.markup;
  expect(page).not.toContain('<script>');
  expect(page).not.toMatch(/title="[^"]*"[^>]/);
  expect(hasControlCharacter(page)).toBe(false);
  expect(page).toContain('&#60;script&#62;');
});

test('html nests, joins arrays, drops null, undefined and false, and passes raw markup through', () => {
  const items = ['<a>', 'b'];
  const out = html`<ul>${items.map((i) => html`<li>${i}</li>`)}${null}${undefined}${false}${0}</ul>${raw('<style>p{}</style>')}`;
  expect(out.markup).toBe('<ul><li>&#60;a&#62;</li><li>b</li>0</ul><style>p{}</style>');
  expect(htmlDocument(html`<html></html>`)).toBe('<!doctype html>\n<html></html>');
});

test('terminal text shows every control character as an escape, newlines included', () => {
  const t = terminalText(HOSTILE);
  expect(hasControlCharacter(t) || t.includes('\n')).toBe(false);
  expect(t).toContain('\\x1b[32mALL CHECKS PASSED');
  expect(t).toContain('\\r\\x07\\u009b');
  expect(terminalText('plain text, café')).toBe('plain text, café');
});

test('xml text holds no control character and no markup', () => {
  const x = xmlText(`${HOSTILE}\ud800`);
  expect(hasControlCharacter(x)).toBe(false);
  expect(x).not.toMatch(/[<>]/);
  expect(x).toContain('&lt;script&gt;');
  expect(x).toContain('\\ufffd');
  expect(xmlText('😀')).toBe('😀');
});

test('markdown text cannot end a table cell, mention anyone or write HTML', () => {
  const m = markdownText(HOSTILE);
  expect(m.replace(/&#\d+;/g, '')).not.toMatch(/[<>|@#`\n\r]/);
  expect(markdownText('/api/items')).toBe('/api/items');
});

test('a markdown code span cannot be closed by the text inside it', () => {
  expect(markdownCode('/api/items')).toBe('`/api/items`');
  const span = markdownCode('/a`</code><img src=x>`b');
  expect(span.startsWith('``')).toBe(true);
  expect(span.endsWith('``')).toBe(true);
  expect(span.slice(2, -2)).not.toMatch(/``/);
  expect(markdownCode('`x')).toBe('`` `x ``');
  expect(markdownCode('a\nb')).toBe('`a\\nb`');
});
