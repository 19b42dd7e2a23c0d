"""notebook 6: the token digest is checked by the login handler."""
from notebook.auth.login import LoginHandler

from . import digest_login_handler

DigestLoginHandler = digest_login_handler(LoginHandler)
