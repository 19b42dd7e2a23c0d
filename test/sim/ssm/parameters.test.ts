import {
  DeleteParameterCommand,
  DeleteParametersCommand,
  GetParameterCommand,
  GetParametersByPathCommand,
  GetParametersCommand,
  ParameterAlreadyExists,
  ParameterNotFound,
  PutParameterCommand,
} from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';
import { failure, type Harness, harness } from '../harness';

const put = (h: Harness, Name: string, Value: string, extra: { Overwrite?: boolean } = {}) =>
  h.ssm.send(new PutParameterCommand({ Name, Value, Type: 'SecureString', ...extra }));

describe('SSM Parameter Store', () => {
  it('resolves the Ubuntu, Debian and Amazon Linux public parameters', async () => {
    // Prepare
    const h = harness();
    const names = [
      '/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id',
      '/aws/service/canonical/ubuntu/server/24.04/stable/current/arm64/hvm/ebs-gp3/ami-id',
      '/aws/service/debian/release/12/latest/amd64',
      '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64',
    ];

    // Act
    const out = await h.ssm.send(
      new GetParametersCommand({ Names: [...names, '/aws/service/nope'] }),
    );

    // Assess
    expect(out.Parameters?.map((p) => p.Value)).toEqual(
      names.map(() => expect.stringMatching(/^ami-[0-9a-f]{17}$/)),
    );
    expect(out.InvalidParameters).toEqual(['/aws/service/nope']);
  });

  it('answers ParameterNotFound for a name it does not have', async () => {
    // Prepare
    const h = harness();

    // Act
    const error = await failure(
      h.ssm.send(new GetParameterCommand({ Name: '/bakehouse/dev/missing' })),
    );

    // Assess
    expect(error).toBeInstanceOf(ParameterNotFound);
  });

  it('returns a SecureString as ciphertext unless decryption is asked for', async () => {
    // Prepare
    const h = harness();
    await put(h, '/bakehouse/dev/class/bio101/seat-01', 'correct horse battery');

    // Act
    const sealed = await h.ssm.send(
      new GetParameterCommand({ Name: '/bakehouse/dev/class/bio101/seat-01' }),
    );
    const opened = await h.ssm.send(
      new GetParameterCommand({
        Name: '/bakehouse/dev/class/bio101/seat-01',
        WithDecryption: true,
      }),
    );

    // Assess
    expect(sealed.Parameter?.Value).not.toContain('horse');
    expect(sealed.Parameter?.Value).toMatch(/^AQICAH[A-Za-z0-9+/=]+$/);
    expect(opened.Parameter).toMatchObject({
      Type: 'SecureString',
      Value: 'correct horse battery',
      Version: 1,
    });
  });

  it('refuses to overwrite without Overwrite, and versions an overwrite', async () => {
    // Prepare
    const h = harness();
    await put(h, '/bakehouse/dev/x', 'one');

    // Act
    const refused = await failure(put(h, '/bakehouse/dev/x', 'two'));
    const overwritten = await put(h, '/bakehouse/dev/x', 'two', { Overwrite: true });

    // Assess
    expect(refused).toBeInstanceOf(ParameterAlreadyExists);
    expect(overwritten.Version).toBe(2);
    expect(h.sim.ssm.parameters()).toEqual([
      { name: '/bakehouse/dev/x', type: 'SecureString', value: 'two', version: 2 },
    ]);
  });

  it('refuses reserved prefixes, oversized values, and tags with overwrite', async () => {
    // Prepare
    const h = harness();

    // Act
    const reserved = await failure(put(h, '/aws/mine', 'x'));
    const large = await failure(put(h, '/bakehouse/big', 'x'.repeat(4097)));
    const tagged = await failure(
      h.ssm.send(
        new PutParameterCommand({
          Name: '/bakehouse/t',
          Value: 'x',
          Type: 'String',
          Overwrite: true,
          Tags: [{ Key: 'a', Value: 'b' }],
        }),
      ),
    );

    // Assess
    expect([reserved.name, large.name, tagged.name]).toEqual([
      'ValidationException',
      'ValidationException',
      'ValidationException',
    ]);
  });

  it('lists by path one level or recursively, ten at a time', async () => {
    // Prepare
    const h = harness();
    for (let i = 0; i < 12; i++)
      await put(h, `/bakehouse/dev/class/bio101/seat-${String(i).padStart(2, '0')}`, `pw${i}`);
    await put(h, '/bakehouse/dev/class/bio101/roster/csv', 'x');

    // Act
    const first = await h.ssm.send(
      new GetParametersByPathCommand({ Path: '/bakehouse/dev/class/bio101', WithDecryption: true }),
    );
    const second = await h.ssm.send(
      new GetParametersByPathCommand({
        Path: '/bakehouse/dev/class/bio101',
        WithDecryption: true,
        NextToken: first.NextToken,
      }),
    );
    const recursive = await h.ssm.send(
      new GetParametersByPathCommand({
        Path: '/bakehouse/dev/class',
        Recursive: true,
        MaxResults: 10,
      }),
    );

    // Assess
    expect(first.Parameters).toHaveLength(10);
    expect(second.Parameters?.map((p) => p.Value)).toEqual(['pw10', 'pw11']);
    expect(second.NextToken).toBeUndefined();
    expect(recursive.NextToken).toBeDefined();
  });

  it('deletes one or several parameters and reports the unknown ones', async () => {
    // Prepare
    const h = harness();
    await put(h, '/bakehouse/a', '1');
    await put(h, '/bakehouse/b', '2');
    await put(h, '/bakehouse/c', '3');

    // Act
    await h.ssm.send(new DeleteParameterCommand({ Name: '/bakehouse/a' }));
    const batch = await h.ssm.send(
      new DeleteParametersCommand({ Names: ['/bakehouse/b', '/bakehouse/zzz'] }),
    );
    const again = await failure(h.ssm.send(new DeleteParameterCommand({ Name: '/bakehouse/a' })));

    // Assess
    expect(batch).toMatchObject({
      DeletedParameters: ['/bakehouse/b'],
      InvalidParameters: ['/bakehouse/zzz'],
    });
    expect(again.name).toBe('ParameterNotFound');
    expect(h.sim.ssm.parameters().map((p) => p.name)).toEqual(['/bakehouse/c']);
  });
});
