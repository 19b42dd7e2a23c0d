import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../layers/base/errors';
import {
  checkSeatZone,
  classLabel,
  classSuffix,
  DnsSchema,
  MAX_NAME_LENGTH,
  seatName,
} from '../../../../layers/core/classroom/request/dns';

describe('classLabel', () => {
  it('is the class name and six hex digits of the class id', () => {
    // Act
    const label = classLabel('intro-python', 'intro-python-2026-03-a1');

    // Assess
    expect(label).toMatch(/^intro-python-[0-9a-f]{6}$/);
  });

  it('keeps two classes of one name apart', () => {
    // Act
    const [a, b] = [classLabel('intro', 'class-a'), classLabel('intro', 'class-b')];

    // Assess
    expect(a).not.toBe(b);
  });

  it('makes runs of hyphens one and drops them at either end, so no label looks like xn--', () => {
    // Act
    const label = classLabel('xn--abc--', 'c1');

    // Assess
    expect(label).toMatch(/^xn-abc-[0-9a-f]{6}$/);
  });

  it('lowercases and replaces what a label may not hold', () => {
    // Act
    const label = classLabel('Data Science_101', 'c1');

    // Assess
    expect(label).toMatch(/^data-science-101-[0-9a-f]{6}$/);
  });

  it('stays within 63 characters for the longest class name', () => {
    // Act
    const label = classLabel(`a${'b'.repeat(100)}`, 'c1');

    // Assess
    expect(label.length).toBeLessThanOrEqual(63);
    expect(label).toMatch(/^ab+-[0-9a-f]{6}$/);
  });
});

describe('seatName', () => {
  it('is seat-007.<class>.<domain>', () => {
    // Act
    const name = seatName({ domain: 'classes.example.org' }, 'intro-4f1c2a', 'seat-007');

    // Assess
    expect(name).toBe('seat-007.intro-4f1c2a.classes.example.org');
    expect(name.endsWith(classSuffix({ domain: 'classes.example.org' }, 'intro-4f1c2a'))).toBe(
      true,
    );
  });

  it('refuses a name longer than 253 characters', () => {
    // Prepare
    const domain = `${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.org`;

    // Act / Assess
    expect(() => seatName({ domain }, 'intro-4f1c2a', 'seat-007')).toThrow(RangeError);
  });
});

describe('DnsSchema', () => {
  it('lowercases the domain, drops its trailing dot and the /hostedzone/ prefix', () => {
    // Act
    const dns = DnsSchema.parse({
      hostedZoneId: '/hostedzone/Z0123ABC',
      domain: 'Classes.Example.ORG.',
    });

    // Assess
    expect(dns).toEqual({ hostedZoneId: 'Z0123ABC', domain: 'classes.example.org' });
  });

  it('takes the longest domain whose longest seat name is 253 characters, and no longer', () => {
    // Prepare: the longest seat label (seat-1000) and class label (40 + 1 + 6) leave 195
    const domain = (tld: string) => `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(62)}.${tld}`;

    // Act
    const longest = DnsSchema.safeParse({ hostedZoneId: 'Z1', domain: domain('orgx') });
    const tooLong = DnsSchema.safeParse({ hostedZoneId: 'Z1', domain: domain('orgxy') });
    const name = longest.success
      ? seatName(longest.data, classLabel(`a${'b'.repeat(39)}`, 'c1'), 'seat-1000')
      : '';

    // Assess
    expect(domain('orgx')).toHaveLength(195);
    expect(longest.success).toBe(true);
    expect(name).toHaveLength(MAX_NAME_LENGTH);
    expect(tooLong.success).toBe(false);
  });

  it.each([
    ['no dot', 'localhost'],
    ['a label ending in -', 'bad-.example.org'],
    ['an underscore', 'a_b.example.org'],
    ['a space', 'a b.example.org'],
  ])('refuses a domain with %s', (_, domain) => {
    // Act
    const result = DnsSchema.safeParse({ hostedZoneId: 'Z1', domain });

    // Assess
    expect(result.success).toBe(false);
  });

  it('refuses a zone id that is not one', () => {
    // Act
    const result = DnsSchema.safeParse({ hostedZoneId: 'zone-1', domain: 'example.org' });

    // Assess
    expect(result.success).toBe(false);
  });
});

describe('checkSeatZone', () => {
  const dns = { hostedZoneId: 'Z0123ABC', domain: 'classes.example.org' };

  it("accepts the deployment's zone, and a class without one", () => {
    // Act / Assess
    expect(() => checkSeatZone(dns, 'Z0123ABC')).not.toThrow();
    expect(() => checkSeatZone(undefined, '')).not.toThrow();
  });

  it('refuses another zone, or any zone when the deployment has none, on dns.hostedZoneId', () => {
    // Act
    const issues = ['Z0OTHER', ''].map((stackZone) => {
      try {
        checkSeatZone(dns, stackZone);
      } catch (error) {
        if (error instanceof ValidationError) return error.issues.map((i) => i.path);
      }
      return [];
    });

    // Assess
    expect(issues).toEqual([['dns.hostedZoneId'], ['dns.hostedZoneId']]);
  });
});
