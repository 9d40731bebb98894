// How the run was made: the notes of the results file, the platform, the tool and each
// engine's build, and the one line under the page's title.
import { dl, el, fmt, h, headRow, prose } from './dom.ts';
import type { Report } from './report.ts';

export function renderEnvironment(report: Report): void {
  const r = report.run;
  const env = r.environment;
  el('environment-body').append(
    h(
      'ul',
      { class: 'notes', id: 'environment-notes' },
      env.notes.map((n) => h('li', {}, prose(n))),
    ),
    dl([
      ['Excluded engines', r.excludedEngines.length ? r.excludedEngines.join(', ') : 'none'],
      ['Platform', `${env.platform}, ${env.cpus} CPUs, Node ${env.node}`],
      ['Run', `${r.startedAt} → ${r.updatedAt}${r.complete ? ' (complete)' : ' (incomplete)'}`],
      ['Tool', `${r.tool.name} ${r.tool.version}`],
      ['Report built', `${report.view.generatedAt} from ${report.view.source}`],
    ]),
    h(
      'table',
      { class: 'refs' },
      headRow(['Engine', 'Browser', 'Version', 'Driver', 'Build', 'Executable', 'User agent']),
      h(
        'tbody',
        {},
        r.engines.map((e) =>
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
    `${fmt(report.rows.length)} cases × ${r.engines.map((e) => `${e.name} ${e.version}`).join(', ')} · ` +
    `${r.complete ? 'complete run' : 'INCOMPLETE run'} · ${r.updatedAt}`;
}
