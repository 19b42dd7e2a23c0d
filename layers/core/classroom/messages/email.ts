// The emails of a class, rendered as text and HTML: a student's seat, the instructor's summary.
import type { CostEstimate } from '../../cost';
import type { Student } from '../request/contacts';
import { parseLocalDateTime, type Schedule } from '../request/schedule';
import { countSeats, type RosterRecord } from '../roster';
import { loginLink } from '../seats/seat-url';

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

type ClassTimes = Pick<Schedule, 'start' | 'end' | 'timezone'>;
interface Contact {
  name?: string | undefined;
  email: string;
}

/** Problems listed one by one in the instructor's email; the roster has all of them. */
const MAX_LISTED_PROBLEMS = 50;

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** `2026-03-10T17:00` → `Tuesday 10 March 2026 at 17:00`, the same on every runtime. */
export function describeLocalTime(localDateTime: string): string {
  const local = parseLocalDateTime(localDateTime);
  if (!local) return localDateTime;
  const weekday = WEEKDAYS[new Date(Date.UTC(local.year, local.month - 1, local.day)).getUTCDay()];
  const time = `${String(local.hour).padStart(2, '0')}:${String(local.minute).padStart(2, '0')}`;
  return `${weekday} ${local.day} ${MONTHS[local.month - 1]} ${local.year} at ${time}`;
}

function describeClassTimes({ start, end, timezone }: ClassTimes): string {
  return `from ${describeLocalTime(start)} to ${describeLocalTime(end)} (${timezone} time)`;
}

const HTML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text made inert for HTML content and attribute values alike. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ENTITIES[char] ?? char);
}

const contactText = ({ name, email }: Contact) => (name ? `${name} <${email}>` : email);

function contactHtml({ name, email }: Contact): string {
  const link = `<a href="mailto:${escapeHtml(email)}">${escapeHtml(email)}</a>`;
  return name ? `${escapeHtml(name)} (${link})` : link;
}

/** Only web addresses become links; anything else (`javascript:` …) stays visible text. */
function linkHtml(url: string): string {
  const shown = escapeHtml(url);
  return /^https?:\/\//i.test(url) ? `<a href="${shown}">${shown}</a>` : shown;
}

function htmlDocument(title: string, body: string[]): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    `<head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>`,
    '<body style="font-family: sans-serif; line-height: 1.5; max-width: 40em">',
    ...body,
    '</body>',
    '</html>',
  ].join('\n');
}

export interface StudentEmailInput {
  className: string;
  student: Student;
  url: string;
  password: string;
  token: string;
  schedule: ClassTimes;
  instructor: Contact;
}

const PLAIN_HTTP_WARNING =
  'This seat is reached over plain HTTP, without encryption: anyone on the same network can read ' +
  'your password and your work on the way. Use it only for the class, never reuse its password, ' +
  'and keep personal or confidential data off it.';

/**
 * The one email a student gets: the link that logs them in, the password for when it does not,
 * when it ends, whom to ask; and a warning when the seat has no TLS.
 */
export function studentEmail(input: StudentEmailInput): RenderedEmail {
  const { className, student, url, password, token, schedule, instructor } = input;
  const subject = `Your Jupyter seat for ${className}`;
  const when = describeClassTimes(schedule);
  const link = /^https?:\/\//i.test(url) ? loginLink(url, token) : url;
  const plainHttp = /^http:\/\//i.test(url);
  const ending =
    'When the class ends, your seat is stopped: you can no longer open it or the files on it. ' +
    'Before then, download every notebook and file you want to keep ' +
    '(right-click it in the file browser and choose Download).';
  const tokenLine =
    'For advanced users: your API token lets scripts and editors such as VS Code connect to ' +
    'your seat without the password. Keep it private:';
  const text = [
    `Hello ${student.name},`,
    '',
    `Your Jupyter seat for ${className} is ready. All you need is a web browser.`,
    '',
    '1. Open this link, which logs you in:',
    `   ${link}`,
    `2. Later, or on another device, open ${url} and type this password:`,
    `   ${password}`,
    '',
    ...(plainHttp ? [PLAIN_HTTP_WARNING, ''] : []),
    `The class runs ${when}.`,
    ending,
    '',
    tokenLine,
    `   ${token}`,
    '',
    `Questions? Write to ${contactText(instructor)}.`,
    '',
  ].join('\n');
  const html = htmlDocument(subject, [
    `<p>Hello ${escapeHtml(student.name)},</p>`,
    `<p>Your Jupyter seat for <strong>${escapeHtml(className)}</strong> is ready. All you need is a web browser.</p>`,
    '<ol>',
    `<li>Open this link, which logs you in: ${linkHtml(link)}</li>`,
    `<li>Later, or on another device, open ${linkHtml(url)} and type this password: <code style="font-size: 1.2em">${escapeHtml(password)}</code></li>`,
    '</ol>',
    ...(plainHttp ? [`<p><strong>${escapeHtml(PLAIN_HTTP_WARNING)}</strong></p>`] : []),
    `<p>The class runs ${escapeHtml(when)}.<br><strong>${escapeHtml(ending)}</strong></p>`,
    `<p style="color: #555">${escapeHtml(tokenLine)} <code>${escapeHtml(token)}</code></p>`,
    `<p>Questions? Write to ${contactHtml(instructor)}.</p>`,
  ]);
  return { subject, text, html };
}

