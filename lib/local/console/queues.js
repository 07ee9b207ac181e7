// Queues: depths of every declared queue and its dead-letter queue, the stream consumers'
// failure queues, a look at the dead letters, and the redrive button.
import { api, cells, el, fillRows, time } from './api.js';

const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;

function button(label, text, disabled) {
  const node = el('button', { type: 'button', disabled, title: label }, text);
  node.setAttribute('aria-label', label);
  return node;
}

/** Fills the queue table; `act(message)` reports what a button did. */
export function renderQueues(tbody, depths, act) {
  const rows = depths.queues.map((q) => {
    const dead = q.deadLetters;
    const show = button(`Show the dead letters of ${q.queue}`, 'Show', dead === 0);
    show.addEventListener('click', () => showDeadLetters(q.queue, act));
    const redrive = button(`Redrive the dead letters of ${q.queue}`, 'Redrive', dead === 0);
    redrive.addEventListener('click', async () => {
      redrive.disabled = true;
      try {
        const result = await api(`queues/${encodeURIComponent(q.queue)}/redrive`, 'POST');
        act(
          result.method === 'move-task'
            ? `${q.queue}: a move task is moving about ${plural(result.messages, 'message')} back`
            : `${q.queue}: moved ${plural(result.messages, 'message')} back`,
        );
        document.getElementById('dead-letters').replaceChildren();
      } catch (error) {
        act(`${q.queue}: redrive failed: ${error.message}`);
      }
    });
    const row = cells(
      q.queue,
      q.messages,
      q.inFlight,
      el('span', { className: dead > 0 ? 'bad' : '' }, String(dead)),
      el('span', {}, show, ' ', redrive),
    );
    return row;
  });
  for (const f of depths.failures) {
    // Failure notices name journal records: `coffee-es failures redrive` re-runs them.
    rows.push(
      cells(
        `${f.consumer} (stream failures)`,
        el('span', { className: f.visible > 0 ? 'bad' : '' }, String(f.visible)),
        f.inFlight,
        '—',
        '',
      ),
    );
  }
  fillRows(tbody, rows, 'No queues declared');
}

async function showDeadLetters(queue, act) {
  const panel = document.getElementById('dead-letters');
  try {
    const { messages } = await api(`queues/${encodeURIComponent(queue)}/dead-letters`);
    const items = messages.map((m) =>
      el(
        'li',
        {},
        el('strong', {}, m.messageId),
        ` sent ${time(m.sentAt)}, received ${m.receiveCount} times`,
        m.groupId ? `, group ${m.groupId}` : '',
        el('pre', {}, pretty(m.body)),
      ),
    );
    panel.replaceChildren(
      el('h3', {}, `Dead letters of ${queue} (first ${plural(messages.length, 'message')})`),
      items.length > 0 ? el('ul', { className: 'messages' }, ...items) : el('p', {}, 'None'),
    );
  } catch (error) {
    act(`${queue}: could not read dead letters: ${error.message}`);
  }
}

function pretty(body) {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}
