/**
 * Parameter Store: the public parameters that name base images, and the account's own
 * parameters. SecureString values are kept in plaintext here but, as in AWS, read back without
 * WithDecryption as an opaque ciphertext blob.
 */
import { createHash } from 'node:crypto';
import {
  type DeleteParameterRequest,
  type DeleteParametersRequest,
  type DeleteParametersResult,
  type GetParameterRequest,
  type GetParameterResult,
  type GetParametersByPathRequest,
  type GetParametersByPathResult,
  type GetParametersRequest,
  type GetParametersResult,
  HierarchyLevelLimitExceededException,
  InvalidNextToken,
  type Parameter,
  ParameterAlreadyExists,
  ParameterNotFound,
  type PutParameterRequest,
  type PutParameterResult,
} from '@aws-sdk/client-ssm';
import { BASE_IMAGES } from '../ec2/base-images';
import type { SimClock } from '../kernel/clock';
import { fault, ssmFault } from '../kernel/errors';
import type { EventLog } from '../kernel/events';
import { operation } from '../kernel/transport';

type ParameterType = 'String' | 'StringList' | 'SecureString';

interface StoredParameter {
  name: string;
  type: ParameterType;
  value: string;
  version: number;
  modifiedAt: number;
  isPublic: boolean;
}

export interface ParameterSnapshot {
  name: string;
  type: ParameterType;
  value: string;
  version: number;
}

const NAME = /^\/?[a-zA-Z0-9_.\-/]{1,1011}$/;

function validation(message: string) {
  return ssmFault('ValidationException', message);
}

export class ParameterStore {
  /** Parameter Store is regional: each region's parameters, by name. */
  private readonly regions = new Map<string, Map<string, StoredParameter>>();
  private readonly published: number;

  constructor(
    private readonly clock: SimClock,
    private readonly events: EventLog,
    private readonly region: string,
    private readonly account: string,
  ) {
    this.published = clock.now();
    this.in(region);
  }

  /** The parameters a client of `region` (unset: the account's own) sees, AWS's public ones too. */
  private in(region = this.region): Map<string, StoredParameter> {
    let parameters = this.regions.get(region);
    if (parameters) return parameters;
    parameters = new Map();
    for (const image of BASE_IMAGES) {
      parameters.set(image.parameter, {
        name: image.parameter,
        type: 'String',
        value: image.imageId,
        version: 1,
        modifiedAt: this.published,
        isPublic: true,
      });
    }
    this.regions.set(region, parameters);
    return parameters;
  }

  /** The account's own parameters in every region, decrypted. */
  snapshot(): ParameterSnapshot[] {
    return [...this.regions.values()].flatMap((parameters) =>
      [...parameters.values()]
        .filter((p) => !p.isPublic)
        .map(({ name, type, value, version }) => ({ name, type, value, version })),
    );
  }

  private get(parameters: Map<string, StoredParameter>, name: string | undefined): StoredParameter {
    const found = name === undefined ? undefined : parameters.get(name);
    if (!found) throw fault(ParameterNotFound, `Parameter ${name} not found.`);
    return found;
  }

  private render(p: StoredParameter, decrypt: boolean | undefined): Parameter {
    return {
      Name: p.name,
      Type: p.type,
      Value: p.type === 'SecureString' && !decrypt ? ciphertext(p) : p.value,
      Version: p.version,
      LastModifiedDate: new Date(p.modifiedAt),
      ARN: `arn:aws:ssm:${this.region}:${p.isPublic ? '' : this.account}:parameter${p.name.startsWith('/') ? '' : '/'}${p.name}`,
      DataType: 'text',
    };
  }

