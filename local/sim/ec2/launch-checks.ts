/** RunInstances' own parameter rules, checked before anything is launched. */
import type { IamInstanceProfileSpecification, RunInstancesRequest } from '@aws-sdk/client-ec2';
import { ec2Fault } from '../kernel/errors';
import { required } from './filters';

/** JSON with sorted keys: the same request always prints the same. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function counts(input: RunInstancesRequest): { min: number; max: number } {
  const min = required(input.MinCount, 'MinCount');
  const max = required(input.MaxCount, 'MaxCount');
  for (const [name, value] of [
    ['minCount', min],
    ['maxCount', max],
  ] as const) {
    if (!Number.isInteger(value) || value < 1) {
      throw ec2Fault(
        'InvalidParameterValue',
        `Value (${value}) for parameter ${name} is invalid. Expecting a value greater than 0.`,
      );
    }
  }
  if (min > max) {
    throw ec2Fault(
      'InvalidParameterValue',
      `Value (${min}) for parameter minCount is invalid. Parameter minCount must be less than or equal to parameter maxCount (${max}).`,
    );
  }
  return { min, max };
}

export function checkClientToken(token: string | undefined): void {
  if (token !== undefined && (token.length > 64 || !/^[\x20-\x7e]*$/.test(token))) {
    throw ec2Fault(
      'InvalidParameterValue',
      `Value (${token}) for parameter clientToken is invalid. Parameter clientToken must be at most 64 printable ASCII characters.`,
    );
  }
}

export function checkUserData(userData: string | undefined): void {
  if (userData === undefined) return;
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(userData)) {
    throw ec2Fault('InvalidParameterValue', 'Invalid BASE64 encoding of user data.');
  }
  if (Buffer.from(userData, 'base64').length > 16384) {
    throw ec2Fault('InvalidParameterValue', 'User data is limited to 16384 bytes');
  }
}

/**
 * The instance profile must exist in the account. AWS answers an unknown name with
 * `InvalidParameterValue: Value (NAME) for parameter iamInstanceProfile.name is invalid. Invalid
 * IAM Instance Profile name` (as reported in github.com/tungbq/aws-lab-with-terraform#102; moto
 * checks the same), and an unknown ARN likewise for `iamInstanceProfile.arn`.
 */
export function checkInstanceProfile(
  profile: IamInstanceProfileSpecification | undefined,
  known: ReadonlySet<string>,
): void {
  if (!profile) return;
  if (profile.Name !== undefined && !known.has(profile.Name)) {
    throw ec2Fault(
      'InvalidParameterValue',
      `Value (${profile.Name}) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name`,
    );
  }
  const fromArn = profile.Arn && /:instance-profile\/(?:.*\/)?([^/]+)$/.exec(profile.Arn)?.[1];
  if (profile.Arn !== undefined && !(fromArn && known.has(fromArn))) {
    throw ec2Fault(
      'InvalidParameterValue',
      `Value (${profile.Arn}) for parameter iamInstanceProfile.arn is invalid. Invalid IAM Instance Profile ARN`,
    );
  }
}
