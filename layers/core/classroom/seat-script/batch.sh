# shellcheck shell=bash
# Which seat am I? The instance's position in its RunInstances call (IMDSv2, the only metadata
# version seats allow), then this seat's settings: one case arm per seat of the call (batch.ts).
imds_token=$(curl -fsS -X PUT http://169.254.169.254/latest/api/token -H 'X-aws-ec2-metadata-token-ttl-seconds: 60')
launch_index=$(curl -fsS -H "X-aws-ec2-metadata-token: $imds_token" http://169.254.169.254/latest/meta-data/ami-launch-index)
# shellcheck disable=SC2016 # single-quoted: the hashes contain $
case "$launch_index" in
# bakehouse:slot seats
*)
  echo "bakehouse: launch index $launch_index is not a seat of this launch" >&2
  exit 1
  ;;
esac
