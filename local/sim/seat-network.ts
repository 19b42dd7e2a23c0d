/**
 * `sim.fetch`: the network between a readiness probe and the simulated seats. It never touches
 * a real socket. Addresses are the fake public IPs of simulated instances; anything else is
 * refused. Failures look like undici's: `TypeError('fetch failed')` with a `cause` carrying
 * ECONNREFUSED (nothing listening yet) or UND_ERR_CONNECT_TIMEOUT (a security group drops the
 * packets). The timeout is reported at once rather than after undici's 10 s.
 */
import type { Ec2World, SimInstance } from './ec2/model';
import { allowsFromInternet } from './ec2/security-group-rules';
import { JupyterSeat } from './guest/jupyter';
import type { SeatConfig } from './guest/script-run';
import type { Random } from './kernel/random';
import type { CommandCenter } from './ssm/commands';

function refused(address: string, port: number): TypeError {
  const cause = Object.assign(new Error(`connect ECONNREFUSED ${address}:${port}`), {
    code: 'ECONNREFUSED',
    errno: -111,
    syscall: 'connect',
    address,
    port,
  });
  return new TypeError('fetch failed', { cause });
}

function connectTimeout(address: string, port: number): TypeError {
  const cause = Object.assign(
    new Error(`Connect Timeout Error (attempted address: ${address}:${port}, timeout: 10000ms)`),
    { name: 'ConnectTimeoutError', code: 'UND_ERR_CONNECT_TIMEOUT' },
  );
  return new TypeError('fetch failed', { cause });
}

function notFound(host: string): TypeError {
  const cause = Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), {
    code: 'ENOTFOUND',
    syscall: 'getaddrinfo',
    hostname: host,
  });
  return new TypeError('fetch failed', { cause });
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** The seat its first boot configured, as it serves at `now` (after a restart, a few s later). */
export function bootSeat(
  world: Ec2World,
  instance: SimInstance,
  now: number,
): { config: SeatConfig; readyAt: number } | undefined {
  const boot = instance.firstBoot;
  const readyAt = world.firstBootOutcome(instance, now)?.readyAt;
  const since = world.runningSince(instance, now);
  if (!boot?.seat || readyAt === undefined || since === undefined) return undefined;
  const firstRun = instance.phases.find((p) => p.state === 'running')?.at;
  const restarted = since !== firstRun;
  return {
    config: boot.seat,
    readyAt: restarted ? since + Math.min(boot.warmUpMs, 8_000) : readyAt,
  };
}

/** Jupyter's idle check runs this often, counted from the server's start. */
const IDLE_CHECK_MS = 60_000;
const MINUTE = 60_000;

/**
 * When a seat with an idle window powers itself off, as idle.py has Jupyter do: at the first
 * once-a-minute check after `window` minutes without a request (a seat in the simulator has no
 * kernels or terminals; its requests are all its activity), a few seconds for systemd to act.
 */
export function idlePowerOffAt(readyAt: number, lastRequest: number, windowMinutes: number) {
  const last = Math.max(readyAt, lastRequest);
  const checks = Math.floor((last + windowMinutes * MINUTE - readyAt) / IDLE_CHECK_MS) + 1;
  return readyAt + checks * IDLE_CHECK_MS + 3_000;
}

export class SeatNetwork {
  private readonly servers = new Map<
    string,
    { config: SeatConfig; host: string; server: JupyterSeat }
  >();
  /** Instance id → when its seat last answered a request. */
  private readonly lastRequest = new Map<string, number>();

  constructor(
    private readonly world: Ec2World,
    private readonly commands: CommandCenter,
    private readonly random: Random,
    /** A name's A record in the account's hosted zones (Route 53), if it has one. */
    private readonly resolve: (host: string) => string | undefined = () => undefined,
  ) {}

  readonly fetch: typeof fetch = async (input, init) => {
    let request = new Request(input, init);
    for (let hops = 0; ; hops++) {
      const response = await this.exchange(request);
      const location = response.headers.get('location');
      if (!REDIRECTS.has(response.status) || !location || request.redirect === 'manual')
        return response;
      if (request.redirect === 'error' || hops >= 20) {
        throw new TypeError('fetch failed', { cause: new Error('unexpected redirect') });
      }
      const keepBody = response.status === 307 || response.status === 308;
      request = new Request(new URL(location, request.url), {
        method: keepBody ? request.method : 'GET',
        headers: request.headers,
        body: keepBody ? await request.clone().text() : undefined,
        redirect: request.redirect,
        signal: request.signal,
      });
    }
  };

