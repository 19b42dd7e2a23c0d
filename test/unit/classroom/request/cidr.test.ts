import { describe, expect, it } from 'vitest';
import { normaliseCidr } from '../../../../layers/core/classroom/request/cidr';

describe('normaliseCidr', () => {
  it.each([
    ['0.0.0.0/0', '0.0.0.0/0'],
    ['203.0.113.7/32', '203.0.113.7/32'],
    ['10.1.2.3/8', '10.0.0.0/8'],
    ['192.168.77.200/20', '192.168.64.0/20'],
    ['255.255.255.255/31', '255.255.255.254/31'],
    ['::/0', '::/0'],
    ['2001:DB8:0:0::1/32', '2001:db8::/32'],
    ['2001:db8:0:0:1:0:0:1/128', '2001:db8::1:0:0:1/128'],
    ['1:0:0:2:0:0:0:3/128', '1:0:0:2::3/128'],
    ['1:2:3:4:5:6:7:8/64', '1:2:3:4::/64'],
    ['2001:db8::ffff:ffff/127', '2001:db8::ffff:fffe/127'],
    ['::ffff:192.0.2.1/128', '::ffff:c000:201/128'],
    ['fe80::/10', 'fe80::/10'],
  ])('reads %s as %s', (text, expected) => {
    // Act
    const cidr = normaliseCidr(text);

    // Assess
    expect(cidr).toBe(expected);
  });

  it.each([
    ['a prefix over 32', '10.0.0.0/33'],
    ['a prefix over 128', '2001:db8::/129'],
    ['an octet over 255', '300.1.1.1/8'],
    ['three octets', '10.0.0/8'],
    ['an octet with a leading zero', '010.0.0.0/8'],
    ['a prefix with a leading zero', '10.0.0.0/08'],
    ['no prefix', '10.0.0.0'],
    ['two prefixes', '10.0.0.0/8/8'],
    ['an empty prefix', '10.0.0.0/'],
    ['a negative prefix', '10.0.0.0/-1'],
    ['two ::', '1::2::3/64'],
    ['nine groups', '1:2:3:4:5:6:7:8:9/64'],
    ['a five-digit group', '12345::/16'],
    ['a zone index', 'fe80::1%eth0/64'],
    ['an IPv4 tail before the end', '::1.2.3.4:5/128'],
    ['spaces', ' 10.0.0.0/8'],
    ['a host name', 'example.org/24'],
  ])('refuses %s', (_case, text) => {
    // Act
    const cidr = normaliseCidr(text);

    // Assess
    expect(cidr).toBeNull();
  });
});
