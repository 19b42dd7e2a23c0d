/**
 * CloudFormation adapter: an output of a deployed stack (the `bakehouse` command reads the HTTP
 * API's URL, `HttpApiUrl`, from it). The caller's own credentials and region reach it through the
 * SDK's default chain.
 */
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { cloudformationClient } from './clients';

/** The value of output `key` of stack `stackName`; undefined when the stack or the output is not there. */
export async function stackOutput(
  region: string,
  stackName: string,
  key: string,
): Promise<string | undefined> {
  try {
    const { Stacks } = await cloudformationClient(region).send(
      new DescribeStacksCommand({ StackName: stackName }),
    );
    return Stacks?.[0]?.Outputs?.find((o) => o.OutputKey === key)?.OutputValue;
  } catch (error) {
    // DescribeStacks answers a stack that does not exist with a ValidationError saying so.
    if (
      (error as Error).name === 'ValidationError' &&
      /does not exist/.test((error as Error).message)
    )
      return undefined;
    throw error;
  }
}
