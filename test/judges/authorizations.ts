/**
 * What IAM checks for one recorded request: each action, the ARN of each resource it touches, and
 * the context keys the request carries (the tags of existing resources, the tags requested for
 * new ones, IMDS and encryption settings of a launch, the service a role is passed to). Built
 * from AWS's Service Authorization Reference for these operations; a request of an operation
 * not listed here fails the judge, so a new call cannot slip past it.
 *
 * Resources a request creates have no id yet: they get a placeholder id (`…-new`). AWS-owned SSM
 * documents and public parameters have ARNs without an account, which the engine cannot take;
 * they are judged under the stack's account (the policies name them with `*` for the account).
 */
import type { Tags } from '../../layers/core/tags';
import type { Observed } from './scenarios';
import { ACCOUNT, REGION } from './scenarios';

export type Context = Record<string, string | string[]>;

export interface Authorization {
  action: string;
  resource: string;
  context: Context;
}

export interface Accounts {
  /** The role ARN behind an instance profile, by the profile's name. */
  instanceProfileRole(profileName: string): string;
}

// biome-ignore lint/suspicious/noExplicitAny: recorded inputs are the SDK's JSON
type Input = Record<string, any>;

/** The ARNs IAM sees for requests a client of `region` sends (the judge's own region unless told). */
function arnsIn(region: string) {
  return {
    ec2: (kind: string, id: string) =>
      kind === 'image' || kind === 'snapshot'
        ? `arn:aws:ec2:${region}::${kind}/${id}`
        : `arn:aws:ec2:${region}:${ACCOUNT}:${kind}/${id}`,
    table: (name: string) => `arn:aws:dynamodb:${region}:${ACCOUNT}:table/${name}`,
    parameter: (name: string) =>
      `arn:aws:ssm:${region}:${ACCOUNT}:parameter/${name.replace(/^\//, '')}`,
    document: (name: string) => `arn:aws:ssm:${region}:${ACCOUNT}:document/${name}`,
    identity: (name: string) => `arn:aws:ses:${region}:${ACCOUNT}:identity/${name}`,
    schedule: (group: string, name: string) =>
      `arn:aws:scheduler:${region}:${ACCOUNT}:schedule/${group}/${name}`,
  };
}
type Arns = ReturnType<typeof arnsIn>;

function resourceTags(tags: Tags | undefined, prefixes: string[]): Context {
  const context: Context = {};
  for (const [key, value] of Object.entries(tags ?? {}))
    for (const prefix of prefixes) context[`${prefix}/${key}`] = value;
  return context;
}

const existingEc2 = (tags: Tags | undefined) =>
  resourceTags(tags, ['aws:ResourceTag', 'ec2:ResourceTag']);

function requestedTags(specs: Input[] | undefined, resourceType: string): Context {
  const tags = (specs ?? [])
    .filter((s) => s.ResourceType === resourceType)
    .flatMap((s) => (s.Tags ?? []) as { Key: string; Value: string }[]);
  if (!tags.length) return {};
  return {
    ...Object.fromEntries(tags.map((t) => [`aws:RequestTag/${t.Key}`, t.Value])),
    'aws:TagKeys': tags.map((t) => t.Key),
  };
}

/** The resource type of an EC2 id, by its prefix. */
function kindOfId(id: string): string {
  const kinds: Record<string, string> = {
    ami: 'image',
    i: 'instance',
    snap: 'snapshot',
    sg: 'security-group',
    vol: 'volume',
    eipalloc: 'elastic-ip',
  };
  const kind = kinds[id.split('-')[0] ?? ''];
  if (!kind) throw new Error(`the IAM judge does not know the resource type of ${id}`);
  return kind;
}

/** ec2:CreateTags, which EC2 checks for every resource type tagged by a create call. */
function tagOnCreate(
  { ec2 }: Arns,
  action: string,
  specs: Input[] | undefined,
  arns: Record<string, string>,
) {
  return (specs ?? []).map((s) => ({
    action: 'ec2:CreateTags',
    resource: arns[s.ResourceType] ?? ec2(s.ResourceType, `${s.ResourceType}-new`),
    context: { 'ec2:CreateAction': action, ...requestedTags(specs, s.ResourceType) },
  }));
}

const anything = (action: string): Authorization[] => [{ action, resource: '*', context: {} }];

