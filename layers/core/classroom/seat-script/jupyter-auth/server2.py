"""jupyter_server 2 (JupyterLab 4, Notebook 7): the identity provider checks the digest."""
from jupyter_server.auth.identity import PasswordIdentityProvider
from traitlets import Unicode

from . import token_matches


class DigestIdentityProvider(PasswordIdentityProvider):
    token_sha256 = Unicode(
        "",
        config=True,
        help="SHA-256 (hex) of the API token. The token itself is never configured.",
    )

    @property
    def auth_enabled(self):
        return bool(self.hashed_password or self.token_sha256 or self.token)

    def get_user_token(self, handler):
        # Synchronous: jupyter_server 2.0 calls it without awaiting; later releases accept both.
        if token_matches(self.get_token(handler), self.token_sha256):
            return self.generate_anonymous_user(handler)
        return None
