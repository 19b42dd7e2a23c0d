/**
 * The class store adapter against dynalite (a DynamoDB implementation, in-process) with the
 * table serverless.yml declares: conditional writes, seat items, and the ConflictError two
 * writers of one class meet.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useTransport } from '../../layers/aws/clients';
import {
  classSeats,
  createClass,
  getBake,
  getClass,
  putBake,
  putSeats,
  saveClass,
} from '../../layers/aws/dynamodb';
import { ConflictError, NotFoundError } from '../../layers/base/errors';
import { parseBakeRecord } from '../../layers/core/bake-record';
import {
  parseClassRecord,
  parseSeatRecords,
} from '../../layers/core/classroom/record/class-record';
import { moved } from '../../layers/core/classroom/record/transitions';
import { startClassStore } from '../../local/class-store';
import { NOW, record, seat } from '../unit/classroom/record/fixtures';

const STORE = { region: 'us-east-1', table: 'bakehouse-test-classes' };

beforeAll(() => {
  const local = startClassStore(STORE.table);
  useTransport({ dynamodb: { endpoint: local.endpoint } });
});

const withId = (classId: string) => ({ ...record(), classId });

describe('the class store on dynalite', () => {
  it('stores a class and reads back the same record', async () => {
    const stored = await createClass(STORE, withId('class-read'));

    expect(parseClassRecord(await getClass(STORE, 'class-read'))).toEqual(stored);
  });

  it('refuses a second class of the same id with a ConflictError', async () => {
    await createClass(STORE, withId('class-twice'));

    await expect(createClass(STORE, withId('class-twice'))).rejects.toBeInstanceOf(ConflictError);
  });

  it('lets only the first of two writers that read the same version win', async () => {
    await createClass(STORE, withId('class-race'));
    const read = parseClassRecord(await getClass(STORE, 'class-race'));

    const first = await saveClass(STORE, moved(read, 'seating', { at: NOW, step: 'seat' }));
    const second = saveClass(STORE, moved(read, 'deleted', { at: NOW, step: 'delete' }));

    expect(first.version).toBe(1);
    await expect(second).rejects.toThrowError(
      new ConflictError('class class-race was changed by another operation'),
    );
    expect(parseClassRecord(await getClass(STORE, 'class-race'))).toMatchObject({
      state: 'seating',
      version: 1,
    });
  });

  it('names a class it does not hold', async () => {
    await expect(getClass(STORE, 'class-none')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('keeps the seats of a class apart from other classes, over several batch writes', async () => {
    const many = Array.from({ length: 60 }, (_, i) => ({
      ...seat(1),
      seatId: `seat-${String(i + 1).padStart(3, '0')}`,
    }));
    await putSeats(STORE, 'class-seats', many);
    await putSeats(STORE, 'class-other', [seat(1)]);

    const seats = parseSeatRecords(await classSeats(STORE, 'class-seats'));

    expect(seats).toHaveLength(60);
    expect(seats.map((s) => s.seatId)).toEqual(many.map((s) => s.seatId));
  });

  it('records how a bake ended once: a retry writes it again, the other ending is a conflict', async () => {
    const baked = {
      bakeId: 'bake-1',
      state: 'baked' as const,
      recipeName: 'stats',
      recipeHash: 'abc',
      region: 'us-east-1',
      imageId: 'ami-0123456789abcdef0',
      endedAt: NOW.toISOString(),
    };
    await putBake(STORE, baked);
    await putBake(STORE, baked);

    await expect(putBake(STORE, { ...baked, state: 'failed' })).rejects.toThrowError(
      new ConflictError('bake bake-1 was changed by another operation'),
    );
    expect(parseBakeRecord(await getBake(STORE, 'bake-1'))).toEqual(baked);
  });
});
