/** Where each way of installing Jupyter (`jupyter.source`) puts it on the image. */
import type { Recipe } from './schema';

/** Where Jupyter lives once the `jupyter` phase is done, by how it was installed. */
export interface JupyterLayout {
  command: string;
  python: string;
  /** Put first on PATH for later phases, so `pip` and `jupyter` mean this installation. */
  binDir: string;
  /** Prefix whose share/jupyter/kernels this Jupyter reads, for extra kernels. */
  kernelPrefix: string;
}

export const VENV = '/opt/bakehouse/venv';
export const CONDA = '/opt/conda';
export const CONDA_ENV = `${CONDA}/envs/bakehouse`;

export function jupyterLayout(recipe: Recipe): JupyterLayout {
  if (recipe.jupyter.source === 'conda') {
    return {
      command: `${CONDA_ENV}/bin/jupyter`,
      python: `${CONDA_ENV}/bin/python`,
      binDir: `${CONDA_ENV}/bin`,
      kernelPrefix: CONDA_ENV,
    };
  }
  return recipe.jupyter.source === 'apt'
    ? {
        command: '/usr/bin/jupyter-notebook',
        python: '/usr/bin/python3',
        binDir: '/usr/bin',
        kernelPrefix: '/usr/local',
      }
    : {
        command: `${VENV}/bin/jupyter`,
        python: `${VENV}/bin/python`,
        binDir: `${VENV}/bin`,
        kernelPrefix: VENV,
      };
}
