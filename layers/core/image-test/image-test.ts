/**
 * The test a baked image passes before anyone sits at it: an instance launched from the image
 * runs the real seat script with a throwaway credential, then checks from inside (the Lambda
 * cannot reach the instance) that Jupyter answers its API with that token and refuses without
 * it, then runs the recipe's own smoke test, if it has one, as the Jupyter user in its home.
 * The script is a phase script like the bake's, so its output and failures read the same way.
 */
import { compileSeatScript, type SeatSettings } from '../classroom/seat-script/seat-script';
import type { LaunchSpec } from '../launch';
import { jupyterLayout } from '../recipe/jupyter-layout';
import type { Recipe } from '../recipe/schema';
import { type Phase, renderScript, type ScriptLayout } from '../recipe/script';
import { requireSendable } from '../run-command';
import { shQuote, writeFile } from '../shell';
import { expiresAt, idempotencyToken, TAG, type Tags } from '../tags';
import jupyterAnswers from './jupyter-answers.py';

export const IMAGE_TEST_LAYOUT: ScriptLayout = {
  stateDir: '/var/lib/bakehouse/image-test',
  logDir: '/var/log/bakehouse/image-test',
};
/** Minutes a test instance may live before its own shutdown timer ends it. */
export const IMAGE_TEST_LIFETIME_MINUTES = 90;
/** The tag an image carries once it passed, which reuse looks for. */
export const TESTED_TAG = 'bakehouse:tested';

const DIR = IMAGE_TEST_LAYOUT.stateDir;

/**
 * The test instance has no public address a CA could validate, and the check runs on the
 * instance itself, so its seat serves Jupyter without TLS (the image's Caddy stays unused).
 */
export function compileImageTest(
  recipe: Recipe,
  seat: Omit<SeatSettings, 'tls'>,
  token: string,
): string {
  const user = shQuote(recipe.user);
  const phases: Phase[] = [
    {
      name: 'seat',
      body: [
        `mkdir -p ${DIR}`,
        writeFile(`${DIR}/seat.sh`, compileSeatScript({ ...seat, tls: { mode: 'none' } })),
        `bash ${DIR}/seat.sh`,
      ].join('\n'),
    },
    {
      name: 'jupyter-answers',
      body: [
        writeFile(`${DIR}/jupyter-answers.py`, jupyterAnswers),
        '# shellcheck source=/dev/null # written by the bake (jupyter-info phase)',
        '. /etc/bakehouse/jupyter.env',
        `BAKEHOUSE_TEST_TOKEN=${shQuote(token)} "$JUPYTER_PYTHON" ${DIR}/jupyter-answers.py ${seat.port}`,
      ].join('\n'),
    },
  ];
  if (recipe.test !== undefined) {
    const file = `${DIR}/smoke-test`;
    phases.push({
      name: 'smoke-test',
      body: [
        writeFile(file, recipe.test.commands),
        `chmod 0755 ${file}`,
        `home=$(getent passwd ${user} | cut -d: -f6)`,
        `(cd "$home" && runuser -u ${user} -- env HOME="$home" USER=${user} PATH=${jupyterLayout(recipe).binDir}:$PATH bash ${file})`,
      ].join('\n'),
    });
  }
  const script = renderScript(
    [`bakehouse image test for recipe ${recipe.name}`],
    phases,
    IMAGE_TEST_LAYOUT,
  );
  requireSendable(script, 'test', 'the image test script');
  return script;
}

/** One instance from the image, as seats launch, in the builders' group (no inbound rule). */
export function imageTestLaunchSpec(
  request: {
    recipe: Recipe;
    imageId: string;
    rootDeviceName: string;
    tags: Tags;
  },
  context: {
    executionId: string;
    instanceProfileName: string;
    securityGroupId: string;
    now: Date;
    userData: string;
  },
): LaunchSpec {
  const { recipe } = request;
  return {
    imageId: request.imageId,
    instanceType: recipe.builder.instanceType,
    count: 1,
    clientToken: idempotencyToken('image-test', context.executionId),
    subnetId: recipe.builder.subnetId,
    securityGroupIds: [context.securityGroupId],
    market: 'on-demand',
    instanceProfileName: context.instanceProfileName,
    rootDeviceName: request.rootDeviceName,
    rootVolumeGiB: recipe.builder.rootVolumeGiB,
    userData: context.userData,
    shutdownBehavior: 'terminate',
    tags: {
      ...request.tags,
      [TAG.expiresAt]: expiresAt(context.now, IMAGE_TEST_LIFETIME_MINUTES),
    },
  };
}
