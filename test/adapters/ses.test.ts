import { SESv2Client, SendEmailCommand, TooManyRequestsException } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sendEmail, sendPaced, sendRawEmail } from '../../layers/aws/ses';
import { useSleep } from '../../layers/runtime/sleep';

const ses = mockClient(SESv2Client);
const slept: number[] = [];

beforeEach(() => {
  ses.reset();
  slept.length = 0;
  useSleep(async (ms) => {
    slept.push(ms);
  });
});

afterEach(() => useSleep(undefined));

const throttled = () =>
  new TooManyRequestsException({ $metadata: {}, message: 'Maximum sending rate exceeded.' });

describe('sendEmail', () => {
  it('sends one recipient a UTF-8 text and HTML message', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-1' });

    const id = await sendEmail('us-east-1', {
      from: 'a@x.org',
      to: 'b@x.org',
      subject: 'Zoë',
      text: 't',
      html: '<p>h</p>',
    });

    expect(id).toBe('m-1');
    expect(ses).toHaveReceivedCommandWith(SendEmailCommand, {
      FromEmailAddress: 'a@x.org',
      Destination: { ToAddresses: ['b@x.org'] },
      Content: {
        Simple: {
          Subject: { Data: 'Zoë', Charset: 'UTF-8' },
          Body: {
            Text: { Data: 't', Charset: 'UTF-8' },
            Html: { Data: '<p>h</p>', Charset: 'UTF-8' },
          },
        },
      },
    });
  });
});

describe('sendRawEmail', () => {
  it('passes the MIME message through as bytes', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-2' });

    await sendRawEmail('us-east-1', {
      from: 'a@x.org',
      to: 'b@x.org',
      raw: 'Subject: hi\r\n\r\nbody',
    });

    const raw = ses.commandCalls(SendEmailCommand)[0]?.args[0].input.Content?.Raw?.Data;
    expect(Buffer.from(raw ?? new Uint8Array()).toString()).toBe('Subject: hi\r\n\r\nbody');
  });
});

describe('sendPaced', () => {
  it('waits between sends according to the rate', async () => {
    await sendPaced([1, 2, 3], async () => undefined, { ratePerSecond: 4 });

    expect(slept).toEqual([250, 250]);
  });

  it('retries a throttled message until it goes through, sending each item once', async () => {
    const sent: number[] = [];
    let refusals = 2;
    const outcome = await sendPaced(
      [1, 2],
      async (n) => {
        if (n === 1 && refusals-- > 0) throw throttled();
        sent.push(n);
      },
      { ratePerSecond: 10 },
    );

    expect(sent).toEqual([1, 2]);
    expect([...outcome.values()]).toEqual([undefined, undefined]);
  });

  it('reports a rejected recipient without retrying it or stopping the others', async () => {
    const rejected = Object.assign(new Error('Email address is not verified.'), {
      name: 'MessageRejected',
    });
    const attempts: number[] = [];

    const outcome = await sendPaced(
      [1, 2],
      async (n) => {
        attempts.push(n);
        if (n === 1) throw rejected;
      },
      { ratePerSecond: 10 },
    );

    expect(attempts).toEqual([1, 2]);
    expect(outcome.get(1)?.name).toBe('MessageRejected');
    expect(outcome.get(2)).toBeUndefined();
  });

  it('gives up on a message still throttled after the last attempt', async () => {
    const outcome = await sendPaced(
      [1],
      async () => {
        throw throttled();
      },
      { ratePerSecond: 10, maxAttempts: 3 },
    );

    expect(outcome.get(1)?.name).toBe('TooManyRequestsException');
  });
});
