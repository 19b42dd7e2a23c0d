# shellcheck shell=bash
# prepare_image: the last phase before the image is taken. The per-instance identity of the
# builder is removed only on cloud images (where cloud-init exists): their first boot recreates
# it, so every seat gets its own machine id and host keys. Elsewhere nothing would recreate them,
# so they stay.
prepare_image() {
  apt-get clean
  if command -v cloud-init >/dev/null 2>&1; then
    cloud-init clean --logs
    rm -f /etc/ssh/ssh_host_*_key /etc/ssh/ssh_host_*_key.pub
    if [[ -s /etc/machine-id ]]; then
      truncate -s 0 /etc/machine-id
    fi
  fi
  sync
}
