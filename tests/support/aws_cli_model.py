"""The `aws SERVICE OPERATION --option value` commands the fixes print, held to botocore's
service models (tests/it/fix_proofs.rs), and run against a loopback moto to apply them.

The AWS CLI builds its service commands from these models (awscli/clidriver.py): the command
is the service's name as botocore lists it (`iam`, `sts`, `sso-admin`), the operation is
`xform_name(OperationName, '-')` (`UpdateRole` -> `update-role`) and each option
`xform_name(MemberName, '-')` (`MaxSessionDuration` -> `--max-session-duration`); a boolean
member is a bare `--flag` (or `--no-flag`). Its own commands (`aws configure …`, `aws sso
login`) are not in the models: the Rust test keeps those in a cited allow-list.

Usage:
  aws_cli_model.py check < COMMANDS.json
      COMMANDS: [[service, operation, arg, ...], ...] (the words after `aws`). Prints, one per
      command, null when botocore's model has the service, the operation, every option (with a
      value of the member's type within its bounds) and every required member; else what is
      wrong.
  aws_cli_model.py call URL service operation arg ...
      Calls the operation on URL (a loopback moto only) with AWS_ACCESS_KEY_ID /
      AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN from the environment (a seeding key when
      absent) and prints the response as JSON (times as RFC 3339 UTC).
"""
import datetime
import json
import os
import re
import sys

import botocore.session
from botocore import xform_name

# The global options the fixes may use on any command (awscli/data/cli.json), each with a value.
GLOBAL = {"--profile", "--region", "--output"}


def operation(session, service, op_cli):
    if service not in session.get_available_services():
        return None, f"no AWS service {service!r} in botocore {botocore.__version__}"
    model = session.get_service_model(service)
    ops = {xform_name(name, "-"): name for name in model.operation_names}
    if op_cli not in ops:
        return None, f"aws {service}: no operation {op_cli!r}"
    return model.operation_model(ops[op_cli]), None


def parse(service, op, words):
    """The words after the operation -> ({member: value}, {global: value}, error)."""
    shape = op.input_shape
    members = {xform_name(m, "-"): m for m in (shape.members if shape else {})}
    params, globals_, i = {}, {}, 0
    while i < len(words):
        w = words[i]
        if not w.startswith("--"):
            return None, None, f"{w!r} is not an option"
        name = w[2:]
        if w in GLOBAL:
            if i + 1 >= len(words):
                return None, None, f"{w} needs a value"
            globals_[w] = words[i + 1]
            i += 2
            continue
        negated = name.startswith("no-") and name[3:] in members
        key = name[3:] if negated else name
        if key not in members:
            return None, None, f"aws {service} {xform_name(op.name, '-')}: no option --{name}"
        member = shape.members[members[key]]
        if member.type_name == "boolean":
            params[members[key]] = not negated
            i += 1
            continue
        if i + 1 >= len(words):
            return None, None, f"--{name} needs a value"
        raw = words[i + 1]
        value, err = convert(member, raw)
        if err:
            return None, None, f"--{name} {raw}: {err}"
        params[members[key]] = value
        i += 2
    missing = [xform_name(m, "-") for m in (shape.required_members if shape else [])
               if m not in params]
    if missing:
        return None, None, "missing required " + ", ".join(f"--{m}" for m in missing)
    return params, globals_, None


def convert(member, raw):
    meta = member.metadata
    if member.type_name in ("integer", "long"):
        try:
            value = int(raw)
        except ValueError:
            return None, "not an integer"
        if "min" in meta and value < meta["min"]:
            return None, f"below the minimum {meta['min']}"
        if "max" in meta and value > meta["max"]:
            return None, f"above the maximum {meta['max']}"
        return value, None
    if member.type_name == "string":
        if "min" in meta and len(raw) < meta["min"]:
            return None, f"shorter than {meta['min']}"
        if "max" in meta and len(raw) > meta["max"]:
            return None, f"longer than {meta['max']}"
        if "pattern" in meta:
            try:
                if not re.fullmatch(meta["pattern"], raw):
                    return None, f"does not match {meta['pattern']}"
            except re.error:
                pass
        if member.enum and raw not in member.enum:
            return None, f"not one of {member.enum}"
        return raw, None
    return None, f"a {member.type_name} option (the fixes print none)"


def check(session, argv):
    if len(argv) < 2:
        return "not a service command"
    op, err = operation(session, argv[0], argv[1])
    if err:
        return err
    _, _, err = parse(argv[0], op, argv[2:])
    return err


def when(value):
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    raise TypeError(type(value))


def main():
    session = botocore.session.get_session()
    if sys.argv[1] == "check":
        commands = json.load(sys.stdin)
        print(json.dumps([check(session, argv) for argv in commands]))
    elif sys.argv[1] == "call":
        url, argv = sys.argv[2], sys.argv[3:]
        assert url.startswith("http://127.0.0.1:"), url
        op, err = operation(session, argv[0], argv[1])
        assert not err, err
        params, _, err = parse(argv[0], op, argv[2:])
        assert not err, err
        client = session.create_client(
            argv[0], endpoint_url=url, region_name="us-east-1",
            aws_access_key_id=os.environ.get("AWS_ACCESS_KEY_ID", "AKIAEXAMPLESEEDERXXX"),
            aws_secret_access_key=os.environ.get("AWS_SECRET_ACCESS_KEY", "seed"),
            aws_session_token=os.environ.get("AWS_SESSION_TOKEN"))
        response = getattr(client, xform_name(op.name))(**params)
        response.pop("ResponseMetadata", None)
        print(json.dumps(response, default=when))
    else:
        sys.exit(f"unknown command {sys.argv[1]}")


if __name__ == "__main__":
    main()
