/**
 * The phases of a bake, in order. A phase is emitted only when the recipe asks for what it does;
 * `jupyter`, `https`, `jupyter-info` and `image-prep` always run. Every recipe value reaches the script
 * through `shQuote` or a quoted heredoc, after the schema has already narrowed it. A phase body is
 * a list of commands; what needs more shell than a line is a function in a `.sh` file here, given
 * to the phase as its helpers.
 */
import { shQuote, writeFile } from '../shell';
import condaHelpers from './conda.sh';
import imagePrepHelpers from './image-prep.sh';
import { CONDA, CONDA_ENV, jupyterLayout, VENV } from './jupyter-layout';
import { repositoryCommands } from './repository';
import type { Recipe } from './schema';
import type { Phase } from './script';
import volumeHelpers from './volumes.sh';

export { type JupyterLayout, jupyterLayout } from './jupyter-layout';

const STATE_DIR = '/var/lib/bakehouse';
const CONFIG_DIR = '/etc/bakehouse';

const CRAN = 'https://cloud.r-project.org';
const FORMATTER = { ext4: 'e2fsprogs', xfs: 'xfsprogs' } as const;

export function recipePhases(recipe: Recipe): Phase[] {
  const { environment } = recipe;
  const wanted: (Phase | false)[] = [
    recipe.volumes.length > 0 && volumesPhase(recipe),
    environment.apt.length > 0 && phase('apt', [command('apt_install', environment.apt)]),
    jupyterPhase(recipe),
    recipe.repository !== undefined && repositoryPhase(recipe, recipe.repository),
    httpsPhase(),
    (environment.pip.length > 0 || environment.requirements !== undefined) && pipPhase(recipe),
    environment.conda !== undefined &&
      recipe.jupyter.source !== 'conda' &&
      condaPhase(recipe, environment.conda),
    wantsR(recipe) && rPhase(recipe),
    environment.postBuild !== undefined && postBuildPhase(recipe, environment.postBuild),
    jupyterInfoPhase(recipe),
    imagePrepPhase(),
  ];
  return wanted.filter((phase): phase is Phase => phase !== false);
}

/**
 * The tools to find (nvme-cli on Nitro) and format the volumes come first; parents are mounted
 * before anything mounted inside them.
 */
function volumesPhase(recipe: Recipe): Phase {
  const volumes = [...recipe.volumes].sort((a, b) => (a.mountPoint < b.mountPoint ? -1 : 1));
  const formatters = [...new Set(volumes.map((v) => FORMATTER[v.filesystem]))].sort();
  return phase(
    'volumes',
    [
      'ensure_ebs_tools',
      `apt_install ${formatters.join(' ')}`,
      ...volumes.map((v) => command('setup_volume', [v.device, v.filesystem, v.mountPoint])),
    ],
    volumeHelpers,
  );
}

/** The user's account and home, as shell: `$home` is set for the commands after it. */
function userHome(recipe: Recipe): string[] {
  const user = shQuote(recipe.user);
  return [
    `id -u ${user} >/dev/null 2>&1 || useradd --create-home --shell /bin/bash ${user}`,
    `home=$(getent passwd ${user} | cut -d: -f6)`,
  ];
}

/** The repository into the user's home, as repo2docker copies it into ${REPO_DIR} (= $HOME). */
function repositoryPhase(recipe: Recipe, repository: NonNullable<Recipe['repository']>): Phase {
  return phase('repository', [
    ...userHome(recipe),
    ...repositoryCommands(repository.files, recipe.user),
  ]);
}

const wantsR = ({ environment: { r } }: Recipe) =>
  r.cran.length + r.bioconductor.length > 0 || r.kernel || r.installRepository;

/** requirements.txt as the repository holds it, where its `-r` and `-c` lines resolve. */
function repositoryRequirements(recipe: Recipe): string | undefined {
  const repository = recipe.repository;
  if (!repository) return undefined;
  const path = repository.configDir
    ? `${repository.configDir}/requirements.txt`
    : 'requirements.txt';
  return Object.hasOwn(repository.files, path) ? path : undefined;
}

function jupyterPhase(recipe: Recipe): Phase {
  if (recipe.jupyter.source === 'conda') {
    const file = `${CONFIG_DIR}/environment.yml`;
    const distribution = recipe.jupyter.flavour === 'lab' ? 'jupyterlab' : 'notebook';
    return phase(
      'jupyter',
      [
        `install_miniforge ${CONDA} ${STATE_DIR}/miniforge.sh`,
        `mkdir -p ${CONFIG_DIR}`,
        writeFile(file, recipe.environment.conda ?? ''),
        `conda_environment ${CONDA} ${CONDA_ENV} ${file}`,
        `[[ -x ${CONDA_ENV}/bin/jupyter ]] || ${CONDA}/bin/conda install --yes --prefix ${CONDA_ENV} ${distribution}`,
      ],
      condaHelpers,
    );
  }
  if (recipe.jupyter.source === 'apt') {
    return phase('jupyter', ['apt_install jupyter-notebook']);
  }
  const distribution = recipe.jupyter.flavour === 'lab' ? 'jupyterlab' : 'notebook';
  return phase('jupyter', [
    'apt_install python3 python3-venv',
    `[[ -x ${VENV}/bin/python ]] || python3 -m venv ${VENV}`,
    command(`${VENV}/bin/python -m pip install`, [distribution]),
  ]);
}

