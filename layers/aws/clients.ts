/**
 * The only place SDK clients are constructed. One client per service and region, reused across
 * invocations of a warm Lambda.
 *
 * `useTransport` lets the local runner put the simulated AWS behind the real SDK `Command`
 * objects (an SDK middleware that answers instead of the network) and swap the HTTP client used
 * for seat readiness probes; adapters and handlers run unchanged.
 */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { Route53Client } from '@aws-sdk/client-route-53';
import { S3Client } from '@aws-sdk/client-s3';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { Pluggable } from '@smithy/types';

export interface Transport {
  /**
   * Added to every client; the simulator's answers come from here. As a function, it is asked
   * for the plugin of each client's region.
   */
  // biome-ignore lint/suspicious/noExplicitAny: a plugin applies to clients of every service
  plugin?: Pluggable<any, any> | ((region: string) => Pluggable<any, any>);
  /** Used by the seat readiness probe instead of the global fetch. */
  fetch?: typeof fetch;
  /**
   * The class store locally: a DynamoDB (dynalite) at this URL, reached over HTTP with `plugin`
   * (the request recorder) instead of the simulator's.
   */
  dynamodb?: {
    endpoint: () => Promise<string>;
    // biome-ignore lint/suspicious/noExplicitAny: see plugin
    plugin?: Pluggable<any, any>;
  };
}

let transport: Transport = {};
const cache = new Map<string, unknown>();

export function useTransport(next: Transport): void {
  transport = next;
  cache.clear();
}

export function httpFetch(): typeof fetch {
  return transport.fetch ?? globalThis.fetch;
}

type ClientClass<C> = new (config: {
  region: string;
  maxAttempts?: number;
}) => C & {
  // biome-ignore lint/suspicious/noExplicitAny: see Transport.plugin
  middlewareStack: { use(p: Pluggable<any, any>): void };
};

function client<C>(Ctor: ClientClass<C>, service: string, region: string): C {
  const key = `${service}:${region}`;
  const existing = cache.get(key);
  if (existing) return existing as C;
  const made = new Ctor({ region, maxAttempts: 4 });
  const plugin = transport.plugin;
  if (plugin) made.middlewareStack.use(typeof plugin === 'function' ? plugin(region) : plugin);
  cache.set(key, made);
  return made;
}

export function dynamodbClient(region: string): DynamoDBClient {
  const local = transport.dynamodb;
  if (!local) return client(DynamoDBClient, 'dynamodb', region);
  const key = `dynamodb-local:${region}`;
  const existing = cache.get(key);
  if (existing) return existing as DynamoDBClient;
  const made = new DynamoDBClient({
    region,
    maxAttempts: 4,
    endpoint: async () => ({ url: new URL(await local.endpoint()) }),
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  if (local.plugin) made.middlewareStack.use(local.plugin);
  cache.set(key, made);
  return made;
}

export const ec2Client = (region: string) => client(EC2Client, 'ec2', region);
export const ssmClient = (region: string) => client(SSMClient, 'ssm', region);
export const s3Client = (region: string) => client(S3Client, 's3', region);
export const sesClient = (region: string) => client(SESv2Client, 'ses', region);
export const sfnClient = (region: string) => client(SFNClient, 'sfn', region);
export const schedulerClient = (region: string) => client(SchedulerClient, 'scheduler', region);
export const cloudformationClient = (region: string) =>
  client(CloudFormationClient, 'cloudformation', region);
/** Route 53 is global: its API answers in us-east-1 whatever the class's region. */
export const route53Client = () => client(Route53Client, 'route53', 'us-east-1');
