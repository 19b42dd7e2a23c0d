import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../layers/base/errors';
import {
  type ClassroomRequestInput,
  ClassroomRequestSchema,
  parseClassroomRequest,
} from '../../../../layers/core/classroom/request/classroom-request';

const now = new Date('2026-03-01T12:00:00Z');

function validRequest(overrides: Record<string, unknown> = {}): ClassroomRequestInput {
  return {
    name: 'genomics-101',
    image: 'ami-0123456789abcdef0',
    seats: 40,
    schedule: { start: '2026-03-10T09:00', end: '2026-03-10T17:00', timezone: 'Europe/Berlin' },
    instructor: { name: 'Grace Hopper', email: 'grace@example.org' },
    sender: 'classes@example.org',
    ...overrides,
  } as ClassroomRequestInput;
}

function students(count: number) {
  return Array.from({ length: count }, (_, i) => ({
    name: `Student ${i}`,
    email: `student${i}@example.org`,
  }));
}

/** The issues a rejected request reports, as `path: message` pairs. */
function issuesFor(input: unknown): { path: string; message: string }[] {
  try {
    parseClassroomRequest(input, now);
  } catch (error) {
    if (error instanceof ValidationError) return error.issues;
    throw error;
  }
  throw new Error('request was accepted');
}

const pathsFor = (input: unknown) => issuesFor(input).map((issue) => issue.path);