  private async exchange(request: Request): Promise<Response> {
    request.signal.throwIfAborted();
    const url = new URL(request.url);
    const host = url.hostname;
    const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    const dns = /^ec2-(\d+)-(\d+)-(\d+)-(\d+)\.compute-1\.amazonaws\.com$/.exec(host);
    const ip = dns ? dns.slice(1, 5).join('.') : (this.resolve(host) ?? host);
    if (!/^\d+\.\d+\.\d+\.\d+$/.test(ip)) throw notFound(host);
    const now = this.world.now();
    const instance = this.world.instanceByIp(ip);
    if (!instance || this.world.state(instance, now) !== 'running') throw refused(ip, port);
    if (!allowsFromInternet(this.world, instance.securityGroupIds, port))
      throw connectTimeout(ip, port);
    const seat = this.seatServing(instance, now);
    const tls = seat?.config.TLS_MODE === 'acme';
    const listening = tls ? [443, 80] : [seat?.config.JUPYTER_PORT];
    if (!seat || !listening.includes(port) || now < seat.readyAt) throw refused(ip, port);
    if (tls && port === 80) {
      const target = new URL(url);
      target.protocol = 'https:';
      return new Response(null, { status: 308, headers: { location: target.toString() } });
    }
    if (url.protocol !== (tls ? 'https:' : 'http:')) {
      throw new TypeError('fetch failed', {
        cause: Object.assign(new Error('wrong version number'), {
          code: 'ERR_SSL_WRONG_VERSION_NUMBER',
        }),
      });
    }
    if (tls && seat.config.SEAT_HOST !== host) {
      throw new TypeError('fetch failed', {
        cause: Object.assign(
          new Error(
            `Hostname/IP does not match certificate's altnames: IP: ${host} is not in the cert's list: ${seat.config.SEAT_HOST}`,
          ),
          { code: 'ERR_TLS_CERT_ALTNAME_INVALID' },
        ),
      });
    }
    const server = this.server(instance, seat.config, `${ip}:${port}`, seat.readyAt);
    this.lastRequest.set(instance.instanceId, now);
    return server.handle({
      method: request.method,
      url,
      headers: request.headers,
      body: request.body ? await request.text() : '',
    });
  }

  /**
   * Every seat with an idle window that has gone without a request for it by `now` has powered
   * itself off since: stopping then stopped (its shutdown behaviour is stop), an auto-assigned
   * address given back and an Elastic IP kept, as a stop does. The simulator applies it before
   * every call and every request, so nothing sees the seat running after that moment.
   */
  stopIdleSeats(now: number): void {
    for (const instance of this.world.instances.values()) this.stopIfIdle(instance, now);
  }

  private stopIfIdle(instance: SimInstance, now: number): void {
    const windowed =
      Boolean(instance.firstBoot?.seat?.IDLE_MINUTES) ||
      this.commands.seatRunsOn(instance.instanceId).some((run) => run.seat?.IDLE_MINUTES);
    if (!windowed) return;
    const since = this.world.runningSince(instance, now);
    if (since === undefined) return;
    const seat = this.seatServing(instance, now);
    if (!seat?.config.IDLE_MINUTES) return;
    const last = this.lastRequest.get(instance.instanceId) ?? 0;
    const offAt = idlePowerOffAt(seat.readyAt, last >= since ? last : 0, seat.config.IDLE_MINUTES);
    if (offAt > now) return;
    this.world.reschedule(instance, offAt, [
      { state: 'stopping', at: offAt },
      { state: 'stopped', at: offAt + this.random.latency(30_000, 60_000) },
    ]);
    this.world.releasePublicIp(instance, { keepElastic: true });
    this.world.events.record(
      'EC2',
      `${instance.instanceId} stopped itself: idle for ${seat.config.IDLE_MINUTES} min`,
    );
  }

  /** The seat an instance serves now: its latest seat script's, else its first boot's. */
  private seatServing(instance: SimInstance, now: number) {
    return this.commands.seatOn(instance, now) ?? bootSeat(this.world, instance, now);
  }

  /** One server per seat configuration: a re-configured seat restarts and forgets logins. */
  private server(
    instance: SimInstance,
    config: SeatConfig,
    host: string,
    startedAt: number,
  ): JupyterSeat {
    const existing = this.servers.get(instance.instanceId);
    if (existing?.config === config && existing.host === host) return existing.server;
    const server = new JupyterSeat(config, host, this.random, startedAt, () => this.world.now());
    this.servers.set(instance.instanceId, { config, host, server });
    return server;
  }
}
