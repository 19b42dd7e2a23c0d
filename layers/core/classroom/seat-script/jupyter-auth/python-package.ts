/**
 * The Python package the seat script installs next to Jupyter (the `.py` files here). It lets
 * Jupyter accept the seat's API token while knowing only its SHA-256: every Jupyter generation
 * compares an offered token with a plaintext token of its own, so the comparison itself is
 * replaced.
 */
import { readonlyValue } from '../../../shell';
import seatScript from '../seat-script.sh';
import init from './__init__.py';
import idle from './idle.py';
import notebook6 from './notebook6.py';
import server1 from './server1.py';
import server2 from './server2.py';

/** The name the seat script installs the package under. */
export const JUPYTER_AUTH_PACKAGE = readonlyValue(seatScript, 'AUTH_PACKAGE');

/** File name inside the package → source. */
export const jupyterAuthFiles: Readonly<Record<string, string>> = {
  '__init__.py': init,
  'idle.py': idle,
  'notebook6.py': notebook6,
  'server1.py': server1,
  'server2.py': server2,
};
