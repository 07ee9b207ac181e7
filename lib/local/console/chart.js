// The write-rate chart: commits as bars and conflicts as a line, one per bucket, in inline SVG.
const ns = 'http://www.w3.org/2000/svg';
const width = 600;
const height = 140;
const pad = { left: 34, right: 8, top: 8, bottom: 18 };

function svg(tag, attrs) {
  const node = document.createElementNS(ns, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  return node;
}

/** Draws `series` (the API's /metrics) into `container`, replacing what was there. */
export function drawRate(container, series) {
  const { buckets, bucketSeconds } = series;
  const top = Math.max(1, ...buckets.map((b) => Math.max(b.commits, b.conflicts)));
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const step = plotW / Math.max(1, buckets.length);
  const y = (v) => pad.top + plotH - (v / top) * plotH;
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart' });
  for (const v of [0, top]) {
    chart.append(
      svg('line', { x1: pad.left, x2: width - pad.right, y1: y(v), y2: y(v), class: 'grid' }),
    );
    const label = svg('text', { x: pad.left - 4, y: y(v) + 4, 'text-anchor': 'end' });
    label.textContent = String(v);
    chart.append(label);
  }
  buckets.forEach((b, i) => {
    const bar = svg('rect', {
      x: pad.left + i * step + 1,
      y: y(b.commits),
      width: Math.max(1, step - 2),
      height: pad.top + plotH - y(b.commits),
      class: 'commits',
    });
    const title = svg('title', {});
    title.textContent = `${new Date(b.at).toLocaleTimeString()}: ${b.commits} commits, ${b.events} events, ${b.conflicts} conflicts`;
    bar.append(title);
    chart.append(bar);
  });
  const points = buckets.map((b, i) => `${pad.left + (i + 0.5) * step},${y(b.conflicts)}`);
  chart.append(svg('polyline', { points: points.join(' '), class: 'conflicts' }));
  const minutes = Math.round((buckets.length * bucketSeconds) / 60);
  const axis = svg('text', { x: pad.left, y: height - 4 });
  axis.textContent = `${minutes} min ago`;
  const now = svg('text', { x: width - pad.right, y: height - 4, 'text-anchor': 'end' });
  now.textContent = 'now';
  chart.append(axis, now);
  container.replaceChildren(chart);
}
