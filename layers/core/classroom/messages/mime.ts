// Raw MIME messages with attachments, built so no header can be injected.
import { createHash } from 'node:crypto';
import * as z from 'zod';
import { parseOrThrow } from '../../../base/validate';
import { EmailAddressSchema } from '../request/contacts';

const CRLF = '\r\n';

/** Header text may hold anything printable, never the CR/LF that would start a new header. */
const HeaderTextSchema = z.string().refine((text) => !/[\r\n\0]/.test(text), {
  message: 'must not contain line breaks or NUL',
});

const MailboxSchema = z.union([
  EmailAddressSchema,
  z.strictObject({ name: HeaderTextSchema.optional(), address: EmailAddressSchema }),
]);
export type Mailbox = z.infer<typeof MailboxSchema>;

export const AttachmentSchema = z.strictObject({
  filename: HeaderTextSchema.refine((name) => name.length > 0 && !/[/\\]/.test(name), {
    message: 'must be a plain file name',
  }),
  contentType: z
    .string()
    .regex(/^[a-z]+\/[a-z0-9.+-]+(; ?[a-z-]+=[a-z0-9.+-]+)*$/i, 'must be a MIME type'),
  content: z.union([z.string(), z.instanceof(Uint8Array)]),
});
export type Attachment = z.infer<typeof AttachmentSchema>;

export const RawMessageSchema = z.strictObject({
  from: MailboxSchema,
  to: z.union([MailboxSchema, z.array(MailboxSchema).min(1)]),
  replyTo: MailboxSchema.optional(),
  subject: HeaderTextSchema,
  text: z.string(),
  html: z.string(),
  attachments: z.array(AttachmentSchema).default([]),
  /** Becomes the Date header; without it SES stamps the time of sending. */
  date: z.date().optional(),
});
export type RawMessageInput = z.input<typeof RawMessageSchema>;

const isPlainAscii = (text: string) => /^[\x20-\x7e]*$/.test(text);

/** `=?UTF-8?B?…?=` words of at most 42 bytes each, never splitting a character (RFC 2047). */
export function encodedWords(text: string): string[] {
  const words: string[] = [];
  let chunk = '';
  for (const char of text) {
    if (Buffer.byteLength(chunk + char) > 42) {
      words.push(chunk);
      chunk = '';
    }
    chunk += char;
  }
  if (chunk || words.length === 0) words.push(chunk);
  return words.map((word) => `=?UTF-8?B?${Buffer.from(word).toString('base64')}?=`);
}

function unstructured(name: string, text: string): string {
  if (isPlainAscii(text) && name.length + 2 + text.length <= 78) return `${name}: ${text}`;
  return `${name}: ${encodedWords(text).join(`${CRLF} `)}`;
}

function mailbox(box: Mailbox): string {
  if (typeof box === 'string') return box;
  if (!box.name) return box.address;
  const display = isPlainAscii(box.name)
    ? `"${box.name.replace(/[\\"]/g, '\\$&')}"`
    : encodedWords(box.name).join(`${CRLF} `);
  return `${display} <${box.address}>`;
}

function addressList(name: string, boxes: Mailbox | Mailbox[]): string {
  return `${name}: ${[boxes].flat().map(mailbox).join(`,${CRLF} `)}`;
}

/** Base64 in lines of 76 characters, as RFC 2045 requires. */
export function base64Lines(content: string | Uint8Array): string {
  const encoded = Buffer.from(content).toString('base64');
  return (encoded.match(/.{1,76}/g) ?? []).join(CRLF);
}

/** Text parts are sent in canonical form: every line break CRLF. */
const canonicalText = (text: string) => text.replace(/\r?\n/g, CRLF);

function part(headers: string[], body: string): string {
  return `${headers.join(CRLF)}${CRLF}${CRLF}${body}`;
}

function multipart(boundary: string, parts: string[]): string {
  return `${parts.map((p) => `--${boundary}${CRLF}${p}${CRLF}`).join('')}--${boundary}--`;
}

/** `filename="roster.csv"`, or the RFC 2231 form when the name is not plain ASCII. */
function filenameParameter(filename: string): string {
  if (isPlainAscii(filename) && !/["\\]/.test(filename)) return `filename="${filename}"`;
  return `filename*=UTF-8''${encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}

/**
 * Boundaries begin with `=_`, which base64 never produces, and are derived from the content so
 * the same message always renders to the same bytes.
 */
function boundaries(message: z.infer<typeof RawMessageSchema>): {
  mixed: string;
  alternative: string;
} {
  const hash = createHash('sha256');
  for (const value of [message.subject, message.text, message.html])
    hash.update(value).update('\0');
  for (const attachment of message.attachments) {
    hash.update(attachment.filename).update('\0').update(attachment.content).update('\0');
  }
  const digest = hash.digest('hex').slice(0, 32);
  return { mixed: `=_mixed_${digest}`, alternative: `=_alt_${digest}` };
}

/**
 * An RFC 5322 message for SES `Content.Raw`: multipart/mixed holding a multipart/alternative
 * (plain text and HTML) and the attachments, all bodies base64. Header values with CR/LF are
 * refused with a ValidationError naming the field, so no input can add a header.
 */
export function buildRawMessage(input: RawMessageInput): string {
  const message = parseOrThrow(RawMessageSchema, input, 'email message');
  const { mixed, alternative } = boundaries(message);
  const headers = [
    addressList('From', message.from),
    addressList('To', message.to),
    ...(message.replyTo ? [addressList('Reply-To', message.replyTo)] : []),
    unstructured('Subject', message.subject),
    ...(message.date ? [`Date: ${message.date.toUTCString().replace('GMT', '+0000')}`] : []),
    'MIME-Version: 1.0',
    `Content-Type: multipart/mixed;${CRLF} boundary="${mixed}"`,
  ];
  const textPart = (type: string, body: string) =>
    part(
      [`Content-Type: ${type}; charset=UTF-8`, 'Content-Transfer-Encoding: base64'],
      base64Lines(canonicalText(body)),
    );
  const body = part(
    [`Content-Type: multipart/alternative;${CRLF} boundary="${alternative}"`],
    multipart(alternative, [
      textPart('text/plain', message.text),
      textPart('text/html', message.html),
    ]),
  );
  const attachments = message.attachments.map((attachment) =>
    part(
      [
        `Content-Type: ${attachment.contentType}`,
        `Content-Disposition: attachment; ${filenameParameter(attachment.filename)}`,
        'Content-Transfer-Encoding: base64',
      ],
      base64Lines(attachment.content),
    ),
  );
  return part(headers, `${multipart(mixed, [body, ...attachments])}${CRLF}`);
}
