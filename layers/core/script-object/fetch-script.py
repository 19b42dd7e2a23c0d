"""Fetches a bake script from S3 with this instance's role, checks its SHA-256 and writes it.

Run as root by the Run Command text that names the object (script-object.ts):
fetch-script.py REGION BUCKET KEY SHA256 DEST. Credentials come from IMDSv2 (the instance
profile); the request is signed with Signature Version 4. Nothing is written unless the digest
matches, and the credentials are never printed."""
import datetime
import hashlib
import hmac
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request

IMDS = 'http://169.254.169.254/latest'


def imds(path, token):
    request = urllib.request.Request(IMDS + path, headers={'X-aws-ec2-metadata-token': token})
    with urllib.request.urlopen(request, timeout=5) as response:
        return response.read().decode('utf-8')


def role_credentials():
    request = urllib.request.Request(
        IMDS + '/api/token', method='PUT',
        headers={'X-aws-ec2-metadata-token-ttl-seconds': '300'})
    with urllib.request.urlopen(request, timeout=5) as response:
        token = response.read().decode('ascii')
    role = imds('/meta-data/iam/security-credentials/', token).splitlines()[0]
    return json.loads(imds('/meta-data/iam/security-credentials/' + role, token))


def sign(key, message):
    return hmac.new(key, message.encode('utf-8'), hashlib.sha256).digest()


def signed_get(region, bucket, key, credentials):
    host = '%s.s3.%s.amazonaws.com' % (bucket, region)
    path = '/' + urllib.parse.quote(key, safe='/-_.~')
    now = datetime.datetime.now(datetime.timezone.utc)
    stamp, day = now.strftime('%Y%m%dT%H%M%SZ'), now.strftime('%Y%m%d')
    payload = hashlib.sha256(b'').hexdigest()
    headers = {
        'host': host,
        'x-amz-content-sha256': payload,
        'x-amz-date': stamp,
        'x-amz-security-token': credentials['Token'],
    }
    names = ';'.join(sorted(headers))
    canonical = '\n'.join(['GET', path, ''] +
                          ['%s:%s' % (name, headers[name]) for name in sorted(headers)] +
                          ['', names, payload])
    scope = '%s/%s/s3/aws4_request' % (day, region)
    to_sign = '\n'.join(['AWS4-HMAC-SHA256', stamp, scope,
                         hashlib.sha256(canonical.encode('utf-8')).hexdigest()])
    signing_key = sign(sign(sign(sign(('AWS4' + credentials['SecretAccessKey']).encode('utf-8'),
                                      day), region), 's3'), 'aws4_request')
    signature = hmac.new(signing_key, to_sign.encode('utf-8'), hashlib.sha256).hexdigest()
    headers['authorization'] = 'AWS4-HMAC-SHA256 Credential=%s/%s, SignedHeaders=%s, Signature=%s' % (
        credentials['AccessKeyId'], scope, names, signature)
    del headers['host']
    request = urllib.request.Request('https://' + host + path, headers=headers)
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.read()


def main():
    region, bucket, key, expected, dest = sys.argv[1:6]
    try:
        body = signed_get(region, bucket, key, role_credentials())
    except urllib.error.HTTPError as error:
        print('bakehouse: could not fetch s3://%s/%s: HTTP %d' % (bucket, key, error.code))
        return 1
    except (OSError, ValueError, KeyError, IndexError) as error:
        print('bakehouse: could not fetch s3://%s/%s: %s' % (bucket, key, error))
        return 1
    digest = hashlib.sha256(body).hexdigest()
    if not hmac.compare_digest(digest, expected):
        print('bakehouse: s3://%s/%s has SHA-256 %s, not %s: not run' % (bucket, key, digest, expected))
        return 1
    descriptor = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o700)
    with os.fdopen(descriptor, 'wb') as out:
        out.write(body)
    print('bakehouse: fetched s3://%s/%s (%d bytes, SHA-256 checked)' % (bucket, key, len(body)))
    return 0


if __name__ == '__main__':
    sys.exit(main())
