import { describe, expect, it } from 'vitest';
import {
  describeLocalTime,
  escapeHtml,
  instructorEmail,
  studentEmail,
} from '../../../../layers/core/classroom/messages/email';
import type { RosterRecord } from '../../../../layers/core/classroom/roster';
import type { CostEstimate } from '../../../../layers/core/cost/estimate';
import { ONE_DOLLAR_ESTIMATE } from '../../cost/fixtures';

const schedule = { start: '2026-03-10T09:00', end: '2026-03-10T17:00', timezone: 'Europe/Berlin' };
const instructor = { name: 'Grace Hopper', email: 'grace@example.org' };

function studentEmailFor(name: string) {
  return studentEmail({
    className: 'genomics-101',
    student: { name, email: 'student@example.org' },
    url: 'http://203.0.113.7:8888/',
    password: 'amber-falcon-4821',
    token: '5f0c0a7e3b9d4c1e8a2b6d0f9e7c5a31',
    schedule,
    instructor,
  });
}

describe('studentEmail', () => {
  it('tells a first-time user where to go, what to type, when it ends and whom to ask', () => {
    // Act
    const email = studentEmailFor('Ada Lovelace');

    // Assess
    expect(email.subject).toBe('Your Jupyter seat for genomics-101');
    expect(email.text).toMatchInlineSnapshot(`
      "Hello Ada Lovelace,

      Your Jupyter seat for genomics-101 is ready. All you need is a web browser.

      1. Open this link, which logs you in:
         http://203.0.113.7:8888/?token=5f0c0a7e3b9d4c1e8a2b6d0f9e7c5a31
      2. Later, or on another device, open http://203.0.113.7:8888/ and type this password:
         amber-falcon-4821

      This seat is reached over plain HTTP, without encryption: anyone on the same network can read your password and your work on the way. Use it only for the class, never reuse its password, and keep personal or confidential data off it.

      The class runs from Tuesday 10 March 2026 at 09:00 to Tuesday 10 March 2026 at 17:00 (Europe/Berlin time).
      When the class ends, your seat is stopped: you can no longer open it or the files on it. Before then, download every notebook and file you want to keep (right-click it in the file browser and choose Download).

      For advanced users: your API token lets scripts and editors such as VS Code connect to your seat without the password. Keep it private:
         5f0c0a7e3b9d4c1e8a2b6d0f9e7c5a31

      Questions? Write to Grace Hopper <grace@example.org>.
      "
    `);
  });

  it('links an HTTPS seat with its login token, without the plain-HTTP warning', () => {
    // Act
    const email = studentEmail({
      className: 'genomics-101',
      student: { name: 'Ada', email: 'ada@example.org' },
      url: 'https://203.0.113.7/',
      password: 'amber-falcon-4821',
      token: 'tok_en-1',
      schedule,
      instructor,
    });

    // Assess
    expect(email.text).toContain('   https://203.0.113.7/?token=tok_en-1\n');
    expect(email.html).toContain('<a href="https://203.0.113.7/?token=tok_en-1">');
    expect(email.text).toContain('open https://203.0.113.7/ and type this password:');
    expect(email.text).not.toContain('plain HTTP');
  });

  it('renders a hostile name inert in HTML and as written in the text part', () => {
    // Act
    const email = studentEmailFor("O'Brien <script>alert(1)</script>");

    // Assess
    expect(email.html).not.toContain('<script>');
    expect(email.html).toContain('Hello O&#39;Brien &lt;script&gt;alert(1)&lt;/script&gt;,');
    expect(email.text).toContain("Hello O'Brien <script>alert(1)</script>,");
  });

  it('links the seat and shows the password and token in the HTML part', () => {
    // Act
    const email = studentEmailFor("O'Brien <script>");

    // Assess
    expect(email.html).toMatchInlineSnapshot(`
      "<!DOCTYPE html>
      <html lang="en">
      <head><meta charset="utf-8"><title>Your Jupyter seat for genomics-101</title></head>
      <body style="font-family: sans-serif; line-height: 1.5; max-width: 40em">
      <p>Hello O&#39;Brien &lt;script&gt;,</p>
      <p>Your Jupyter seat for <strong>genomics-101</strong> is ready. All you need is a web browser.</p>
      <ol>
      <li>Open this link, which logs you in: <a href="http://203.0.113.7:8888/?token=5f0c0a7e3b9d4c1e8a2b6d0f9e7c5a31">http://203.0.113.7:8888/?token=5f0c0a7e3b9d4c1e8a2b6d0f9e7c5a31</a></li>
      <li>Later, or on another device, open <a href="http://203.0.113.7:8888/">http://203.0.113.7:8888/</a> and type this password: <code style="font-size: 1.2em">amber-falcon-4821</code></li>
      </ol>
      <p><strong>This seat is reached over plain HTTP, without encryption: anyone on the same network can read your password and your work on the way. Use it only for the class, never reuse its password, and keep personal or confidential data off it.</strong></p>
      <p>The class runs from Tuesday 10 March 2026 at 09:00 to Tuesday 10 March 2026 at 17:00 (Europe/Berlin time).<br><strong>When the class ends, your seat is stopped: you can no longer open it or the files on it. Before then, download every notebook and file you want to keep (right-click it in the file browser and choose Download).</strong></p>
      <p style="color: #555">For advanced users: your API token lets scripts and editors such as VS Code connect to your seat without the password. Keep it private: <code>5f0c0a7e3b9d4c1e8a2b6d0f9e7c5a31</code></p>
      <p>Questions? Write to Grace Hopper (<a href="mailto:grace@example.org">grace@example.org</a>).</p>
      </body>
      </html>"
    `);
  });

  it('does not turn an address that is not a web address into a link', () => {
    // Act
    const email = studentEmail({
      className: 'genomics-101',
      student: { name: 'Ada', email: 'ada@example.org' },
      url: 'javascript:alert(1)',
      password: 'p',
      token: 't',
      schedule,
      instructor: { email: 'grace@example.org' },
    });

    // Assess
    expect(email.html).not.toContain('href="javascript');
    expect(email.html).toContain('Open this link, which logs you in: javascript:alert(1)</li>');
    expect(email.text).toContain('Questions? Write to grace@example.org.');
  });
});

