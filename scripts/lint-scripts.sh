#!/usr/bin/env bash
# Checks every shell and Python file the repository tracks: shellcheck on the `.sh` files (and on
# .ci/run), `py_compile` and pyflakes on the `.py` files. Installs shellcheck and pyflakes with apt
# when they are missing and we can (root with apt); without them it fails, naming what to install.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian's pyflakes is a module of Debian's python; a python3 earlier on PATH may lack it.
python=python3
[ ! -x /usr/bin/python3 ] || python=/usr/bin/python3

missing=()
command -v shellcheck >/dev/null 2>&1 || missing+=(shellcheck)
"$python" -c 'import pyflakes' >/dev/null 2>&1 || missing+=(python3-pyflakes)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "bakehouse: lint needs ${missing[*]} (apt-get install ${missing[*]})" >&2
    exit 1
  fi
  echo "bakehouse: installing ${missing[*]} for the lint" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

mapfile -t shell_files < <(git ls-files '*.sh' .ci/run)
mapfile -t python_files < <(git ls-files '*.py')

[ ${#shell_files[@]} -eq 0 ] || shellcheck "${shell_files[@]}"
if [ ${#python_files[@]} -gt 0 ]; then
  # The byte code goes to a scratch directory, not into __pycache__ next to the sources.
  pycache=$(mktemp -d)
  trap 'rm -rf "$pycache"' EXIT
  PYTHONPYCACHEPREFIX=$pycache "$python" -m py_compile "${python_files[@]}"
  "$python" -m pyflakes "${python_files[@]}"
fi
echo "bakehouse: shellcheck ${#shell_files[@]} shell files, py_compile and pyflakes ${#python_files[@]} Python files: clean"
