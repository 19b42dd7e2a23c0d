/**
 * SES v2 SendEmail. Accepted mail is written to the outbox directory as `.eml` files a mail
 * client opens. The sender must always be a verified identity (its address, or its domain); the
 * sandbox (verified recipients too, 1 message per second, 200 per day) is on when `sesSandbox` is
 * given; the sending rate is a token bucket on the simulated clock.
 */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  BadRequestException,
  MessageRejected,
  type SendEmailRequest,
  type SendEmailResponse,
  TooManyRequestsException,
} from '@aws-sdk/client-sesv2';
import type { SimClock } from '../kernel/clock';
import { HOUR } from '../kernel/clock';
import { fault } from '../kernel/errors';
import type { EventLog } from '../kernel/events';
import type { Random } from '../kernel/random';
import { TokenBucket } from '../kernel/token-bucket';
import { operation, UnsimulatedOperationError } from '../kernel/transport';
import { addressesIn, type MailMessage, rawHeaders, renderEml } from './eml';

export interface SentEmail {
  seq: number;
  messageId: string;
  from: string;
  to: string[];
  cc: string[];
  bcc: string[];
  subject?: string;
  text?: string;
  html?: string;
  attachments: string[];
  /** The message exactly as written to `file`. */
  eml: string;
  file: string;
  sentAt: number;
}

export interface SesSettings {
  region: string;
  outboxDir: string;
  /** Verified identities: addresses, or domains that verify every address in them. */
  identities?: string[];
  sandbox?: { verified: string[] };
  maxSendRate?: number;
}

const ADDRESS = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

export class SimulatedSes {
  readonly outbox: SentEmail[] = [];
  private readonly rate: TokenBucket;
  private readonly dailyQuota: number;
  private readonly perSecond: number;
  private firstSeq: Promise<number> | undefined;
  private sent = 0;

  constructor(
    private readonly settings: SesSettings,
    private readonly clock: SimClock,
    private readonly random: Random,
    private readonly events: EventLog,
  ) {
    const perSecond = settings.sandbox ? 1 : (settings.maxSendRate ?? 14);
    this.perSecond = perSecond;
    this.rate = new TokenBucket(Math.max(1, perSecond), perSecond, clock.now());
    this.dailyQuota = settings.sandbox ? 200 : 50_000;
  }

  operations() {
    return {
      SendEmail: operation((input: SendEmailRequest, { region }) => this.send(input, region)),
      GetAccount: operation(() => this.account()),
    };
  }

  /**
   * SES v2 GetAccount: the send quota (MaxSendRate, Max24HourSend, SentLast24Hours) and whether
   * the account has production access; "when your account is in the sandbox … the maximum number
   * of emails you can send per second (your maximum sending rate) is 1" (SES v2 API reference,
   * GetAccount ProductionAccessEnabled).
   */
  private account() {
    const now = this.clock.now();
    const sent = this.outbox
      .filter((m) => now - m.sentAt < 24 * HOUR)
      .reduce((n, m) => n + m.to.length + m.cc.length + m.bcc.length, 0);
    return {
      SendingEnabled: true,
      ProductionAccessEnabled: !this.settings.sandbox,
      EnforcementStatus: 'HEALTHY',
      DedicatedIpAutoWarmupEnabled: false,
      SendQuota: {
        Max24HourSend: this.dailyQuota,
        MaxSendRate: this.perSecond,
        SentLast24Hours: sent,
      },
    };
  }

  /**
   * "Before you can send an email using Amazon SES, you must create and verify each identity that
   * you're going to use as a From, Source, Sender, or Return-Path address. [...] If your account
   * is still in the Amazon SES sandbox, you also need to verify any email addresses which you
   * plan on sending email to" (SES Developer Guide, Verified identities,
   * docs.aws.amazon.com/ses/latest/dg/verify-addresses-and-domains.html). The refusal is
   * `MessageRejected: Email address is not verified. The following identities failed the check
   * in region …` (AWS Knowledge Center, ses-554-400-message-rejected-error). Identities are
   * regional: they are verified in the account's region only, so a client of another region
   * (`region`) has none.
   */
  private checkVerified(from: string, recipients: string[], region = this.settings.region): void {
    const { identities = [], sandbox } = this.settings;
    const verified =
      region === this.settings.region
        ? [...identities, ...(sandbox?.verified ?? [])].map((v) => v.toLowerCase())
        : [];
    const isVerified = (address: string) => {
      const lower = address.toLowerCase();
      return verified.includes(lower) || verified.includes(lower.split('@')[1] ?? '');
    };
    const checked = sandbox ? [from, ...recipients] : [from];
    const failing = checked.filter((a) => !isVerified(a));
    if (failing.length) {
      throw fault(
        MessageRejected,
        `Email address is not verified. The following identities failed the check in region ${region.toUpperCase()}: ${failing.join(', ')}`,
      );
    }
  }