describe('instructorEmail', () => {
  const estimate: CostEstimate = {
    estimateUSD: 5.99,
    currency: 'USD',
    breakdown: {
      compute: 4.99,
      publicIpv4: 0.6,
      ebs: 0.39,
      imageSnapshot: 0,
      stepFunctions: 0.01,
      email: 0,
      elasticIp: 0,
      route53: 0,
    },
    unpriced: [],
    assumptions: ['40 × t3.medium at $0.0416/h for 3 h'],
  };
  const seat = (n: number): RosterRecord => ({
    seatId: `seat-${String(n).padStart(3, '0')}`,
    studentName: `Student ${n}`,
    email: `student${n}@example.org`,
    url: `http://203.0.113.${n}:8888/`,
    state: 'ready',
  });

  it('counts the seats and lists each problem with its reason', () => {
    // Prepare
    const records: RosterRecord[] = [
      seat(1),
      { ...seat(2), state: 'failed', reason: 'Jupyter did not answer within 10 minutes' },
      {
        ...seat(3),
        studentName: '<b>Eve</b>',
        state: 'unplaced',
        url: null,
        reason: 'no capacity',
      },
    ];

    // Act
    const email = instructorEmail({ className: 'genomics-101', records, estimate, schedule });

    // Assess
    expect(email.subject).toBe('genomics-101: 1 of 3 seats ready');
    expect(email.text).toMatchInlineSnapshot(`
      "genomics-101: 1 of 3 seats are ready, 1 failed, 1 could not be placed.

      The class runs from Tuesday 10 March 2026 at 09:00 to Tuesday 10 March 2026 at 17:00 (Europe/Berlin time); every seat is stopped at the end.

      Problems:
      - seat-002 (Student 2 <student2@example.org>): failed, Jupyter did not answer within 10 minutes
      - seat-003 (<b>Eve</b> <student3@example.org>): unplaced, no capacity

      Estimated cost for the class's whole life: $5.99 (compute $4.99, public IPv4 $0.60, EBS volumes $0.39, Step Functions $0.01).
        · 40 × t3.medium at $0.0416/h for 3 h

      The attached roster lists every seat with its student, address and state. It holds no passwords. The student with a ready seat received their password by email.
      "
    `);
    expect(email.html).toContain(
      '<li>seat-003 (&lt;b&gt;Eve&lt;/b&gt; &lt;student3@example.org&gt;)',
    );
    expect(email.html).not.toContain('<b>Eve');
  });

  it('says so when there is no problem', () => {
    // Act
    const email = instructorEmail({
      className: 'genomics-101',
      records: [seat(1), seat(2)],
      estimate,
      schedule,
    });

    // Assess
    expect(email.subject).toBe('genomics-101: 2 of 2 seats ready');
    expect(email.text).toContain('No problems.');
    expect(email.html).toContain('<p>No problems.</p>');
  });

  it('lists a student the SES sandbox refused, and never claims every student was emailed', () => {
    // Prepare
    const reason =
      'email not delivered: MessageRejected: Email address is not verified. The following identities failed the check in region US-EAST-1: student2@example.org';
    const records: RosterRecord[] = [seat(1), { ...seat(2), reason }];

    // Act
    const email = instructorEmail({
      className: 'genomics-101',
      records,
      estimate,
      schedule,
      credentialsFile: 'genomics-101-seat-credentials.csv',
    });

    // Assess
    expect(email.text).toContain(`- seat-002 (Student 2 <student2@example.org>): ready, ${reason}`);
    expect(email.text).not.toContain('No problems');
    expect(email.text).not.toContain('each student received');
    expect(email.text).toContain(
      '1 of 2 students with a ready seat received their password by email; 1 was not (see Problems).',
    );
    expect(email.text).toContain(
      'The password and token of the 1 student not emailed are in the attached genomics-101-seat-credentials.csv',
    );
    expect(email.html).toContain(
      '<li>seat-002 (Student 2 &lt;student2@example.org&gt;): ready, email not delivered',
    );
  });

  it('says where the credentials of seats without students are, instead of claiming emails', () => {
    // Prepare
    const anonymous = (n: number): RosterRecord => ({ ...seat(n), studentName: null, email: null });

    // Act
    const email = instructorEmail({
      className: 'workshop',
      records: [anonymous(1), anonymous(2), anonymous(3)],
      estimate,
      schedule,
      credentialsFile: 'workshop-seat-credentials.csv',
    });

    // Assess
    expect(email.text).toContain('No problems.');
    expect(email.text).not.toMatch(/received .* by email/);
    expect(email.text).toContain(
      'The password and token of the 3 seats without a student are in the attached workshop-seat-credentials.csv: hand them out yourself, and keep that file private.',
    );
  });

  it('says where those credentials are not when no attachment holds them', () => {
    // Act
    const email = instructorEmail({
      className: 'workshop',
      records: [{ ...seat(1), studentName: null, email: null }],
      estimate,
      schedule,
    });

    // Assess
    expect(email.text).toContain(
      "No email carries the password of the 1 seat without a student: they are stored only in the class's SSM parameters.",
    );
  });

  it('lists the first 50 problems and points to the roster for the rest', () => {
    // Prepare
    const records = Array.from({ length: 120 }, (_, i) => ({
      ...seat(i + 1),
      state: 'unplaced' as const,
      reason: 'VcpuLimitExceeded',
    }));

    // Act
    const email = instructorEmail({ className: 'big-class', records, estimate, schedule });

    // Assess
    expect(email.text.match(/^- seat-/gm)).toHaveLength(50);
    expect(email.text).toContain('…and 70 more: see the roster.');
    expect(email.subject).toBe('big-class: 0 of 120 seats ready');
  });
});

