#!/usr/bin/env python3
"""The measuring half of scripts/bench: run it through scripts/bench, which installs the tools
and passes their paths in BENCH_* variables.

Starts moto and chronyd on loopback, seeds moto with boto3, times every comparison with
hyperfine (wall time) and GNU time (peak RSS), checks each command really did its job before
timing it (a benchmark of a failing command proves nothing), prints a table and writes the
report between the markers of docs/benchmarks.md (the text around them is kept).
"""
import argparse
import datetime
import hashlib
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

import boto3

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"
ACCOUNT = "123456789012"
TRUST = json.dumps({"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
    "Action": "sts:AssumeRole"}]})

HYPERFINE = os.environ["BENCH_HYPERFINE"]
GNU_TIME = os.environ["BENCH_TIME"]
VENV = os.environ["BENCH_VENV"]
LOGS = os.environ["BENCH_LOGS"]


def die(msg):
    sys.exit(f"bench: error: {msg}")


def note(msg):
    print(f"bench: {msg}", file=sys.stderr, flush=True)


def free_port(kind):
    s = socket.socket(socket.AF_INET, kind)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


# --- servers --------------------------------------------------------------------------------

class Servers:
    """moto and chronyd on loopback, stopped on exit whatever happens."""

    def __init__(self, tmp):
        self.procs = []
        self.tmp = tmp
        self.moto_url = self._moto()
        self.ntp = self._chronyd()

    def _moto(self):
        port = free_port(socket.SOCK_STREAM)
        log = open(os.path.join(self.tmp, "moto.log"), "w")
        self.procs.append(subprocess.Popen(
            [os.environ["EXPIRY_DOCTOR_MOTO_SERVER"], "-H", "127.0.0.1", "-p", str(port)],
            stdout=log, stderr=subprocess.STDOUT))
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                return f"http://127.0.0.1:{port}"
            except OSError:
                time.sleep(0.1)
        die("moto_server did not start (see its log)")

    def _chronyd(self):
        port = free_port(socket.SOCK_DGRAM)
        d = tempfile.mkdtemp(prefix="chrony.", dir=self.tmp)
        user = ["user root"] if os.geteuid() == 0 else [f"user {os.environ.get('USER', 'nobody')}"]
        conf = os.path.join(d, "chrony.conf")
        with open(conf, "w") as f:
            f.write("\n".join(user + [
                f"port {port}", "bindaddress 127.0.0.1", "allow 127.0.0.1", "local stratum 8",
                "cmdport 0", "bindcmdaddress /", f"driftfile {d}/drift",
                f"pidfile {d}/chronyd.pid"]) + "\n")
        env = dict(os.environ)
        extra = os.environ.get("EXPIRY_DOCTOR_DEPS_LD_LIBRARY_PATH", "")
        if extra:
            env["LD_LIBRARY_PATH"] = extra + (":" + env["LD_LIBRARY_PATH"] if env.get("LD_LIBRARY_PATH") else "")
        args = [os.environ["EXPIRY_DOCTOR_CHRONYD"], "-f", conf, "-d", "-x"]
        if os.geteuid() != 0:
            args.append("-U")
        self.procs.append(subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL,
                                           stderr=subprocess.DEVNULL))
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.settimeout(0.2)
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                s.sendto(b"\x1b" + 47 * b"\0", ("127.0.0.1", port))
                if len(s.recvfrom(512)[0]) >= 48:
                    return f"127.0.0.1:{port}"
            except OSError:
                pass
        die("chronyd did not answer SNTP")

    def stop(self):
        for p in self.procs:
            p.terminate()
        for p in self.procs:
            try:
                p.wait(5)
            except subprocess.TimeoutExpired:
                p.kill()


# --- measuring ------------------------------------------------------------------------------

