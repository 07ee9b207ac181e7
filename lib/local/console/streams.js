// The stream browser: an entity's audit trail (upcast events, with positions and commands) and
// its state at any position, folded by the API from the entity's own evolve.
import { api, cells, el, fillRows, time } from './api.js';

const $ = (id) => document.getElementById(id);
let current; // { type, id, events }
let stateTimer;

export function setUpStreams(entityTypes, report) {
  const select = $('entity-type');
  select.replaceChildren(...entityTypes.map((e) => el('option', { value: e.type }, e.type)));
  const suggest = () => loadIds(select.value);
  select.addEventListener('change', suggest);
  $('stream-form').addEventListener('submit', (event) => {
    event.preventDefault();
    location.hash = `#/streams/${encodeURIComponent(select.value)}/${encodeURIComponent($('entity-id').value.trim())}`;
  });
  $('state-at').addEventListener('input', () => {
    clearTimeout(stateTimer);
    stateTimer = setTimeout(() => showState(Number($('state-at').value), report), 80);
  });
  const follow = () => {
    const match = /^#\/streams\/([^/]+)\/(.+)$/.exec(location.hash);
    if (!match) return;
    const [type, id] = [decodeURIComponent(match[1]), decodeURIComponent(match[2])];
    select.value = type;
    $('entity-id').value = id;
    void open(type, id, report);
  };
  addEventListener('hashchange', follow);
  follow();
  void suggest();
}

async function loadIds(type) {
  if (!type) return;
  const path = `entities/${encodeURIComponent(type)}`;
  const { entities } = await api(path).catch(() => ({ entities: [] }));
  $('entity-ids').replaceChildren(
    ...entities.map((e) => el('option', { value: e.id, label: `version ${e.version}` })),
  );
}

async function open(type, id, report) {
  let trail;
  try {
    trail = await api(streamPath(type, id));
  } catch (error) {
    report(`Could not read ${type} ${id}: ${error.message}`);
    return;
  }
  current = { type, id, version: trail.version, events: [] };
  $('events').tBodies[0].replaceChildren();
  append(trail.events, report);
  const panel = $('state-panel');
  panel.hidden = !trail.foldable || trail.version === 0;
  if (!panel.hidden) {
    $('state-at').max = String(trail.version);
    pick(trail.version, report);
  }
}

const streamPath = (type, id) => `streams/${encodeURIComponent(type)}/${encodeURIComponent(id)}`;

/** Adds events to the trail shown; a page at a time, "Show more" fetching the next. */
function append(events, report) {
  current.events.push(...events);
  const { type, id, version } = current;
  const shown = current.events.length;
  $('stream-summary').textContent =
    version === 0
      ? `${type} ${id}: no events`
      : `${type} ${id}: ${version} event${version === 1 ? '' : 's'}, version ${version}` +
        (shown < version ? ` (the first ${shown} shown)` : '');
  const rows = events.map((e) => row(e, report));
  const tbody = $('events').tBodies[0];
  if (shown === 0) fillRows(tbody, [], 'No events');
  else tbody.append(...rows);
  const more = $('more-events');
  more.hidden = shown >= version;
  more.onclick = async () => {
    more.disabled = true;
    const after = current.events.at(-1).position;
    try {
      append((await api(`${streamPath(type, id)}?after=${after}`)).events, report);
    } catch (error) {
      report(`Could not read more of ${type} ${id}: ${error.message}`);
    }
    more.disabled = false;
  };
}

function row(e, report) {
  const node = cells(
    e.position,
    e.storedSchemaVersion === e.schemaVersion
      ? `${e.type} v${e.schemaVersion}`
      : `${e.type} v${e.schemaVersion} (stored v${e.storedSchemaVersion})`,
    time(e.recordedAt),
    el('span', { title: meta(e.commit) }, e.commit.commandId.slice(0, 8)),
    el('pre', {}, JSON.stringify(e.data, null, 2)),
  );
  node.tabIndex = 0;
  node.title = 'Show the state after this event';
  node.addEventListener('click', () => pick(e.position, report));
  node.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') pick(e.position, report);
  });
  return node;
}

const meta = (c) =>
  [
    `commit ${c.from}–${c.to}, command ${c.commandId}`,
    c.correlationId && `correlation ${c.correlationId}`,
    c.causationId && `causation ${c.causationId}`,
    c.idempotencyKey && `idempotency key ${c.idempotencyKey}`,
    c.tags?.length && `tags ${c.tags.join(', ')}`,
  ]
    .filter(Boolean)
    .join('\n');

function pick(position, report) {
  $('state-at').value = String(position);
  void showState(position, report);
}

async function showState(position, report) {
  if (!current) return;
  const { type, id } = current;
  $('state-position').textContent = `${position} of ${current.version}`;
  try {
    const path = `streams/${encodeURIComponent(type)}/${encodeURIComponent(id)}/state?at=${position}`;
    const { state } = await api(path);
    for (const row of $('events').tBodies[0].rows) {
      row.classList.toggle('folded', Number(row.cells[0].textContent) <= position);
    }
    $('state').textContent = JSON.stringify(state, null, 2);
  } catch (error) {
    report(`Could not fold ${type} ${id}: ${error.message}`);
  }
}
