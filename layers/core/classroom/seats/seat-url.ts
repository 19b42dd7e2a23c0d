// Where a student finds a seat: its address, and the one-click link that logs them in.
import type { ClassPlan } from '../plan/class-plan';
import { seatName } from '../request/dns';
import { HTTPS_PORT } from '../request/tls';

type TlsMode = 'acme' | 'none';

/** `https://203.0.113.7/` with TLS (Caddy on 443), `http://203.0.113.7:8888/` without. */
export function seatUrl(host: string, port: number, tls: TlsMode): string {
  if (tls === 'acme') return `https://${host}/`;
  return `http://${host}:${port}/`;
}

/** What a seat's certificate and link name: its name in the class's zone, else its address. */
export const seatHost = (plan: Pick<ClassPlan, 'dns'>, seatId: string, publicIp: string) =>
  plan.dns ? seatName(plan.dns, plan.dns.label, seatId) : publicIp;

/** A seat's URL in its class: by name when the class has a zone, else by address. */
export const seatLink = (
  plan: Pick<ClassPlan, 'port' | 'tls' | 'dns'>,
  seatId: string,
  publicIp: string,
) => seatUrl(seatHost(plan, seatId, publicIp), plan.port, plan.tls.mode);

/** The port a seat answers students on. */
export const studentPort = (port: number, tls: TlsMode) => (tls === 'acme' ? HTTPS_PORT : port);

/**
 * The seat's URL with Jupyter's `?token=`: opening it logs the browser in (Jupyter sets its
 * login cookie) without typing the password. Built only where the email is rendered: the URL in
 * rosters, logs and state never carries it.
 */
export function loginLink(url: string, token: string): string {
  const link = new URL(url);
  link.searchParams.set('token', token);
  return link.toString();
}
