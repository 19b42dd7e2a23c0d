/**
 * The stack's script bucket: a bake script too large for one Run Command request is written here
 * for its builder to fetch, and deleted once the builder is gone. The bucket encrypts every object
 * (SSE-S3 by default) and expires them after a day; S3 checks the SHA-256 sent with the object.
 */
import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { s3Client } from './clients';

export async function putScriptObject(
  region: string,
  object: { bucket: string; key: string; body: string; sha256: string },
): Promise<void> {
  await s3Client(region).send(
    new PutObjectCommand({
      Bucket: object.bucket,
      Key: object.key,
      Body: object.body,
      ContentType: 'text/x-shellscript',
      ChecksumSHA256: Buffer.from(object.sha256, 'hex').toString('base64'),
      ServerSideEncryption: 'AES256',
    }),
  );
}

/** Deletes the object; S3 answers a key that is not there as a success, so a retry is safe. */
export async function deleteScriptObject(
  region: string,
  object: { bucket: string; key: string },
): Promise<void> {
  await s3Client(region).send(new DeleteObjectCommand({ Bucket: object.bucket, Key: object.key }));
}
