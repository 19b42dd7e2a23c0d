// --wait's display: a bar redrawn in place on a terminal, a line per change when piped, nothing
// with --json; it ends at the first final status.
import { describe, expect, it } from 'vitest';
import { bakeDone, barLine, showBake, waitFor } from '../../bin/wait';
import type { BakeStatus } from '../../layers/core/api/schemas';

const status = (
  phase: string,
  progress: number,
  state: BakeStatus['state'] = 'running',
): BakeStatus => ({
  id: 'bake-1',
  state,
  phase,
  progress,
  image:
    state === 'succeeded'
      ? { id: 'ami-1', tested: true, regions: [{ region: 'us-east-1', id: 'ami-1' }] }
      : null,
  reused: false,
  failure: null,
  outputTail: null,
  startedAt: null,
  endedAt: null,
});

async function shown(tty: boolean, json = false) {
  const polls = [
    undefined,
    status('validate', 0),
    status('build', 0.5),
    status('build', 0.5),
    status('done', 1, 'succeeded'),
  ];
  let written = '';
  const final = await waitFor({
    id: 'bake-1',
    poll: async () => polls.shift(),
    done: bakeDone,
    show: showBake,
    intervalMs: 1,
    json,
    tty,
    write: (text) => {
      written += text;
    },
  });
  return { final, written };
}

describe('waitFor', () => {
  it('piped, writes one line per change with the stage, the share done and the time', async () => {
    const { final, written } = await shown(false);

    expect(final.state).toBe('succeeded');
    expect(written.split('\n').filter(Boolean)).toEqual([
      expect.stringMatching(/^00:00:\d\d bake-1 validate 0%$/),
      expect.stringMatching(/^00:00:\d\d bake-1 build 50%$/),
      expect.stringMatching(/^00:00:\d\d bake-1 done 100% image ami-1$/),
    ]);
  });

  it('on a terminal, redraws one bar in place and ends the line when done', async () => {
    const { written } = await shown(true);

    expect(written.startsWith('\r\x1b[2K')).toBe(true);
    expect(written.split('\r\x1b[2K')).toHaveLength(5);
    expect(written.endsWith('\n')).toBe(true);
    expect(written).toContain('[############............]  50% build');
  });

  it('with --json writes nothing while it waits', async () => {
    expect((await shown(true, true)).written).toBe('');
  });

  it('draws the bar to scale', () => {
    expect(barLine('b', { phase: 'image', progress: 0.25, detail: '' }, 61_000)).toBe(
      'b [######..................]  25% image  00:01:01',
    );
  });
});
