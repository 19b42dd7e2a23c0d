import { createHash } from 'node:crypto';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import {
  fetchScriptCommand,
  instanceArn,
  scriptObjectKey,
} from '../../../layers/core/script-object/script-object';
import { createSimulatedAws } from '../../../local/sim';
import { fetchedScript } from '../../../local/sim/guest/script-fetch';
import { ScaledClock } from '../../../local/sim/kernel/clock';
import { SimulatedS3 } from '../../../local/sim/s3/s3';

const BUCKET = 'bakehouse-dev-scripts-123456789012-us-east-1';

function account() {
  const sim = createSimulatedAws({ scale: 0, seed: 3, buckets: [BUCKET] });
  const s3 = new S3Client({
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    maxAttempts: 1,
  });
  s3.middlewareStack.use(sim.plugin);
  return { sim, s3 };
}

const checksum = (text: string) => createHash('sha256').update(text).digest('base64');

describe('the simulated S3', () => {
  it('keeps an object encrypted, gives it back and deletes it', async () => {
    const { sim, s3 } = account();

    const put = await s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: 'bakes/b/k',
        Body: 'echo hi\n',
        ChecksumSHA256: checksum('echo hi\n'),
      }),
    );
    const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'bakes/b/k' }));

    expect(put.ServerSideEncryption).toBe('AES256');
    expect(await got.Body?.transformToString()).toBe('echo hi\n');
    expect(sim.s3.objects()).toMatchObject([
      { key: 'bakes/b/k', size: 8, serverSideEncryption: 'AES256' },
    ]);
    await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'bakes/b/k' }));
    expect(sim.s3.objects()).toEqual([]);
  });

  it('refuses a body whose SHA-256 does not match with BadDigest, and stores nothing', async () => {
    const { sim, s3 } = account();

    const put = s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: 'k',
        Body: 'echo hi\n',
        ChecksumSHA256: checksum('other'),
      }),
    );

    await expect(put).rejects.toMatchObject({ name: 'BadDigest' });
    expect(sim.s3.objects()).toEqual([]);
  });

  it.each([
    ['a bucket the account does not have', { Bucket: 'someone-elses', Key: 'k' }, 'NoSuchBucket'],
    ['a key longer than 1,024 bytes', { Bucket: BUCKET, Key: 'k'.repeat(1025) }, 'KeyTooLongError'],
  ])('refuses %s', async (_what, where, code) => {
    const { s3 } = account();

    await expect(s3.send(new PutObjectCommand({ ...where, Body: 'x' }))).rejects.toMatchObject({
      name: code,
    });
  });

  it('answers a missing key with NoSuchKey, and deletes one as a success', async () => {
    const { s3 } = account();

    await expect(
      s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'missing' })),
    ).rejects.toMatchObject({ name: 'NoSuchKey' });
    await expect(
      s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'missing' })),
    ).resolves.toBeDefined();
  });
});

describe("an instance's fetch of its bake script", () => {
  const builder = instanceArn('us-east-1', '123456789012', 'i-0aaaaaaaaaaaaaaa1');
  const script = '#!/usr/bin/env bash\necho baked\n';
  const sha256 = createHash('sha256').update(script).digest('hex');
  const key = scriptObjectKey('bake-1', builder);
  const store = () => {
    const s3 = new SimulatedS3(new ScaledClock(0, 0), [BUCKET]);
    void s3.operations().PutObject?.({ Bucket: BUCKET, Key: key, Body: script });
    return s3;
  };
  const command = (over: Partial<{ key: string; sha256: string }> = {}) =>
    fetchScriptCommand({ region: 'us-east-1', bucket: BUCKET, key, sha256, ...over });

  it('runs the object named for the instance when its SHA-256 matches', () => {
    const s3 = store();

    expect(fetchedScript(command(), builder, (b, k) => s3.read(b, k))).toEqual({ script });
  });

  it('is refused the object of another instance (403), as its role allows only its own', () => {
    const s3 = store();
    const seat = instanceArn('us-east-1', '123456789012', 'i-0bbbbbbbbbbbbbbb2');

    expect(fetchedScript(command(), seat, (b, k) => s3.read(b, k))).toEqual({
      failure: `bakehouse: could not fetch s3://${BUCKET}/${key}: HTTP 403`,
    });
  });

  it('runs nothing when the digest differs', () => {
    const s3 = store();

    const fetched = fetchedScript(command({ sha256: '0'.repeat(64) }), builder, (b, k) =>
      s3.read(b, k),
    );

    expect(fetched).toEqual({ failure: expect.stringContaining(': not run') });
  });

  it('leaves a command that names no object alone', () => {
    expect(fetchedScript(script, builder, () => undefined)).toBeUndefined();
  });
});
