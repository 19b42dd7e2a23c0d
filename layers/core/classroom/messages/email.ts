// The emails of a class, rendered as text and HTML: a student's seat, the instructor's summary.
import { type CostEstimate, describeEstimate } from '../../cost/estimate';
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

/**
 * How a class that lasts beyond one session keeps the students' work: its sessions (wall-clock
 * times in the class's zone) and when the seats and their files are deleted.
 */
export interface ClassLife {
  sessions: { start: string; end: string }[];
  /** Local date-time at which the seats, with every file on them, are deleted. */
  deletedAt: string;
}

/** `The class runs …` for one session; each session listed for several. */
function describeSessions(schedule: ClassTimes, life: ClassLife | undefined): string {
  if (!life || life.sessions.length < 2) return `The class runs ${describeClassTimes(schedule)}`;
  const each = life.sessions.map(
    (s) => `from ${describeLocalTime(s.start)} to ${describeLocalTime(s.end)}`,
  );
  return `The class meets ${life.sessions.length} times (${schedule.timezone} time): ${each.join('; ')}`;
}

/** What happens to a student's files, and until when they are kept. */
function describeKeeping(timezone: string, life: ClassLife): string {
  const between =
    life.sessions.length > 1
      ? 'Between sessions your seat is stopped and your files stay on it; it is started again (and you are sent its new address if it changes) before the next. '
      : 'When the class ends, your seat is stopped and your files stay on it. ';
  return (
    `${between}After the last session your files are kept until ${describeLocalTime(life.deletedAt)} (${timezone} time); ` +
    'then the seat and every file on it are deleted. Before then, download every notebook and file you want to keep ' +
    '(right-click it in the file browser and choose Download).'
  );
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

export function htmlDocument(title: string, body: string[]): string {
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
  /** Sessions and retention; without it, the seat is described as stopped at the end. */
  life?: ClassLife;
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
  const { className, student, url, password, token, schedule, instructor, life } = input;
  const subject = `Your Jupyter seat for ${className}`;
  const when = describeSessions(schedule, life);
  const ending = life
    ? describeKeeping(schedule.timezone, life)
    : 'When the class ends, your seat is stopped: you can no longer open it or the files on it. ' +
      'Before then, download every notebook and file you want to keep ' +
      '(right-click it in the file browser and choose Download).';
  const link = /^https?:\/\//i.test(url) ? loginLink(url, token) : url;
  const plainHttp = /^http:\/\//i.test(url);
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
    `${when}.`,
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
    `<p>${escapeHtml(when)}.<br><strong>${escapeHtml(ending)}</strong></p>`,
    `<p style="color: #555">${escapeHtml(tokenLine)} <code>${escapeHtml(token)}</code></p>`,
    `<p>Questions? Write to ${contactHtml(instructor)}.</p>`,
  ]);
  return { subject, text, html };
}

export interface InstructorEmailInput {
  className: string;
  /** Every seat; a ready seat with a `reason` is one whose student was not emailed. */
  records: readonly RosterRecord[];
  estimate: CostEstimate;
  schedule: ClassTimes;
  /**
   * The attachment holding the password and token of each ready seat whose student was not
   * emailed (seats without a student among them), when there is one.
   */
  credentialsFile?: string | undefined;
  /** Sessions and retention; without it, seats are described as stopped at the end. */
  life?: ClassLife;
  /** The signed link to the class page, when the deployment has one to give. */
  pageLink?: { url: string; expiresAt: string } | undefined;
}

/** What the class page is for, and that its link is not to be passed on. */
const pageParagraph = (link: { expiresAt: string }) =>
  `The class page shows every seat, who was emailed and what the class has cost, with buttons to stop, start or extend it. ` +
  `Its link works until ${link.expiresAt} (UTC); anyone who has it can act on the class, so keep it to yourself.`;

function describeProblem(record: RosterRecord): string {
  const who = record.studentName
    ? ` (${record.studentName}${record.email ? ` <${record.email}>` : ''})`
    : '';
  return `${record.seatId}${who}: ${record.state}, ${record.reason ?? 'no reason recorded'}`;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** Who has their credentials and how: what the instructor's email says about the roster. */
export function credentialsParagraph(
  records: readonly RosterRecord[],
  credentialsFile: string | undefined,
): string {
  const ready = records.filter((record) => record.state === 'ready');
  const withStudent = ready.filter((record) => record.email);
  const emailed = withStudent.filter((record) => record.reason === undefined).length;
  const notEmailed = withStudent.length - emailed;
  const anonymous = ready.length - withStudent.length;
  const lines = [
    'The attached roster lists every seat with its student, address and state. It holds no passwords.',
  ];
  if (withStudent.length > 0 && notEmailed === 0) {
    lines.push(
      withStudent.length === 1
        ? 'The student with a ready seat received their password by email.'
        : `Each of the ${withStudent.length} students with a ready seat received their own password by email.`,
    );
  } else if (withStudent.length > 0) {
    lines.push(
      `${emailed} of ${withStudent.length} students with a ready seat received their password by email; ${plural(notEmailed, 'was', 'were')} not (see Problems).`,
    );
  }
  const handOut = notEmailed + anonymous;
  if (handOut > 0) {
    const whose = [
      anonymous > 0 ? plural(anonymous, 'seat without a student', 'seats without a student') : '',
      notEmailed > 0 ? plural(notEmailed, 'student not emailed', 'students not emailed') : '',
    ]
      .filter(Boolean)
      .join(' and ');
    lines.push(
      credentialsFile
        ? `The password and token of the ${whose} are in the attached ${credentialsFile}: hand them out yourself, and keep that file private.`
        : `No email carries the password of the ${whose}: they are stored only in the class's SSM parameters.`,
    );
  }
  return lines.join(' ');
}

/** The instructor's summary: how many seats work, which do not and why, what it costs. */
export function instructorEmail(input: InstructorEmailInput): RenderedEmail {
  const { className, records, estimate, schedule, credentialsFile, life, pageLink } = input;
  const counts = countSeats(records);
  const subject = `${className}: ${counts.ready} of ${counts.total} seats ready`;
  const summary =
    `${counts.ready} of ${counts.total} seats are ready, ` +
    `${counts.failed} failed, ${counts.unplaced} could not be placed.`;
  const when = life
    ? `${describeSessions(schedule, life)}; every seat is stopped after each session, and with its files deleted on ${describeLocalTime(life.deletedAt)} (${schedule.timezone} time).`
    : `The class runs ${describeClassTimes(schedule)}; every seat is stopped at the end.`;
  const problems = records
    .filter((record) => record.state !== 'ready' || record.reason !== undefined)
    .map(describeProblem);
  const listed = problems.slice(0, MAX_LISTED_PROBLEMS);
  const more = problems.length - listed.length;
  const moreLine = more > 0 ? `…and ${more} more: see the roster.` : undefined;
  const cost = `Estimated cost for the class's whole life: ${describeEstimate(estimate)}.`;
  const roster = credentialsParagraph(records, credentialsFile);
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
    ...(pageLink ? [`Class page: ${pageLink.url}`, pageParagraph(pageLink), ''] : []),
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
    ...(pageLink
      ? [
          `<p>Class page: ${linkHtml(pageLink.url)}</p>`,
          `<p>${escapeHtml(pageParagraph(pageLink))}</p>`,
        ]
      : []),
  ]);
  return { subject, text, html };
}
