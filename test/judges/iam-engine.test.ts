import { beforeAll, describe, expect, it } from 'vitest';
import { packagedTemplate, type Template } from '../packaging/packaged';
import { asDevStage, callsOf, deniedCalls } from './iam-engine';
import type { Observed } from './scenarios';

let template: Template;
beforeAll(async () => {
  template = await packagedTemplate();
}, 300_000);

const localStop: Observed = {
  request: {
    function: 'stopSeats',
    service: 'ec2',
    operation: 'StopInstances',
    input: { InstanceIds: ['i-0123456789abcdef0'] },
  },
  tags: new Map([['i-0123456789abcdef0', { 'bakehouse:stack': 'bakehouse-local' }]]),
  scenario: 'a local run',
};

describe("the IAM engine on the local stage's calls", () => {
  it("allows a local seat's stop once it is named as the dev stage would name it", async () => {
    expect(
      (await deniedCalls(template, callsOf(template, [asDevStage(localStop)]))).denied,
    ).toEqual([]);
  });

  it('denies the same call on a resource of the local stack itself, and a function without a role', async () => {
    const { denied } = await deniedCalls(template, [
      ...callsOf(template, [localStop]),
      ...callsOf(template, [
        asDevStage({ ...localStop, request: { ...localStop.request, function: 'noSuchFunction' } }),
      ]),
    ]);
    expect(denied).toEqual([
      expect.stringMatching(/^stopSeats: ec2:StopInstances on .*i-0123456789abcdef0 → \w*Denied$/),
      'noSuchFunction: no role in the packaged template',
    ]);
  });
});