/**
 * Caddy (Debian's) terminates TLS in front of Jupyter and gets the seat's certificate over ACME;
 * curl lets the seat script check the certificate it serves. The seat script configures and
 * starts Caddy; until then it stays off, so an image never serves Debian's welcome page.
 */
function httpsPhase(): Phase {
  return phase('https', ['apt_install caddy curl', 'systemctl disable --now caddy.service']);
}

/**
 * PyPI packages go where the Jupyter kernel's python finds them: the venv, or, for Debian's
 * Jupyter, /usr/local via pip's `--break-system-packages`, which leaves the files dpkg owns in
 * /usr/lib/python3 alone.
 */
function pipPhase(recipe: Recipe): Phase {
  const { pip, requirements } = recipe.environment;
  const system = recipe.jupyter.source === 'apt';
  const install = `${jupyterLayout(recipe).python} -m pip install${system ? ' --break-system-packages' : ''}`;
  const file = `${CONFIG_DIR}/requirements.txt`;
  const inRepository = repositoryRequirements(recipe);
  const fromFile =
    requirements === undefined
      ? []
      : inRepository === undefined
        ? [`mkdir -p ${CONFIG_DIR}`, writeFile(file, requirements), `${install} -r ${file}`]
        : [...userHome(recipe), `(cd "$home" && ${install} -r ${shQuote(inRepository)})`];
  return phase('pip', [
    ...(system ? ['apt_install python3-pip'] : []),
    ...(pip.length > 0 ? [command(install, pip)] : []),
    ...fromFile,
  ]);
}

/** Miniforge (conda.sh) is installed only for recipes with an environment.yml. */
function condaPhase(recipe: Recipe, environmentYml: string): Phase {
  const file = `${CONFIG_DIR}/environment.yml`;
  const layout = jupyterLayout(recipe);
  return phase(
    'conda',
    [
      `install_miniforge ${CONDA} ${STATE_DIR}/miniforge.sh`,
      writeFile(file, environmentYml),
      `conda_environment ${CONDA} ${CONDA_ENV} ${file}`,
      `conda_kernel ${CONDA} ${CONDA_ENV} ${layout.kernelPrefix}`,
    ],
    condaHelpers,
  );
}

/**
 * CRAN ships sources on Linux, so r-base-dev brings the compilers. `install.packages` only warns
 * when a package fails, so the program checks what is installed afterwards and stops if any is
 * missing. IRkernel (from Debian) makes R a Jupyter kernel.
 */
function rPhase(recipe: Recipe): Phase {
  const { cran, bioconductor } = recipe.environment.r;
  const file = `${STATE_DIR}/r-packages.R`;
  const layout = jupyterLayout(recipe);
  const program = [
    `cran <- ${rVector(cran)}`,
    `bioconductor <- ${rVector(bioconductor)}`,
    `repos <- c(CRAN = "${CRAN}")`,
    'ncpus <- parallel::detectCores()',
    'missing <- function(packages) setdiff(packages, rownames(installed.packages()))',
    'if (length(missing(cran)) > 0) install.packages(missing(cran), repos = repos, Ncpus = ncpus)',
    'if (length(bioconductor) > 0) {',
    '  if (!requireNamespace("BiocManager", quietly = TRUE)) install.packages("BiocManager", repos = repos)',
    '  if (length(missing(bioconductor)) > 0) {',
    '    BiocManager::install(missing(bioconductor), ask = FALSE, update = FALSE, Ncpus = ncpus)',
    '  }',
    '}',
    'failed <- missing(c(cran, bioconductor))',
    'if (length(failed) > 0) stop("R packages not installed: ", paste(failed, collapse = ", "))',
    '',
  ].join('\n');
  const installSpec = `IRkernel::installspec(user = FALSE, prefix = "${layout.kernelPrefix}")`;
  const installLocal = 'remotes::install_local(".", upgrade = "never")';
  const { installRepository } = recipe.environment.r;
  return phase('r', [
    `apt_install r-base r-base-dev r-cran-irkernel${installRepository ? ' r-cran-remotes' : ''}`,
    writeFile(file, program),
    `Rscript ${file}`,
    ...(installRepository
      ? [...userHome(recipe), `(cd "$home" && Rscript -e ${shQuote(installLocal)})`]
      : []),
    `PATH=${layout.binDir}:$PATH Rscript -e ${shQuote(installSpec)}`,
  ]);
}

