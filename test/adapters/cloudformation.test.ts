// The CloudFormation adapter: a stack's output by its key; no stack, no output.
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { stackOutput } from '../../layers/aws/cloudformation';

const cfn = mockClient(CloudFormationClient);

beforeEach(() => cfn.reset());

describe('stackOutput', () => {
  it('answers the output of that key of the stack named', async () => {
    cfn.on(DescribeStacksCommand, { StackName: 'bakehouse-dev' }).resolves({
      Stacks: [
        {
          StackName: 'bakehouse-dev',
          CreationTime: new Date(),
          StackStatus: 'UPDATE_COMPLETE',
          Outputs: [
            { OutputKey: 'HttpApiId', OutputValue: 'abc123' },
            {
              OutputKey: 'HttpApiUrl',
              OutputValue: 'https://abc123.execute-api.us-east-1.amazonaws.com',
            },
          ],
        },
      ],
    });

    expect(await stackOutput('us-east-1', 'bakehouse-dev', 'HttpApiUrl')).toBe(
      'https://abc123.execute-api.us-east-1.amazonaws.com',
    );
    expect(await stackOutput('us-east-1', 'bakehouse-dev', 'Nothing')).toBeUndefined();
  });

  it('answers undefined for a stack that does not exist, and throws any other error', async () => {
    const missing = Object.assign(new Error('Stack with id bakehouse-x does not exist'), {
      name: 'ValidationError',
    });
    cfn.on(DescribeStacksCommand, { StackName: 'bakehouse-x' }).rejects(missing);
    cfn
      .on(DescribeStacksCommand, { StackName: 'bakehouse-y' })
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDenied' }));

    expect(await stackOutput('us-east-1', 'bakehouse-x', 'HttpApiUrl')).toBeUndefined();
    await expect(stackOutput('us-east-1', 'bakehouse-y', 'HttpApiUrl')).rejects.toThrow('denied');
  });
});
