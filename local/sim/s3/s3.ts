/**
 * S3 objects in the buckets the account has (`buckets`): PutObject, GetObject and DeleteObject as
 * the bake's script bucket uses them. It refuses what S3 refuses here: a bucket that does not
 * exist (NoSuchBucket), a key that is empty or longer than 1,024 bytes of UTF-8
 * (KeyTooLongError), a body whose `ChecksumSHA256` does not match (BadDigest), a GetObject of a
 * key that is not there (NoSuchKey). DeleteObject of a missing key succeeds, as S3's does.
 * Objects are encrypted with SSE-S3 (the buckets' default encryption), and the guest reads them
 * through `read` (an instance's fetch, allowed only what its role's policy allows).
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  type DeleteObjectRequest,
  type GetObjectRequest,
  NoSuchBucket,
  NoSuchKey,
  type PutObjectRequest,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import type { SimClock } from '../kernel/clock';
import { fault } from '../kernel/errors';
import { type Operations, operation, UnsimulatedOperationError } from '../kernel/transport';

const KEY_MAX_BYTES = 1024;

export interface ObjectSnapshot {
  bucket: string;
  key: string;
  size: number;
  sha256: string;
  serverSideEncryption: 'AES256';
  lastModified: number;
}

interface StoredObject extends ObjectSnapshot {
  body: Buffer;
}

const s3Fault = (code: string, message: string, status = 400) =>
  new S3ServiceException({
    name: code,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
    message,
  });

function bodyOf(body: PutObjectRequest['Body']): Buffer {
  if (body === undefined) return Buffer.alloc(0);
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body instanceof Uint8Array) return Buffer.from(body);
  throw new UnsimulatedOperationError('the simulated S3 takes a string or bytes as Body');
}

/** The body as the SDK hands it out in Node: a stream with its transform helpers. */
function streamOf(bytes: Buffer) {
  const copy = Buffer.from(bytes);
  return Object.assign(Readable.from([copy]), {
    transformToByteArray: async () => new Uint8Array(copy),
    transformToString: async (encoding: BufferEncoding = 'utf8') => copy.toString(encoding),
  });
}

export class SimulatedS3 {
  private readonly buckets: Map<string, Map<string, StoredObject>>;

  constructor(
    private readonly clock: SimClock,
    buckets: readonly string[],
  ) {
    this.buckets = new Map(buckets.map((name) => [name, new Map()]));
  }

  objects(): ObjectSnapshot[] {
    return [...this.buckets.values()].flatMap((objects) =>
      [...objects.values()].map(({ body: _body, ...snapshot }) => ({ ...snapshot })),
    );
  }

  /** The object's bytes, for an instance's fetch; undefined when there is none. */
  read(bucket: string, key: string): Buffer | undefined {
    const object = this.buckets.get(bucket)?.get(key);
    return object && Buffer.from(object.body);
  }

  private bucket(name: string | undefined): Map<string, StoredObject> {
    const bucket = this.buckets.get(name ?? '');
    if (!bucket) throw fault(NoSuchBucket, 'The specified bucket does not exist', 404);
    return bucket;
  }

  private key(key: string | undefined): string {
    if (!key || Buffer.byteLength(key) > KEY_MAX_BYTES) {
      throw s3Fault('KeyTooLongError', 'Your key is too long');
    }
    return key;
  }

  operations(): Operations {
    return {
      PutObject: operation((input: PutObjectRequest) => {
        const bucket = this.bucket(input.Bucket);
        const key = this.key(input.Key);
        const body = bodyOf(input.Body);
        const digest = createHash('sha256').update(body);
        const sha256 = digest.digest('hex');
        if (
          input.ChecksumSHA256 !== undefined &&
          Buffer.from(sha256, 'hex').toString('base64') !== input.ChecksumSHA256
        ) {
          throw s3Fault(
            'BadDigest',
            'The SHA256 you specified did not match the calculated checksum.',
          );
        }
        bucket.set(key, {
          bucket: input.Bucket ?? '',
          key,
          size: body.length,
          sha256,
          serverSideEncryption: 'AES256',
          lastModified: this.clock.now(),
          body,
        });
        return {
          ETag: `"${createHash('md5').update(body).digest('hex')}"`,
          ServerSideEncryption: 'AES256',
          ...(input.ChecksumSHA256 ? { ChecksumSHA256: input.ChecksumSHA256 } : {}),
        };
      }),
      GetObject: operation((input: GetObjectRequest) => {
        const object = this.bucket(input.Bucket).get(this.key(input.Key));
        if (!object) throw fault(NoSuchKey, 'The specified key does not exist.', 404);
        return {
          Body: streamOf(object.body),
          ContentLength: object.size,
          ServerSideEncryption: object.serverSideEncryption,
          LastModified: new Date(object.lastModified),
        };
      }),
      DeleteObject: operation((input: DeleteObjectRequest) => {
        this.bucket(input.Bucket).delete(this.key(input.Key));
        return {};
      }),
    };
  }
}