def hyperfine(commands, env, runs, warmup, shell=False):
    """commands: [(name, command line)]. Returns {name: stats in seconds}."""
    out = tempfile.NamedTemporaryFile(suffix=".json", delete=False).name
    args = [HYPERFINE, "--style", "none", "--runs", str(runs), "--warmup", str(warmup),
            "--export-json", out, "--ignore-failure",
            # A pipe, not /dev/null: GNU grep stops at the first match when its output is
            # /dev/null, which would make the floor a fiction.
            "--output=pipe"]
    if not shell:
        args.append("-N")
    for name, cmd in commands:
        args += ["--command-name", name, cmd]
    r = subprocess.run(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        die(f"hyperfine failed: {r.stderr.strip()}")
    with open(out) as f:
        results = json.load(f)["results"]
    os.unlink(out)
    return {res["command"]: {
        "min": res["min"], "median": res["median"], "max": res["max"], "mean": res["mean"],
        "runs": len(res["times"]), "command": cmd,
    } for res, (_, cmd) in zip(results, commands)}


def peak_rss_kb(cmd, env, times=3):
    """The largest peak RSS (KiB) over a few runs, from GNU time's %M."""
    worst = 0
    for _ in range(times):
        r = subprocess.run([GNU_TIME, "-f", "%M", "--"] + cmd.split(), env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        worst = max(worst, int(r.stderr.strip().splitlines()[-1]))
    return worst


def verify(cmd, env, ok_codes=(0,), want=None):
    """Runs cmd once and checks it did its job; returns its stdout."""
    r = subprocess.run(cmd.split(), env=env, capture_output=True, text=True, timeout=300)
    if r.returncode not in ok_codes:
        die(f"`{cmd}` exited {r.returncode}, expected {ok_codes}:\n{r.stderr[-2000:]}")
    if want is not None and not want(r.stdout):
        die(f"`{cmd}` did not produce what it should:\n{r.stdout[:2000]}")
    return r.stdout


def write_script(path, body):
    with open(path, "w") as f:
        f.write("#!/bin/sh\nset -e\n" + body)
    os.chmod(path, 0o755)
    return path


# --- the run --------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--out")
    a = ap.parse_args()
    quick = a.quick
    out = a.out or (os.path.join(tempfile.gettempdir(), "expiry-doctor-benchmarks-quick.md")
                    if quick else os.path.join(REPO, "docs", "benchmarks.md"))
    runs, warmup = (3, 1) if quick else (30, 3)
    slow_runs = 2 if quick else 5
    log_mib = 16 if quick else 1024
    fleet_n = 20 if quick else 200
    bin_ = a.binary
    started = time.time()

    tmp = tempfile.mkdtemp(prefix="expiry-doctor-bench.")
    servers = Servers(tmp)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        results = run(bin_, servers, tmp, quick, runs, warmup, slow_runs, log_mib, fleet_n)
    finally:
        servers.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    results["elapsed"] = time.time() - started
    md = render(results, quick, bin_)
    print(md["table"])
    write_report(out, md["report"])
    note(f"report written to {out} ({results['elapsed']:.0f} s)")


def run(bin_, servers, tmp, quick, runs, warmup, slow_runs, log_mib, fleet_n):
    url, ntp = servers.moto_url, servers.ntp
    r = {"quick": quick, "runs": runs, "log_mib": log_mib, "fleet_n": fleet_n}

    def client(service, key="AKIAEXAMPLESEEDERXXX", secret="seed", token=None):
        return boto3.client(service, endpoint_url=url, region_name="us-east-1",
                            aws_access_key_id=key, aws_secret_access_key=secret,
                            aws_session_token=token)

    # A 12 h role, a user allowed to assume it, and its 12 h session: the job's credentials.
    iam = client("iam")
    role_arn = iam.create_role(RoleName="etl", AssumeRolePolicyDocument=TRUST,
                               MaxSessionDuration=43200)["Role"]["Arn"]
    iam.create_user(UserName="alice")
    k = iam.create_access_key(UserName="alice")["AccessKey"]
    c = client("sts", k["AccessKeyId"], k["SecretAccessKey"]).assume_role(
        RoleArn=role_arn, RoleSessionName="job", DurationSeconds=43200)["Credentials"]

    home = os.path.join(tmp, "home")
    os.makedirs(os.path.join(home, ".aws"))
    base_env = {
        "PATH": f"{VENV}/bin:/usr/bin:/bin", "HOME": home, "LANG": "C.UTF-8",
        "AWS_ENDPOINT_URL": url, "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "us-east-1",
        "NO_PROXY": "*", "no_proxy": "*", "NO_COLOR": "1",
    }
    env = dict(base_env,
               AWS_ACCESS_KEY_ID=c["AccessKeyId"], AWS_SECRET_ACCESS_KEY=c["SecretAccessKey"],
               AWS_SESSION_TOKEN=c["SessionToken"],
               AWS_CREDENTIAL_EXPIRATION=c["Expiration"].strftime("%Y-%m-%dT%H:%M:%SZ"))

    # 1. Live check vs the manual steps.
    check = f"{bin_} check --expected-runtime 6h --ntp-server {ntp} --output json"

    def live_pass(out):
        rep = json.loads(out)
        st = {ch["id"]: ch["status"] for ch in rep["checks"]}
        return rep["verdict"] == "pass" and all(v == "pass" for v in st.values())
    verify(check, env, want=live_pass)
    aws = f"{VENV}/bin/aws"
    cli = write_script(os.path.join(tmp, "aws-cli-steps"),
                       f"{aws} sts get-caller-identity >/dev/null\n"
                       f"{aws} iam get-role --role-name etl >/dev/null\n")
    boto = os.path.join(tmp, "boto3-calls.py")
    with open(boto, "w") as f:
        f.write("import boto3\ns = boto3.session.Session()\n"
                "s.client('sts').get_caller_identity()\ns.client('iam').get_role(RoleName='etl')\n")
    curl = write_script(os.path.join(tmp, "curl-floor"), "".join(
        f"curl --noproxy '*' -sS --fail --max-time 10 -o /dev/null --aws-sigv4 "
        f"'aws:amz:us-east-1:{svc}' --user \"$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY\" "
        f"-H \"x-amz-security-token: $AWS_SESSION_TOKEN\" \"$AWS_ENDPOINT_URL/\" -d '{body}'\n"
        for svc, body in [("sts", "Action=GetCallerIdentity&Version=2011-06-15"),
                          ("iam", "Action=GetRole&RoleName=etl&Version=2010-05-08")]))
    for cmd in (cli, f"{VENV}/bin/python {boto}", curl):
        verify(cmd, env)
    note("live check vs AWS CLI, boto3 and curl")
    r["live"] = hyperfine([("expiry-doctor check (STS, IAM, NTP)", check),
                           ("AWS CLI v1: get-caller-identity + get-role", cli),
                           ("boto3: both calls in one process", f"{VENV}/bin/python {boto}"),
                           ("curl --aws-sigv4: the two requests (floor)", curl)],
                          env, runs=min(runs, 10) if not quick else runs, warmup=warmup)
    r["live"]["expiry-doctor check (STS, IAM, NTP)"]["rss_kb"] = peak_rss_kb(check, env)

    # 2. Offline check vs aws configure.
    offline = f"{bin_} check --offline --expected-runtime 6h --output json"
    verify(offline, env, want=lambda o: json.loads(o)["verdict"] == "pass")
    configure_list = f"{aws} configure list"
    verify(configure_list, env)
    export = subprocess.run([aws, "configure", "export-credentials"], env=env,
                            capture_output=True, text=True)
    r["export_credentials"] = export.returncode == 0
    # The shell prompt's word: the same local facts, printed as one word (issue 20: ≤ 5 ms).
    prompt = f"{bin_} prompt"
    verify(prompt, env, want=lambda o: o.strip() != "")
    offline_cmds = [("expiry-doctor check --offline", offline),
                    ("expiry-doctor prompt", prompt),
                    ("aws configure list", configure_list)]
    if r["export_credentials"]:
        offline_cmds.append(("aws configure export-credentials", f"{aws} configure export-credentials"))
    note("offline check vs aws configure")
    r["offline"] = hyperfine(offline_cmds, env, runs=max(runs, 10) * (1 if quick else 5), warmup=warmup * 3)
    r["offline"]["expiry-doctor check --offline"]["rss_kb"] = peak_rss_kb(offline, env)

    # 3. Triage vs grep on a generated log, plain and gzip.
    patterns = triage_patterns()
    pat_file = os.path.join(tmp, "patterns.txt")
    with open(pat_file, "w") as f:
        f.write("\n".join(patterns) + "\n")
    plain, gz = logs(log_mib)
    size = os.path.getsize(plain)
    triage = f"{bin_} triage --log {plain} --output json"
    triage_gz = f"{bin_} triage --log {gz} --output json"
    classified = set()
    for cmd in (triage, triage_gz):
        out = verify(cmd, env, ok_codes=(1,), want=lambda o: json.loads(o)["diagnosis"]["cause"] == "token-expiry")
        classified.add(sum(json.loads(out)["class_counts"].values()))
    # grep -F -i: the classifier's literals as fixed strings, any case (one automaton, as
    # triage's prefilter). It must find exactly the lines triage classifies, or the two did
    # not do the same work.
    grep = f"grep -c -F -i -f {pat_file} {plain}"
    matched = int(verify(grep, env).strip())
    if classified != {matched}:
        die(f"triage classified {sorted(classified)} lines, grep -F -i found {matched}")
    zgrep = write_script(os.path.join(tmp, "zcat-grep"), f"zcat {gz} | grep -c -F -i -f {pat_file}\n")
    note(f"triage vs grep on {log_mib} MiB")
    r["triage"] = hyperfine([("expiry-doctor triage (plain)", triage),
                             (GREP_ROW, grep)],
                            env, runs=slow_runs, warmup=1)
    r["triage_gz"] = hyperfine([("expiry-doctor triage (.gz)", triage_gz),
                                ("zcat, then grep -c -F -i (floor)", zgrep)],
                               env, runs=slow_runs, warmup=1)
    r["triage"]["expiry-doctor triage (plain)"]["rss_kb"] = peak_rss_kb(triage, env, times=1)
    r["triage_gz"]["expiry-doctor triage (.gz)"]["rss_kb"] = peak_rss_kb(triage_gz, env, times=1)
    r["triage"][GREP_ROW]["rss_kb"] = peak_rss_kb(grep, env, times=1)
    r["log"] = {"bytes": size, "gz_bytes": os.path.getsize(gz), "patterns": len(patterns),
                "grep_matches": matched}

    # 4. Fleet: N role profiles, each through a source profile, each its own role.
    fhome = os.path.join(tmp, "fleet-home")
    os.makedirs(os.path.join(fhome, ".aws"))
    iam.create_user(UserName="auditor")
    ak = iam.create_access_key(UserName="auditor")["AccessKey"]
    lines = ["[profile base]", f"aws_access_key_id = {ak['AccessKeyId']}",
             f"aws_secret_access_key = {ak['SecretAccessKey']}"]
    for i in range(fleet_n):
        iam.create_role(RoleName=f"fleet-{i:04d}", AssumeRolePolicyDocument=TRUST,
                        MaxSessionDuration=43200)
        lines += ["", f"[profile p{i:04d}]", f"role_arn = arn:aws:iam::{ACCOUNT}:role/fleet-{i:04d}",
                  "source_profile = base", "region = us-east-1"]
    with open(os.path.join(fhome, ".aws", "config"), "w") as f:
        f.write("\n".join(lines) + "\n")
    fenv = dict(base_env, HOME=fhome)
    fleet = f"{bin_} check --all-profiles --expected-runtime 6h --ntp-server {ntp} --output json"
    single = f"{bin_} check --profile p0000 --expected-runtime 6h --ntp-server {ntp} --output json"

    def fleet_pass(out):
        reps = json.loads(out)
        return len(reps) == fleet_n + 1 and all(x["verdict"] == "pass" for x in reps)
    verify(fleet, fenv, want=fleet_pass)
    verify(single, fenv, want=live_pass)
    seq = write_script(os.path.join(tmp, "sequential"),
                       f"for p in base $(seq -f 'p%04g' 0 {fleet_n - 1}); do\n"
                       f"  {bin_} check --profile \"$p\" --expected-runtime 6h --ntp-server {ntp} --output json >/dev/null\n"
                       "done\n")
    # The server's own floor: the same 3N requests (AssumeRole, GetCallerIdentity, GetRole per
    # profile) fired by curl with the same parallelism, nothing computed.
    cfg = os.path.join(tmp, "floor.curl")
    with open(cfg, "w") as f:
        entries = []
        for i in range(fleet_n):
            for svc, body in [("sts", f"Action=AssumeRole&RoleArn=arn:aws:iam::{ACCOUNT}:role/fleet-{i:04d}&RoleSessionName=audit&Version=2011-06-15"),
                              ("sts", "Action=GetCallerIdentity&Version=2011-06-15"),
                              ("iam", f"Action=GetRole&RoleName=fleet-{i:04d}&Version=2010-05-08")]:
                entries.append(f'url = "{url}/"\naws-sigv4 = "aws:amz:us-east-1:{svc}"\n'
                               f'user = "{ak["AccessKeyId"]}:{ak["SecretAccessKey"]}"\n'
                               f'data = "{body}"\noutput = "/dev/null"\nfail\n')
        f.write("next\n".join(entries))
    floor = write_script(os.path.join(tmp, "fleet-floor"),
                         f"curl --noproxy '*' -sS --parallel --parallel-max 8 -K {cfg}\n")
    verify(floor, fenv)
    note(f"fleet: {fleet_n} profiles")
    r["fleet"] = hyperfine([("check --all-profiles", fleet),
                            ("check --profile (one profile)", single),
                            (f"server floor: {3 * fleet_n} requests by curl --parallel-max 8", floor)],
                           fenv, runs=slow_runs, warmup=1)
    r["fleet_seq"] = hyperfine([(f"the same, {fleet_n + 1} checks one after another", seq)],
                               fenv, runs=1 if not quick else 1, warmup=0)
    r["fleet"]["check --all-profiles"]["rss_kb"] = peak_rss_kb(fleet, fenv, times=1)
    r["fleet"]["check --profile (one profile)"]["rss_kb"] = peak_rss_kb(single, fenv)

    # 4b. Fleet scaling, offline: the config is parsed once and every profile resolved from
    # that one parse, so the cost per profile must not grow with the fleet.
    scale = {}
    for n in (1000, 10000):
        shome = os.path.join(tmp, f"scale-{n}")
        fleet_config(shome, n)
        cmd = f"{bin_} check --all-profiles --offline --expected-runtime 6h --output json"
        senv = dict(base_env, HOME=shome)
        verify(cmd, senv, ok_codes=(1,), want=lambda out, n=n: scaled_as_expected(out, n))
        scale[n] = (cmd, senv)
    note("fleet scaling: 1,000 and 10,000 profiles offline")
    r["scaling"] = {}
    for n, (cmd, senv) in scale.items():
        r["scaling"].update(hyperfine([(f"check --all-profiles --offline: {n:,} profiles", cmd)],
                                      senv, runs=slow_runs, warmup=1))
        r["scaling"][f"check --all-profiles --offline: {n:,} profiles"]["rss_kb"] = \
            peak_rss_kb(cmd, senv, times=1)
        r["scaling"][f"check --all-profiles --offline: {n:,} profiles"]["profiles"] = n + 1

    # 5. exec: what wrapping a job costs (the gate, then nothing while it runs).
    exec_true = f"{bin_} exec --offline --quiet --expected-runtime 10m -- true"
    verify(exec_true, env)
    note("exec: overhead and the watch's CPU")
    r["exec"] = hyperfine([("exec --offline -- true", exec_true), ("true", "true")],
                          env, runs=max(runs, 10), warmup=warmup)
    watch_secs = 3 if quick else 10
    watched = (f"{bin_} exec --offline --quiet --expected-runtime 10m --watch-interval 1s "
               f"-- sleep {watch_secs}")
    t = subprocess.run([GNU_TIME, "-f", "%U %S %e %M", "--"] + watched.split(), env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    user, sys_, wall, rss = t.stderr.strip().splitlines()[-1].split()
    r["exec_watch"] = {"seconds": watch_secs, "cpu": float(user) + float(sys_),
                       "wall": float(wall), "rss_kb": int(rss), "command": watched}

    # 6. Binary size and start-up.
    r["binary_bytes"] = os.path.getsize(bin_)
    r["startup"] = hyperfine([("expiry-doctor --version", f"{bin_} --version")], env,
                             runs=max(runs, 10) * (1 if quick else 5), warmup=warmup * 3)
    r["versions"] = versions(bin_, env)
    return r


def fleet_config(home, n):
    """n profiles for the offline scaling run, a third each: SSO through one sso-session (no
    token cached, so they fail), role profiles through a source profile, static keys."""
    os.makedirs(os.path.join(home, ".aws"), exist_ok=True)
    cfg = ["[sso-session corp]", "sso_start_url = https://corp.awsapps.com/start",
           "sso_region = us-east-1", ""]
    creds = ["[base]", "aws_access_key_id = AKIAEXAMPLEKEYIDWXYZ", "aws_secret_access_key = x", ""]
    for i in range(n):
        if i % 3 == 0:
            cfg += [f"[profile sso{i:05d}]", "sso_session = corp",
                    f"sso_account_id = {100000000000 + i}", "sso_role_name = Admin",
                    "region = us-east-1", ""]
        elif i % 3 == 1:
            cfg += [f"[profile role{i:05d}]", f"role_arn = arn:aws:iam::{ACCOUNT}:role/r{i}",
                    "source_profile = base", ""]
        else:
            creds += [f"[keys{i:05d}]", "aws_access_key_id = AKIAEXAMPLEKEYIDWXYZ",
                      "aws_secret_access_key = y", ""]
    with open(os.path.join(home, ".aws", "config"), "w") as f:
        f.write("\n".join(cfg))
    with open(os.path.join(home, ".aws", "credentials"), "w") as f:
        f.write("\n".join(creds))


def scaled_as_expected(out, n):
    """One report per profile, each judged: the SSO profiles fail (no token), the rest pass."""
    reps = json.loads(out)
    return len(reps) == n + 1 and all(
        (x["verdict"] == "fail") == x["credentials"]["profile"].startswith("sso") for x in reps)


GREP_ROW = "grep -c -F -i, the same patterns (floor)"


def triage_patterns():
    """Every literal triage's classifier matches, as the classifier itself lists them
    (`Classifier::anchors`), exported to scripts/bench-patterns.txt by a test that fails when
    the file is out of date: grep looks for exactly what triage looks for."""
    with open(os.path.join(REPO, "scripts", "bench-patterns.txt")) as f:
        pats = [line.rstrip("\n") for line in f if line.strip() and not line.startswith("# ")]
    if len(pats) < 20:
        die("scripts/bench-patterns.txt holds too few patterns")
    return pats


def logs(mib):
    """A generated log of `mib` MiB and its gzip, cached in .deps/bench/logs (same size and
    generator: same bytes; gen-log is seeded)."""
    gen = os.path.join(REPO, "scripts", "gen-log")
    with open(gen, "rb") as f:
        want = hashlib.sha256(f.read()).hexdigest()
    plain = os.path.join(LOGS, f"job-{mib}MiB.log")
    gz = plain + ".gz"
    stamp = plain + ".gen-log-sha256"
    if not (os.path.exists(gz) and os.path.exists(stamp) and open(stamp).read() == want):
        note(f"generating a {mib} MiB log (once; cached in {LOGS})")
        subprocess.run([sys.executable, gen, str(mib), plain], check=True, stdout=subprocess.DEVNULL)
        with open(gz, "wb") as f:
            subprocess.run(["gzip", "-6", "-c", plain], check=True, stdout=f)
        with open(stamp, "w") as f:
            f.write(want)
    return plain, gz


def first_line(cmd, env):
    try:
        r = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=30)
        return (r.stdout or r.stderr).strip().splitlines()[0]
    except (OSError, IndexError, subprocess.TimeoutExpired):
        return "unknown"


def versions(bin_, env):
    py = f"{VENV}/bin/python"
    moto_py = os.environ["EXPIRY_DOCTOR_PYTHON"]
    return {
        "expiry-doctor": first_line([bin_, "--version"], env),
        "hyperfine": first_line([HYPERFINE, "--version"], env),
        "Debian packages": os.environ.get("BENCH_DEB_VERSIONS", ""),
        "AWS CLI": first_line([f"{VENV}/bin/aws", "--version"], env),
        "boto3": first_line([py, "-c", "import boto3, botocore; print('boto3', boto3.__version__, 'botocore', botocore.__version__)"], env),
        "moto": first_line([moto_py, "-c", "import moto; print('moto', moto.__version__)"], env),
        "chronyd": first_line([os.environ["EXPIRY_DOCTOR_CHRONYD"], "-v"], env),
        "curl": first_line(["curl", "--version"], env),
        "grep": first_line(["grep", "--version"], env),
    }


def machine():
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
        with open("/proc/meminfo") as f:
            mem = int(f.readline().split()[1]) / 1024 / 1024
    except OSError:
        mem = 0
    osname = "unknown"
    try:
        with open("/etc/os-release") as f:
            osname = dict(l.rstrip().split("=", 1) for l in f if "=" in l).get("PRETTY_NAME", "").strip('"')
    except OSError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "memory": f"{mem:.0f} GiB",
            "kernel": platform.release(), "os": osname}


# --- the report -----------------------------------------------------------------------------

def ms(s):
    return f"{s * 1000:.1f} ms" if s < 10 else f"{s:.2f} s"


def cpu_words(seconds):
    """GNU time counts CPU in hundredths of a second."""
    return "under 10 ms (GNU time's resolution)" if seconds < 0.01 else f"{seconds * 1000:.0f} ms"


def mb(kb):
    return f"{kb / 1024:.1f} MiB"


def render(r, quick, bin_):
    live, off, tri, trg, fl, seq = (r["live"], r["offline"], r["triage"], r["triage_gz"],
                                    r["fleet"], r["fleet_seq"])
    L = list(live.values())
    ours, cli, boto, floor = L
    tri_ours, grep = list(tri.values())
    trg_ours, zgrep = list(trg.values())
    fleet, single, server_floor = list(fl.values())
    sc1k, sc10k = list(r["scaling"].values())
    per_profile = lambda s: s["median"] / s["profiles"]  # noqa: E731
    sequential = list(seq.values())[0]
    size = r["log"]["bytes"]
    mbps = lambda s: size / 1e6 / s  # noqa: E731
    rss = [ours["rss_kb"], off["expiry-doctor check --offline"]["rss_kb"],
           fleet["rss_kb"], single["rss_kb"]]
    targets = [
        ("Live check vs AWS CLI steps (median)", f"{cli['median'] / ours['median']:.0f}x faster", "≥ 15x",
         cli["median"] / ours["median"] >= 15),
        ("Live check vs the curl floor (median)", f"{ours['median'] / floor['median']:.2f}x the floor", "≤ 2x",
         ours["median"] / floor["median"] <= 2),
        ("Offline check (median)", ms(off["expiry-doctor check --offline"]["median"]), "≤ 5 ms",
         off["expiry-doctor check --offline"]["median"] <= 0.005),
        ("Shell prompt, `expiry-doctor prompt` (median)", ms(off["expiry-doctor prompt"]["median"]), "≤ 5 ms",
         off["expiry-doctor prompt"]["median"] <= 0.005),
        ("Peak RSS of every check run", mb(max(rss)), "≤ 25 MB", max(rss) * 1024 <= 25e6),
        ("Triage throughput, plain (median)", f"{mbps(tri_ours['median']):.0f} MB/s", "≥ 700 MB/s",
         mbps(tri_ours["median"]) >= 700),
        ("Triage vs grep -c -F -i (median)",
         f"{mbps(tri_ours['median']):.0f} vs {mbps(grep['median']):.0f} MB/s", "≤ 3x grep's time",
         tri_ours["median"] / grep["median"] <= 3),
        ("Triage peak RSS", mb(max(tri_ours["rss_kb"], trg_ours["rss_kb"])), "≤ 50 MB",
         max(tri_ours["rss_kb"], trg_ours["rss_kb"]) * 1024 <= 50e6),
        (f"--all-profiles ({r['fleet_n']} live profiles) vs the server floor",
         f"{fleet['median'] / server_floor['median']:.2f}x the floor", "≤ 1.2x",
         fleet["median"] / server_floor["median"] <= 1.2),
        ("--all-profiles --offline, 10,000 profiles (median)", f"{sc10k['median']:.2f} s", "≤ 1.5 s",
         sc10k["median"] <= 1.5),
        ("Cost per profile, 10,000 vs 1,000 (linear)", f"{per_profile(sc10k) / per_profile(sc1k):.2f}x",
         "≤ 1.5x", per_profile(sc10k) / per_profile(sc1k) <= 1.5),
        ("Binary size (release build)", f"{r['binary_bytes'] / 1e6:.1f} MB", "≤ 15 MB", r["binary_bytes"] <= 15e6),
    ]

    def table(rows, extra=None):
        head = "| command | min | median | max | runs | peak RSS |" + (f" {extra[0]} |" if extra else "")
        sep = "|---|---:|---:|---:|---:|---:|" + ("---:|" if extra else "")
        out = [head, sep]
        for name, s in rows.items():
            line = (f"| {name} | {ms(s['min'])} | {ms(s['median'])} | {ms(s['max'])} | {s['runs']} | "
                    f"{mb(s['rss_kb']) if 'rss_kb' in s else ''} |")
            if extra:
                line += f" {extra[1](s)} |"
            out.append(line)
        return "\n".join(out)

    def commands(*groups):
        lines = []
        for g in groups:
            for name, s in g.items():
                lines.append(f"- {name}: `{scrub(s['command'], bin_)}`")
        return "\n".join(lines)

    m = machine()
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    mode = ("quick mode (a few iterations, small inputs: the numbers are not the record)"
            if quick else "full run")
    rep = [
        f"Generated by `scripts/bench{' --quick' if quick else ''}` on {now}, {mode}, "
        f"in {r['elapsed']:.0f} s. Binary: `{scrub(bin_, bin_)}`.",
        "",
        "### Machine",
        "",
        f"- CPU: {m['cpu']}, {m['cores']} cores; memory {m['memory']}",
        f"- OS: {m['os']}, kernel {m['kernel']}",
        "",
        "### Versions",
        "",
        *[f"- {k}: {v}" for k, v in r["versions"].items()],
        "",
        "### Targets",
        "",
        "| target | measured | goal | met |",
        "|---|---:|---:|:---:|",
        *[f"| {n} | {v} | {g} | {'yes' if ok else '**no**'} |" for n, v, g, ok in targets],
        "",
        "### 1. Live check vs the manual steps",
        "",
        "Against moto on loopback; expiry-doctor also measures NTP (chronyd) and reads the AWS clock.",
        "",
        table(live, ("vs expiry-doctor", lambda s: f"{s['median'] / ours['median']:.1f}x")),
        "",
        "### 2. Offline check vs aws configure",
        "",
        table(off, ("vs expiry-doctor", lambda s: f"{s['median'] / off['expiry-doctor check --offline']['median']:.1f}x")),
        "",
        ("`aws configure export-credentials` ran too." if r["export_credentials"] else
         "`aws configure export-credentials` is not available in AWS CLI v1 (it is a v2 command), so it is not in the table."),
        f"Start-up, `expiry-doctor --version`: median {ms(list(r['startup'].values())[0]['median'])}.",
        "",
        f"### 3. Triage: {size / 2**20:.0f} MiB log ({r['log']['gz_bytes'] / 2**20:.0f} MiB gzipped), "
        f"{r['log']['patterns']} patterns, {r['log']['grep_matches']} matching lines",
        "",
        table(tri, ("MB/s", lambda s: f"{mbps(s['median']):.0f}")),
        "",
        table(trg, ("MB/s (uncompressed)", lambda s: f"{mbps(s['median']):.0f}")),
        "",
        f"### 4. Fleet: {r['fleet_n']} role profiles (+ their source profile), each its own role",
        "",
        table(fl, ("vs --all-profiles", lambda s: f"{s['median'] / fleet['median']:.2f}x")),
        "",
        table(seq, ("vs --all-profiles", lambda s: f"{s['median'] / fleet['median']:.1f}x")),
        "",
        "### 4b. Fleet scaling, offline (a third each: SSO, role through a source profile, static keys)",
        "",
        table(r["scaling"], ("per profile", lambda s: f"{per_profile(s) * 1e6:.0f} µs")),
        "",
        "### 5. exec",
        "",
        table(r["exec"]),
        "",
        (f"Watching a {r['exec_watch']['seconds']} s job with one observation a second "
         f"(gate included): {cpu_words(r['exec_watch']['cpu'])} of CPU in "
         f"{r['exec_watch']['wall']:.1f} s, peak RSS {mb(r['exec_watch']['rss_kb'])}. At the "
         "default interval (5 min) that is one credential resolution every 5 minutes."),
        "",
        "### 6. Binary",
        "",
        f"Release binary: {r['binary_bytes'] / 1e6:.2f} MB ({r['binary_bytes']} bytes).",
        "",
        "### Commands",
        "",
        "Ports are the run's own; `$BIN` is the measured binary; scripts are written by the bench.",
        "",
        commands(live, off, tri, trg, fl, seq, r["scaling"], r["exec"], r["startup"]),
        f"- exec watch CPU: `{scrub(r['exec_watch']['command'], bin_)}` under GNU time",
    ]
    tbl = ["", f"expiry-doctor benchmarks ({mode})", ""]
    w = max(len(t[0]) for t in targets)
    for n, v, g, ok in targets:
        verdict = "met" if ok else ("not met (quick mode: not enforced)" if quick else "MISSED")
        tbl.append(f"  {n:<{w}}  {v:>18}  goal {g:<9} {verdict}")
    return {"report": "\n".join(rep) + "\n", "table": "\n".join(tbl)}


def scrub(text, bin_):
    text = text.replace(bin_, "$BIN")
    text = re.sub(r"/tmp/expiry-doctor-bench\.[^/ ]+/", "", text)
    return text.replace(VENV + "/bin/", "").replace(LOGS + "/", "")


def write_report(path, body):
    block = f"{BEGIN}\n{body}{END}\n"
    if os.path.exists(path):
        with open(path) as f:
            text = f.read()
        if BEGIN in text and END in text:
            head, rest = text.split(BEGIN, 1)
            tail = rest.split(END, 1)[1].lstrip("\n")
            text = head + block + ("\n" + tail if tail else "")
        else:
            text = text.rstrip("\n") + "\n\n" + block
    else:
        text = "# Benchmarks\n\n" + block
    with open(path, "w") as f:
        f.write(text)


if __name__ == "__main__":
    main()
