# shellcheck shell=bash
# Shell functions that find, format and mount the recipe's EBS volumes on the builder.
#
# Finding the device: a volume attached as /dev/sdf keeps that name only on Xen instances (or as
# /dev/xvdf), or where udev rules such as amazon-ec2-utils' add it as a link. On Nitro instances
# it appears as /dev/nvme<N>n1 in no fixed order, and the name it was attached as is stored in the
# vendor-specific bytes 3072-3103 of the NVMe Identify Controller data: `ebsnvme-id -b` prints it,
# and `nvme id-ctrl --raw-binary` (nvme-cli, installed when neither tool is present) returns the
# raw page. The EBS volume id (in /dev/disk/by-id) is no help: it is only known after launch.

ensure_ebs_tools() {
  if compgen -G '/dev/nvme*n1' >/dev/null && ! command -v ebsnvme-id >/dev/null 2>&1 &&
    ! command -v nvme >/dev/null 2>&1; then
    apt_install nvme-cli
  fi
}

ebs_nvme_name() {
  if command -v ebsnvme-id >/dev/null 2>&1; then
    ebsnvme-id -b "$1"
    return
  fi
  local raw
  raw=$(mktemp)
  if nvme id-ctrl --raw-binary "$1" >"$raw" 2>/dev/null; then
    dd if="$raw" bs=1 skip=3072 count=32 2>/dev/null | tr -d ' \000'
  fi
  rm -f "$raw"
}

# ebs_device NAME: prints the block device of the EBS volume attached as NAME (/dev/sdf).
ebs_device() {
  local want=${1#/dev/} dev name
  for dev in "/dev/$want" "/dev/xvd${want#sd}"; do
    if [ -b "$dev" ]; then
      readlink -f "$dev"
      return 0
    fi
  done
  for dev in /dev/nvme*n1; do
    [ -b "$dev" ] || continue
    name=$(ebs_nvme_name "$dev" || true)
    name=${name#/dev/}
    if [ "$name" = "$want" ] || [ "$name" = "xvd${want#sd}" ]; then
      echo "$dev"
      return 0
    fi
  done
  return 1
}

wait_for_ebs_device() {
  for _ in $(seq 1 90); do
    ebs_device "$1" && return 0
    sleep 2
  done
  echo "bakehouse: no block device appeared for volume $1 in 3 minutes" >&2
  return 1
}

# setup_volume NAME FILESYSTEM MOUNT_POINT: formats the volume only when it holds no filesystem
# yet, mounts it, and adds it to /etc/fstab by UUID with nofail (once), so instances launched from
# the image mount their copy of it and still boot without it.
setup_volume() {
  local dev fstype uuid
  dev=$(wait_for_ebs_device "$1")
  fstype=$(blkid -p -o value -s TYPE "$dev" || true)
  if [ -z "$fstype" ]; then
    "mkfs.$2" -q "$dev"
    fstype=$2
  fi
  uuid=$(blkid -p -o value -s UUID "$dev")
  mkdir -p "$3"
  if ! awk -v mp="$3" '$1 !~ /^#/ && $2 == mp { found = 1 } END { exit !found }' \
    /etc/fstab 2>/dev/null; then
    echo "UUID=$uuid $3 $fstype defaults,nofail 0 2" >>/etc/fstab
  fi
  if [ -d /run/systemd/system ]; then
    systemctl daemon-reload
  fi
  # By device, not through the fstab line: with nofail, mount exits 0 without mounting when the
  # UUID has no /dev/disk/by-uuid link yet, which udev adds only some time after mkfs.
  if ! mountpoint -q "$3"; then
    mount -t "$fstype" "$dev" "$3"
  fi
}
