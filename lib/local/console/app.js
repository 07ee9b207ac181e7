// The operator console: what the system is doing now (writes, projections, queues), refreshed
// every two seconds, and the stream browser. Plain ES modules, no build.
import { ApiError, api, cells, duration, fillRows, setToken, time } from './api.js';
import { drawRate } from './chart.js';
import { renderQueues } from './queues.js';
import { setUpStreams } from './streams.js';

const $ = (id) => document.getElementById(id);
const refreshMs = 2000;

function report(message) {
  $('status').textContent = message;
}

async function refresh() {
  const [projections, queues, metrics] = await Promise.allSettled([
    api('projections'),
    api('queues'),
    api('metrics'),
  ]);
  // A deployed console has no write meter (503): the chart says so, the rest stays live.
  const noMeter = metrics.status === 'rejected' && metrics.reason?.status === 503;
  if (noMeter) $('rate-window').textContent = `not measured here: ${metrics.reason.message}`;
  const failed = [projections, queues, ...(noMeter ? [] : [metrics])].find(
    (r) => r.status === 'rejected',
  );
  if (failed?.reason instanceof ApiError && failed.reason.status === 401) return needToken();
  if (projections.status === 'fulfilled') {
    const rows = projections.value.projections.map((p) =>
      cells(
        p.name,
        // Stream sequence numbers are zero-padded to sort as text.
        p.position === undefined ? '—' : p.position.replace(/^0+(?=\d)/, ''),
        time(p.lastEventAt),
        p.lagMs === undefined ? '—' : duration(p.lagMs),
        p.processed,
        p.failed,
      ),
    );
    fillRows($('projections').tBodies[0], rows, 'No projections declared');
  }
  if (queues.status === 'fulfilled') renderQueues($('queues').tBodies[0], queues.value, report);
  if (metrics.status === 'fulfilled') {
    const m = metrics.value;
    drawRate($('rate-chart'), m);
    $('rate-window').textContent =
      `last ${Math.round((m.buckets.length * m.bucketSeconds) / 60)} minutes, ${m.bucketSeconds} s a bar`;
    $('rate-commits').textContent = `(${m.totals.commits})`;
    $('rate-conflicts').textContent = `(${m.totals.conflicts})`;
  }
  if (failed) report(`Part of the page is stale: ${failed.reason.message}`);
  else if ($('status').dataset.live !== 'true') {
    $('status').dataset.live = 'true';
    report(`Live: refreshed every ${refreshMs / 1000} s`);
  }
}

function needToken() {
  report('The operator API needs a token');
  $('token-form').hidden = false;
}

let started = false;

async function start() {
  let overview;
  try {
    overview = await api('overview');
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return needToken();
    return report(`No operator API: ${error.message}`);
  }
  started = true;
  $('service').textContent = overview.service;
  document.title = `${overview.service}: operator console`;
  setUpStreams(overview.entityTypes, report);
  const loop = async () => {
    await refresh().catch((error) => report(`Refresh failed: ${error.message}`));
    setTimeout(loop, refreshMs);
  };
  void loop();
}

$('token-form').addEventListener('submit', (event) => {
  event.preventDefault();
  setToken($('token').value.trim());
  $('token-form').hidden = true;
  report('Token set');
  if (!started) void start();
});

void start();
