import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../layers/base/errors';
import {
  base64Lines,
  buildRawMessage,
  encodedWords,
  type RawMessageInput,
} from '../../../../layers/core/classroom/messages/mime';

const csv = '\uFEFFseat,student\r\nseat-001,"Lovelace, Ada"\r\nseat-002,Zoë\r\n';

function message(overrides: Partial<RawMessageInput> = {}): RawMessageInput {
  return {
    from: { name: 'bakehouse classes', address: 'classes@example.org' },
    to: { name: 'Grace Hopper', address: 'grace@example.org' },
    subject: 'genomics-101: 38 of 40 seats ready',
    text: 'Plain text\nsecond line',
    html: '<p>HTML</p>',
    attachments: [{ filename: 'roster.csv', contentType: 'text/csv; charset=utf-8', content: csv }],
    ...overrides,
  };
}

interface Part {
  headers: Record<string, string>;
  body: string;
}

/** Headers (unfolded, keys lowercased) and body of an entity, split at the first blank line. */
function parseEntity(entity: string): Part {
  const split = entity.indexOf('\r\n\r\n');
  const headers: Record<string, string> = {};
  for (const line of entity
    .slice(0, split)
    .replace(/\r\n[ \t]/g, ' ')
    .split('\r\n')) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, body: entity.slice(split + 4) };
}

function boundaryOf(part: Part): string {
  const match = /boundary="([^"]+)"/.exec(part.headers['content-type'] ?? '');
  if (!match?.[1]) throw new Error('no boundary');
  return match[1];
}

/** The parts of a multipart body, as RFC 2046 delimits them. */
function partsOf(multipart: Part): Part[] {
  const boundary = boundaryOf(multipart);
  const [, ...chunks] = multipart.body.split(`--${boundary}`);
  expect(chunks.at(-1)?.startsWith('--')).toBe(true);
  return chunks.slice(0, -1).map((chunk) => parseEntity(chunk.slice(2, -2)));
}

const decodeBase64 = (body: string) =>
  Buffer.from(body.replace(/\r\n/g, ''), 'base64').toString('utf8');

function decodeWords(header: string): string {
  return header
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?UTF-8\?B\?([^?]*)\?=/g, (_, b64: string) =>
      Buffer.from(b64, 'base64').toString('latin1'),
    )
    .replace(/[\x80-\xff]+/g, (bytes) => Buffer.from(bytes, 'latin1').toString('utf8'));
}

