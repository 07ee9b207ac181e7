// The operator API: relative to the page by default (the local runtime serves both), else the
// address in ?api=<url> or the page's <meta name="operator-api">, for a console deployed alone.
const params = new URLSearchParams(location.search);
const meta = document.querySelector('meta[name="operator-api"]')?.getAttribute('content');
const base = new URL(params.get('api') ?? meta ?? 'api/', location.href);
const tokenKey = 'operator-console-token';

/** Thrown for an answer that is not 2xx: its status and the API's detail. */
export class ApiError extends Error {
  constructor(status, detail) {
    super(detail);
    this.status = status;
  }
}

export function setToken(token) {
  if (token) sessionStorage.setItem(tokenKey, token);
  else sessionStorage.removeItem(tokenKey);
}

/** GETs (or POSTs) an API path and answers its JSON body. */
export async function api(path, method = 'GET') {
  const token = sessionStorage.getItem(tokenKey);
  const response = await fetch(new URL(path, base), {
    method,
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new ApiError(response.status, body.detail ?? response.statusText);
  return body;
}

/** An element with text or children; `attrs` set as properties (className, title…). */
export function el(tag, attrs = {}, ...children) {
  const node = Object.assign(document.createElement(tag), attrs);
  node.append(...children.filter((c) => c !== undefined && c !== null));
  return node;
}

/** Replaces a table body's rows, or shows `empty` across the table when there are none. */
export function fillRows(tbody, rows, empty) {
  const columns = tbody.closest('table').querySelectorAll('thead th').length;
  if (rows.length === 0) {
    tbody.replaceChildren(el('tr', {}, el('td', { colSpan: columns, className: 'empty' }, empty)));
  } else {
    tbody.replaceChildren(...rows);
  }
}

export const cells = (...values) =>
  el(
    'tr',
    {},
    ...values.map((v) => (v instanceof Node ? el('td', {}, v) : el('td', {}, String(v)))),
  );

/** "3.2 s", "4 min", "2 h": how long ago, or a lag. */
export function duration(ms) {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

export const time = (iso) => (iso ? new Date(iso).toLocaleString() : '—');
