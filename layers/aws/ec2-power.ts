/**
 * Stopping and starting a class's seats, instance by instance where it must be: StopInstances and
 * StartInstances fail as a whole when one id cannot be acted on (a one-time Spot seat, one that
 * is terminated or still pending), so a refused call is sent again for each of its ids. What can
 * be stopped is stopped; each refusal comes back with EC2's reason.
 */
import { StartInstancesCommand, StopInstancesCommand } from '@aws-sdk/client-ec2';
import { describeError } from '../base/errors';
import { ec2Client } from './clients';
import { isThrottle } from './throttling';

export interface PowerOutcome {
  /** Instances EC2 accepted (already in the wanted state included). */
  done: string[];
  /** Instance id → why EC2 refused it. */
  refused: Map<string, string>;
}

const CHUNK = 50;

async function eachInstance(
  instanceIds: string[],
  send: (ids: string[]) => Promise<void>,
): Promise<PowerOutcome> {
  const outcome: PowerOutcome = { done: [], refused: new Map() };
  for (let i = 0; i < instanceIds.length; i += CHUNK) {
    const chunk = instanceIds.slice(i, i + CHUNK);
    try {
      await send(chunk);
      outcome.done.push(...chunk);
      continue;
    } catch (error) {
      if (isThrottle(error)) throw error;
      if (chunk.length === 1) {
        outcome.refused.set(chunk[0] as string, describeError(error));
        continue;
      }
    }
    for (const id of chunk) {
      try {
        await send([id]);
        outcome.done.push(id);
      } catch (error) {
        if (isThrottle(error)) throw error;
        outcome.refused.set(id, describeError(error));
      }
    }
  }
  return outcome;
}

export const stopEach = (region: string, instanceIds: string[]) =>
  eachInstance(instanceIds, async (ids) => {
    await ec2Client(region).send(new StopInstancesCommand({ InstanceIds: ids }));
  });

export const startEach = (region: string, instanceIds: string[]) =>
  eachInstance(instanceIds, async (ids) => {
    await ec2Client(region).send(new StartInstancesCommand({ InstanceIds: ids }));
  });