function runInstances(
  at: Arns,
  input: Input,
  tagsOf: (id: string) => Tags | undefined,
  accounts: Accounts,
) {
  const { ec2 } = at;
  const specs = input.TagSpecifications as Input[] | undefined;
  const spot = input.InstanceMarketOptions?.MarketType === 'spot';
  const arns = {
    instance: ec2('instance', 'i-new'),
    volume: ec2('volume', 'vol-new'),
    'network-interface': ec2('network-interface', 'eni-new'),
  };
  const launch: Authorization[] = [
    {
      action: 'ec2:RunInstances',
      resource: arns.instance,
      context: {
        ...requestedTags(specs, 'instance'),
        'ec2:MetadataHttpTokens': input.MetadataOptions?.HttpTokens ?? 'optional',
        'ec2:InstanceMarketType': spot ? 'spot' : 'on-demand',
        'ec2:InstanceType': input.InstanceType,
      },
    },
    ...((input.BlockDeviceMappings ?? []) as Input[]).map((b) => ({
      action: 'ec2:RunInstances',
      resource: arns.volume,
      context: {
        ...requestedTags(specs, 'volume'),
        'ec2:Encrypted': String(b.Ebs?.Encrypted ?? false),
        'ec2:VolumeType': b.Ebs?.VolumeType ?? 'gp2',
      },
    })),
    {
      action: 'ec2:RunInstances',
      resource: ec2('image', input.ImageId),
      context: existingEc2(tagsOf(input.ImageId)),
    },
    {
      action: 'ec2:RunInstances',
      resource: ec2('subnet', input.SubnetId ?? 'subnet-default'),
      context: {},
    },
    ...((input.SecurityGroupIds ?? ['sg-default']) as string[]).map((id) => ({
      action: 'ec2:RunInstances',
      resource: ec2('security-group', id),
      context: existingEc2(tagsOf(id)),
    })),
    {
      action: 'ec2:RunInstances',
      resource: arns['network-interface'],
      context: requestedTags(specs, 'network-interface'),
    },
    ...(spot
      ? [
          {
            action: 'ec2:RunInstances',
            resource: ec2('spot-instances-request', 'sir-new'),
            context: requestedTags(specs, 'spot-instances-request'),
          },
        ]
      : []),
    ...tagOnCreate(at, 'RunInstances', specs, arns),
  ];
  if (input.IamInstanceProfile?.Name)
    launch.push({
      action: 'iam:PassRole',
      resource: accounts.instanceProfileRole(input.IamInstanceProfile.Name),
      context: { 'iam:PassedToService': 'ec2.amazonaws.com' },
    });
  return launch;
}

