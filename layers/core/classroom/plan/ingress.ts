// What a class's security group lets in: the port students use, and what certificate issuance needs.
import { ACME_HTTP_PORT, HTTPS_PORT } from '../request/tls';
import type { ClassPlan } from './class-plan';

export interface IngressRule {
  port: number;
  cidrs: string[];
  description: string;
}

/**
 * Without TLS: Jupyter's port to the allowed CIDRs. With TLS: 443 to the allowed CIDRs, and 80 to
 * every IPv4 address, because the ACME CA validates http-01 from servers whose addresses it does
 * not publish (Let's Encrypt validates from several places at once), at first issuance and at
 * every renewal (Caddy renews a six-day certificate every few days). Port 80 reaches only Caddy,
 * which answers challenges and redirects everything else to https; Jupyter is never on it. Never
 * 22, never Jupyter's own port when it sits behind the proxy.
 */
export function classIngress(
  plan: Pick<ClassPlan, 'port' | 'tls' | 'allowedCidrs'>,
): IngressRule[] {
  if (plan.tls.mode === 'none') {
    return [{ port: plan.port, cidrs: plan.allowedCidrs, description: 'Jupyter' }];
  }
  return [
    { port: HTTPS_PORT, cidrs: plan.allowedCidrs, description: 'Jupyter over HTTPS' },
    { port: ACME_HTTP_PORT, cidrs: ['0.0.0.0/0'], description: 'ACME http-01 validation' },
  ];
}