  operations() {
    return {
      GetParameter: operation(
        (input: GetParameterRequest, { region }): GetParameterResult => ({
          Parameter: this.render(this.get(this.in(region), input.Name), input.WithDecryption),
        }),
      ),

      GetParameters: operation((input: GetParametersRequest, { region }): GetParametersResult => {
        const parameters = this.in(region);
        const names = input.Names ?? [];
        if (names.length < 1 || names.length > 10) {
          throw validation(
            `1 validation error detected: Value at 'names' failed to satisfy constraint: Member must have length between 1 and 10`,
          );
        }
        const found = names.map((n) => parameters.get(n));
        return {
          Parameters: found
            .filter((p) => p !== undefined)
            .map((p) => this.render(p, input.WithDecryption)),
          InvalidParameters: names.filter((_, i) => !found[i]),
        };
      }),

      GetParametersByPath: operation(
        (input: GetParametersByPathRequest, { region }): GetParametersByPathResult => {
          const parameters = this.in(region);
          const path = input.Path ?? '';
          if (!path.startsWith('/'))
            throw validation(
              `The parameter doesn't meet the parameter name requirements. The parameter name must begin with a forward slash "/".`,
            );
          const max = input.MaxResults ?? 10;
          if (max < 1 || max > 10)
            throw validation(
              `1 validation error detected: Value '${max}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 10`,
            );
          const prefix = path.endsWith('/') ? path : `${path}/`;
          const matching = [...parameters.values()]
            .filter(
              (p) =>
                p.name.startsWith(prefix) &&
                (input.Recursive || !p.name.slice(prefix.length).includes('/')),
            )
            .sort((a, b) => a.name.localeCompare(b.name));
          const offset = input.NextToken === undefined ? 0 : decodeOffset(input.NextToken);
          const page = matching.slice(offset, offset + max);
          return {
            Parameters: page.map((p) => this.render(p, input.WithDecryption)),
            NextToken: offset + max < matching.length ? encodeOffset(offset + max) : undefined,
          };
        },
      ),

      PutParameter: operation((input: PutParameterRequest, { region }): PutParameterResult => {
        const parameters = this.in(region);
        const name = input.Name ?? '';
        if (!NAME.test(name))
          throw validation(
            `Parameter name: can't be empty and must only contain letters, numbers, and . - _ /`,
          );
        if (/^\/?(aws|ssm)/i.test(name))
          throw validation(
            `Parameter name: can't be prefixed with "aws" or "ssm" (case-insensitive).`,
          );
        if (name.split('/').filter(Boolean).length > 15) {
          throw fault(
            HierarchyLevelLimitExceededException,
            'A hierarchy can have a maximum of 15 levels.',
          );
        }
        const value = input.Value;
        if (value === undefined || value.length === 0)
          throw validation(
            `1 validation error detected: Value at 'value' failed to satisfy constraint: Member must have length greater than or equal to 1`,
          );
        const limit = input.Tier === 'Advanced' ? 8192 : 4096;
        if (value.length > limit) {
          throw validation(
            `Standard tier parameters support a maximum parameter value of ${limit} characters. To create a larger parameter value, upgrade the parameter to use the advanced-parameter tier.`,
          );
        }
        if (input.Tags?.length && input.Overwrite) {
          throw validation(
            `Invalid request: tags and overwrite can't be used together. To create a parameter with tags, please remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.`,
          );
        }
        const existing = parameters.get(name);
        if (existing && !input.Overwrite) {
          throw fault(
            ParameterAlreadyExists,
            'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.',
          );
        }
        const type = (input.Type ?? existing?.type) as ParameterType | undefined;
        if (!type) throw validation('A parameter type is required when you create a parameter.');
        const version = (existing?.version ?? 0) + 1;
        parameters.set(name, {
          name,
          type,
          value,
          version,
          modifiedAt: this.clock.now(),
          isPublic: false,
        });
        this.events.record('SSM', `parameter ${name} v${version} (${type}) stored`);
        return { Version: version, Tier: input.Tier === 'Advanced' ? 'Advanced' : 'Standard' };
      }),

      DeleteParameter: operation((input: DeleteParameterRequest, { region }) => {
        const parameters = this.in(region);
        const parameter = this.get(parameters, input.Name);
        if (parameter.isPublic)
          throw ssmFault(
            'AccessDeniedException',
            `User is not authorized to perform: ssm:DeleteParameter on resource: ${parameter.name}`,
          );
        parameters.delete(parameter.name);
        return {};
      }),

      DeleteParameters: operation(
        (input: DeleteParametersRequest, { region }): DeleteParametersResult => {
          const parameters = this.in(region);
          const names = input.Names ?? [];
          if (names.length < 1 || names.length > 10) {
            throw validation(
              `1 validation error detected: Value at 'names' failed to satisfy constraint: Member must have length between 1 and 10`,
            );
          }
          const deleted = names.filter(
            (n) => parameters.get(n)?.isPublic === false && parameters.delete(n),
          );
          return {
            DeletedParameters: deleted,
            InvalidParameters: names.filter((n) => !deleted.includes(n)),
          };
        },
      ),
    };
  }
}

/** Looks like KMS ciphertext; derived from the value so it changes with it, never reveals it. */
function ciphertext(p: StoredParameter): string {
  const digest = createHash('sha256').update(`${p.name}\0${p.version}\0${p.value}`).digest();
  return Buffer.concat([Buffer.from([1, 2, 2, 0, 120]), digest, digest.subarray(0, 20)]).toString(
    'base64',
  );
}

function encodeOffset(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString('base64');
}

function decodeOffset(token: string): number {
  const m = /^offset:(\d+)$/.exec(Buffer.from(token, 'base64').toString('utf8'));
  if (!m) throw fault(InvalidNextToken, 'The specified token is not valid.');
  return Number(m[1]);
}
