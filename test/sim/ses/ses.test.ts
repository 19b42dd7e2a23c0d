import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import {
  MessageRejected,
  SendEmailCommand,
  type SendEmailCommandInput,
  TooManyRequestsException,
} from '@aws-sdk/client-sesv2';
import { describe, expect, it } from 'vitest';
import { SECOND } from '../../../local/sim/kernel/clock';
import { failure, type Harness, harness } from '../harness';

const TEXT = `Hallo Ada,\n\nyour seat: http://198.51.100.7:8888/ — password tulip-orbit-7.\n${'A long line that keeps going '.repeat(6)}\nGrüße, the instructor`;
const HTML = '<p>Hallo <b>Ada</b>, Grüße</p>';

const simple = (
  to: string,
  overrides: Partial<SendEmailCommandInput> = {},
): SendEmailCommandInput => ({
  FromEmailAddress: 'Bakehouse <classes@uni.example>',
  Destination: { ToAddresses: [to] },
  Content: {
    Simple: {
      Subject: { Data: 'Your seat for Bio 101 — Montag' },
      Body: { Text: { Data: TEXT }, Html: { Data: HTML } },
    },
  },
  ...overrides,
});

const send = (h: Harness, input: SendEmailCommandInput) => h.ses.send(new SendEmailCommand(input));

/** Just enough of a MIME reader to check what a mail client would see. */
function parse(eml: string) {
  const [head = '', ...rest] = eml.split('\r\n\r\n');
  const headers = new Map(
    head
      .replace(/\r\n[ \t]+/g, ' ')
      .split('\r\n')
      .map(
        (line) =>
          [
            line.slice(0, line.indexOf(':')).toLowerCase(),
            line.slice(line.indexOf(':') + 1).trim(),
          ] as const,
      ),
  );
  const boundary = /boundary="([^"]+)"/.exec(
    headers.get('content-type') ?? rest[0] ?? '',
  )?.[1] as string;
  const body = rest.join('\r\n\r\n');
  const parts = body
    .split(`--${boundary}`)
    .slice(1, -1)
    .map((part) => {
      const [partHead = '', ...partBody] = part.replace(/^\r\n/, '').split('\r\n\r\n');
      const encoded = partBody.join('\r\n\r\n').replace(/\r\n$/, '');
      const bytes = Buffer.from(
        encoded
          .replace(/=\r\n/g, '')
          .replace(/=([0-9A-F]{2})/g, (_, hex: string) =>
            String.fromCharCode(Number.parseInt(hex, 16)),
          ),
        'latin1',
      );
      return {
        type: /Content-Type: ([^;\r\n]+)/.exec(partHead)?.[1],
        text: bytes.toString('utf8').replace(/\r\n/g, '\n'),
        lines: encoded.split('\r\n'),
      };
    });
  return { headers, parts };
}

function decodeWord(value: string): string {
  return value.replace(/=\?UTF-8\?B\?([^?]+)\?=/g, (_, b64: string) =>
    Buffer.from(b64, 'base64').toString('utf8'),
  );
}

