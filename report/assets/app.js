// The report page: renders the results file and the view report/build.ts computed beside
// it (both inlined as JSON in index.html). It decides nothing about CORS; it filters,
// pages and shows. Plain DOM, no framework, so it opens from disk in any browser.
(() => {
  /** @type {import('../view.ts').ReportData} */
  const DATA = JSON.parse(document.getElementById('cc-data')?.textContent ?? 'null');
  const R = DATA.results;
  const V = DATA.view;
  const CASES = R.cases;
  const ENGINES = V.summary.map((s) => s.engine);
  const TOPICS = V.topics.map((t) => t.id);
  /** What made each case's request: `fetch` unless the case names another initiator. */
  const kindOf = (c) => (c.request.initiator ? c.request.initiator.kind : 'fetch');
  const INITIATORS = [...new Set(CASES.map(kindOf))];
  const INDEX = new Map(CASES.map((c, i) => [c.id, i]));
  const PAGE_SIZE = 100;
  const LIST_CAP = 200;

  // ---- DOM helpers ---------------------------------------------------------------------

  function h(tag, attrs, ...kids) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') el.className = v;
      else if (k === 'text') el.textContent = v;
      else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v === true ? '' : String(v));
    }
    for (const kid of kids.flat()) if (kid !== null && kid !== undefined && kid !== false) el.append(kid);
    return el;
  }

  /** Text in which `backticks` mark code. */
  function prose(text) {
    const frag = document.createDocumentFragment();
    text.split('`').forEach((part, i) => {
      frag.append(i % 2 ? h('code', { text: part }) : part);
    });
    return frag;
  }

  function engineName(id) {
    const e = R.engines.find((x) => x.id === id);
    return e ? e.name : id;
  }

  function fmt(n) {
    return n.toLocaleString('en');
  }

  function pct(n, of) {
    return of ? Math.round((1000 * n) / of) / 10 + '%' : '–';
  }

  function anchorName(url) {
    const i = url.indexOf('#');
    return i >= 0 ? '§ ' + url.slice(i + 1) : url;
  }

  // ---- cells: readable without colour ----------------------------------------------------

  const STATUS = {
    agrees: { sym: '✓', label: 'agrees with the spec' },
    'expected-divergence': { sym: '≈', label: 'expected divergence (known)' },
    'new-divergence': { sym: '✗', label: 'new divergence from the spec' },
    'unexpected-agreement': { sym: '↺', label: 'unexpected agreement: a known divergence no longer shows' },
    error: { sym: '⚠', label: 'harness error, no verdict' },
    none: { sym: '·', label: 'no verdict' },
  };

  /** The initiator with its options, e.g. `img crossorigin=anonymous` (report/view.ts). */
  function initiatorText(c) {
    return V.initiatorLabels[INDEX.get(c.id) ?? -1] ?? 'fetch';
  }

  /** For initiators with a test of it: whether the page could read what it loaded. */
  function contentText(v) {
    return v === false ? ' · unreadable' : v === true ? ' · readable' : '';
  }

  function pfText(p) {
    return p === null || p === undefined ? 'PF ?' : p ? 'PF' : 'no PF';
  }

  function engineCell(c, engine) {
    const r = c.results[engine];
    if (!r) return h('td', { class: 'cell st-none', 'data-engine': engine }, 'not run');
    const a = c.agreement?.[engine];
    const st = a ? a.status : 'none';
    const s = STATUS[st] || STATUS.none;
    const detail = [s.label];
    if (a?.differences.length) detail.push('differs in ' + a.differences.join(', '));
    if (a?.divergence) detail.push('known divergence ' + a.divergence);
    if (r.outcome === 'error' && r.reason) detail.push(r.reason);
    if (r.signal) detail.push('the page saw: ' + r.signal);
    return h(
      'td',
      { class: 'cell st-' + st, 'data-engine': engine, 'data-status': st, title: detail.join('; ') },
      h('span', { 'aria-hidden': 'true' }, s.sym + ' '),
      r.outcome + ' · ' + pfText(r.preflight) + contentText(r.contentReadable),
      h('span', { class: 'sr-only' }, ' (' + detail.join('; ') + ')'),
    );
  }

  function specCell(c) {
    if (!c.spec) return h('td', { class: 'cell spec' }, 'no expectation');
    return h('td', { class: 'cell spec', title: c.spec.reason }, c.spec.outcome + ' · ' + pfText(c.spec.preflight) + contentText(c.spec.contentReadable));
  }

  function caseLink(id, text) {
    return h('a', { href: '#case=' + encodeURIComponent(id), 'data-case': id }, text || id);
  }

  /** A table of case rows, as in the matrix (used by the matrix, topics and claims). */
  function caseTable(ids, caption, engines) {
    const cols = engines || ENGINES;
    const tbody = h('tbody');
    for (const id of ids) {
      const i = INDEX.get(id);
      if (i !== undefined) tbody.append(caseRow(CASES[i], cols));
    }
    return h(
      'table',
      { class: 'cases' },
      caption ? h('caption', { text: caption }) : null,
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col', text: 'Case' }),
          h('th', { scope: 'col', text: 'Topic' }),
          h('th', { scope: 'col', text: 'Initiator' }),
          h('th', { scope: 'col', text: 'Spec' }),
          cols.map((e) => h('th', { scope: 'col', text: engineName(e) })),
        ),
      ),
      tbody,
    );
  }

  function caseRow(c, engines) {
    return h(
      'tr',
      { tabindex: '0', 'data-case': c.id, class: 'case-row' },
      h('th', { scope: 'row' }, h('span', { class: 'case-title', text: c.title }), h('br'), h('code', { class: 'case-id', text: c.id })),
      h('td', { text: c.group }),
      h('td', { class: 'initiator', text: initiatorText(c) }),
      specCell(c),
      engines.map((e) => engineCell(c, e)),
    );
  }

  // ---- hash state --------------------------------------------------------------------------

  function parseHash() {
    const p = new URLSearchParams(location.hash.slice(1));
    const topic = p.get('topic') ?? '';
    const engine = p.get('engine') ?? '';
    const initiator = p.get('initiator') ?? '';
    return {
      topic: /** @type {string[]} */ (TOPICS).includes(topic) ? topic : '',
      initiator: INITIATORS.includes(initiator) ? initiator : '',
      engine: /** @type {string[]} */ (ENGINES).includes(engine) ? engine : '',
      div: p.get('div') === '1',
      fail: p.get('fail') === '1',
      disagree: p.get('disagree') === '1',
      q: p.get('q') || '',
      page: Math.max(1, parseInt(p.get('page') || '1', 10) || 1),
      case: p.get('case') || '',
    };
  }

  function serialize(s) {
    const p = new URLSearchParams();
    if (s.topic) p.set('topic', s.topic);
    if (s.initiator) p.set('initiator', s.initiator);
    if (s.engine) p.set('engine', s.engine);
    if (s.div) p.set('div', '1');
    if (s.fail) p.set('fail', '1');
    if (s.disagree) p.set('disagree', '1');
    if (s.q) p.set('q', s.q);
    if (s.page > 1) p.set('page', String(s.page));
    if (s.case) p.set('case', s.case);
    return '#' + p.toString();
  }

  /** A plain section link (#matrix) is navigation, not state. */
  function isStateHash() {
    return location.hash === '' || location.hash === '#' || location.hash.includes('=');
  }

  let state = parseHash();

  function setState(patch, push) {
    state = Object.assign({}, state, patch);
    const hash = serialize(state);
    if (push) location.hash = hash;
    else history.replaceState(null, '', hash === '#' ? location.pathname + location.search : hash);
  }

  // ---- filtering ------------------------------------------------------------------------

  let haystacks = null;

  function headerLines(recipe) {
    if (!recipe) return [];
    const lines = recipe.headers.map(([n, v]) => n + ': ' + v);
    if (recipe.redirect) lines.push(recipe.redirect.to, ...headerLines(recipe.redirect.next.actual), ...headerLines(recipe.redirect.next.preflight));
    return lines;
  }

  function haystack(i) {
    if (!haystacks) haystacks = new Array(CASES.length);
    let s = haystacks[i];
    if (s === undefined) {
      const c = CASES[i];
      s = [
        c.id,
        c.title,
        c.group,
        initiatorText(c),
        c.request.method,
        c.request.url,
        c.request.page.origin,
        ...c.request.headers.map(([n, v]) => n + ': ' + v),
        ...headerLines(c.response.preflight),
        ...headerLines(c.response.actual),
      ]
        .join('\n')
        .toLowerCase();
      haystacks[i] = s;
    }
    return s;
  }

  function filtered(s) {
    const engines = s.engine ? [s.engine] : ENGINES;
    const terms = s.q.toLowerCase().split(/\s+/).filter(Boolean);
    const out = [];
    for (let i = 0; i < CASES.length; i++) {
      const c = CASES[i];
      if (s.topic && c.group !== s.topic) continue;
      if (s.initiator && kindOf(c) !== s.initiator) continue;
      const ag = c.agreement || {};
      if (s.engine && !c.results[s.engine]) continue;
      if (s.div && !engines.some((e) => ag[e] && (ag[e].status === 'expected-divergence' || ag[e].status === 'new-divergence'))) continue;
      if (s.fail && !engines.some((e) => ag[e] && ag[e].differences.length > 0)) continue;
      if (s.disagree && !engines.some((e) => ag[e] && ag[e].withEngines === false)) continue;
      if (terms.length) {
        const hay = haystack(i);
        if (!terms.every((t) => hay.includes(t))) continue;
      }
      out.push(i);
    }
    return out;
  }

  // ---- matrix ---------------------------------------------------------------------------

  /**
   * An element the page template always has (report/build.ts writes them).
   * @param {string} id
   * @returns {HTMLInputElement}
   */
  const el = (id) => {
    const found = document.getElementById(id);
    if (!found) throw new Error(`the report page has no #${id}`);
    return /** @type {HTMLInputElement} */ (found);
  };

  function syncControls() {
    el('f-topic').value = state.topic;
    el('f-initiator').value = state.initiator;
    el('f-engine').value = state.engine;
    el('f-div').checked = state.div;
    el('f-fail').checked = state.fail;
    el('f-disagree').checked = state.disagree;
    if (document.activeElement !== el('f-q')) el('f-q').value = state.q;
  }

  let firstRowsRendered = false;

  function renderMatrix() {
    const rows = filtered(state);
    const pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
    const page = Math.min(state.page, pages);
    const start = (page - 1) * PAGE_SIZE;
    const slice = rows.slice(start, start + PAGE_SIZE);
    const engines = state.engine ? [state.engine] : ENGINES;

    const head = el('matrix-head');
    head.replaceChildren(
      h(
        'tr',
        {},
        h('th', { scope: 'col', text: 'Case' }),
        h('th', { scope: 'col', text: 'Topic' }),
        h('th', { scope: 'col', text: 'Initiator' }),
        h('th', { scope: 'col', text: 'Spec' }),
        engines.map((e) => {
          const info = R.engines.find((x) => x.id === e);
          return h('th', { scope: 'col', 'data-engine': e }, engineName(e), info ? h('span', { class: 'version', text: ' ' + info.version }) : null);
        }),
      ),
    );
    const body = el('matrix-body');
    const frag = document.createDocumentFragment();
    for (const i of slice) frag.append(caseRow(CASES[i], engines));
    body.replaceChildren(frag);
    if (!slice.length) body.append(h('tr', {}, h('td', { colspan: String(4 + engines.length), text: 'No case matches these filters.' })));

    el('matrix-count').textContent = rows.length
      ? 'Rows ' +
        fmt(start + 1) +
        '–' +
        fmt(start + slice.length) +
        ' of ' +
        fmt(rows.length) +
        (rows.length !== CASES.length ? ' (filtered from ' + fmt(CASES.length) + ')' : '')
      : '0 of ' + fmt(CASES.length) + ' cases match';
    el('matrix-count').dataset.matching = String(rows.length);
    el('page-label').textContent = 'Page ' + page + ' of ' + pages;
    el('page-first').disabled = el('page-prev').disabled = page <= 1;
    el('page-next').disabled = el('page-last').disabled = page >= pages;
    el('page-last').dataset.page = String(pages);

    if (!firstRowsRendered) {
      firstRowsRendered = true;
      performance.mark('cc-rows-rendered');
      document.documentElement.dataset.rowsRenderedMs = String(Math.round(performance.now()));
    }
  }

  function initMatrix() {
    const topic = el('f-topic');
    topic.append(h('option', { value: '', text: 'All topics (' + fmt(CASES.length) + ')' }));
    for (const t of V.topics) topic.append(h('option', { value: t.id, text: t.id + ' (' + fmt(t.cases) + ')' }));
    const initiator = el('f-initiator');
    initiator.append(h('option', { value: '', text: 'All initiators' }));
    for (const k of INITIATORS) initiator.append(h('option', { value: k, text: k + ' (' + fmt(CASES.filter((c) => kindOf(c) === k).length) + ')' }));
    const engine = el('f-engine');
    engine.append(h('option', { value: '', text: 'All engines' }));
    for (const e of ENGINES) engine.append(h('option', { value: e, text: engineName(e) }));

    const onFilter = () => {
      setState({
        topic: topic.value,
        initiator: initiator.value,
        engine: engine.value,
        div: el('f-div').checked,
        fail: el('f-fail').checked,
        disagree: el('f-disagree').checked,
        q: el('f-q').value.trim(),
        page: 1,
      });
      renderMatrix();
    };
    for (const id of ['f-topic', 'f-initiator', 'f-engine', 'f-div', 'f-fail', 'f-disagree']) el(id).addEventListener('change', onFilter);
    let timer = 0;
    el('f-q').addEventListener('input', () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(onFilter, 120);
    });
    el('f-reset').addEventListener('click', () => {
      setState({ topic: '', initiator: '', engine: '', div: false, fail: false, disagree: false, q: '', page: 1 });
      syncControls();
      renderMatrix();
    });
    const go = (page) => {
      setState({ page });
      renderMatrix();
      el('matrix-table').focus();
    };
    el('page-first').addEventListener('click', () => go(1));
    el('page-prev').addEventListener('click', () => go(Math.max(1, state.page - 1)));
    el('page-next').addEventListener('click', () => go(state.page + 1));
    el('page-last').addEventListener('click', () => go(parseInt(el('page-last').dataset.page ?? '0', 10)));
  }

  // ---- case detail -------------------------------------------------------------------------

  function headerList(headers) {
    if (!headers.length) return h('p', { class: 'muted', text: '(no headers)' });
    const counts = new Map();
    for (const [n] of headers) counts.set(n.toLowerCase(), (counts.get(n.toLowerCase()) || 0) + 1);
    return h(
      'ol',
      { class: 'headers' },
      headers.map(([n, v]) => {
        const k = counts.get(n.toLowerCase());
        return h('li', {}, h('code', { text: n + ': ' + v }), k > 1 ? h('span', { class: 'badge', text: 'repeated ×' + k }) : null);
      }),
    );
  }

  function recipeBlock(recipe, what) {
    if (!recipe) {
      return h('p', {}, 'No ' + what + ' handling: the server answers 404 with no CORS headers.');
    }
    const parts = [h('p', {}, 'Status ', h('strong', { text: String(recipe.status) })), headerList(recipe.headers)];
    if (recipe.body !== undefined) parts.push(h('p', {}, 'Body: ', h('code', { text: JSON.stringify(recipe.body) })));
    if (recipe.redirect) {
      const r = recipe.redirect;
      parts.push(
        h(
          'div',
          { class: 'redirect' },
          h(
            'p',
            {},
            '→ Redirects to the same path on ',
            h('code', { text: r.to }),
            r.userinfo ? [' with userinfo ', h('code', { text: r.userinfo })] : null,
            '. The next hop answers:',
          ),
          h('h5', { text: 'Next hop, preflight' }),
          recipeBlock(r.next.preflight, 'preflight'),
          h('h5', { text: 'Next hop, actual' }),
          recipeBlock(r.next.actual, 'actual'),
        ),
      );
    }
    return h('div', {}, parts);
  }

  function dl(pairs) {
    return h(
      'dl',
      { class: 'facts' },
      pairs.filter(Boolean).flatMap(([k, v]) => [h('dt', { text: k }), h('dd', {}, v)]),
    );
  }

  function copyBlock(label, text) {
    const pre = h('pre', { class: 'copy', tabindex: '0' }, h('code', { text }));
    const status = h('span', { class: 'copy-status', role: 'status' });
    const btn = h(
      'button',
      {
        type: 'button',
        onclick: () => {
          const done = () => {
            status.textContent = 'Copied.';
            setTimeout(() => (status.textContent = ''), 2000);
          };
          const fallback = () => {
            const ta = h('textarea', {}, text);
            document.body.append(ta);
            ta.select();
            try {
              document.execCommand('copy');
              done();
            } catch (_e) {
              status.textContent = 'Select the text and copy it.';
            }
            ta.remove();
          };
          if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text).then(done, fallback);
          else fallback();
        },
      },
      'Copy ' + label,
    );
    return h('div', { class: 'copy-block' }, pre, btn, status);
  }

  function renderDetail(c, i) {
    const req = c.request;
    const engines = ENGINES.filter((e) => c.results[e]);
    const parts = [];
    parts.push(h('h2', { id: 'detail-title', text: c.title }));
    parts.push(
      h(
        'p',
        {},
        h('code', { text: c.id }),
        ' · topic ',
        h('strong', { text: c.group }),
        ' · ',
        h('a', { href: serialize(Object.assign({}, state, { case: c.id })), text: 'link to this case' }),
      ),
    );

    parts.push(h('h3', { text: 'Request' }));
    parts.push(
      dl([
        ['Page', [h('code', { text: req.page.origin }), req.page.opaque ? ' inside a ' + req.page.opaque + ' (opaque origin: Origin: null)' : '']],
        ['Initiator', h('code', { text: initiatorText(c) })],
        ['URL', h('code', { text: req.url })],
        ['Method', h('code', { text: req.method })],
        ['Credentials', h('code', { text: req.credentials })],
        ['Mode', h('code', { text: req.mode })],
        ['Redirect', h('code', { text: req.redirect || 'follow' })],
        req.body !== undefined && req.body !== null ? ['Body', h('code', { text: JSON.stringify(req.body) })] : null,
        req.withCookie ? ['Cookie', 'set on the target host before the run'] : null,
        req.readHeaders?.length ? ['Reads headers', h('code', { text: req.readHeaders.join(', ') })] : null,
        req.prior?.length
          ? [
              'Prior requests',
              h(
                'ol',
                {},
                req.prior.map((p) =>
                  h('li', {
                    text:
                      (p.method || req.method) +
                      (p.headers ? ' with ' + p.headers.map(([n, v]) => n + ': ' + v).join(', ') : '') +
                      (p.credentials ? ', credentials ' + p.credentials : '') +
                      ', then wait ' +
                      p.waitMs +
                      ' ms',
                  }),
                ),
              ),
            ]
          : null,
      ]),
    );
    parts.push(h('h4', { text: 'Request headers set by the page' }), headerList(req.headers));

    parts.push(h('h3', { text: 'Response recipes' }));
    parts.push(
      h(
        'div',
        { class: 'recipes' },
        h('section', {}, h('h4', { text: 'Preflight (OPTIONS with Access-Control-Request-Method)' }), recipeBlock(c.response.preflight, 'preflight')),
        h('section', {}, h('h4', { text: 'Actual response' }), recipeBlock(c.response.actual, 'actual')),
      ),
    );

    parts.push(h('h3', { text: 'Outcomes' }));
    const val = (v) => (v === null || v === undefined ? '–' : typeof v === 'boolean' ? (v ? 'yes' : 'no') : String(v));
    const rowsSpec = [
      ['Outcome', c.spec ? c.spec.outcome : '–', (r) => r.outcome],
      ['Preflight sent', c.spec ? val(c.spec.preflight) : '–', (r) => val(r.preflight)],
      ['Status the page read', '', (r) => val(r.status)],
      ['Response type', '', (r) => val(r.type)],
      c.request.initiator
        ? [
            'Content readable (canvas, error, cssRules)',
            c.spec && c.spec.contentReadable !== undefined ? val(c.spec.contentReadable) : '',
            (r) => val(r.contentReadable),
          ]
        : null,
      c.request.initiator ? ['What the page saw', '', (r) => val(r.signal)] : null,
      [
        'Readable headers',
        c.spec?.readable ? c.spec.readable.join(', ') || '(none)' : '',
        (r) => (r.readable ? r.readable.map(([n, v]) => n + ': ' + v).join('; ') || '(none)' : '–'),
      ],
      [
        'Verdict',
        '',
        (_r, e) => {
          const a = c.agreement?.[e];
          if (!a) return '–';
          return (
            STATUS[a.status].sym +
            ' ' +
            a.status +
            (a.differences.length ? ' (differs in ' + a.differences.join(', ') + ')' : '') +
            (a.divergence ? ' · ' + a.divergence : '') +
            (a.withEngines === false ? ' · engines disagree' : '')
          );
        },
      ],
      ['Server saw Origin', '', (r) => val(r.server?.origin)],
      ['Preflight Access-Control-Request-Method', '', (r) => val(r.server?.preflightRequestMethod)],
      ['Preflight Access-Control-Request-Headers', '', (r) => val(r.server?.preflightRequestHeaders)],
      ['Cookie sent', '', (r) => val(r.server?.cookieSent)],
      ['Requests the server saw', '', (r) => val(r.server?.requests)],
      ['Prior requests', '', (r) => (r.prior ? r.prior.map((p) => p.outcome + ' · ' + pfText(p.preflight)).join('; ') : '–')],
      ['Elapsed', '', (r) => (r.elapsedMs === undefined ? '–' : r.elapsedMs + ' ms')],
    ].filter((row) => row !== null);
    parts.push(
      h(
        'table',
        { class: 'outcomes' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col', text: '' }),
            h('th', { scope: 'col', text: 'Spec' }),
            engines.map((e) => h('th', { scope: 'col', text: engineName(e) })),
          ),
        ),
        h(
          'tbody',
          {},
          rowsSpec.map(([label, spec, get]) =>
            h(
              'tr',
              {},
              h('th', { scope: 'row', text: label }),
              h('td', { text: spec }),
              engines.map((e) => (label === 'Outcome' ? engineCell(c, e) : h('td', { text: get(c.results[e], e) }))),
            ),
          ),
        ),
      ),
    );

    parts.push(h('h3', { text: 'The spec model’s reasoning' }));
    if (c.spec) {
      parts.push(h('p', { class: 'spec-reason', text: c.spec.reason }));
      parts.push(
        h(
          'ol',
          { class: 'steps' },
          c.spec.steps.map((s) => h('li', {}, s.decision + ' ', h('a', { href: s.anchor, target: '_blank', rel: 'noopener', text: anchorName(s.anchor) }))),
        ),
      );
    } else parts.push(h('p', { text: 'This case has no spec expectation.' }));

    parts.push(h('h3', { text: 'Each engine in its own words' }));
    for (const e of engines) {
      const r = c.results[e];
      parts.push(h('h4', { text: engineName(e) }));
      parts.push(
        r.reason
          ? h('p', {}, 'Reason: ', h('code', { class: 'reason', text: r.reason }))
          : h('p', { class: 'muted', text: 'No rejection: the fetch resolved.' }),
      );
      if (r.console?.length)
        parts.push(
          h('p', { text: 'Console:' }),
          h(
            'ul',
            { class: 'console' },
            r.console.map((l) => h('li', {}, h('code', { text: l }))),
          ),
        );
    }

    const rep = V.reproduce[i];
    parts.push(h('h3', { text: 'Reproduce' }));
    parts.push(h('p', {}, 'The page ran:'), copyBlock('fetch()', rep.fetch));
    parts.push(
      h(
        'p',
        {},
        'Ask the fixture server for the same response through the run’s proxy (it gives the fixture its virtual hosts; replace ',
        h('code', { text: '<proxy-port>' }),
        ')',
        rep.curl.length > 1 ? '; the first line is the preflight' : '',
        ':',
      ),
      copyBlock('curl', rep.curl.join('\n')),
    );

    const box = el('detail-body');
    box.replaceChildren(...parts);
  }

  function openDetail(id) {
    const i = INDEX.get(id);
    const dialog = /** @type {HTMLDialogElement} */ (/** @type {HTMLElement} */ (el('detail')));
    if (i === undefined) {
      el('detail-body').replaceChildren(
        h('h2', { id: 'detail-title', text: 'No such case' }),
        h('p', {}, 'There is no case ', h('code', { text: id }), ' in this results file.'),
      );
    } else renderDetail(CASES[i], i);
    if (!dialog.open) dialog.showModal();
    el('detail-close').focus();
  }

  function initDetail() {
    const dialog = /** @type {HTMLDialogElement} */ (/** @type {HTMLElement} */ (el('detail')));
    el('detail-close').addEventListener('click', () => dialog.close());
    dialog.addEventListener('close', () => {
      if (state.case) setState({ case: '' });
    });
    document.addEventListener('click', (ev) => {
      const clicked = ev.target instanceof HTMLElement ? ev.target : null;
      const a = clicked?.closest('a[data-case]');
      const row = clicked?.closest('tr[data-case]');
      const target = a || (row && !clicked?.closest('a') ? row : null);
      if (!(target instanceof HTMLElement)) return;
      ev.preventDefault();
      setState({ case: target.dataset.case }, true);
    });
    document.addEventListener('keydown', (ev) => {
      const row = ev.target instanceof HTMLElement ? ev.target.closest('tr[data-case]') : null;
      if (row instanceof HTMLElement && (ev.key === 'Enter' || ev.key === ' ')) {
        ev.preventDefault();
        setState({ case: row.dataset.case }, true);
      }
    });
  }

  // ---- static sections ---------------------------------------------------------------------

  const FIELDS = [
    ['agrees', 'Agrees with spec'],
    ['agreesWithEngines', 'Agrees with other engines'],
    ['expectedDivergences', 'Expected divergences'],
    ['newDivergences', 'New divergences'],
    ['unexpectedAgreements', 'Unexpected agreements'],
    ['errors', 'Errors'],
  ];

  function renderSummary() {
    const root = el('summary-body');
    if (!R.complete) root.append(h('p', { class: 'warn', role: 'note' }, '⚠ This run is incomplete: the results file was written before every case finished.'));
    root.append(
      h(
        'p',
        { class: R.excludedEngines.length ? 'warn' : '' },
        R.excludedEngines.length ? '⚠ Engines left out by name: ' + R.excludedEngines.join(', ') + '.' : 'Excluded engines: none.',
      ),
    );

    const table = h(
      'table',
      { class: 'summary', id: 'summary-table' },
      h('caption', { text: fmt(CASES.length) + ' cases. Counts per engine, from the results file’s summary; checked against the cases.' }),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col', text: 'Engine' }),
          h('th', { scope: 'col', text: 'Cases' }),
          FIELDS.map(([, label]) => h('th', { scope: 'col', text: label })),
          h('th', { scope: 'col', text: 'Check' }),
        ),
      ),
      h(
        'tbody',
        {},
        V.summary.map((s) => {
          const info = R.engines.find((e) => e.id === s.engine);
          const n = s.stored || s.counted;
          const check = !s.stored
            ? '⚠ no stored summary; counted from the cases'
            : s.mismatches.length
              ? '⚠ differs from the cases in ' + s.mismatches.map((f) => f + ' (counted ' + s.counted[f] + ')').join(', ')
              : '✓ equals the counts from the cases';
          return h(
            'tr',
            { 'data-engine': s.engine },
            h(
              'th',
              { scope: 'row' },
              h('strong', { text: info ? info.name : s.engine }),
              ' ',
              info ? info.version : '',
              h('br'),
              h('span', { class: 'muted', text: info ? info.driver + ' · ' + info.build + ' build' : 'no engine info' }),
            ),
            h('td', { 'data-field': 'cases', text: fmt(n.cases) }),
            FIELDS.map(([f]) =>
              h(
                'td',
                { 'data-field': f, class: f === 'newDivergences' && n[f] ? 'bad' : '' },
                fmt(n[f]),
                f === 'agrees' || f === 'agreesWithEngines' ? h('span', { class: 'muted', text: ' (' + pct(n[f], n.cases) + ')' }) : '',
              ),
            ),
            h('td', { class: s.mismatches.length || !s.stored ? 'warn' : '', 'data-field': 'check', text: check }),
          );
        }),
      ),
    );
    root.append(table);

    // Divergences.
    const div = el('divergences-body');
    const expected = V.expectedDivergences;
    div.append(h('h3', { text: 'Expected divergences (' + fmt(expected.reduce((a, g) => a + g.cases.length, 0)) + ' results)' }));
    if (!expected.length) div.append(h('p', { text: 'No known divergences were listed for this run.' }));
    for (const g of expected) {
      div.append(
        h(
          'section',
          { class: 'divergence', 'data-divergence': g.id },
          h('h4', {}, g.title, ' ', h('code', { text: g.id })),
          g.observed ? h('p', {}, prose(g.observed)) : null,
          g.engines.length ? h('p', { class: 'muted', text: 'Listed for: ' + g.engines.join(', ') }) : null,
          g.evidence.length
            ? h(
                'ul',
                { class: 'evidence' },
                g.evidence.map((u) => h('li', {}, h('a', { href: u, target: '_blank', rel: 'noopener', text: u }))),
              )
            : null,
          g.cases.length
            ? h(
                'p',
                {},
                fmt(g.cases.length) + ' results: ',
                g.cases.slice(0, LIST_CAP).flatMap((x, k) => [k ? ', ' : '', caseLink(x.id), ' (' + x.engine + ')']),
                g.cases.length > LIST_CAP ? ' …' : '',
              )
            : h('p', { class: 'muted', text: 'No case in this run showed it.' }),
        ),
      );
    }
    div.append(h('h3', { text: 'New divergences (' + fmt(V.newDivergences.length) + ')' }));
    if (!V.newDivergences.length) div.append(h('p', { text: 'None: every difference from the spec model is explained by a known divergence.' }));
    else div.append(refTable(V.newDivergences, 'new-divergences'));
    if (V.unexpectedAgreements.length) {
      div.append(
        h('h3', { text: 'Unexpected agreements (' + fmt(V.unexpectedAgreements.length) + ')' }),
        h('p', { text: 'A known divergence is listed for these, but the engine now does what the spec requires.' }),
        refTable(V.unexpectedAgreements, 'unexpected'),
      );
    }
    if (V.errors.length) div.append(h('h3', { text: 'Harness errors (' + fmt(V.errors.length) + ')' }), refTable(V.errors, 'errors'));
  }

  function refTable(refs, id) {
    return h(
      'table',
      { class: 'refs', id },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['Case', 'Engine', 'Differs in', 'Spec', 'Engine did'].map((t) => h('th', { scope: 'col', text: t })),
        ),
      ),
      h(
        'tbody',
        {},
        refs.slice(0, LIST_CAP).map((r) => {
          const c = CASES[INDEX.get(r.id) ?? -1];
          return h(
            'tr',
            {},
            h('td', {}, caseLink(r.id)),
            h('td', { text: engineName(r.engine) }),
            h('td', { text: r.differences.join(', ') || '–' }),
            specCell(c),
            engineCell(c, r.engine),
          );
        }),
      ),
      refs.length > LIST_CAP ? h('caption', { text: 'First ' + LIST_CAP + ' of ' + fmt(refs.length) + '; filter the matrix for the rest.' }) : null,
    );
  }

  /** The initiators topic's table (report/initiators.ts): per form, the request it makes and
   *  what each engine did with cookies, readability and failures. */
  function initiatorTable() {
    if (!V.initiators.length) return null;
    const yesNo = (v) => (v === null ? '–' : v ? 'sent' : 'not sent');
    return h(
      'table',
      { class: 'cases initiators', id: 'initiator-table' },
      h('caption', {
        text: 'Each initiator as measured: the cookie to a same-site / cross-site target, loads the page could read, and a failure as the page saw it',
      }),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col', text: 'Initiator' }),
          h('th', { scope: 'col', text: 'Mode · credentials' }),
          ENGINES.map((e) => h('th', { scope: 'col', text: engineName(e) })),
        ),
      ),
      h(
        'tbody',
        {},
        V.initiators.map((row) =>
          h(
            'tr',
            { 'data-initiator': row.label },
            h('th', { scope: 'row' }, h('code', { text: row.label }), h('br'), h('span', { class: 'muted', text: fmt(row.cases) + ' cases' })),
            h('td', { text: row.mode + ' · ' + row.credentials }),
            ENGINES.map((e) => {
              const f = row.engines[e];
              if (!f) return h('td', { text: 'not run' });
              return h(
                'td',
                {},
                'cookie ' + yesNo(f.cookieSameSite) + ' / ' + yesNo(f.cookieCrossSite),
                h('br'),
                f.contentReadable.of ? 'readable ' + f.contentReadable.readable + ' of ' + f.contentReadable.of + ' loads' : 'no content test',
                h('br'),
                fmt(f.agrees) + ' of ' + fmt(f.cases) + ' agree with the spec' + (f.errors ? ', ' + f.errors + ' errors' : ''),
                f.failures.length ? [h('br'), 'blocked: ', f.failures.map((x, k) => [k ? ' | ' : '', h('code', { text: x })])] : null,
              );
            }),
          ),
        ),
      ),
    );
  }

  function renderTopics() {
    const root = el('topics-body');
    for (const t of V.topics) {
      const link = h(
        'a',
        { href: serialize({ topic: t.id, initiator: '', engine: '', div: false, fail: false, disagree: false, q: '', page: 1, case: '' }), 'data-topic': t.id },
        'Show the ' + fmt(t.cases) + ' ' + t.id + ' rows in the matrix',
      );
      root.append(
        h(
          'section',
          { class: 'topic', id: 'topic-' + t.id, 'aria-labelledby': 'topic-h-' + t.id },
          h('h3', { id: 'topic-h-' + t.id }, t.title, ' ', h('span', { class: 'muted', text: '(' + t.id + ')' })),
          t.paragraphs.map((p) => h('p', {}, prose(p))),
          h(
            'p',
            { class: 'muted' },
            'Read: ',
            t.anchors.flatMap((a, k) => [k ? ', ' : '', h('a', { href: a, target: '_blank', rel: 'noopener', text: anchorName(a) })]),
          ),
          t.cases
            ? [
                h(
                  'p',
                  { class: 'stats', 'data-topic-count': String(t.cases) },
                  fmt(t.cases) +
                    ' cases measured: the spec allows ' +
                    fmt(t.specAllowed) +
                    ' and blocks ' +
                    fmt(t.specBlocked) +
                    '; ' +
                    fmt(t.specPreflight) +
                    ' need a preflight. ' +
                    fmt(t.divergent) +
                    ' rows where an engine does not simply agree with the spec, ' +
                    fmt(t.enginesDisagree) +
                    ' where the engines disagree with each other. ',
                  link,
                ),
                caseTable(t.examples, 'Examples from this run'),
                t.id === 'initiators' ? initiatorTable() : null,
              ]
            : h('p', { class: 'muted', text: 'No case of this topic in this run.' }),
        ),
      );
    }
  }

  const VERDICT = { true: '✓ true', false: '✗ false', 'not measured': '– not measured' };

  function renderClaims() {
    const root = el('claims-body');
    for (const cl of V.claims) {
      root.append(
        h(
          'section',
          { class: 'claim', 'data-claim': cl.id },
          h('h3', {}, '“', prose(cl.statement), '”'),
          h('p', {}, prose(cl.truth)),
          h(
            'table',
            { class: 'claim-verdicts' },
            h('caption', { text: fmt(cl.evidence.length) + ' evidence rows' }),
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                ['Engine', 'Verdict', 'Because', 'Deciding rows'].map((t) => h('th', { scope: 'col', text: t })),
              ),
            ),
            h(
              'tbody',
              {},
              ENGINES.map((e) => {
                const v = cl.engines[e];
                if (!v) return null;
                return h(
                  'tr',
                  { 'data-engine': e },
                  h('th', { scope: 'row', text: engineName(e) }),
                  h('td', { class: 'verdict v-' + v.verdict.replace(' ', '-'), 'data-verdict': v.verdict, text: VERDICT[v.verdict] }),
                  h('td', { text: v.because }),
                  h(
                    'td',
                    {},
                    v.cases.flatMap((id, k) => [k ? ', ' : '', caseLink(id)]),
                  ),
                );
              }),
            ),
          ),
        ),
      );
    }
  }

  function renderChanges() {
    const section = el('changes');
    if (!V.baseline) return;
    section.hidden = false;
    el('nav-changes').hidden = false;
    const d = V.baseline.diff;
    const root = el('changes-body');
    root.append(
      h(
        'p',
        {},
        'Compared with ',
        h('code', { text: V.baseline.source }),
        ' (' +
          fmt(d.old.cases) +
          ' cases, ' +
          d.old.updatedAt +
          '): ' +
          fmt(d.added.length) +
          (d.added.length === 1 ? ' case' : ' cases') +
          ' added, ' +
          fmt(d.removed.length) +
          ' removed, ' +
          fmt(d.changed.length) +
          ' changed.',
      ),
    );
    if (d.engines.length)
      root.append(
        h('h3', { text: 'Engines' }),
        h(
          'ul',
          {},
          d.engines.map((x) => h('li', { text: x.engine + ': ' + x.field + ' ' + (x.from || '(absent)') + ' → ' + (x.to || '(absent)') })),
        ),
      );
    const byEngine = ENGINES.filter((e) => d.byEngine[e]);
    if (byEngine.length) {
      root.append(
        h('h3', { text: 'By engine' }),
        h(
          'table',
          { class: 'refs' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ['Engine', 'Outcome changed', 'Preflight changed', 'Agreement changed', 'Results added', 'Results removed'].map((t) =>
                h('th', { scope: 'col', text: t }),
              ),
            ),
          ),
          h(
            'tbody',
            {},
            byEngine.map((e) => {
              const t = d.byEngine[e] ?? { outcome: 0, preflight: 0, agreement: 0, added: 0, removed: 0 };
              return h(
                'tr',
                {},
                h('th', { scope: 'row', text: engineName(e) }),
                [t.outcome, t.preflight, t.agreement, t.added, t.removed].map((n) => h('td', { text: fmt(n) })),
              );
            }),
          ),
        ),
      );
    }
    if (d.added.length)
      root.append(
        h('h3', { text: 'Added' }),
        h(
          'p',
          {},
          d.added.slice(0, LIST_CAP).flatMap((id, k) => [k ? ', ' : '', caseLink(id)]),
        ),
      );
    if (d.removed.length)
      root.append(
        h('h3', { text: 'Removed' }),
        h(
          'p',
          {},
          d.removed.slice(0, LIST_CAP).map((id) => h('code', { text: id + ' ' })),
        ),
      );
    if (d.changed.length) {
      const shape = (o) => (o ? o.outcome + ' · ' + pfText(o.preflight) + (o.agreement ? ' · ' + o.agreement : '') : 'not run');
      root.append(
        h('h3', { text: 'Changed' }),
        h(
          'table',
          { class: 'refs', id: 'changes-table' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ['Case', 'Engine', 'What changed', 'Before', 'Now'].map((t) => h('th', { scope: 'col', text: t })),
            ),
          ),
          h(
            'tbody',
            {},
            d.changed
              .slice(0, LIST_CAP)
              .flatMap((c) => [
                c.spec
                  ? h(
                      'tr',
                      {},
                      h('td', {}, caseLink(c.id)),
                      h('td', { text: 'spec' }),
                      h('td', { text: 'expectation' }),
                      h('td', { text: c.spec.from }),
                      h('td', { text: c.spec.to }),
                    )
                  : null,
                ...c.engines.map((x) =>
                  h(
                    'tr',
                    {},
                    h('td', {}, caseLink(c.id)),
                    h('td', { text: engineName(x.engine) }),
                    h('td', { text: x.changed.join(', ') }),
                    h('td', { text: shape(x.from) }),
                    h('td', { text: shape(x.to) }),
                  ),
                ),
              ]),
          ),
        ),
      );
    }
  }

  function renderEnvironment() {
    const root = el('environment-body');
    const env = R.environment;
    root.append(
      h(
        'ul',
        { class: 'notes', id: 'environment-notes' },
        env.notes.map((n) => h('li', {}, prose(n))),
      ),
    );
    root.append(
      dl([
        ['Excluded engines', R.excludedEngines.length ? R.excludedEngines.join(', ') : 'none'],
        ['Platform', env.platform + ', ' + env.cpus + ' CPUs, Node ' + env.node],
        ['Run', R.startedAt + ' → ' + R.updatedAt + (R.complete ? ' (complete)' : ' (incomplete)')],
        ['Tool', R.tool.name + ' ' + R.tool.version],
        ['Report built', V.generatedAt + ' from ' + V.source],
      ]),
    );
    root.append(
      h(
        'table',
        { class: 'refs' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['Engine', 'Browser', 'Version', 'Driver', 'Build', 'Executable', 'User agent'].map((t) => h('th', { scope: 'col', text: t })),
          ),
        ),
        h(
          'tbody',
          {},
          R.engines.map((e) =>
            h(
              'tr',
              {},
              [e.id, e.name, e.version, e.driver, e.build, e.executable, e.userAgent || '–'].map((t, k) =>
                k ? h('td', { text: t }) : h('th', { scope: 'row', text: t }),
              ),
            ),
          ),
        ),
      ),
    );
    el('run-line').textContent =
      fmt(CASES.length) +
      ' cases × ' +
      R.engines.map((e) => e.name + ' ' + e.version).join(', ') +
      ' · ' +
      (R.complete ? 'complete run' : 'INCOMPLETE run') +
      ' · ' +
      R.updatedAt;
  }

  // ---- start --------------------------------------------------------------------------

  function onHash() {
    if (!isStateHash()) return;
    const next = parseHash();
    const filtersChanged = ['topic', 'initiator', 'engine', 'div', 'fail', 'disagree', 'q', 'page'].some((k) => next[k] !== state[k]);
    state = next;
    if (filtersChanged) {
      syncControls();
      renderMatrix();
      if (!state.case) el('matrix').scrollIntoView();
    }
    if (state.case) openDetail(state.case);
    else {
      const dialog = /** @type {HTMLDialogElement} */ (/** @type {HTMLElement} */ (el('detail')));
      if (dialog.open) dialog.close();
    }
  }

  initMatrix();
  initDetail();
  syncControls();
  renderMatrix();
  renderSummary();
  renderEnvironment();
  renderChanges();
  renderTopics();
  renderClaims();
  window.addEventListener('hashchange', onHash);
  if (state.case) openDetail(state.case);
  else if (isStateHash() && location.hash.length > 1) el('matrix').scrollIntoView();
  document.documentElement.dataset.ready = 'true';
})();
