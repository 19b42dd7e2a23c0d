"""Checks that the Jupyter on this instance answers its API with the test token, and refuses a
request without it. Run with the Jupyter python: jupyter-answers.py PORT TOKEN_FILE (the token
made on this instance, in a file only root reads). Retries for up to TIMEOUT seconds while nothing
answers (a first boot from a new image loads its disk lazily); a refusal of the token fails at
once."""
import json
import sys
import time
import urllib.error
import urllib.request

TIMEOUT = 180


def status(port, token):
    request = urllib.request.Request('http://127.0.0.1:%d/api/status' % port)
    if token:
        request.add_header('Authorization', 'token ' + token)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b''


def main():
    port = int(sys.argv[1])
    with open(sys.argv[2], encoding='ascii') as token_file:
        token = token_file.read().strip()
    deadline = time.monotonic() + TIMEOUT
    last = 'no answer'
    while time.monotonic() < deadline:
        try:
            code, body = status(port, token)
            if code == 200:
                json.loads(body)
                break
            last = 'HTTP %d with the token' % code
            if code in (401, 403):
                # Jupyter is up and refuses the token: waiting longer changes nothing.
                print('bakehouse: Jupyter did not answer with the test token: ' + last)
                return 1
        except (OSError, ValueError) as error:
            last = str(error)
        time.sleep(2)
    else:
        print('bakehouse: Jupyter did not answer with the test token: ' + last)
        return 1
    code, _ = status(port, None)
    if code == 200:
        print('bakehouse: Jupyter answered a request without the token')
        return 1
    print('bakehouse: Jupyter answers with the token and refuses without it')
    return 0


if __name__ == '__main__':
    sys.exit(main())