describe('SES v2 SendEmail', () => {
  it('writes an RFC 5322 .eml with text and HTML as multipart/alternative in quoted-printable', async () => {
    // Prepare
    const h = harness();

    // Act
    const { MessageId } = await send(h, simple('ada@uni.example'));

    // Assess
    const [sent] = h.sim.ses.outbox;
    expect(sent?.messageId).toBe(MessageId);
    expect(basename(sent?.file ?? '')).toBe('0001-ada@uni.example.eml');
    const eml = readFileSync(sent?.file ?? '', 'utf8');
    const { headers, parts } = parse(eml);
    expect(headers.get('from')).toBe('Bakehouse <classes@uni.example>');
    expect(headers.get('to')).toBe('ada@uni.example');
    expect(decodeWord(headers.get('subject') ?? '')).toBe('Your seat for Bio 101 — Montag');
    expect(headers.get('mime-version')).toBe('1.0');
    expect(headers.get('date')).toBe('Mon, 02 Nov 2026 09:00:00 +0000');
    expect(headers.get('message-id')).toBe(`<${MessageId}@email.amazonses.com>`);
    expect(headers.get('content-type')).toMatch(/^multipart\/alternative; boundary="/);
    expect(parts.map((p) => p.type)).toEqual(['text/plain', 'text/html']);
    expect(parts[0]?.text).toBe(TEXT);
    expect(parts[1]?.text).toBe(HTML);
    expect(parts.flatMap((p) => p.lines).every((line) => line.length <= 76)).toBe(true);
  });

  it('writes raw MIME messages byte for byte, taking recipients from the headers', async () => {
    // Prepare
    const h = harness();
    const raw =
      'From: classes@uni.example\r\nTo: prof@uni.example\r\nSubject: Roster\r\nMIME-Version: 1.0\r\nContent-Type: text/csv\r\n\r\nseat,url\r\n';

    // Act
    await send(h, { Content: { Raw: { Data: new TextEncoder().encode(raw) } } });

    // Assess
    const [sent] = h.sim.ses.outbox;
    expect(sent).toMatchObject({
      from: 'classes@uni.example',
      to: ['prof@uni.example'],
      subject: 'Roster',
    });
    expect(readFileSync(sent?.file ?? '', 'utf8')).toBe(raw);
  });

  it('rejects unverified identities in the sandbox, naming them', async () => {
    // Prepare
    const h = harness({ sesSandbox: { verified: ['uni.example'] } });

    // Act
    const error = await failure(send(h, simple('student@gmail.example')));
    const verified = await send(h, simple('ada@uni.example'));

    // Assess
    expect(error).toBeInstanceOf(MessageRejected);
    expect(error.message).toContain('student@gmail.example');
    expect(verified.MessageId).toBeDefined();
    expect(h.sim.ses.outbox).toHaveLength(1);
  });

  it('refuses a sender that is not verified outside the sandbox too, and accepts a verified domain', async () => {
    // Prepare
    const h = harness({ sesIdentities: ['uni.example'] });
    const other = harness();

    // Act
    const unverified = await failure(
      send(h, simple('ada@gmail.example', { FromEmailAddress: 'Classes <classes@gmail.example>' })),
    );
    const byDomain = await send(
      h,
      simple('ada@gmail.example', { FromEmailAddress: 'registrar@uni.example' }),
    );
    const notTheSender = await failure(
      send(other, simple('ada@gmail.example', { FromEmailAddress: 'registrar@uni.example' })),
    );

    // Assess
    expect(unverified).toBeInstanceOf(MessageRejected);
    expect(unverified.message).toBe(
      'Email address is not verified. The following identities failed the check in region US-EAST-1: classes@gmail.example',
    );
    expect(byDomain.MessageId).toBeDefined();
    expect(notTheSender).toBeInstanceOf(MessageRejected);
    expect(h.sim.ses.outbox.map((m) => m.from)).toEqual(['registrar@uni.example']);
  });

  it('refuses sending faster than the maximum rate, and recovers a second later', async () => {
    // Prepare
    const h = harness({ sesMaxSendRate: 14 });

    // Act
    const burst = await Promise.allSettled(
      Array.from({ length: 16 }, (_, i) => send(h, simple(`s${i}@uni.example`))),
    );
    h.advance(SECOND);
    const later = await send(h, simple('late@uni.example'));

    // Assess
    const refused = burst
      .filter((r) => r.status === 'rejected')
      .map((r) => (r as PromiseRejectedResult).reason);
    expect(refused).toHaveLength(2);
    expect(refused[0]).toBeInstanceOf(TooManyRequestsException);
    expect(refused[0].message).toBe('Maximum sending rate exceeded.');
    expect(later.MessageId).toBeDefined();
    expect(h.sim.throttled['SESv2:SendEmail']).toBe(2);
    expect(new Set(h.sim.ses.outbox.map((m) => m.seq)).size).toBe(15);
  });

  it('sends one message per second in the sandbox by default', async () => {
    // Prepare
    const h = harness({ sesSandbox: { verified: ['uni.example'] } });

    // Act
    await send(h, simple('a@uni.example'));
    const second = await failure(send(h, simple('b@uni.example')));

    // Assess
    expect(second.name).toBe('TooManyRequestsException');
  });

  it('refuses messages without a sender, recipients or body', async () => {
    // Prepare
    const h = harness();

    // Act
    const noFrom = await failure(send(h, simple('a@uni.example', { FromEmailAddress: undefined })));
    const noTo = await failure(
      send(h, simple('a@uni.example', { Destination: { ToAddresses: [] } })),
    );
    const noBody = await failure(
      send(
        h,
        simple('a@uni.example', { Content: { Simple: { Subject: { Data: 's' }, Body: {} } } }),
      ),
    );
    const badAddress = await failure(send(h, simple('not-an-address')));

    // Assess
    expect([noFrom.name, noTo.name, noBody.name, badAddress.name]).toEqual(
      Array(4).fill('BadRequestException'),
    );
    expect(h.sim.ses.outbox).toEqual([]);
  });
});
