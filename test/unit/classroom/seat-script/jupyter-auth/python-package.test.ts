/**
 * The Python package that makes Jupyter check token digests, run by the host's python3 against
 * stand-ins for notebook, jupyter_server and traitlets. The container tests run it inside real
 * notebook 6; jupyter_server 2 is not packaged in Debian 12, so these tests are its only check
 * before a real JupyterLab 4 seat.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenDigest } from '../../../../../layers/core/classroom/credentials';
import {
  JUPYTER_AUTH_PACKAGE,
  jupyterAuthFiles,
} from '../../../../../layers/core/classroom/seat-script/jupyter-auth/python-package';

const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const TOKEN = 'id99neBrcYfKejAY2c7PMdskQjhZDrqR4MvWwcPaPe4';
const HASH = 'argon2:$argon2id$v=19$m=19456,t=2,p=1$AAECAwQFBgcICQoLDA0ODw$hash';

/** Minimal stand-ins: just the names the package imports and the methods it calls. */
const stubs = {
  notebook6: {
    'notebook/__init__.py': '',
    'notebook/notebookapp.py': '',
    'notebook/auth/__init__.py': '',
    'notebook/auth/login.py': `
class LoginHandler:
    @classmethod
    def get_token(cls, handler):
        return handler.offered
`,
  },
  notebook7: {
    'notebook/__init__.py': '',
    'notebook/app.py': '',
  },
  server1: {
    'jupyter_server/__init__.py': 'version_info = (1, 23, 3)\n',
    'jupyter_server/auth/__init__.py': '',
    'jupyter_server/auth/login.py': `
class LoginHandler:
    @classmethod
    def get_token(cls, handler):
        return handler.offered
`,
  },
  server2: {
    'traitlets/__init__.py': `
def Unicode(default_value="", **kwargs):
    return default_value
`,
    'jupyter_server/__init__.py': 'version_info = (2, 14, 2)\n',
    'jupyter_server/auth/__init__.py': '',
    'jupyter_server/auth/identity.py': `
class PasswordIdentityProvider:
    hashed_password = ""
    token = ""
    def get_token(self, handler):
        return handler.offered
    def generate_anonymous_user(self, handler):
        return "anonymous-user"
`,
  },
};

/** Prints what a Jupyter would see: its config sections and the answers of each auth class. */
const driver = `
import json, sys, types
from ${JUPYTER_AUTH_PACKAGE} import configure, token_matches

class Config:
    def __getattr__(self, name):
        section = types.SimpleNamespace()
        setattr(self, name, section)
        return section

def handler(offered, settings=None):
    return types.SimpleNamespace(offered=offered, settings=settings or {})

token, digest, password_hash = sys.argv[1:4]
installed = sys.argv[4].split(",")
c = Config()
configure(c, password_hash=password_hash, token_sha256=digest, cookie_secret="00ff" * 16)
out = {"config": {k: vars(v) for k, v in vars(c).items()}}
out["cookie_secrets"] = [getattr(section, "cookie_secret", b"").hex() for section in vars(c).values()]
out["matches"] = [token_matches(t, digest) for t in (token, token + "x", "", None)]

settings = {"bakehouse_token_sha256": digest}
if "notebook6" in installed:
    from ${JUPYTER_AUTH_PACKAGE}.notebook6 import DigestLoginHandler as Notebook
    out["notebook6"] = [bool(Notebook.get_user_token(handler(t, settings))) for t in (token, "wrong", "")]
    out["notebook6_unconfigured"] = Notebook.get_user_token(handler(token)) is not None
if "server1" in installed:
    from ${JUPYTER_AUTH_PACKAGE}.server1 import DigestLoginHandler as Server1
    out["server1"] = [bool(Server1.get_user_token(handler(t, settings))) for t in (token, "wrong")]
if "server2" in installed:
    from ${JUPYTER_AUTH_PACKAGE}.server2 import DigestIdentityProvider
    provider = DigestIdentityProvider()
    provider.token_sha256 = digest
    out["server2"] = [provider.get_user_token(handler(t)) for t in (token, "wrong", "")]
    out["server2_auth_enabled"] = provider.auth_enabled
    provider.token_sha256 = ""
    out["server2_unconfigured"] = provider.get_user_token(handler(token))
for section in vars(c).values():
    vars(section).pop("cookie_secret", None)
print(json.dumps(out, default=str))
`;

