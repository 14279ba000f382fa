"""Seeds a running moto server through its AWS API (boto3), for the live tests.

Usage: moto_seed.py URL COMMAND ARGS...
  role NAME MAX_SECONDS          -> prints the role ARN
  user NAME [ALLOW_ACTION ...]   -> prints "ACCESS_KEY_ID SECRET_ACCESS_KEY" (an inline policy
                                    allowing the actions when given)
  assume ROLE_ARN KEY SECRET SECS -> prints the AssumeRole Credentials as JSON
  roles PREFIX COUNT MAX_SECONDS [PATH] -> creates COUNT roles PREFIX-0000…, prints nothing
Only ever talks to URL (a loopback moto server).
"""
import json
import sys

import boto3

url, command, args = sys.argv[1], sys.argv[2], sys.argv[3:]
assert url.startswith("http://127.0.0.1:"), url


def client(service, key="AKIAEXAMPLESEEDERXXX", secret="seed", token=None):
    return boto3.client(service, endpoint_url=url, region_name="us-east-1",
                        aws_access_key_id=key, aws_secret_access_key=secret,
                        aws_session_token=token)


TRUST = json.dumps({"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
    "Action": "sts:AssumeRole"}]})

if command == "role":
    name, max_seconds = args
    r = client("iam").create_role(RoleName=name, AssumeRolePolicyDocument=TRUST,
                                  MaxSessionDuration=int(max_seconds))
    print(r["Role"]["Arn"])
elif command == "user":
    name, actions = args[0], args[1:]
    iam = client("iam")
    iam.create_user(UserName=name)
    if actions:
        iam.put_user_policy(UserName=name, PolicyName="allow", PolicyDocument=json.dumps({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}]}))
    k = iam.create_access_key(UserName=name)["AccessKey"]
    print(k["AccessKeyId"], k["SecretAccessKey"])
elif command == "assume":
    role_arn, key, secret, seconds = args
    c = client("sts", key, secret).assume_role(RoleArn=role_arn, RoleSessionName="job",
                                                DurationSeconds=int(seconds))["Credentials"]
    print(json.dumps({"AccessKeyId": c["AccessKeyId"], "SecretAccessKey": c["SecretAccessKey"],
                      "SessionToken": c["SessionToken"],
                      "Expiration": c["Expiration"].strftime("%Y-%m-%dT%H:%M:%SZ")}))
elif command == "roles":
    prefix, count, max_seconds = args[0], int(args[1]), int(args[2])
    path = args[3] if len(args) > 3 else "/"
    iam = client("iam")
    for i in range(count):
        iam.create_role(RoleName=f"{prefix}-{i:04d}", Path=path, AssumeRolePolicyDocument=TRUST,
                        MaxSessionDuration=max_seconds)
else:
    sys.exit(f"unknown command {command}")
