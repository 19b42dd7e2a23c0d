// The class page: one HTML document, small enough for a phone, that renders the page status and
// polls it again while seats change. It holds no secret: the signed link's expiry and signature
// stay in the address bar, from where the script adds them to its own requests.
import { escapeHtml } from '../../classroom/messages/email';
import type { PageStatus } from '../schemas';

const STYLE = `
body{font-family:system-ui,sans-serif;margin:0 auto;padding:1em;max-width:48em;line-height:1.4}
h1{font-size:1.4em;margin:.2em 0}table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.35em .4em;border-bottom:1px solid #ddd;vertical-align:top}
td.state{font-weight:600}button{font-size:1em;padding:.45em .8em;margin:.15em .3em .15em 0}
#message{min-height:1.4em;color:#555}.over{color:#b00020;font-weight:600}
@media (max-width:36em){body{padding:.6em}th.url,td.url{display:none}th,td{padding:.3em .15em}
td button{font-size:.85em;padding:.35em .5em;margin:.1em 0;display:block}}`;

/** The page's script: renders a status, calls the page routes, polls while seats change. */
const SCRIPT = `
const link = new URLSearchParams(location.search);
const base = location.pathname.replace(/\\/+$/, '');
const signed = (path) => base + path + '?' + new URLSearchParams({ expires: link.get('expires') || '', sig: link.get('sig') || '' });
const el = (tag, text, cls) => { const e = document.createElement(tag); if (text !== undefined) e.textContent = text; if (cls) e.className = cls; return e; };
const usd = (n) => n === null ? 'none' : '$' + n.toFixed(2);
let timer;
function say(text) { document.getElementById('message').textContent = text; }
async function act(action, seat, body) {
  const path = seat ? '/seats/' + encodeURIComponent(seat) + '/' + action : '/' + action;
  say(action + (seat ? ' ' + seat : '') + '…');
  const response = await fetch(signed(path), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body || {}) });
  const answer = await response.json().catch(() => ({}));
  say(response.ok ? action + ': done' : action + ' refused: ' + (answer.message || response.status));
  refresh(1000);
}
function render(status) {
  const c = status.class;
  document.getElementById('state').textContent = c.state;
  const cost = document.getElementById('cost');
  cost.textContent = usd(c.costSoFarUSD) + ' so far of ' + usd(c.estimateUSD) + ' estimated; budget ' + usd(c.budgetUSD);
  cost.className = c.budgetUSD !== null && c.costSoFarUSD > c.budgetUSD ? 'over' : '';
  const schedule = document.getElementById('schedule');
  schedule.replaceChildren(...status.schedule.map((s) => el('li', s.start.replace('T', ' ') + ' – ' + s.end.replace('T', ' ') + ' (' + status.timezone + ')')));
  document.getElementById('next').textContent = status.next ? 'Next: ' + status.next.step + ' at ' + status.next.at : '';
  const emailed = new Set(status.emailed);
  const rows = c.seats.map((seat) => {
    const tr = el('tr');
    tr.dataset.seat = seat.seat;
    tr.append(el('td', seat.seat), el('td', seat.student || '—'), el('td', seat.state, 'state'), el('td', emailed.has(seat.seat) ? 'yes' : 'no'));
    const url = el('td', undefined, 'url');
    if (seat.url && /^https?:/.test(seat.url)) { const a = el('a', seat.url); a.href = seat.url; a.rel = 'noreferrer'; url.append(a); }
    const buttons = el('td');
    for (const action of ['replace', 'resend'].filter((a) => status.actions.includes(a))) {
      const b = el('button', action); b.onclick = () => act(action, seat.seat); buttons.append(b);
    }
    tr.append(url, buttons);
    return tr;
  });
  document.getElementById('seats').replaceChildren(...rows);
  const controls = document.getElementById('controls');
  controls.replaceChildren(...['stop', 'start', 'extend'].filter((a) => status.actions.includes(a)).map((action) => {
    const b = el('button', action);
    b.onclick = () => {
      if (action !== 'extend') return act(action);
      const end = prompt('New end of the class (ISO date and time, e.g. 2030-01-31T17:00:00Z)');
      if (end) act('extend', undefined, { end });
    };
    return b;
  }));
  const changing = c.state === 'seating' || c.seats.some((s) => s.state === 'pending');
  refresh(changing ? 3000 : 30000);
}
function refresh(ms) {
  clearTimeout(timer);
  timer = setTimeout(async () => {
    try {
      const response = await fetch(signed('/status'));
      if (!response.ok) { say('refresh refused (' + response.status + '): the link may have expired'); return; }
      render(await response.json());
    } catch { say('could not refresh; trying again'); refresh(10000); }
  }, ms);
}
render(JSON.parse(document.getElementById('status').textContent));
`;

/** JSON inside a <script> element: no `<` can close it. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

export function classPageHtml(status: PageStatus): string {
  const name = escapeHtml(status.class.name);
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<title>${name}</title><style>${STYLE}</style></head><body>`,
    `<h1>${name}</h1>`,
    '<p>Class <b id="state"></b> · <span id="cost"></span></p>',
    '<ul id="schedule"></ul><p id="next"></p>',
    '<div id="controls"></div><p id="message" role="status"></p>',
    '<table><thead><tr><th>Seat</th><th>Student</th><th>State</th><th>Emailed</th>',
    '<th class="url">Link</th><th></th></tr></thead><tbody id="seats"></tbody></table>',
    `<script type="application/json" id="status">${scriptJson(status)}</script>`,
    `<script>${SCRIPT}</script>`,
    '</body></html>',
  ].join('\n');
}