/** A postBuild with a `#!` line runs with its own interpreter (as repo2docker does), else bash. */
function postBuildPhase(recipe: Recipe, script: string): Phase {
  const file = `${STATE_DIR}/postBuild`;
  const path = [
    jupyterLayout(recipe).binDir,
    ...(recipe.environment.conda ? [`${CONDA_ENV}/bin`] : []),
  ];
  const run = script.startsWith('#!') ? file : `bash ${file}`;
  if (recipe.environment.postBuildAs === 'user') {
    const user = shQuote(recipe.user);
    const userPath = ['"$home"/.local/bin', ...path].join(':');
    return phase('post-build', [
      writeFile(file, script),
      `chmod 0755 ${file}`,
      ...userHome(recipe),
      `(cd "$home" && runuser -u ${user} -- env HOME="$home" USER=${user} PATH=${userPath}:$PATH ${run})`,
    ]);
  }
  return phase('post-build', [
    writeFile(file, script),
    `chmod 0755 ${file}`,
    `(cd /root && PATH=${path.join(':')}:$PATH ${run})`,
  ]);
}

/** What the seat script needs to start Jupyter, as shell assignments, and the account it runs as. */
function jupyterInfoPhase(recipe: Recipe): Phase {
  const layout = jupyterLayout(recipe);
  const { start } = recipe.jupyter;
  const command = start === undefined ? layout.command : START_WRAPPER;
  const user = shQuote(recipe.user);
  const env = `${CONFIG_DIR}/jupyter.env`;
  const assignments = [
    `JUPYTER_FLAVOUR=${shQuote(recipe.jupyter.flavour)}`,
    `JUPYTER_PORT=${shQuote(String(recipe.jupyter.port))}`,
    `JUPYTER_USER=${user}`,
    `JUPYTER_COMMAND=${shQuote(command)}`,
    `JUPYTER_PYTHON=${shQuote(layout.python)}`,
    '',
  ].join('\n');
  return phase('jupyter-info', [
    `id -u ${user} >/dev/null 2>&1 || useradd --create-home --shell /bin/bash ${user}`,
    `[[ -x ${shQuote(layout.command)} ]] || { echo ${shQuote(`jupyter is not installed at ${layout.command}`)} >&2; return 1; }`,
    `mkdir -p ${CONFIG_DIR}`,
    ...(start === undefined ? [] : startWrapper(recipe, start)),
    writeFile(`${env}.new`, assignments),
    `mv ${env}.new ${env}`,
  ]);
}

const START_WRAPPER = '/opt/bakehouse/bin/jupyter-start';

/**
 * repo2docker's `start`: the repository's script is run with the server's command line as its
 * arguments (it ends in `exec "$@"`). The seat script starts whatever JUPYTER_COMMAND names,
 * so that is this wrapper; it finds the home of the account it runs as.
 */
function startWrapper(recipe: Recipe, start: string): string[] {
  const { command } = jupyterLayout(recipe);
  const server = command.endsWith('/jupyter')
    ? `${shQuote(command)} ${shQuote(recipe.jupyter.flavour)}`
    : shQuote(command);
  const wrapper = [
    '#!/bin/sh',
    "# The repository's start script wraps the Jupyter server, as repo2docker runs it.",
    'home=$(getent passwd "$(id -un)" | cut -d: -f6)',
    `exec "$home"/${shQuote(start)} ${server} "$@"`,
    '',
  ].join('\n');
  return [
    ...userHome(recipe),
    `chmod 0755 "$home"/${shQuote(start)}`,
    'mkdir -p /opt/bakehouse/bin',
    writeFile(START_WRAPPER, wrapper),
    `chmod 0755 ${START_WRAPPER}`,
  ];
}

/** The image's last phase (image-prep.sh): clean apt's cache, forget the builder's identity. */
function imagePrepPhase(): Phase {
  return phase('image-prep', ['prepare_image'], imagePrepHelpers);
}

function phase(name: string, statements: string[], helpers?: string): Phase {
  return { name, body: statements.join('\n'), ...(helpers === undefined ? {} : { helpers }) };
}

/** `name 'a' 'b'`, wrapped one argument per line when it would be long. */
function command(name: string, args: readonly string[]): string {
  const words = args.map(shQuote);
  const line = [name, ...words].join(' ');
  return line.length <= 96 ? line : [name, ...words].join(' \\\n    ');
}

/** Package names are `[A-Za-z0-9.]` (schema), so a JSON string is a valid R string literal. */
function rVector(names: readonly string[]): string {
  return `c(${names.map((name) => JSON.stringify(name)).join(', ')})`;
}