describe('parseClassroomRequest', () => {
  it('fills in defaults and derives one anonymous seat per requested seat', () => {
    // Prepare
    const input = validRequest({ seats: 3 });

    // Act
    const request = parseClassroomRequest(input, now);

    // Assess
    expect(request).toMatchObject({
      image: { imageId: 'ami-0123456789abcdef0' },
      region: 'us-east-1',
      instanceTypes: ['t3.medium'],
      subnets: [],
      allowedCidrs: ['0.0.0.0/0'],
      jupyterPort: 8888,
      spot: false,
      volumeGiB: 30,
      schedule: { startsAt: '2026-03-10T08:00:00.000Z', endsAt: '2026-03-10T16:00:00.000Z' },
    });
    expect(request.seats).toEqual([
      { seatId: 'seat-001', student: null },
      { seatId: 'seat-002', student: null },
      { seatId: 'seat-003', student: null },
    ]);
    expect(request).not.toHaveProperty('students');
  });

  it("seats a class that names no region in the stack's, and one that names its own there", () => {
    const stack = { region: 'eu-west-1' };

    expect(parseClassroomRequest(validRequest(), now).region).toBe('us-east-1');
    expect(parseClassroomRequest(validRequest(), now, stack).region).toBe('eu-west-1');
    expect(parseClassroomRequest(validRequest({ region: 'ap-south-1' }), now, stack).region).toBe(
      'ap-south-1',
    );
  });

  it('accepts an instance type the price table lacks, with its hourly price and a budget', () => {
    // Act
    const request = parseClassroomRequest(
      validRequest({ instanceTypes: ['g6e.xlarge'], hourlyUSD: 1.861, budgetUSD: 500 }),
      now,
    );

    // Assess
    expect(request).toMatchObject({
      instanceTypes: ['g6e.xlarge'],
      hourlyUSD: 1.861,
      budgetUSD: 500,
    });
  });

  it('stops idle seats only when asked, after one minute to a day', () => {
    // Act
    const never = parseClassroomRequest(validRequest(), now);
    const hour = parseClassroomRequest(validRequest({ idleMinutes: 60 }), now);

    // Assess
    expect(never.idleMinutes).toBeUndefined();
    expect(hour.idleMinutes).toBe(60);
    for (const idleMinutes of [0, 1.5, 1441, '30'])
      expect(pathsFor(validRequest({ idleMinutes }))).toEqual(['idleMinutes']);
  });

  it("serves HTTPS with Let's Encrypt unless the request says otherwise", () => {
    // Act
    const plain = parseClassroomRequest(validRequest(), now);
    const own = parseClassroomRequest(
      validRequest({ tls: { mode: 'acme', directory: 'https://acme.example.edu/directory' } }),
      now,
    );
    const none = parseClassroomRequest(validRequest({ tls: { mode: 'none' } }), now);

    // Assess
    expect(plain.tls).toEqual({
      mode: 'acme',
      directory: 'https://acme-v02.api.letsencrypt.org/directory',
    });
    expect(own.tls).toEqual({ mode: 'acme', directory: 'https://acme.example.edu/directory' });
    expect(none.tls).toEqual({ mode: 'none' });
  });

  it('refuses an ACME directory that is not plain https or would break out of the seat script', () => {
    // Act
    const issues = [
      'http://acme.example.edu/directory',
      "https://acme.example.edu/dir'; reboot; '",
      'https://acme.example.edu/{x}',
    ].map((directory) => issuesFor(validRequest({ tls: { mode: 'acme', directory } })));

    // Assess
    for (const found of issues) expect(found.map((i) => i.path)).toEqual(['tls.directory']);
  });

  it('takes a hosted zone for the seat names, normalised, with TLS', () => {
    // Act
    const request = parseClassroomRequest(
      validRequest({
        dns: { hostedZoneId: '/hostedzone/Z0123ABC', domain: 'Classes.Example.org.' },
      }),
      now,
    );

    // Assess
    expect(request.dns).toEqual({ hostedZoneId: 'Z0123ABC', domain: 'classes.example.org' });
  });

  it('refuses a hosted zone for a class without TLS, and a bad zone id or domain, by field', () => {
    // Act
    const withoutTls = issuesFor(
      validRequest({ tls: { mode: 'none' }, dns: { hostedZoneId: 'Z1', domain: 'example.org' } }),
    );
    const bad = pathsFor(validRequest({ dns: { hostedZoneId: 'zone', domain: 'example' } }));

    // Assess
    expect(withoutTls).toEqual([
      { path: 'dns', message: 'goes with tls acme: seat names exist for their certificates' },
    ]);
    expect(bad).toEqual(['dns.hostedZoneId', 'dns.domain']);
  });

  it('gives each listed student a seat in order', () => {
    // Prepare
    const input = validRequest({ seats: undefined, students: students(2) });

    // Act
    const request = parseClassroomRequest(input, now);

    // Assess
    expect(request.seats).toEqual([
      { seatId: 'seat-001', student: { name: 'Student 0', email: 'student0@example.org' } },
      { seatId: 'seat-002', student: { name: 'Student 1', email: 'student1@example.org' } },
    ]);
  });

  it('takes the Jupyter port of a bake result unless the request sets one', () => {
    // Prepare
    const image = {
      imageId: 'ami-12345678',
      imageName: 'r-base-1',
      region: 'us-east-1',
      jupyterPort: 9999,
    };

    // Act
    const fromImage = parseClassroomRequest(validRequest({ image }), now);
    const fromRequest = parseClassroomRequest(validRequest({ image, jupyterPort: 8000 }), now);

    // Assess
    expect(fromImage.jupyterPort).toBe(9999);
    expect(fromRequest.jupyterPort).toBe(8000);
    expect(fromImage.image).toEqual(image);
  });

  it('normalises CIDR blocks and drops the duplicates that result', () => {
    // Prepare
    const input = validRequest({
      allowedCidrs: ['10.1.2.3/8', '10.0.0.0/8', '2001:DB8:0:0::1/32'],
    });

    // Act
    const request = parseClassroomRequest(input, now);

    // Assess
    expect(request.allowedCidrs).toEqual(['10.0.0.0/8', '2001:db8::/32']);
  });

  it('accepts unicode names and trims the whitespace around them', () => {
    // Prepare
    const input = validRequest({
      seats: undefined,
      students: [{ name: '  Zoë Ørsted 張偉 ', email: 'zoe@example.org' }],
    });

    // Act
    const request = parseClassroomRequest(input, now);

    // Assess
    expect(request.seats[0]?.student?.name).toBe('Zoë Ørsted 張偉');
  });

  it.each([
    ['0 seats', { seats: 0 }, 'seats'],
    ['1001 seats', { seats: 1001 }, 'seats'],
    ['fractional seats', { seats: 2.5 }, 'seats'],
    ['neither seats nor students', { seats: undefined }, 'seats'],
    ['both seats and students', { students: students(2) }, 'students'],
    ['an empty student list', { seats: undefined, students: [] }, 'students'],
    ['port 22', { jupyterPort: 22 }, 'jupyterPort'],
    ['a privileged port', { jupyterPort: 80 }, 'jupyterPort'],
    ['a port above 65535', { jupyterPort: 70000 }, 'jupyterPort'],
    ['a class name with capitals', { name: 'Genomics' }, 'name'],
    ['a class name starting with a digit', { name: '101-genomics' }, 'name'],
    ['a two-letter class name', { name: 'ab' }, 'name'],
    ['a malformed AMI id', { image: 'ami-xyz' }, 'image'],
    ['a bake result with a malformed AMI id', { image: { imageId: 'ami-123' } }, 'image.imageId'],
    [
      'a bake result from another region',
      { image: { imageId: 'ami-12345678', region: 'eu-west-1' } },
      'image.region',
    ],
    ['an empty instance type list', { instanceTypes: [] }, 'instanceTypes'],
    [
      'a malformed instance type',
      { instanceTypes: ['t3.medium', 'T3 Medium'] },
      'instanceTypes[1]',
    ],
    [
      'a repeated instance type',
      { instanceTypes: ['t3.medium', 't3.large', 't3.medium'] },
      'instanceTypes[2]',
    ],
    ['a repeated subnet', { subnets: ['subnet-12345678', 'subnet-12345678'] }, 'subnets[1]'],
    ['a malformed subnet', { subnets: ['subnet-xyz'] }, 'subnets[0]'],
    ['a prefix over 32', { allowedCidrs: ['10.0.0.0/33'] }, 'allowedCidrs[0]'],
    ['an octet over 255', { allowedCidrs: ['0.0.0.0/0', '300.1.1.1/8'] }, 'allowedCidrs[1]'],
    ['no CIDR blocks', { allowedCidrs: [] }, 'allowedCidrs'],
    [
      '51 CIDR blocks',
      { allowedCidrs: Array.from({ length: 51 }, (_, i) => `10.0.${i}.0/24`) },
      'allowedCidrs',
    ],
    ['a region that is not one', { region: 'virginia' }, 'region'],
    ['a volume under 8 GiB', { volumeGiB: 4 }, 'volumeGiB'],
    ['a budget of nothing', { budgetUSD: 0 }, 'budgetUSD'],
    ['a negative hourly price', { hourlyUSD: -0.04 }, 'hourlyUSD'],
    ['an idle stop, which seats do not offer', { idleStopMinutes: 30 }, ''],
    [
      'a sender with a header after CR/LF',
      { sender: 'a@example.org\r\nBcc: all@example.org' },
      'sender',
    ],
    ['an instructor without an email', { instructor: { name: 'Grace' } }, 'instructor.email'],
    ['an unknown field', { budget: 10 }, ''],
  ])('rejects %s, reported at its path', (_case, overrides, path) => {
    // Prepare
    const input = validRequest(overrides);

    // Act
    const paths = pathsFor(input);

    // Assess
    expect(paths).toEqual([path]);
  });

  it.each([
    [
      'end before start',
      { start: '2026-03-10T17:00', end: '2026-03-10T09:00', timezone: 'UTC' },
      'schedule.end',
      /after start/,
    ],
    [
      'more than 14 days',
      { start: '2026-03-02T09:00', end: '2026-03-16T09:01', timezone: 'UTC' },
      'schedule.end',
      /14 days/,
    ],
    [
      'an end already past',
      { start: '2026-02-27T09:00', end: '2026-03-01T12:00', timezone: 'UTC' },
      'schedule.end',
      /future/,
    ],
    [
      'an unknown time zone',
      { start: '2026-03-10T09:00', end: '2026-03-10T17:00', timezone: 'Mars/Olympus_Mons' },
      'schedule.timezone',
      /IANA/,
    ],
    [
      'an offset instead of a zone',
      { start: '2026-03-10T09:00', end: '2026-03-10T17:00', timezone: '+01:00' },
      'schedule.timezone',
      /IANA/,
    ],
    [
      'a date that does not exist',
      { start: '2026-02-30T09:00', end: '2026-03-10T17:00', timezone: 'UTC' },
      'schedule.start',
      /YYYY-MM-DDTHH:mm/,
    ],
    [
      'seconds in the time',
      { start: '2026-03-10T09:00:00', end: '2026-03-10T17:00', timezone: 'UTC' },
      'schedule.start',
      /YYYY-MM-DDTHH:mm/,
    ],
  ])('rejects a schedule with %s', (_case, schedule, path, message) => {
    // Prepare
    const input = validRequest({ schedule });

    // Act
    const issues = issuesFor(input);

    // Assess
    expect(issues).toEqual([{ path, message: expect.stringMatching(message) }]);
  });

  it('reports a duplicate email, in any letter case, at the later student', () => {
    // Prepare
    const list = students(10);
    list[7] = { name: 'Someone Else', email: 'STUDENT2@Example.org' };
    const input = validRequest({ seats: undefined, students: list });

    // Act
    const issues = issuesFor(input);

    // Assess
    expect(issues).toEqual([{ path: 'students[7].email', message: 'duplicates entry [2]' }]);
  });

  it.each([
    ['CR/LF', 'ada@example.org\r\nBcc: everyone@example.org', /line breaks/],
    ['a bare LF', 'ada@example.org\n', /line breaks/],
    ['a space', 'ada lovelace@example.org', /email address/],
    ['no domain dot', 'ada@localhost', /email address/],
    ['two @', 'ada@@example.org', /email address/],
  ])('rejects a student email with %s', (_case, email, message) => {
    // Prepare
    const input = validRequest({ seats: undefined, students: [{ name: 'Ada', email }] });

    // Act
    const issues = issuesFor(input);

    // Assess
    expect(issues).toEqual([
      { path: 'students[0].email', message: expect.stringMatching(message) },
    ]);
  });

  it('rejects control characters in a student name', () => {
    // Prepare
    const input = validRequest({
      seats: undefined,
      students: [{ name: 'Ada\u0007Lovelace', email: 'ada@example.org' }],
    });

    // Act
    const paths = pathsFor(input);

    // Assess
    expect(paths).toEqual(['students[0].name']);
  });

  it('reports every bad field of a request at once', () => {
    // Prepare
    const input = validRequest({
      seats: 0,
      jupyterPort: 22,
      allowedCidrs: ['10.0.0.0/33', '300.1.1.1/8'],
      schedule: { start: '2026-03-10T09:00', end: '2026-03-10T17:00', timezone: 'Nowhere/Land' },
    });

    // Act
    const paths = pathsFor(input);

    // Assess
    expect(paths.sort()).toEqual(
      ['allowedCidrs[0]', 'allowedCidrs[1]', 'jupyterPort', 'schedule.timezone', 'seats'].sort(),
    );
  });

  it('names the request in the error message', () => {
    // Prepare
    const input = validRequest({ seats: 0 });

    // Act
    const act = () => parseClassroomRequest(input, now);

    // Assess
    expect(act).toThrow(/^invalid classroom request: seats: /);
  });

  it.each([null, [], 'genomics-101'])('rejects %j as a whole', (input) => {
    // Act
    const issues = issuesFor(input);

    // Assess
    expect(issues).toEqual([{ path: '', message: expect.stringMatching(/expected object/) }]);
  });

  it('leaves the clock out of the exported schema, which still checks everything else', () => {
    // Prepare
    const pastClass = validRequest({
      schedule: { start: '2020-01-01T09:00', end: '2020-01-01T17:00', timezone: 'UTC' },
    });

    // Act
    const result = ClassroomRequestSchema.safeParse(pastClass);
    const bad = ClassroomRequestSchema.safeParse(validRequest({ seats: 0 }));

    // Assess
    expect(result.success).toBe(true);
    expect(bad.success).toBe(false);
  });
});

