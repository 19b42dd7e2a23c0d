// Where the command sends its requests: --endpoint, else $BAKEHOUSE_ENDPOINT, else the deployed
// stack's HttpApiUrl output (stack bakehouse-<stage> in the caller's region).
import { describe, expect, it, vi } from 'vitest';
import { resolveEndpoint, UsageError } from '../../bin/api-client';

const deployed = 'https://abc123.execute-api.eu-west-1.amazonaws.com';

describe('resolveEndpoint', () => {
  it('takes --endpoint first, without reading the environment or the stack', async () => {
    const outputs = vi.fn();

    const url = await resolveEndpoint(
      { endpoint: 'http://localhost:9000' },
      { BAKEHOUSE_ENDPOINT: 'http://localhost:1' },
      outputs,
    );

    expect(url.href).toBe('http://localhost:9000/');
    expect(outputs).not.toHaveBeenCalled();
  });

  it('takes $BAKEHOUSE_ENDPOINT next, without reading the stack', async () => {
    const outputs = vi.fn();

    const url = await resolveEndpoint({}, { BAKEHOUSE_ENDPOINT: 'http://localhost:1' }, outputs);

    expect(url.href).toBe('http://localhost:1/');
    expect(outputs).not.toHaveBeenCalled();
  });

  it('then reads the HttpApiUrl output of bakehouse-<stage> in the caller region', async () => {
    const outputs = vi.fn(async () => deployed);

    const dev = await resolveEndpoint({}, { AWS_REGION: 'eu-west-1' }, outputs);
    const prod = await resolveEndpoint(
      { stage: 'prod' },
      { AWS_DEFAULT_REGION: 'eu-west-1' },
      outputs,
    );
    const staged = await resolveEndpoint({}, { BAKEHOUSE_STAGE: 'test' }, outputs);

    expect(dev.href).toBe(`${deployed}/`);
    expect(prod.href).toBe(`${deployed}/`);
    expect(outputs.mock.calls).toEqual([
      ['eu-west-1', 'bakehouse-dev', 'HttpApiUrl'],
      ['eu-west-1', 'bakehouse-prod', 'HttpApiUrl'],
      ['us-east-1', 'bakehouse-test', 'HttpApiUrl'],
    ]);
    expect(staged.host).toBe('abc123.execute-api.eu-west-1.amazonaws.com');
  });

  it('is bad input (exit 2) when there is no stack, it cannot be read, or a URL is not one', async () => {
    await expect(resolveEndpoint({}, {}, async () => undefined)).rejects.toThrow(
      /no stack bakehouse-dev with an HttpApiUrl output in us-east-1/,
    );
    await expect(
      resolveEndpoint({}, {}, async () => {
        throw new Error('Could not load credentials from any providers');
      }),
    ).rejects.toBeInstanceOf(UsageError);
    await expect(resolveEndpoint({ endpoint: 'not a url' }, {})).rejects.toThrow(/is not a URL/);
  });
});
