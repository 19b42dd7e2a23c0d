# shellcheck shell=bash
# Shell functions of the conda phase. Miniforge is downloaded from GitHub, checked against its
# published sha256, only for recipes with an environment.yml.

# install_miniforge PREFIX INSTALLER: Miniforge into PREFIX, downloaded to INSTALLER, unless
# PREFIX already holds a conda.
install_miniforge() {
  local prefix=$1 installer=$2 url
  [[ ! -x $prefix/bin/conda ]] || return 0
  apt_install ca-certificates curl
  url=https://github.com/conda-forge/miniforge/releases/latest/download/Miniforge3-Linux-$(uname -m).sh
  curl -fsSL --retry 5 -o "$installer" "$url"
  echo "$(curl -fsSL --retry 5 "$url.sha256" | cut -d ' ' -f 1)  $installer" | sha256sum -c -
  bash "$installer" -b -p "$prefix"
  rm -f "$installer"
}

# conda_environment CONDA ENV FILE: the environment at ENV as FILE describes it, created with the
# conda installed at CONDA the first time and updated after.
conda_environment() {
  if [[ -d $2 ]]; then
    "$1/bin/conda" env update --prefix "$2" --file "$3"
  else
    "$1/bin/conda" env create --prefix "$2" --file "$3"
  fi
}

# conda_kernel CONDA ENV PREFIX: ENV's python as the Jupyter kernel "Python (conda)" under PREFIX,
# with ipykernel installed into ENV when the environment lacks it.
conda_kernel() {
  "$2/bin/python" -c 'import ipykernel' || "$1/bin/conda" install --yes --prefix "$2" ipykernel
  "$2/bin/python" -m ipykernel install --prefix "$3" --name conda --display-name 'Python (conda)'
}