  private admit(recipients: number): void {
    const now = this.clock.now();
    const today = this.outbox.filter((m) => now - m.sentAt < 24 * HOUR);
    const sentToday = today.reduce((n, m) => n + m.to.length + m.cc.length + m.bcc.length, 0);
    if (sentToday + recipients > this.dailyQuota)
      throw fault(TooManyRequestsException, 'Daily message quota exceeded.', 429);
    if (!this.rate.take(now, Math.min(recipients, this.rate.size))) {
      throw fault(TooManyRequestsException, 'Maximum sending rate exceeded.', 429);
    }
  }

  private async send(input: SendEmailRequest, region?: string): Promise<SendEmailResponse> {
    const content = input.Content;
    const kinds = [content?.Simple, content?.Raw, content?.Template].filter(Boolean).length;
    if (kinds !== 1)
      throw fault(
        BadRequestException,
        'Exactly one of Simple, Raw or Template content is required.',
      );
    if (content?.Template)
      throw new UnsimulatedOperationError('SendEmail with Template content is not simulated');
    const raw = content?.Raw?.Data ? Buffer.from(content.Raw.Data).toString('utf8') : undefined;
    const headers = raw === undefined ? undefined : rawHeaders(raw);
    const from = input.FromEmailAddress ?? addressesIn(headers?.get('from'))[0];
    const to = input.Destination?.ToAddresses ?? addressesIn(headers?.get('to'));
    const cc = input.Destination?.CcAddresses ?? addressesIn(headers?.get('cc'));
    const bcc = input.Destination?.BccAddresses ?? [];
    const recipients = [...to, ...cc, ...bcc];
    if (!from) throw fault(BadRequestException, 'Missing required field: FromEmailAddress.');
    if (recipients.length === 0) throw fault(BadRequestException, 'Missing final recipients.');
    if (recipients.length > 50) throw fault(BadRequestException, 'Recipient count exceeds 50.');
    const bad = [from, ...recipients].find((a) => !ADDRESS.test(addressesIn(a)[0] ?? a));
    if (bad) throw fault(BadRequestException, `Illegal address: ${bad}`);
    this.checkVerified(addressesIn(from)[0] ?? from, recipients, region);
    this.admit(recipients.length);

    const now = this.clock.now();
    const messageId = `0100${now.toString(16).padStart(12, '0')}-${this.random.uuid()}-000000`;
    let sent: Omit<SentEmail, 'seq' | 'file' | 'eml'>;
    let eml: string;
    if (raw !== undefined) {
      eml = raw;
      sent = {
        messageId,
        from,
        to,
        cc,
        bcc,
        subject: headers?.get('subject'),
        attachments: [],
        sentAt: now,
      };
    } else {
      const simple = content?.Simple;
      const subject = simple?.Subject?.Data;
      const text = simple?.Body?.Text?.Data;
      const html = simple?.Body?.Html?.Data;
      if (subject === undefined)
        throw fault(BadRequestException, 'Missing required field: Subject.');
      if (text === undefined && html === undefined)
        throw fault(BadRequestException, 'Missing required field: Body.');
      const message: MailMessage = {
        from,
        to,
        cc,
        replyTo: input.ReplyToAddresses ?? [],
        subject,
        text,
        html,
        headers: (simple?.Headers ?? []).map((h) => ({ name: h.Name ?? '', value: h.Value ?? '' })),
        attachments: (simple?.Attachments ?? []).map((a) => ({
          fileName: a.FileName ?? 'attachment',
          contentType: a.ContentType ?? 'application/octet-stream',
          content: a.RawContent ?? new Uint8Array(),
          disposition: a.ContentDisposition === 'INLINE' ? 'inline' : 'attachment',
        })),
        messageId,
        date: new Date(now),
      };
      eml = renderEml(message, (n) => `=_bakehouse_${n}_${this.random.hex(16)}`);
      sent = {
        messageId,
        from,
        to,
        cc,
        bcc,
        subject,
        text,
        html,
        attachments: message.attachments.map((a) => a.fileName),
        sentAt: now,
      };
    }
    const seq = await this.nextSeq();
    const file = join(
      this.settings.outboxDir,
      `${String(seq).padStart(4, '0')}-${(recipients[0] ?? 'nobody').replace(/[^A-Za-z0-9@._+-]/g, '_')}.eml`,
    );
    await writeFile(file, eml);
    this.outbox.push({ ...sent, seq, eml, file });
    this.events.record('SES', `email to ${recipients.join(', ')}: ${sent.subject ?? '(raw)'}`);
    return { MessageId: messageId };
  }

  /** Continues after files an earlier run left, so nothing is overwritten. */
  private async nextSeq(): Promise<number> {
    this.firstSeq ??= this.scanOutbox();
    const base = await this.firstSeq;
    this.sent += 1;
    return base + this.sent;
  }

  private async scanOutbox(): Promise<number> {
    await mkdir(this.settings.outboxDir, { recursive: true });
    const names = await readdir(this.settings.outboxDir);
    return Math.max(0, ...names.map((f) => Number.parseInt(f, 10)).filter(Number.isFinite));
  }
}
