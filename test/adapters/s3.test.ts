import { DeleteObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { deleteScriptObject, putScriptObject } from '../../layers/aws/s3';

const s3 = mockClient(S3Client);
const SHA256 = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';

beforeEach(() => {
  s3.reset();
});

describe('putScriptObject', () => {
  it('writes the script encrypted, with its SHA-256 for S3 to check', async () => {
    s3.on(PutObjectCommand).resolves({});

    await putScriptObject('us-east-1', {
      bucket: 'bakehouse-dev-scripts-123456789012-us-east-1',
      key: 'bakes/b-1/arn:aws:ec2:us-east-1:123456789012:instance/i-1/build.sh',
      body: 'abc',
      sha256: SHA256,
    });

    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, {
      Bucket: 'bakehouse-dev-scripts-123456789012-us-east-1',
      Key: 'bakes/b-1/arn:aws:ec2:us-east-1:123456789012:instance/i-1/build.sh',
      Body: 'abc',
      ChecksumSHA256: 'ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=',
      ServerSideEncryption: 'AES256',
    });
  });

  it("passes S3's refusal on, unchanged", async () => {
    s3.on(PutObjectCommand).rejects(Object.assign(new Error('bad digest'), { name: 'BadDigest' }));

    await expect(
      putScriptObject('us-east-1', { bucket: 'b-1', key: 'k', body: 'x', sha256: SHA256 }),
    ).rejects.toThrow(expect.objectContaining({ name: 'BadDigest' }));
  });
});

describe('deleteScriptObject', () => {
  it('deletes the object by bucket and key', async () => {
    s3.on(DeleteObjectCommand).resolves({});

    await deleteScriptObject('eu-west-1', { bucket: 'b-1', key: 'bakes/b-1/x/build.sh' });

    expect(s3).toHaveReceivedCommandWith(DeleteObjectCommand, {
      Bucket: 'b-1',
      Key: 'bakes/b-1/x/build.sh',
    });
  });
});