describe('buildRawMessage', () => {
  it('builds multipart/mixed holding text and HTML alternatives and the roster', () => {
    // Act
    const raw = buildRawMessage(message());

    // Assess
    const top = parseEntity(raw);
    expect(top.headers).toMatchObject({
      from: '"bakehouse classes" <classes@example.org>',
      to: '"Grace Hopper" <grace@example.org>',
      subject: 'genomics-101: 38 of 40 seats ready',
      'mime-version': '1.0',
    });
    expect(top.headers['content-type']).toMatch(/^multipart\/mixed; boundary="=_/);
    const [alternative, attachment, extra] = partsOf(top);
    expect(extra).toBeUndefined();
    expect(alternative?.headers['content-type']).toMatch(/^multipart\/alternative; boundary="=_/);
    const [plain, html] = partsOf(alternative as Part);
    expect(plain?.headers).toEqual({
      'content-type': 'text/plain; charset=UTF-8',
      'content-transfer-encoding': 'base64',
    });
    expect(decodeBase64(plain?.body ?? '')).toBe('Plain text\r\nsecond line');
    expect(html?.headers['content-type']).toBe('text/html; charset=UTF-8');
    expect(decodeBase64(html?.body ?? '')).toBe('<p>HTML</p>');
    expect(attachment?.headers).toEqual({
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': 'attachment; filename="roster.csv"',
      'content-transfer-encoding': 'base64',
    });
    expect(decodeBase64(attachment?.body ?? '')).toBe(csv);
  });

  it('uses CRLF for every line break and keeps lines within 78 characters', () => {
    // Prepare
    const bigCsv = 'seat,student\r\n'.repeat(500);

    // Act
    const raw = buildRawMessage(
      message({
        attachments: [{ filename: 'roster.csv', contentType: 'text/csv', content: bigCsv }],
      }),
    );

    // Assess
    expect(raw.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(raw.endsWith('\r\n')).toBe(true);
    const lines = raw.split('\r\n');
    expect(Math.max(...lines.map((line) => line.length))).toBeLessThanOrEqual(78);
  });

  it('renders the same message to the same bytes, and another message with other boundaries', () => {
    // Act
    const first = buildRawMessage(message());
    const again = buildRawMessage(message());
    const other = buildRawMessage(message({ text: 'different' }));

    // Assess
    expect(again).toBe(first);
    expect(boundaryOf(parseEntity(other))).not.toBe(boundaryOf(parseEntity(first)));
  });

  it('encodes a non-ASCII subject and display name as UTF-8 encoded words', () => {
    // Prepare
    const subject = 'Génomique 101 : 38 sièges prêts — 準備完了 ✅ '.repeat(3);

    // Act
    const raw = buildRawMessage(
      message({ subject, to: { name: 'Zoë Ørsted', address: 'zoe@example.org' } }),
    );

    // Assess
    const { headers } = parseEntity(raw);
    expect(headers.subject).toMatch(/^=\?UTF-8\?B\?/);
    expect(decodeWords(headers.subject ?? '')).toBe(subject);
    expect(decodeWords(headers.to ?? '')).toBe('Zoë Ørsted <zoe@example.org>');
    expect(raw.split('\r\n').every((line) => /^[\x20-\x7e]*$/.test(line))).toBe(true);
  });

  it('quotes an ASCII display name and escapes its quotes', () => {
    // Act
    const raw = buildRawMessage(
      message({ to: { name: 'Grace "Amazing" Hopper', address: 'grace@example.org' } }),
    );

    // Assess
    expect(parseEntity(raw).headers.to).toBe('"Grace \\"Amazing\\" Hopper" <grace@example.org>');
  });

  it('lists several recipients and adds Reply-To and Date when given', () => {
    // Act
    const raw = buildRawMessage(
      message({
        to: ['a@example.org', { address: 'b@example.org' }],
        replyTo: 'grace@example.org',
        date: new Date('2026-03-10T08:00:00Z'),
      }),
    );

    // Assess
    expect(parseEntity(raw).headers).toMatchObject({
      to: 'a@example.org, b@example.org',
      'reply-to': 'grace@example.org',
      date: 'Tue, 10 Mar 2026 08:00:00 +0000',
    });
  });

  it('encodes a non-ASCII attachment name the RFC 2231 way', () => {
    // Act
    const raw = buildRawMessage(
      message({
        attachments: [{ filename: "liste d'élèves.csv", contentType: 'text/csv', content: 'x' }],
      }),
    );

    // Assess
    expect(raw).toContain(
      "Content-Disposition: attachment; filename*=UTF-8''liste%20d%27%C3%A9l%C3%A8ves.csv",
    );
  });

  it('carries binary attachments byte for byte', () => {
    // Prepare
    const bytes = new Uint8Array(256).map((_, i) => i);

    // Act
    const raw = buildRawMessage(
      message({
        attachments: [
          { filename: 'all.bin', contentType: 'application/octet-stream', content: bytes },
        ],
      }),
    );

    // Assess
    const attachment = partsOf(parseEntity(raw))[1];
    expect(Buffer.from((attachment?.body ?? '').replace(/\r\n/g, ''), 'base64')).toEqual(
      Buffer.from(bytes),
    );
  });

  it.each([
    ['subject', { subject: 'Hello\r\nBcc: everyone@example.org' }, 'subject'],
    [
      'display name',
      { to: { name: 'Eve\nBcc: x@example.org', address: 'eve@example.org' } },
      'to.name',
    ],
    ['address', { from: 'classes@example.org\r\nBcc: x@example.org' }, 'from'],
    [
      'attachment name',
      { attachments: [{ filename: 'a.csv\r\nX-Evil: 1', contentType: 'text/csv', content: '' }] },
      'attachments[0].filename',
    ],
    [
      'content type',
      { attachments: [{ filename: 'a.csv', contentType: 'text/csv\r\nX-Evil: 1', content: '' }] },
      'attachments[0].contentType',
    ],
  ])('refuses a line break in the %s', (_case, overrides, path) => {
    // Act
    const act = () => buildRawMessage(message(overrides as Partial<RawMessageInput>));

    // Assess
    expect(act).toThrow(ValidationError);
    try {
      act();
    } catch (error) {
      expect((error as ValidationError).issues.map((issue) => issue.path)).toContain(path);
    }
  });
});

describe('encodedWords', () => {
  it('keeps each word within 75 characters without splitting a character', () => {
    // Prepare
    const text = '😀é'.repeat(40);

    // Act
    const words = encodedWords(text);

    // Assess
    expect(words.length).toBeGreaterThan(1);
    expect(words.every((word) => word.length <= 75)).toBe(true);
    const decoded = words.map((word) => Buffer.from(word.slice(10, -2), 'base64').toString('utf8'));
    expect(decoded.join('')).toBe(text);
    expect(decoded.every((piece) => !piece.includes('\uFFFD'))).toBe(true);
  });
});

describe('base64Lines', () => {
  it('wraps at 76 characters', () => {
    // Act
    const lines = base64Lines('x'.repeat(200)).split('\r\n');

    // Assess
    expect(lines.map((line) => line.length)).toEqual([76, 76, 76, 40]);
  });
});
