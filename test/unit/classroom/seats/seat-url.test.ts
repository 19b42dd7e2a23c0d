import { describe, expect, it } from 'vitest';
import {
  loginLink,
  seatLink,
  seatUrl,
  studentPort,
} from '../../../../layers/core/classroom/seats/seat-url';

describe('seat URLs', () => {
  it('is https on the address without a port with TLS, http on the Jupyter port without', () => {
    expect(seatUrl('203.0.113.7', 8888, 'acme')).toBe('https://203.0.113.7/');
    expect(seatUrl('203.0.113.7', 8888, 'none')).toBe('http://203.0.113.7:8888/');
    expect(studentPort(8888, 'acme')).toBe(443);
    expect(studentPort(9999, 'none')).toBe(9999);
  });

  it("names the seat in the class's zone when it has one, else its address", () => {
    // Prepare
    const tls = { mode: 'acme' as const, directory: 'https://acme.example.org/directory' };
    const dns = { hostedZoneId: 'Z1', domain: 'classes.example.org', label: 'intro-4f1c2a' };

    // Act
    const named = seatLink({ port: 8888, tls, dns }, 'seat-007', '203.0.113.7');
    const addressed = seatLink({ port: 8888, tls }, 'seat-007', '203.0.113.7');

    // Assess
    expect(named).toBe('https://seat-007.intro-4f1c2a.classes.example.org/');
    expect(addressed).toBe('https://203.0.113.7/');
  });

  it('adds the token as the query Jupyter logs in with', () => {
    expect(loginLink('https://203.0.113.7/', 'abc-_123')).toBe(
      'https://203.0.113.7/?token=abc-_123',
    );
    expect(loginLink('http://203.0.113.7:8888/', 'a+b')).toBe(
      'http://203.0.113.7:8888/?token=a%2Bb',
    );
  });
});