describe('describeLocalTime', () => {
  it.each([
    ['2026-03-10T17:00', 'Tuesday 10 March 2026 at 17:00'],
    ['2028-02-29T07:05', 'Tuesday 29 February 2028 at 07:05'],
    ['not a time', 'not a time'],
  ])('writes %s as %s', (local, expected) => {
    // Act
    const text = describeLocalTime(local);

    // Assess
    expect(text).toBe(expected);
  });
});

describe('escapeHtml', () => {
  it('escapes the five characters that matter in content and attributes', () => {
    // Act
    const escaped = escapeHtml(`<a href="x" title='y'>&</a>`);

    // Assess
    expect(escaped).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });
});

describe('the emails of a class over several sessions', () => {
  const life = {
    sessions: [
      { start: '2026-03-10T09:00', end: '2026-03-10T12:00' },
      { start: '2026-03-11T09:00', end: '2026-03-11T12:00' },
    ],
    deletedAt: '2026-03-18T12:00',
  };

  it('tells the student each session, that files stay between them, and when they are deleted', () => {
    const email = studentEmail({
      className: 'genomics-101',
      student: { name: 'Ada Lovelace', email: 'student@example.org' },
      url: 'http://203.0.113.7:8888/',
      password: 'amber-falcon-4821',
      token: '5f0c0a7e3b9d4c1e8a2b6d0f9e7c5a31',
      schedule: { ...schedule, end: '2026-03-11T12:00' },
      instructor,
      life,
    });

    expect(email.text).toContain(
      'The class meets 2 times (Europe/Berlin time): from Tuesday 10 March 2026 at 09:00 to Tuesday 10 March 2026 at 12:00; from Wednesday 11 March 2026 at 09:00 to Wednesday 11 March 2026 at 12:00.',
    );
    expect(email.text).toContain('Between sessions your seat is stopped and your files stay on it');
    expect(email.text).toContain(
      'After the last session your files are kept until Wednesday 18 March 2026 at 12:00 (Europe/Berlin time); then the seat and every file on it are deleted.',
    );
    expect(email.html).toContain('kept until Wednesday 18 March 2026 at 12:00');
  });

  it('tells the instructor when the seats and their files are deleted', () => {
    const email = instructorEmail({
      className: 'genomics-101',
      records: [],
      estimate: ONE_DOLLAR_ESTIMATE,
      schedule,
      life: { ...life, sessions: [life.sessions[0] as { start: string; end: string }] },
    });

    expect(email.text).toContain(
      'every seat is stopped after each session, and with its files deleted on Wednesday 18 March 2026 at 12:00 (Europe/Berlin time).',
    );
  });
});
