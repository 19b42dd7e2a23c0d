import { describe, expect, it } from 'vitest';
import { classIngress } from '../../../../layers/core/classroom/plan/ingress';

const campus = ['192.0.2.0/24', '2001:db8::/32'];

describe('classIngress', () => {
  it('opens 443 to the allowed CIDRs and 80 to every IPv4 address for ACME, never Jupyter or 22', () => {
    // Act
    const rules = classIngress({
      port: 8888,
      allowedCidrs: campus,
      tls: { mode: 'acme', directory: 'https://acme-v02.api.letsencrypt.org/directory' },
    });

    // Assess
    expect(rules).toEqual([
      { port: 443, cidrs: campus, description: 'Jupyter over HTTPS' },
      { port: 80, cidrs: ['0.0.0.0/0'], description: 'ACME http-01 validation' },
    ]);
    expect(rules.map((r) => r.port)).not.toContain(8888);
    expect(rules.map((r) => r.port)).not.toContain(22);
  });

  it("opens only Jupyter's port to the allowed CIDRs without TLS", () => {
    // Act
    const rules = classIngress({ port: 8888, allowedCidrs: campus, tls: { mode: 'none' } });

    // Assess
    expect(rules).toEqual([{ port: 8888, cidrs: campus, description: 'Jupyter' }]);
  });
});
