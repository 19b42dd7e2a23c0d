/**
 * DynamoDB adapter: the class store, one table. Keys `pk` / `sk`:
 *
 *   CLASS#<classId>  CLASS            the class record (state, version, request, plan, history)
 *   CLASS#<classId>  SEAT#<seatId>    one seat (student, instance, state, link)
 *   CLASS#<classId>  BATCH#<batchId>  one batch of seats while the class is seated (its students)
 *   CLASS#<classId>  IDEMPOTENCY#…    what a step already did (idempotency.ts)
 *   BAKE#<bakeId>    BAKE             a bake record
 *
 * Class records are written only conditionally — a new one only if none exists, a change only at
 * the version it was read at — and a failed condition is a ConflictError.
 */
import {
  BatchWriteItemCommand,
  ConditionalCheckFailedException,
  GetItemCommand,
  PutItemCommand,
  paginateQuery,
  paginateScan,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { ConflictError, NotFoundError } from '../base/errors';
import type { BakeRecord } from '../core/bake-record';
import type { ClassRecord, SeatRecord } from '../core/classroom/record/class-record';
import { dynamodbClient } from './clients';

/** The table and the region it is in. */
export interface Store {
  region: string;
  table: string;
}

const classKey = (classId: string) => ({ pk: `CLASS#${classId}`, sk: 'CLASS' });
const seatKey = (classId: string, seatId: string) => ({
  pk: `CLASS#${classId}`,
  sk: `SEAT#${seatId}`,
});
const toItem = (value: object) => marshall(value, { removeUndefinedValues: true });

/** Store a new class; a class of that id already there is a ConflictError. */
export async function createClass(
  { region, table }: Store,
  record: ClassRecord,
): Promise<ClassRecord> {
  await conditional(`class ${record.classId}`, () =>
    dynamodbClient(region).send(
      new PutItemCommand({
        TableName: table,
        Item: toItem({ ...classKey(record.classId), ...record }),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    ),
  );
  return record;
}

/** The class item as stored (the caller parses it), or NotFoundError. */
export async function getClass({ region, table }: Store, classId: string): Promise<unknown> {
  const output = await dynamodbClient(region).send(
    new GetItemCommand({ TableName: table, Key: toItem(classKey(classId)), ConsistentRead: true }),
  );
  if (!output.Item) throw new NotFoundError(`no class ${classId} in the class store`);
  const { pk: _pk, sk: _sk, ...record } = unmarshall(output.Item);
  return record;
}

/**
 * Replace the class item with `record` at the next version, only if the stored one is still at
 * `record.version` (what the caller read). Returns the record as written.
 */
export async function saveClass(
  { region, table }: Store,
  record: ClassRecord,
): Promise<ClassRecord> {
  const written = { ...record, version: record.version + 1 };
  await conditional(`class ${record.classId}`, () =>
    dynamodbClient(region).send(
      new PutItemCommand({
        TableName: table,
        Item: toItem({ ...classKey(record.classId), ...written }),
        ConditionExpression: 'version = :read',
        ExpressionAttributeValues: toItem({ ':read': record.version }),
      }),
    ),
  );
  return written;
}

/** Write seat items, 25 to a request; unprocessed items are sent again. */
export const putSeats = (store: Store, classId: string, seats: SeatRecord[]): Promise<void> =>
  writeItems(
    store,
    seats.map((seat) => ({ ...seatKey(classId, seat.seatId), ...seat })),
  );

/** Write batch items (each batch's seats while it is seated), 25 to a request. */
export async function putBatches(
  store: Store,
  classId: string,
  batches: { batchId: string }[],
): Promise<void> {
  await writeItems(
    store,
    batches.map((batch) => ({ pk: `CLASS#${classId}`, sk: `BATCH#${batch.batchId}`, batch })),
  );
}

/** Every batch item of a class, as stored (the caller parses them). */
export const classBatches = async (store: Store, classId: string): Promise<unknown[]> =>
  (await queryPrefix(store, classId, 'BATCH#')).map((item) => (item as { batch: unknown }).batch);

async function writeItems(store: Store, items: Record<string, unknown>[]): Promise<void> {
  const client = dynamodbClient(store.region);
  for (let i = 0; i < items.length; i += 25) {
    let requests = items.slice(i, i + 25).map((item) => ({ PutRequest: { Item: toItem(item) } }));
    for (let round = 0; requests.length && round < 8; round++) {
      const output = await client.send(
        new BatchWriteItemCommand({ RequestItems: { [store.table]: requests } }),
      );
      requests = (output.UnprocessedItems?.[store.table] ?? []) as typeof requests;
    }
    if (requests.length) throw new Error(`${requests.length} items were never written`);
  }
}

async function queryPrefix(store: Store, classId: string, prefix: string): Promise<unknown[]> {
  const items: unknown[] = [];
  const pages = paginateQuery(
    { client: dynamodbClient(store.region) },
    {
      TableName: store.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: toItem({ ':pk': `CLASS#${classId}`, ':prefix': prefix }),
      ConsistentRead: true,
    },
  );
  for await (const page of pages) {
    for (const item of page.Items ?? []) {
      const { pk: _pk, sk: _sk, ...rest } = unmarshall(item);
      items.push(rest);
    }
  }
  return items;
}

/** Every seat item of a class, as stored (the caller parses them). */
export const classSeats = (store: Store, classId: string): Promise<unknown[]> =>
  queryPrefix(store, classId, 'SEAT#');

/** Every class item of the store, as stored (the caller parses them); seats are not read. */
export async function listClasses({ region, table }: Store): Promise<unknown[]> {
  const items: unknown[] = [];
  const pages = paginateScan(
    { client: dynamodbClient(region) },
    {
      TableName: table,
      FilterExpression: 'sk = :class',
      ExpressionAttributeValues: toItem({ ':class': 'CLASS' }),
    },
  );
  for await (const page of pages) {
    for (const item of page.Items ?? []) {
      const { pk: _pk, sk: _sk, ...record } = unmarshall(item);
      items.push(record);
    }
  }
  return items;
}

/**
 * Store how a bake ended. Written once: a retry writes the same state again; a bake recorded as
 * baked never becomes failed, nor the other way (ConflictError).
 */
export async function putBake({ region, table }: Store, record: BakeRecord): Promise<void> {
  await conditional(`bake ${record.bakeId}`, () =>
    dynamodbClient(region).send(
      new PutItemCommand({
        TableName: table,
        Item: toItem({ pk: `BAKE#${record.bakeId}`, sk: 'BAKE', ...record }),
        ConditionExpression: 'attribute_not_exists(pk) OR #state = :state',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: toItem({ ':state': record.state }),
      }),
    ),
  );
}

/** The bake item as stored (the caller parses it), or NotFoundError. */
export async function getBake({ region, table }: Store, bakeId: string): Promise<unknown> {
  const output = await dynamodbClient(region).send(
    new GetItemCommand({ TableName: table, Key: toItem({ pk: `BAKE#${bakeId}`, sk: 'BAKE' }) }),
  );
  if (!output.Item) throw new NotFoundError(`no bake ${bakeId} in the class store`);
  const { pk: _pk, sk: _sk, ...record } = unmarshall(output.Item);
  return record;
}

async function conditional(id: string, write: () => Promise<unknown>): Promise<void> {
  try {
    await write();
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException)
      throw new ConflictError(`${id} was changed by another operation`, {
        cause: error,
      });
    throw error;
  }
}
