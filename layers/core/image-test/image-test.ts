/**
 * The test a baked image passes before anyone sits at it: an instance launched from the image
 * makes a throwaway credential of its own, runs the real seat script with it, then checks from
 * inside (the Lambda cannot reach the instance) that Jupyter answers its API with that token and
 * refuses without it, then runs the recipe's own smoke test, if it has one, as the Jupyter user in its home.
 * The script is a phase script like the bake's, so its output and failures read the same way.
 */
import { compileSeatScriptForLocalCredential } from '../classroom/seat-script/seat-script';
import type { LaunchSpec } from '../launch';
import { jupyterLayout } from '../recipe/jupyter-layout';
import type { Recipe } from '../recipe/schema';
import { type Phase, renderScript, type ScriptLayout } from '../recipe/script';
import { requireSendable } from '../run-command';
import { fillSlots, shQuote, writeFile } from '../shell';
import { expiresAt, idempotencyToken, TAG, type Tags } from '../tags';
import credentialScript from './credential.sh';
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

/** Where the test instance keeps the throwaway credential it made (root only, 0700). */
export const IMAGE_TEST_CREDENTIAL_DIR = `${DIR}/credential`;

/**
 * The test instance has no public address a CA could validate, and the check runs on the
 * instance itself, so its seat serves Jupyter without TLS (the image's Caddy stays unused). The
 * credential is made on the instance (credential.sh) and read there by the seat script and the
 * check: the script's text, and so the command's parameters, carry none of it.
 */
export function compileImageTest(recipe: Recipe, port: number): string {
  const user = shQuote(recipe.user);
  const credentialDir = shQuote(IMAGE_TEST_CREDENTIAL_DIR);
  const phases: Phase[] = [
    {
      name: 'credential',
      body: [
        `mkdir -p ${DIR}`,
        writeFile(
          `${DIR}/credential.sh`,
          fillSlots(credentialScript, {
            'credential-dir': `readonly CREDENTIAL_DIR=${credentialDir}`,
          }),
        ),
        `bash ${DIR}/credential.sh`,
      ].join('\n'),
    },
    {
      name: 'seat',
      body: [
        writeFile(
          `${DIR}/seat.sh`,
          compileSeatScriptForLocalCredential(port, IMAGE_TEST_CREDENTIAL_DIR),
        ),
        `bash ${DIR}/seat.sh`,
      ].join('\n'),
    },
    {
      name: 'jupyter-answers',
      body: [
        writeFile(`${DIR}/jupyter-answers.py`, jupyterAnswers),
        '# shellcheck source=/dev/null # written by the bake (jupyter-info phase)',
        '. /etc/bakehouse/jupyter.env',
        `"$JUPYTER_PYTHON" ${DIR}/jupyter-answers.py ${port} ${credentialDir}/token`,
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
