/**
 * The roles of the packaged template as an IAM engine needs them: every CloudFormation intrinsic
 * (Ref, Fn::GetAtt, Fn::Sub, Fn::Join) replaced by the concrete value it would have in the dev
 * stack of account 123456789012 in us-east-1.
 */
import type { Template } from '../packaging/packaged';
import { ACCOUNT, REGION } from './scenarios';

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation values are untyped JSON
type Json = any;

export interface PolicyDocument {
  Version: string;
  Statement: Statement[];
}
export interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

const PSEUDO: Record<string, string> = {
  'AWS::AccountId': ACCOUNT,
  'AWS::Region': REGION,
  'AWS::Partition': 'aws',
  'AWS::URLSuffix': 'amazonaws.com',
};

/** The ARN CloudFormation would give a resource of the template. */
function arnOf(template: Template, logicalId: string): string {
  const resource = template.Resources[logicalId];
  if (!resource) throw new Error(`the template has no resource ${logicalId}`);
  const p = resource.Properties ?? {};
  switch (resource.Type) {
    case 'AWS::IAM::Role':
      return `arn:aws:iam::${ACCOUNT}:role/${p.RoleName ?? logicalId}`;
    case 'AWS::Lambda::Function':
      return `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${p.FunctionName}`;
    case 'AWS::StepFunctions::StateMachine':
      return `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${p.StateMachineName}`;
    case 'AWS::S3::Bucket':
      return `arn:aws:s3:::${resolve(template, p.BucketName)}`;
    default:
      throw new Error(`no ARN known for ${resource.Type} (${logicalId})`);
  }
}

function ref(template: Template, name: string): string {
  const pseudo = PSEUDO[name];
  if (pseudo) return pseudo;
  const resource = template.Resources[name];
  if (resource?.Type === 'AWS::StepFunctions::StateMachine') return arnOf(template, name);
  if (resource?.Type === 'AWS::IAM::Role') return resource.Properties.RoleName ?? name;
  if (resource?.Type === 'AWS::S3::Bucket')
    return resolve(template, resource.Properties.BucketName);
  throw new Error(`no value known for Ref ${name}`);
}

function sub(template: Template, text: string, vars: Record<string, Json>): string {
  return text.replace(/\$\{([^}]+)\}/g, (_, name: string) => {
    // `${!Name}` is CloudFormation's escape for a literal `${Name}` (an IAM policy variable).
    if (name.startsWith('!')) return `\${${name.slice(1)}}`;
    if (name in vars) return String(resolve(template, vars[name]));
    const [logicalId, attribute] = name.split('.');
    if (attribute === 'Arn' && logicalId) return arnOf(template, logicalId);
    return ref(template, name);
  });
}

/** `value` with every intrinsic function replaced by what it evaluates to. */
export function resolve(template: Template, value: Json): Json {
  if (Array.isArray(value)) return value.map((v) => resolve(template, v));
  if (!value || typeof value !== 'object') return value;
  const keys = Object.keys(value);
  if (keys.length === 1) {
    const [key] = keys as [string];
    const arg = value[key];
    if (key === 'Ref') return ref(template, arg);
    if (key === 'Fn::GetAtt') {
      const [logicalId, attribute] = typeof arg === 'string' ? arg.split('.') : arg;
      if (attribute !== 'Arn')
        throw new Error(`no value known for GetAtt ${logicalId}.${attribute}`);
      return arnOf(template, logicalId);
    }
    if (key === 'Fn::Sub')
      return typeof arg === 'string' ? sub(template, arg, {}) : sub(template, arg[0], arg[1] ?? {});
    if (key === 'Fn::Join') return (resolve(template, arg[1]) as string[]).join(arg[0]);
    if (key.startsWith('Fn::')) throw new Error(`no value known for ${key}`);
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(template, v)]));
}

export interface Role {
  logicalId: string;
  arn: string;
  policies: { name: string; policy: PolicyDocument }[];
  managedPolicyArns: string[];
}

export function roles(template: Template): Map<string, Role> {
  const found = new Map<string, Role>();
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::IAM::Role') continue;
    const p = resolve(template, resource.Properties);
    found.set(logicalId, {
      logicalId,
      arn: arnOf(template, logicalId),
      policies: (p.Policies ?? []).map(
        (x: { PolicyName: string; PolicyDocument: PolicyDocument }) => ({
          name: x.PolicyName,
          policy: x.PolicyDocument,
        }),
      ),
      managedPolicyArns: p.ManagedPolicyArns ?? [],
    });
  }
  return found;
}

/** serverless.yml function key → the role its Lambda runs as. */
export function functionRoles(template: Template): Map<string, Role> {
  const byArn = new Map([...roles(template).values()].map((r) => [r.arn, r]));
  const out = new Map<string, Role>();
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const name = logicalId.replace(/LambdaFunction$/, '');
    const key = `${name.charAt(0).toLowerCase()}${name.slice(1)}`;
    const role = byArn.get(resolve(template, resource.Properties.Role));
    if (!role) throw new Error(`function ${key} runs as a role the template does not define`);
    out.set(key, role);
  }
  return out;
}

/** The ARN of the role behind an instance profile of the template, by the profile's name. */
export function instanceProfileRoleArn(template: Template, profileName: string): string {
  for (const resource of Object.values(template.Resources)) {
    if (resource.Type !== 'AWS::IAM::InstanceProfile') continue;
    const p = resolve(template, resource.Properties);
    if (p.InstanceProfileName !== profileName) continue;
    const roleName = p.Roles[0] as string;
    return `arn:aws:iam::${ACCOUNT}:role/${roleName}`;
  }
  throw new Error(`the template has no instance profile named ${profileName}`);
}

export const statementsOf = (role: Role) => role.policies.flatMap((p) => p.policy.Statement);
export const actionsOf = (s: Statement) => [s.Action].flat();
export const resourcesOf = (s: Statement) => [s.Resource].flat();
