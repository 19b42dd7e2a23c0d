"""Authentication for a bakehouse classroom seat.

The seat holds the argon2 hash of its password and the SHA-256 of its API token, never either
secret. Jupyter compares an offered token with a plaintext token of its own; the classes here
compare digests instead:

- notebook 6 (NotebookApp) and jupyter_server 1 (ServerApp): a LoginHandler whose
  get_user_token checks the digest, set as login_handler_class;
- jupyter_server 2 (JupyterLab 4, Notebook 7): a PasswordIdentityProvider doing the same,
  set as identity_provider_class.

No plaintext token is configured, so Jupyter's own token comparison never succeeds.
"""
import hashlib
import hmac
import importlib.util
import uuid

from .idle import stop_when_idle

TOKEN_SHA256_SETTING = "bakehouse_token_sha256"


def token_matches(offered, token_sha256):
    """Whether sha256(offered) is the expected hex digest, compared in constant time."""
    if not offered or not token_sha256:
        return False
    digest = hashlib.sha256(offered.encode("utf-8")).hexdigest()
    return hmac.compare_digest(digest, token_sha256)


def digest_login_handler(base):
    """A subclass of a pre-2.0 LoginHandler that checks API tokens against their digest."""

    class DigestLoginHandler(base):
        @classmethod
        def get_user_token(cls, handler):
            expected = handler.settings.get(TOKEN_SHA256_SETTING, "")
            if token_matches(cls.get_token(handler), expected):
                return uuid.uuid4().hex
            return None

    return DigestLoginHandler


def classic_notebook_present():
    """Whether notebook < 7, the last with its own NotebookApp, is importable."""
    try:
        return importlib.util.find_spec("notebook.notebookapp") is not None
    except ImportError:
        return False


def jupyter_server_major():
    try:
        from jupyter_server import version_info
    except ImportError:
        return None
    return int(version_info[0])


def configure(c, password_hash, token_sha256, cookie_secret, idle_minutes=0, idle_marker=""):
    """Fill a Jupyter config for the Jupyter generations installed here.

    idle_minutes (0: never): stop the seat after that long without activity, leaving the file
    idle_marker for systemd to power the machine off (idle.py).

    cookie_secret (hex) is new each time the seat is configured, so login cookies issued under
    earlier credentials stop working with them. allow_remote_access: behind the seat's proxy
    Jupyter listens on the loopback address only, and would otherwise refuse (403) every request
    whose Host is the seat's public address; listening on every address it is on by default. The NotebookApp section is written only where
    classic notebook exists: elsewhere JupyterLab's config shim would move it onto ServerApp.
    """
    legacy = {
        "password": password_hash,
        "token": "",
        "allow_password_change": False,
        "allow_remote_access": True,
        "cookie_secret": bytes.fromhex(cookie_secret),
        "tornado_settings": {TOKEN_SHA256_SETTING: token_sha256},
    }
    if classic_notebook_present():
        for name, value in legacy.items():
            setattr(c.NotebookApp, name, value)
        c.NotebookApp.login_handler_class = __name__ + ".notebook6.DigestLoginHandler"
        if idle_minutes:
            from notebook.notebookapp import NotebookApp
            from notebook.services.kernels.kernelmanager import MappingKernelManager

            stop_when_idle(
                c, c.NotebookApp, NotebookApp, idle_minutes, idle_marker, MappingKernelManager
            )

    major = jupyter_server_major()
    if major == 1:
        for name, value in legacy.items():
            setattr(c.ServerApp, name, value)
        c.ServerApp.login_handler_class = __name__ + ".server1.DigestLoginHandler"
    elif major is not None:
        c.ServerApp.cookie_secret = bytes.fromhex(cookie_secret)
        c.ServerApp.allow_remote_access = True
        c.ServerApp.identity_provider_class = __name__ + ".server2.DigestIdentityProvider"
        c.DigestIdentityProvider.hashed_password = password_hash
        c.DigestIdentityProvider.token = ""
        c.DigestIdentityProvider.token_sha256 = token_sha256
        c.DigestIdentityProvider.allow_password_change = False
    if major is not None and idle_minutes:
        from jupyter_server.serverapp import ServerApp
        from jupyter_server.services.kernels.kernelmanager import MappingKernelManager

        stop_when_idle(c, c.ServerApp, ServerApp, idle_minutes, idle_marker, MappingKernelManager)
