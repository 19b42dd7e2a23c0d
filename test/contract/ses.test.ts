/**
 * The SES v2 adapter against moto: a student's email and the instructor's roster (raw MIME with
 * the CSV attached) sent from a verified identity, and a sender SES refuses. What moto does not
 * model is listed in ./moto.ts; the messages it accepted are read from its own record of them.
 */
import { CreateEmailIdentityCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { beforeAll, expect, it } from 'vitest';
import { sendEmail, sendPaced, sendRawEmail } from '../../layers/aws/ses';
import { resolvePublicParameter } from '../../layers/aws/ssm';
import {
  emailRecipients,
  rosterMessage,
  studentMessage,
} from '../../layers/core/classroom/messages/delivery';
import { classEstimate } from '../../layers/core/classroom/plan/class-estimate';
import type { RosterRecord } from '../../layers/core/classroom/roster';
import { BASE_IMAGE_PARAMETER, contractClass } from './fixtures';
import { describeOnMoto, motoState, REGION, unique } from './moto';

interface SentMessage {
  id: string;
  source: string;
  subject?: string;
  body?: string;
  destinations: { ToAddresses?: string[] } | string[];
  raw_data?: string;
}

async function sent(kind: 'Message' | 'RawMessage', messageId: string) {
  const state = await motoState('ses');
  return (state[kind] as SentMessage[] | undefined)?.find((m) => m.id === messageId);
}

async function plannedClass() {
  return contractClass(await resolvePublicParameter(REGION, BASE_IMAGE_PARAMETER));
}

const roster = (host: string): RosterRecord[] => [
  {
    seatId: 'seat-001',
    studentName: 'Ada Lovelace',
    email: 'ada@example.edu',
    url: `http://${host}:8888/`,
    state: 'ready',
  },
  {
    seatId: 'seat-002',
    studentName: 'Alan Turing',
    email: 'alan@example.edu',
    url: null,
    state: 'failed',
    reason: 'Jupyter did not answer',
  },
];

describeOnMoto('SES v2 adapter on moto', () => {
  beforeAll(async () => {
    const ses = new SESv2Client({ region: REGION });
    await ses.send(new CreateEmailIdentityCommand({ EmailIdentity: 'classes@example.edu' }));
  });

  it('sends a student email from a verified identity: subject, recipient and HTML body as rendered', async () => {
    // Prepare
    const { plan } = await plannedClass();
    const [recipient] = emailRecipients(roster('198.51.100.10'));
    if (!recipient) throw new Error('no recipient in the roster');
    const message = studentMessage(plan, recipient, { password: 'k3y-pw', token: 'tok-123' });

    // Act
    const messageId = await sendEmail(REGION, {
      from: plan.sender,
      to: recipient.email,
      ...message,
    });

    // Assess
    const accepted = await sent('Message', messageId);
    expect(accepted).toMatchObject({
      source: 'classes@example.edu',
      destinations: { ToAddresses: ['ada@example.edu'] },
      subject: 'Your Jupyter seat for intro-genomics',
    });
    expect(accepted?.body).toBe(message.html);
    expect(accepted?.body).toContain('k3y-pw');
  });

  it("delivers the instructor's roster as raw MIME with the CSV attached", async () => {
    // Prepare
    const { request, plan } = await plannedClass();
    const raw = rosterMessage(plan, roster('198.51.100.11'), classEstimate(request, plan));

    // Act
    const messageId = await sendRawEmail(REGION, {
      from: plan.sender,
      to: plan.instructor.email,
      raw,
    });

    // Assess
    const accepted = await sent('RawMessage', messageId);
    expect(accepted?.source).toBe('classes@example.edu');
    expect(accepted?.destinations).toContain('grace@example.edu');
    expect(accepted?.raw_data).toBe(raw);
    expect(accepted?.raw_data).toContain('filename="intro-genomics-roster.csv"');
  });

  it('an unverified sender is refused with MessageRejected, for that message only', async () => {
    // Prepare
    const unverified = `${unique('nobody')}@unverified.example`;
    const email = (from: string) => ({
      from,
      to: 'ada@example.edu',
      subject: 'seat',
      text: 'text',
      html: '<p>html</p>',
    });

    // Act
    const outcome = await sendPaced(
      [unverified, 'classes@example.edu'],
      (from) => sendEmail(REGION, email(from)),
      { ratePerSecond: 50, maxAttempts: 2 },
    );

    // Assess
    expect(outcome.get(unverified)).toMatchObject({ name: 'MessageRejected' });
    expect(outcome.get('classes@example.edu')).toBeUndefined();
    await expect(
      sendRawEmail(REGION, {
        from: unverified,
        to: 'ada@example.edu',
        raw: `From: ${unverified}\r\nTo: ada@example.edu\r\nSubject: x\r\n\r\nx\r\n`,
      }),
    ).rejects.toMatchObject({ name: 'MessageRejected' });
  });
});