describe('sessions', () => {
  const sessions = [
    { start: '2026-03-10T09:00', end: '2026-03-10T12:00' },
    { start: '2026-03-11T09:00', end: '2026-03-11T12:00' },
  ];
  const withSessions = (overrides: Record<string, unknown> = {}) =>
    validRequest({ schedule: undefined, sessions, timezone: 'Europe/Berlin', ...overrides });

  it('turns each session into instants in the class time zone, spanned by the schedule', () => {
    const request = parseClassroomRequest(withSessions(), now);

    expect(request.sessions).toEqual([
      { ...sessions[0], startsAt: '2026-03-10T08:00:00.000Z', endsAt: '2026-03-10T11:00:00.000Z' },
      { ...sessions[1], startsAt: '2026-03-11T08:00:00.000Z', endsAt: '2026-03-11T11:00:00.000Z' },
    ]);
    expect(request.schedule).toEqual({
      start: '2026-03-10T09:00',
      end: '2026-03-11T12:00',
      timezone: 'Europe/Berlin',
      startsAt: '2026-03-10T08:00:00.000Z',
      endsAt: '2026-03-11T11:00:00.000Z',
    });
    expect([request.leadMinutes, request.retainDays]).toEqual([20, 7]);
  });

  it('reads a schedule as exactly one session', () => {
    const request = parseClassroomRequest(validRequest({ leadMinutes: 45, retainDays: 0 }), now);

    expect(request.sessions).toEqual([
      {
        start: '2026-03-10T09:00',
        end: '2026-03-10T17:00',
        startsAt: '2026-03-10T08:00:00.000Z',
        endsAt: '2026-03-10T16:00:00.000Z',
      },
    ]);
    expect(request.timezone).toBe('Europe/Berlin');
    expect([request.leadMinutes, request.retainDays]).toEqual([45, 0]);
  });

  it('wants sessions or a schedule, not both, and the time zone of sessions', () => {
    expect(issuesFor(validRequest({ schedule: undefined }))).toEqual([
      { path: 'sessions', message: 'give sessions (with timezone) or schedule' },
    ]);
    expect(pathsFor(validRequest({ sessions, timezone: 'UTC' }))).toEqual(['sessions', 'timezone']);
    expect(issuesFor(withSessions({ timezone: undefined }))).toEqual([
      { path: 'timezone', message: 'must name the time zone of the sessions' },
    ]);
  });

  it('refuses sessions out of order or overlapping, each at its own path', () => {
    const overlapping = [sessions[0], { start: '2026-03-10T11:00', end: '2026-03-10T13:00' }];
    const backwards = [{ start: '2026-03-10T12:00', end: '2026-03-10T09:00' }];

    expect(issuesFor(withSessions({ sessions: overlapping }))).toEqual([
      { path: 'sessions[1].start', message: 'must start after the previous session ends' },
    ]);
    expect(issuesFor(withSessions({ sessions: backwards }))).toEqual([
      { path: 'sessions[0].end', message: 'must be after start' },
    ]);
  });

  it('refuses a class that spans more than 14 days or has already ended', () => {
    const long = [sessions[0], { start: '2026-03-30T09:00', end: '2026-03-30T12:00' }];
    const past = [{ start: '2026-02-10T09:00', end: '2026-02-10T12:00' }];

    expect(issuesFor(withSessions({ sessions: long }))).toEqual([
      { path: 'sessions[1].end', message: 'must be at most 14 days after start' },
    ]);
    expect(pathsFor(withSessions({ sessions: past }))).toEqual(['sessions[0].end']);
    expect(pathsFor(validRequest({ leadMinutes: -1, retainDays: 91 }))).toEqual([
      'leadMinutes',
      'retainDays',
    ]);
  });
});

