/**
 * The class store for local runs and tests: dynalite (a DynamoDB implementation) in-process on a
 * free port, with the table serverless.yml defines (`resources.ClassesTable`) created in it. The
 * server does not keep the process alive.
 */
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { classesTableDefinition } from './serverless-config';

export interface LocalClassStore {
  /** Resolves once the server listens and the table exists. */
  endpoint(): Promise<string>;
  readonly tableName: string;
  /** Closes the server (its data is gone with it). */
  stop(): Promise<void>;
}

export function startClassStore(tableName: string): LocalClassStore {
  const server = dynalite({ createTableMs: 0 });
  const ready = new Promise<string>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.unref();
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    });
  }).then(async (url) => {
    const admin = new DynamoDBClient({
      region: 'us-east-1',
      endpoint: url,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    await admin.send(new CreateTableCommand({ ...classesTableDefinition(), TableName: tableName }));
    admin.destroy();
    return url;
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (!server.listening) resolve();
      else server.close(() => resolve());
    });
  return { endpoint: () => ready, tableName, stop };
}