export interface InstructorEmailInput {
  className: string;
  records: readonly RosterRecord[];
  estimate: CostEstimate;
  schedule: ClassTimes;
}

const money = (amount: number) => `$${amount.toFixed(2)}`;

function describeProblem(record: RosterRecord): string {
  const who = record.studentName
    ? ` (${record.studentName}${record.email ? ` <${record.email}>` : ''})`
    : '';
  return `${record.seatId}${who}: ${record.state}, ${record.reason ?? 'no reason recorded'}`;
}

/** The instructor's summary: how many seats work, which do not and why, what it costs. */
export function instructorEmail(input: InstructorEmailInput): RenderedEmail {
  const { className, records, estimate, schedule } = input;
  const counts = countSeats(records);
  const subject = `${className}: ${counts.ready} of ${counts.total} seats ready`;
  const summary =
    `${counts.ready} of ${counts.total} seats are ready, ` +
    `${counts.failed} failed, ${counts.unplaced} could not be placed.`;
  const when = `The class runs ${describeClassTimes(schedule)}; every seat is stopped at the end.`;
  const problems = records.filter((record) => record.state !== 'ready').map(describeProblem);
  const listed = problems.slice(0, MAX_LISTED_PROBLEMS);
  const more = problems.length - listed.length;
  const moreLine = more > 0 ? `…and ${more} more: see the roster.` : undefined;
  const cost =
    `Estimated cost: ${money(estimate.total)} (compute ${money(estimate.compute)}, ` +
    `storage ${money(estimate.storage)}, public IPv4 ${money(estimate.ipv4)}, ` +
    `orchestration ${money(estimate.orchestration)}).`;
  const roster =
    'The attached roster lists every seat with its student, address and state. It holds no ' +
    'passwords: each student received their own by email.';
  const text = [
    `${className}: ${summary}`,
    '',
    when,
    '',
    ...(problems.length
      ? ['Problems:', ...listed.map((line) => `- ${line}`), ...(moreLine ? [moreLine] : []), '']
      : ['No problems.', '']),
    cost,
    ...estimate.assumptions.map((assumption) => `  · ${assumption}`),
    '',
    roster,
    '',
  ].join('\n');
  const html = htmlDocument(subject, [
    `<p><strong>${escapeHtml(className)}</strong>: ${escapeHtml(summary)}</p>`,
    `<p>${escapeHtml(when)}</p>`,
    ...(problems.length
      ? [
          '<p>Problems:</p>',
          '<ul>',
          ...listed.map((line) => `<li>${escapeHtml(line)}</li>`),
          '</ul>',
          ...(moreLine ? [`<p>${escapeHtml(moreLine)}</p>`] : []),
        ]
      : ['<p>No problems.</p>']),
    `<p>${escapeHtml(cost)}</p>`,
    '<ul style="color: #555">',
    ...estimate.assumptions.map((assumption) => `<li>${escapeHtml(assumption)}</li>`),
    '</ul>',
    `<p>${escapeHtml(roster)}</p>`,
  ]);
  return { subject, text, html };
}
