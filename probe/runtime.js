// The probe runtime: runs a batch of fetches in this document and reports, for each, what
// the page could observe. Loaded by the probe page, and inlined into opaque-origin frames
// (sandboxed srcdoc and data: iframes) whose requests carry `Origin: null`.
// Plain browser JavaScript on purpose: every engine runs it as it is.
(function () {
  'use strict';
  if (window.__cc) return;

  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  async function doFetch(spec, readHeaders, timeoutMs) {
    const t0 = performance.now();
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    const init = {
      method: spec.method,
      headers: spec.headers,
      credentials: spec.credentials,
      mode: spec.mode,
      redirect: spec.redirect,
      signal: controller.signal,
    };
    if (spec.body !== null) init.body = spec.body;
    const done = (o) => Object.assign(o, { elapsedMs: Math.round(performance.now() - t0) });
    try {
      const res = await fetch(spec.url, init);
      const readable = [];
      for (const name of readHeaders) {
        const value = res.headers.get(name);
        if (value !== null) readable.push([name, value]);
      }
      try { await res.arrayBuffer(); } catch (e) { /* opaque or aborted body: nothing to read */ }
      return done({ outcome: 'allowed', status: res.status, type: res.type, readable, error: null });
    } catch (e) {
      const timedOut = controller.signal.aborted;
      return done({
        outcome: timedOut ? 'error' : 'blocked',
        status: null,
        type: null,
        readable: [],
        error: timedOut ? 'probe timed out after ' + timeoutMs + ' ms' : String(e && e.name) + ': ' + String(e && e.message),
      });
    } finally {
      clearTimeout(timer);
    }
  }

  async function runProbe(p) {
    const prior = [];
    for (let i = 0; i < p.prior.length; i++) {
      if (p.markUrl) await fetch(p.markUrl + '&step=' + i, { mode: 'no-cors' }).catch(() => {});
      prior.push(await doFetch(p.prior[i].fetch, [], p.timeoutMs));
      await sleep(p.prior[i].waitMs);
    }
    if (p.markUrl) await fetch(p.markUrl + '&step=' + p.prior.length, { mode: 'no-cors' }).catch(() => {});
    const final = await doFetch(p.fetch, p.readHeaders, p.timeoutMs);
    return { id: p.id, prior, final };
  }

  async function runBatch(probes, concurrency) {
    const results = new Array(probes.length);
    let next = 0;
    async function lane() {
      while (next < probes.length) {
        const i = next++;
        results[i] = await runProbe(probes[i]);
      }
    }
    const lanes = [];
    for (let i = 0; i < Math.min(concurrency, probes.length); i++) lanes.push(lane());
    await Promise.all(lanes);
    return results;
  }

  let frameSeq = 0;
  let runtimeSource = null;

  // Opaque-origin documents cannot load /__cc/probe.js by URL in every form (a data: URL
  // has no base), so the runtime's own source is inlined into them.
  async function runInOpaqueFrame(kind, probes, concurrency) {
    if (runtimeSource === null) runtimeSource = await (await fetch('/__cc/probe.js')).text();
    const id = 'f' + ++frameSeq;
    const close = '</' + 'script>';
    const html =
      '<!doctype html><meta charset="utf-8"><script>' + runtimeSource + close +
      '<script>window.addEventListener("message", async function (ev) {' +
      '  if (!ev.data || ev.data.ccRun !== ' + JSON.stringify(id) + ') return;' +
      '  const results = await window.__cc.runBatch(ev.data.probes, ev.data.concurrency);' +
      '  parent.postMessage({ ccDone: ' + JSON.stringify(id) + ', results: results, origin: String(self.origin) }, "*");' +
      '});' +
      'parent.postMessage({ ccReady: ' + JSON.stringify(id) + ' }, "*");' + close;
    const frame = document.createElement('iframe');
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('opaque frame ' + kind + ' did not answer')), 120000);
      function onMessage(ev) {
        if (ev.source !== frame.contentWindow || !ev.data) return;
        if (ev.data.ccReady === id) {
          frame.contentWindow.postMessage({ ccRun: id, probes, concurrency }, '*');
        } else if (ev.data.ccDone === id) {
          clearTimeout(timer);
          window.removeEventListener('message', onMessage);
          frame.remove();
          resolve({ results: ev.data.results, frameOrigin: ev.data.origin });
        }
      }
      window.addEventListener('message', onMessage);
      if (kind === 'sandboxed-iframe') {
        frame.setAttribute('sandbox', 'allow-scripts');
        frame.srcdoc = html;
      } else {
        frame.src = 'data:text/html;charset=utf-8,' + encodeURIComponent(html);
      }
      document.body.appendChild(frame);
    });
  }

  // Runs the page's probes here and the opaque ones in their frames, all at once.
  async function run(probes, options) {
    const concurrency = (options && options.concurrency) || 64;
    const groups = new Map();
    for (const p of probes) {
      const key = p.opaque || 'page';
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(p);
    }
    const frameOrigins = {};
    const parts = await Promise.all(
      [...groups].map(async ([key, list]) => {
        if (key === 'page') return runBatch(list, concurrency);
        const r = await runInOpaqueFrame(key, list, concurrency);
        frameOrigins[key] = r.frameOrigin;
        return r.results;
      }),
    );
    return { results: parts.flat(), pageOrigin: String(self.origin), frameOrigins, userAgent: navigator.userAgent };
  }

  window.__cc = { run, runBatch };
})();
