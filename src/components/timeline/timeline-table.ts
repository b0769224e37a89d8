import { gilAcquisitions, type TimelineSnapshot } from '../../runtime/index.ts';
import { h, tableWithHeader } from '../shared/dom.ts';
import { ms } from '../shared/format.ts';

/** The timeline's text alternative: per-thread time in each state and GIL acquisitions. */
export function timelineTable(snapshot: TimelineSnapshot): HTMLElement {
  const { table, body } = tableWithHeader([
    'Thread',
    'Starting',
    'Running',
    'Waiting for the GIL',
    'I/O',
    'C code',
    'Lock wait',
    'Took the GIL',
  ]);
  const took = gilAcquisitions(snapshot);
  snapshot.lanes.forEach((lane, i) => {
    const t = lane.totalsMs;
    const row = h('tr', null);
    // A process pool's parent: its `starting` is starting the processes, `running` sending tasks.
    const th = h(
      'th',
      lane.kind === 'parent'
        ? `${lane.label} (the parent: starts the processes, then sends the tasks)`
        : lane.label,
    );
    th.setAttribute('scope', 'row');
    row.append(th);
    for (const v of [t.starting, t.running, t.waiting, t.io, t.native, t.blocked])
      row.append(h('td', ms(v)));
    row.append(h('td', lane.lock === null ? '—' : `${took[i] ?? 0}×`));
    body.append(row);
  });
  return table;
}
