# shellcheck shell=bash
# Which instance am I? cloud-init's record, else IMDSv2 (the only metadata version seats allow).
# Then this seat's settings, one case arm per instance of the batch (batch-seat-script.ts).
instance_id=$(cat /var/lib/cloud/data/instance-id 2>/dev/null || true)
if [[ ! "$instance_id" =~ ^i-[0-9a-f]+$ ]]; then
  imds_token=$(curl -fsS -X PUT http://169.254.169.254/latest/api/token -H 'X-aws-ec2-metadata-token-ttl-seconds: 60')
  instance_id=$(curl -fsS -H "X-aws-ec2-metadata-token: $imds_token" http://169.254.169.254/latest/meta-data/instance-id)
fi
# shellcheck disable=SC2016 # single-quoted: the hashes contain $
case "$instance_id" in
# bakehouse:slot seats
*)
  echo "bakehouse: instance $instance_id is not a seat of this batch" >&2
  exit 1
  ;;
esac