/** Every check IAM makes for `observed.request`. */
export function authorizationsOf(observed: Observed, accounts: Accounts): Authorization[] {
  const { request } = observed;
  const input = request.input as Input;
  const at = arnsIn(request.region ?? REGION);
  const { ec2, table, parameter } = at;
  const tagsOf = (id: string) => observed.tags.get(id);
  const existing = (kind: string, id: string) => ({
    resource: ec2(kind, id),
    context: existingEc2(tagsOf(id)),
  });
  const key = `${request.service}:${request.operation}`;
  switch (key) {
    case 'ec2:DescribeAccountAttributes':
    case 'ec2:DescribeAddresses':
    case 'ec2:DescribeImages':
    case 'ec2:DescribeInstances':
    case 'ec2:DescribeRegions':
    case 'ec2:DescribeSecurityGroups':
    case 'ec2:DescribeSnapshots':
    case 'ec2:DescribeSubnets':
      return anything(`ec2:${request.operation}`);
    case 'ec2:RunInstances':
      return runInstances(at, input, tagsOf, accounts);
    case 'ec2:TerminateInstances':
    case 'ec2:StopInstances':
    case 'ec2:StartInstances':
      return (input.InstanceIds as string[]).map((id) => ({
        action: `ec2:${request.operation}`,
        ...existing('instance', id),
      }));
    case 'ec2:CancelSpotInstanceRequests':
      return (input.SpotInstanceRequestIds as string[]).map((id) => ({
        action: 'ec2:CancelSpotInstanceRequests',
        ...existing('spot-instances-request', id),
      }));
    case 'ec2:CreateImage': {
      const specs = input.TagSpecifications as Input[] | undefined;
      const arns = { image: ec2('image', 'ami-new'), snapshot: ec2('snapshot', 'snap-new') };
      return [
        { action: 'ec2:CreateImage', ...existing('instance', input.InstanceId) },
        { action: 'ec2:CreateImage', resource: arns.image, context: requestedTags(specs, 'image') },
        {
          action: 'ec2:CreateImage',
          resource: arns.snapshot,
          context: requestedTags(specs, 'snapshot'),
        },
        ...tagOnCreate(at, 'CreateImage', specs, arns),
      ];
    }
    case 'ec2:CopyImage': {
      // The source image (resource-level since October 2024), the new image and its snapshots.
      const specs = input.TagSpecifications as Input[] | undefined;
      const arns = { image: ec2('image', 'ami-new'), snapshot: ec2('snapshot', 'snap-new') };
      return [
        {
          action: 'ec2:CopyImage',
          resource: arnsIn(input.SourceRegion).ec2('image', input.SourceImageId),
          context: existingEc2(tagsOf(input.SourceImageId)),
        },
        { action: 'ec2:CopyImage', resource: arns.image, context: requestedTags(specs, 'image') },
        {
          action: 'ec2:CopyImage',
          resource: arns.snapshot,
          context: requestedTags(specs, 'snapshot'),
        },
        ...tagOnCreate(at, 'CopyImage', specs, arns),
      ];
    }
    case 'ec2:CreateTags': {
      const requested = (input.Tags ?? []) as { Key: string; Value: string }[];
      const context = {
        ...Object.fromEntries(requested.map((t) => [`aws:RequestTag/${t.Key}`, t.Value])),
        'aws:TagKeys': requested.map((t) => t.Key),
      };
      return (input.Resources as string[]).map((id) => {
        const found = existing(kindOfId(id), id);
        return { action: 'ec2:CreateTags', ...found, context: { ...found.context, ...context } };
      });
    }
    case 'ec2:DeregisterImage':
      return [{ action: 'ec2:DeregisterImage', ...existing('image', input.ImageId) }];
    case 'ec2:DeleteSnapshot':
      return [{ action: 'ec2:DeleteSnapshot', ...existing('snapshot', input.SnapshotId) }];
    case 'ec2:CreateSecurityGroup': {
      const specs = input.TagSpecifications as Input[] | undefined;
      const arns = { 'security-group': ec2('security-group', 'sg-new') };
      return [
        {
          action: 'ec2:CreateSecurityGroup',
          resource: arns['security-group'],
          context: requestedTags(specs, 'security-group'),
        },
        {
          action: 'ec2:CreateSecurityGroup',
          resource: ec2('vpc', input.VpcId ?? 'vpc-default'),
          context: {},
        },
        ...tagOnCreate(at, 'CreateSecurityGroup', specs, arns),
      ];
    }
    case 'ec2:AllocateAddress': {
      const specs = input.TagSpecifications as Input[] | undefined;
      const arns = { 'elastic-ip': ec2('elastic-ip', 'eipalloc-new') };
      return [
        {
          action: 'ec2:AllocateAddress',
          resource: arns['elastic-ip'],
          context: requestedTags(specs, 'elastic-ip'),
        },
        ...tagOnCreate(at, 'AllocateAddress', specs, arns),
      ];
    }
    case 'ec2:AssociateAddress':
      return [
        { action: 'ec2:AssociateAddress', ...existing('elastic-ip', input.AllocationId) },
        { action: 'ec2:AssociateAddress', ...existing('instance', input.InstanceId) },
      ];
    // The request names the association, not the address: judged on the address it belongs to
    // (its tags are recorded under the association id too).
    case 'ec2:DisassociateAddress':
      return [
        { action: 'ec2:DisassociateAddress', ...existing('elastic-ip', input.AssociationId) },
      ];
    case 'ec2:ReleaseAddress':
      return [{ action: 'ec2:ReleaseAddress', ...existing('elastic-ip', input.AllocationId) }];
    case 'ec2:AuthorizeSecurityGroupIngress':
    case 'ec2:DeleteSecurityGroup':
      return [{ action: `ec2:${request.operation}`, ...existing('security-group', input.GroupId) }];
    case 'ssm:DescribeInstanceInformation':
    case 'ssm:ListCommands':
    case 'ssm:GetCommandInvocation':
    case 'ssm:ListCommandInvocations':
      return anything(`ssm:${request.operation}`);
    case 'ssm:GetParameter':
    case 'ssm:PutParameter':
      return [{ action: `ssm:${request.operation}`, resource: parameter(input.Name), context: {} }];
    case 'ssm:GetParameters':
    case 'ssm:DeleteParameters':
      return (input.Names as string[]).map((name) => ({
        action: `ssm:${request.operation}`,
        resource: parameter(name),
        context: {},
      }));
    case 'ssm:GetParametersByPath':
      return [{ action: 'ssm:GetParametersByPath', resource: parameter(input.Path), context: {} }];
    case 'ssm:SendCommand':
      return [
        {
          action: 'ssm:SendCommand',
          resource: at.document(input.DocumentName),
          context: {},
        },
        ...(input.InstanceIds as string[]).map((id) => ({
          action: 'ssm:SendCommand',
          resource: ec2('instance', id),
          context: resourceTags(tagsOf(id), ['aws:ResourceTag', 'ssm:resourceTag']),
        })),
      ];
    case 'sesv2:SendEmail':
      return [
        {
          action: 'ses:SendEmail',
          resource: at.identity(input.FromEmailAddress),
          context: {},
        },
      ];
    case 'sesv2:GetAccount':
      return anything('ses:GetAccount');
    case 'scheduler:CreateSchedule':
    case 'scheduler:UpdateSchedule':
      return [
        {
          action: `scheduler:${request.operation}`,
          resource: at.schedule(input.GroupName ?? 'default', input.Name),
          context: {},
        },
        {
          action: 'iam:PassRole',
          resource: input.Target.RoleArn,
          context: { 'iam:PassedToService': 'scheduler.amazonaws.com' },
        },
      ];
    case 'scheduler:GetSchedule':
    case 'scheduler:DeleteSchedule':
      return [
        {
          action: `scheduler:${request.operation}`,
          resource: at.schedule(input.GroupName ?? 'default', input.Name),
          context: {},
        },
      ];
    case 'scheduler:ListSchedules':
      return anything('scheduler:ListSchedules');
    case 'dynamodb:GetItem':
    case 'dynamodb:PutItem':
    case 'dynamodb:UpdateItem':
    case 'dynamodb:DeleteItem':
    case 'dynamodb:Query':
    case 'dynamodb:Scan':
      return [
        { action: `dynamodb:${request.operation}`, resource: table(input.TableName), context: {} },
      ];
    case 'dynamodb:BatchWriteItem':
      return Object.keys(input.RequestItems).map((name) => ({
        action: 'dynamodb:BatchWriteItem',
        resource: table(name),
        context: {},
      }));
    case 's3:PutObject':
    case 's3:GetObject':
    case 's3:DeleteObject':
      return [
        {
          action: `s3:${request.operation}`,
          resource: `arn:aws:s3:::${input.Bucket}/${input.Key}`,
          context: {},
        },
      ];
    // Route 53 is global: its zones' ARNs name neither a region nor an account. A change is also
    // judged on its names (lowercase, no trailing dot), record types and actions.
    case 'route53:ChangeResourceRecordSets': {
      const changes = input.ChangeBatch.Changes as Input[];
      const unique = (values: string[]) => [...new Set(values)];
      return [
        {
          action: 'route53:ChangeResourceRecordSets',
          resource: `arn:aws:route53:::hostedzone/${input.HostedZoneId}`,
          context: {
            'route53:ChangeResourceRecordSetsNormalizedRecordNames': unique(
              changes.map((c) => String(c.ResourceRecordSet.Name).toLowerCase().replace(/\.$/, '')),
            ),
            'route53:ChangeResourceRecordSetsRecordTypes': unique(
              changes.map((c) => String(c.ResourceRecordSet.Type)),
            ),
            'route53:ChangeResourceRecordSetsActions': unique(changes.map((c) => String(c.Action))),
          },
        },
      ];
    }
    case 'route53:ListResourceRecordSets':
      return [
        {
          action: 'route53:ListResourceRecordSets',
          resource: `arn:aws:route53:::hostedzone/${input.HostedZoneId}`,
          context: {},
        },
      ];
    case 'sfn:StartExecution':
      return [{ action: 'states:StartExecution', resource: input.stateMachineArn, context: {} }];
    case 'sfn:DescribeExecution':
    case 'sfn:GetExecutionHistory':
      return [{ action: `states:${request.operation}`, resource: input.executionArn, context: {} }];
    case 'sfn:ListExecutions':
      return [{ action: 'states:ListExecutions', resource: input.stateMachineArn, context: {} }];
    default:
      throw new Error(`the IAM judge does not know what ${key} is authorized on`);
  }
}

