/**
 * RFC 5322 / MIME rendering of a Simple SES message, as the recipient's mail server would store
 * it: CRLF lines, encoded-word subjects, quoted-printable text and HTML as multipart/alternative,
 * base64 attachments under multipart/mixed.
 */

export interface MailAttachment {
  fileName: string;
  contentType: string;
  content: Uint8Array;
  disposition: 'attachment' | 'inline';
}

export interface MailMessage {
  from: string;
  to: string[];
  cc: string[];
  replyTo: string[];
  subject: string;
  text?: string;
  html?: string;
  headers: { name: string; value: string }[];
  attachments: MailAttachment[];
  messageId: string;
  date: Date;
}

const CRLF = '\r\n';

/** `=?UTF-8?B?…?=` when the text is not plain ASCII. */
export function encodeWord(text: string): string {
  return /^[\x20-\x7e]*$/.test(text)
    ? text
    : `=?UTF-8?B?${Buffer.from(text, 'utf8').toString('base64')}?=`;
}

/** Quoted-printable (RFC 2045 §6.7) of UTF-8 text, with CRLF line breaks and 76-column lines. */
export function quotedPrintable(text: string): string {
  return text
    .replace(/\r\n|\r/g, '\n')
    .split('\n')
    .map((line) => {
      const bytes = Buffer.from(line, 'utf8');
      const tokens: string[] = [];
      bytes.forEach((byte, i) => {
        const last = i === bytes.length - 1;
        const literal =
          (byte >= 33 && byte <= 126 && byte !== 61) || ((byte === 32 || byte === 9) && !last);
        tokens.push(
          literal
            ? String.fromCharCode(byte)
            : `=${byte.toString(16).toUpperCase().padStart(2, '0')}`,
        );
      });
      const out: string[] = [];
      let current = '';
      for (const token of tokens) {
        if (current.length + token.length > 75) {
          out.push(`${current}=`);
          current = '';
        }
        current += token;
      }
      out.push(current);
      return out.join(CRLF);
    })
    .join(CRLF);
}

function base64Lines(content: Uint8Array): string {
  return (
    Buffer.from(content)
      .toString('base64')
      .match(/.{1,76}/g) ?? []
  ).join(CRLF);
}

function rfc5322Date(date: Date): string {
  return date.toUTCString().replace(/GMT$/, '+0000');
}

const textPart = (type: 'plain' | 'html', body: string) =>
  [
    `Content-Type: text/${type}; charset=UTF-8`,
    'Content-Transfer-Encoding: quoted-printable',
    '',
    quotedPrintable(body),
  ].join(CRLF);

function multipart(kind: 'alternative' | 'mixed', boundary: string, parts: string[]): string {
  return [
    `Content-Type: multipart/${kind}; boundary="${boundary}"`,
    '',
    ...parts.flatMap((part) => [`--${boundary}`, part]),
    `--${boundary}--`,
    '',
  ].join(CRLF);
}

function attachmentPart(a: MailAttachment): string {
  return [
    `Content-Type: ${a.contentType}; name="${a.fileName}"`,
    `Content-Disposition: ${a.disposition}; filename="${a.fileName}"`,
    'Content-Transfer-Encoding: base64',
    '',
    base64Lines(a.content),
  ].join(CRLF);
}

/** The whole message; `boundary(n)` supplies unique multipart boundaries. */
export function renderEml(message: MailMessage, boundary: (n: number) => string): string {
  const bodies: string[] = [];
  if (message.text !== undefined) bodies.push(textPart('plain', message.text));
  if (message.html !== undefined) bodies.push(textPart('html', message.html));
  let body =
    bodies.length > 1
      ? multipart('alternative', boundary(1), bodies)
      : (bodies[0] ?? textPart('plain', ''));
  if (message.attachments.length) {
    body = multipart('mixed', boundary(2), [body, ...message.attachments.map(attachmentPart)]);
  }
  const headers = [
    `From: ${message.from}`,
    `To: ${message.to.join(`,${CRLF} `)}`,
    ...(message.cc.length ? [`Cc: ${message.cc.join(`,${CRLF} `)}`] : []),
    ...(message.replyTo.length ? [`Reply-To: ${message.replyTo.join(', ')}`] : []),
    `Subject: ${encodeWord(message.subject)}`,
    `Date: ${rfc5322Date(message.date)}`,
    `Message-ID: <${message.messageId}@email.amazonses.com>`,
    ...message.headers.map((h) => `${h.name}: ${encodeWord(h.value)}`),
    'MIME-Version: 1.0',
  ];
  return `${headers.join(CRLF)}${CRLF}${body}`;
}

/** Header values of a raw message (unfolded), for recipients and subject. */
export function rawHeaders(raw: string): Map<string, string> {
  const head = raw.split(/\r?\n\r?\n/, 1)[0] ?? '';
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0)
      headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

export function addressesIn(value: string | undefined): string[] {
  return value?.match(/[^\s<>,;"']+@[^\s<>,;"']+/g) ?? [];
}