describe('a bake result with copies in other regions', () => {
  const baked = {
    imageId: 'ami-0123456789abcdef0',
    region: 'us-east-1',
    copies: [
      { region: 'eu-west-1', imageId: 'ami-0aaaaaaaaaaaaaaaa' },
      { region: 'ap-southeast-2', imageId: 'ami-0bbbbbbbbbbbbbbbb' },
    ],
  };

  it('seats a class in a copied region from the copy there', () => {
    // Act
    const request = parseClassroomRequest(validRequest({ image: baked, region: 'eu-west-1' }), now);

    // Assess
    expect(request.image).toMatchObject({ imageId: 'ami-0aaaaaaaaaaaaaaaa', region: 'eu-west-1' });
  });

  it('seats a class in the bake region from the image itself', () => {
    // Act
    const request = parseClassroomRequest(validRequest({ image: baked, region: 'us-east-1' }), now);

    // Assess
    expect(request.image).toMatchObject({ imageId: 'ami-0123456789abcdef0', region: 'us-east-1' });
  });

  it('refuses a region with no copy, naming the regions that have one', () => {
    // Act
    const issues = issuesFor(validRequest({ image: baked, region: 'us-west-2' }));

    // Assess
    expect(issues).toEqual([
      {
        path: 'image.region',
        message: expect.stringContaining('(it has in eu-west-1, ap-southeast-2)'),
      },
    ]);
  });

  it('refuses a copy whose id is not an AMI id, at its path', () => {
    // Act
    const paths = pathsFor(
      validRequest({
        image: { ...baked, copies: [{ region: 'eu-west-1', imageId: 'snap-1' }] },
        region: 'eu-west-1',
      }),
    );

    // Assess
    expect(paths).toEqual(['image.copies[0].imageId']);
  });
});
