/** SES v2 adapter: one message at a time, simple (text + HTML) or raw MIME (attachments). */
import { GetAccountCommand, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { sleep } from '../runtime/sleep';
import { sesClient } from './clients';
import { patiently } from './throttling';

export interface SimpleEmail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

export async function sendEmail(region: string, email: SimpleEmail): Promise<string> {
  const output = await sesClient(region).send(
    new SendEmailCommand({
      FromEmailAddress: email.from,
      Destination: { ToAddresses: [email.to] },
      Content: {
        Simple: {
          Subject: { Data: email.subject, Charset: 'UTF-8' },
          Body: {
            Text: { Data: email.text, Charset: 'UTF-8' },
            Html: { Data: email.html, Charset: 'UTF-8' },
          },
        },
      },
    }),
  );
  return output.MessageId ?? '';
}

/** A complete RFC 5322 message (built by the core's MIME module), e.g. with the roster attached. */
export async function sendRawEmail(
  region: string,
  message: { from: string; to: string; raw: string },
): Promise<string> {
  const output = await sesClient(region).send(
    new SendEmailCommand({
      FromEmailAddress: message.from,
      Destination: { ToAddresses: [message.to] },
      Content: { Raw: { Data: Buffer.from(message.raw, 'utf8') } },
    }),
  );
  return output.MessageId ?? '';
}

/**
 * The account's sending rate in messages per second: SES v2 GetAccount's SendQuota.MaxSendRate;
 * 1 in the sandbox (where the API answers it so, and AWS documents the same).
 */
export async function sendRate(region: string): Promise<number> {
  const account = await sesClient(region).send(new GetAccountCommand({}));
  const rate = account.SendQuota?.MaxSendRate;
  if (!account.ProductionAccessEnabled) return Math.min(1, rate ?? 1);
  return rate && rate > 0 ? rate : 1;
}

/**
 * Sends one message per item, paced to `ratePerSecond`, retrying a throttled message with
 * jittered exponential backoff. Never throws: each item's last error (or undefined when sent) is
 * returned, so one rejected recipient never causes the others to be sent twice by a retry.
 */
export async function sendPaced<T>(
  items: readonly T[],
  send: (item: T) => Promise<unknown>,
  options: { ratePerSecond: number; maxAttempts?: number },
): Promise<Map<T, Error | undefined>> {
  const { ratePerSecond, maxAttempts = 8 } = options;
  const outcome = new Map<T, Error | undefined>();
  for (const [index, item] of items.entries()) {
    if (index > 0) await sleep(1000 / ratePerSecond);
    try {
      await patiently(() => send(item), maxAttempts);
      outcome.set(item, undefined);
    } catch (error) {
      outcome.set(item, error as Error);
    }
  }
  return outcome;
}