let root: string;

function write(dir: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

/** Run the driver with the stand-ins of `installed` on the Python path. */
// biome-ignore lint/suspicious/noExplicitAny: JSON printed by the Python driver
function runDriver(...installed: (keyof typeof stubs)[]): any {
  const env = join(root, installed.join('+'));
  for (const name of installed) write(env, stubs[name]);
  const args = [TOKEN, tokenDigest(TOKEN), HASH, installed.join(',')];
  const out = execFileSync(python, ['-c', driver, ...args], {
    env: { PYTHONPATH: [join(root, 'package'), env].join(':'), PYTHONDONTWRITEBYTECODE: '1' },
    encoding: 'utf8',
  });
  return JSON.parse(out);
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'bakehouse-jupyter-auth-'));
  write(join(root, 'package', JUPYTER_AUTH_PACKAGE), jupyterAuthFiles as Record<string, string>);
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the bakehouse_jupyter_auth package', () => {
  it.each(Object.keys(jupyterAuthFiles))('%s is valid Python 3', (name) => {
    // Act
    const parse = () =>
      execFileSync(python, ['-c', 'import ast, sys; ast.parse(sys.stdin.read())'], {
        input: jupyterAuthFiles[name],
        stdio: 'pipe',
      });

    // Assess
    expect(parse).not.toThrow();
  });

  it('matches a token only by its digest, never an empty or missing one', () => {
    // Act
    const out = runDriver('notebook6');

    // Assess
    expect(out.matches).toEqual([true, false, false, false]);
  });

  it('configures notebook 6 with the hash, no plaintext token and the digest login handler', () => {
    // Act
    const out = runDriver('notebook6');

    // Assess
    expect(out.config.NotebookApp).toEqual({
      password: HASH,
      token: '',
      allow_password_change: false,
      allow_remote_access: true,
      tornado_settings: { bakehouse_token_sha256: tokenDigest(TOKEN) },
      login_handler_class: `${JUPYTER_AUTH_PACKAGE}.notebook6.DigestLoginHandler`,
    });
    expect(out.config.ServerApp).toBeUndefined();
    expect(out.cookie_secrets).toEqual(['00ff'.repeat(16)]);
    expect(out.notebook6).toEqual([true, false, false]);
    expect(out.notebook6_unconfigured).toBe(false);
  });

  it('configures jupyter_server 1 through its login handler, next to classic notebook', () => {
    // Act
    const out = runDriver('notebook6', 'server1');

    // Assess
    expect(out.config.ServerApp).toMatchObject({
      password: HASH,
      token: '',
      allow_password_change: false,
      allow_remote_access: true,
      login_handler_class: `${JUPYTER_AUTH_PACKAGE}.server1.DigestLoginHandler`,
    });
    expect(out.config.ServerApp.identity_provider_class).toBeUndefined();
    expect(out.cookie_secrets).toEqual(['00ff'.repeat(16), '00ff'.repeat(16)]);
    expect(out.server1).toEqual([true, false]);
  });

  it('configures jupyter_server 2 through its identity provider', () => {
    // Act
    const out = runDriver('notebook7', 'server2');

    // Assess
    expect(out.config.NotebookApp).toBeUndefined();
    expect(out.config.ServerApp).toEqual({
      allow_remote_access: true,
      identity_provider_class: `${JUPYTER_AUTH_PACKAGE}.server2.DigestIdentityProvider`,
    });
    expect(out.config.DigestIdentityProvider).toEqual({
      hashed_password: HASH,
      token: '',
      token_sha256: tokenDigest(TOKEN),
      allow_password_change: false,
    });
    expect(out.cookie_secrets).toEqual(['00ff'.repeat(16), '']);
    expect(out.server2).toEqual(['anonymous-user', null, null]);
    expect(out.server2_auth_enabled).toBe(true);
    expect(out.server2_unconfigured).toBeNull();
  });
});
