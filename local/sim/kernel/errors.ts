/**
 * The simulator fails the way the services do: with the SDK's own exception classes, the AWS
 * error code as `name`, `$fault` and an HTTP status in `$metadata` (the transport adds the
 * request id), and the service's wording in `message`.
 */
import { EC2ServiceException } from '@aws-sdk/client-ec2';
import {
  SchedulerServiceException,
  ThrottlingException as SchedulerThrottling,
} from '@aws-sdk/client-scheduler';
import { TooManyRequestsException } from '@aws-sdk/client-sesv2';
import { SSMServiceException } from '@aws-sdk/client-ssm';
import type { ResponseMetadata } from '@smithy/types';

interface ServiceError extends Error {
  $fault: 'client' | 'server';
  $metadata: ResponseMetadata;
}

type ModeledError<E> = new (options: {
  $metadata: ResponseMetadata;
  message: string;
  Message: string;
}) => E;

/** A modeled exception, e.g. `fault(InvalidInstanceId, 'Instances not in a valid state …')`. */
export function fault<E extends ServiceError>(
  Ctor: ModeledError<E>,
  message: string,
  status = 400,
): E {
  const options = { $metadata: { httpStatusCode: status }, message, Message: message };
  return new Ctor(options);
}

/** EC2 models no exceptions: every error is an EC2ServiceException named by its code. */
export function ec2Fault(code: string, message: string, status = 400): EC2ServiceException {
  return new EC2ServiceException({
    name: code,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
    message,
  });
}

/** An SSM error the model does not name, such as ValidationException or ThrottlingException. */
export function ssmFault(code: string, message: string, status = 400): SSMServiceException {
  return new SSMServiceException({
    name: code,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
    message,
  });
}

export function schedulerFault(code: string, message: string, status = 400) {
  return new SchedulerServiceException({
    name: code,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
    message,
  });
}

/** How each service says "slow down". */
export function throttled(service: string): Error {
  switch (service) {
    case 'EC2':
      return ec2Fault('RequestLimitExceeded', 'Request limit exceeded.', 503);
    case 'SSM':
      return ssmFault('ThrottlingException', 'Rate exceeded');
    case 'SESv2':
      return fault(TooManyRequestsException, 'Maximum sending rate exceeded.', 429);
    case 'Scheduler':
      return fault(SchedulerThrottling, 'Rate exceeded', 429);
    default:
      return new Error(`${service}: Rate exceeded`);
  }
}

/** An injected refusal (faults.errors), worded as the service words it. */
export function injected(service: string, kind: 'throttle' | 'access-denied' | 'internal'): Error {
  if (kind === 'throttle') return throttled(service);
  if (kind === 'access-denied') {
    const message = 'You are not authorized to perform this operation.';
    if (service === 'EC2') return ec2Fault('UnauthorizedOperation', message, 403);
    if (service === 'SSM') return ssmFault('AccessDeniedException', message, 400);
    if (service === 'Scheduler') return schedulerFault('AccessDeniedException', message, 403);
    return serviceError(service, 'AccessDeniedException', message, 403);
  }
  const message = 'An internal error has occurred. Retry your request.';
  if (service === 'EC2') return ec2Fault('InternalError', message, 500);
  if (service === 'SSM') return ssmFault('InternalServerError', message, 500);
  if (service === 'Scheduler') return schedulerFault('InternalServerException', message, 500);
  return serviceError(service, 'InternalFailure', message, 500);
}

function serviceError(service: string, name: string, message: string, status: number): Error {
  return Object.assign(new Error(message), {
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
    $service: service,
  });
}

/** Stamp the request id on a thrown service error, as the SDK's deserializer would. */
export function withRequestId(error: unknown, requestId: string): unknown {
  if (error instanceof Error && '$metadata' in error && '$fault' in error) {
    const serviceError = error as ServiceError;
    serviceError.$metadata = {
      ...serviceError.$metadata,
      requestId,
      attempts: 1,
      totalRetryDelay: 0,
    };
  }
  return error;
}
