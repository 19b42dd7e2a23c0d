"""jupyter_server 1 (JupyterLab 3): the token digest is checked by the login handler."""
from jupyter_server.auth.login import LoginHandler

from . import digest_login_handler

DigestLoginHandler = digest_login_handler(LoginHandler)
