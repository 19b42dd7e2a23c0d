/**
 * Exactly-once effects through Powertools for AWS Lambda's idempotency utility, its records kept
 * in the class store beside the class (partition `CLASS#<classId>`, sort key `IDEMPOTENCY#…`), so
 * a retried or redriven step finds what it already did.
 */
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { Context } from 'aws-lambda';
import { dynamodbClient } from './clients';
import type { Store } from './dynamodb';

/** How long a record answers for its effect: longer than any class's seating and its redrives. */
const RECORD_SECONDS = 30 * 24 * 3600;

export type Once = <R>(key: string, effect: () => Promise<R>) => Promise<R>;

/**
 * `once(key, effect)` runs `effect` the first time a key is seen and answers its stored result
 * after that. An effect that throws leaves no record, so it can be tried again. With the Lambda's
 * context, a record left in progress by a crash expires with the invocation.
 */
export function onceInClass(store: Store, classId: string, context?: Context): Once {
  const persistenceStore = new DynamoDBPersistenceLayer({
    tableName: store.table,
    keyAttr: 'pk',
    sortKeyAttr: 'sk',
    staticPkValue: `CLASS#${classId}`,
    awsSdkV3Client: dynamodbClient(store.region) as never,
  });
  const config = new IdempotencyConfig({
    eventKeyJmesPath: 'key',
    expiresAfterSeconds: RECORD_SECONDS,
  });
  if (context) config.registerLambdaContext(context);
  return <R>(key: string, effect: () => Promise<R>) =>
    makeIdempotent(async (_request: { key: string }) => effect(), {
      persistenceStore,
      config,
      keyPrefix: 'IDEMPOTENCY',
    })({ key });
}