const READ_ONLY = /^[a-z0-9-]+:(Describe|Get|List)/;
export const mutating = (a: Authorization) => !READ_ONLY.test(a.action);

const OTHER_STACK = 'bakehouse-prod';

/**
 * The same check with what must make it fail: the resource untagged or another stack's, the
 * create without the stack's tag, IMDSv1 or an unencrypted volume, another role passed or to
 * another service, another stage's secrets, the other state machine, another document.
 */
export function negativesOf(a: Authorization): { why: string; authorization: Authorization }[] {
  const out: { why: string; authorization: Authorization }[] = [];
  const variant = (why: string, change: Partial<Authorization>) =>
    out.push({ why, authorization: { ...a, ...change } });
  const keys = Object.keys(a.context);
  const stackKeys = keys.filter((k) =>
    /(ResourceTag|resourceTag|RequestTag)\/bakehouse:stack$/.test(k),
  );
  if (stackKeys.length) {
    const untagged = Object.fromEntries(
      Object.entries(a.context).filter(
        ([k]) => !/(ResourceTag|resourceTag|RequestTag)\//.test(k) && k !== 'aws:TagKeys',
      ),
    );
    variant('untagged', { context: untagged });
    variant(`tagged ${OTHER_STACK}`, {
      context: {
        ...a.context,
        ...Object.fromEntries(stackKeys.map((k) => [k, OTHER_STACK])),
      },
    });
  }
  if (a.context['ec2:MetadataHttpTokens'])
    variant('IMDSv1 allowed', { context: { ...a.context, 'ec2:MetadataHttpTokens': 'optional' } });
  if (a.context['ec2:Encrypted'])
    variant('unencrypted volume', { context: { ...a.context, 'ec2:Encrypted': 'false' } });
  if (a.action === 'iam:PassRole') {
    variant('another role', { resource: `arn:aws:iam::${ACCOUNT}:role/Administrator` });
    variant('to another service', {
      context: { 'iam:PassedToService': 'lambda.amazonaws.com' },
    });
  }
  if (a.resource.includes(':parameter/bakehouse/dev/'))
    variant("another stage's secret", {
      resource: a.resource.replace('/bakehouse/dev/', '/bakehouse/prod/'),
    });
  if (a.action === 'states:StartExecution')
    variant('the other state machine', {
      resource: a.resource.endsWith('-bake')
        ? a.resource.replace(/-bake$/, '-classroom')
        : a.resource.replace(/-classroom$/, '-bake'),
    });
  if (a.resource.includes(':table/bakehouse-dev-'))
    variant("another stage's table", {
      resource: a.resource.replace(':table/bakehouse-dev-', ':table/bakehouse-prod-'),
    });
  if (a.resource.endsWith(':document/AWS-RunShellScript'))
    variant('another document', {
      resource: a.resource.replace('AWS-RunShellScript', 'AWS-RunPowerShellScript'),
    });
  if (a.resource.startsWith('arn:aws:s3:::bakehouse-dev-scripts-'))
    variant('another bucket, or outside the bakes prefix', {
      resource: a.resource.includes('/bakes/')
        ? a.resource.replace('/bakes/', '/other/')
        : a.resource.replace('bakehouse-dev-scripts-', 'bakehouse-prod-scripts-'),
    });
  if (a.resource.includes(':schedule/default/bakehouse-'))
    variant("someone else's schedule", {
      resource: a.resource.replace(':schedule/default/bakehouse-', ':schedule/default/backup-'),
    });
  // What belongs to the stack (its credentials, table, schedules, sender) is in its own region
  // only; EC2 and Run Command may work in any region, a class's.
  if (/^arn:aws:(ssm:[^:]+:\d+:parameter\/bakehouse|dynamodb|scheduler|ses):/.test(a.resource))
    variant('the same in another region', {
      resource: a.resource.replace(`:${REGION}:`, ':eu-central-2:'),
    });
  return out;
}
