"""The botocore oracle of the SDK differential tests (contract: oracle-protocol.md, next to this).

Usage:
  botocore_oracle.py [--endpoint-url-mode=transport|env] [--detail] SCENARIOS.json STUB_URL
                                 -> JSON array of outcomes on stdout
  botocore_oracle.py --version   -> "botocore X.Y.Z" (exit 1 when not the expected version)

Run it with the test venv's Python (.deps/venv/bin/python). For each scenario it asks the real
botocore which credentials a job would get: a fresh empty HOME, the scenario's files written
under it, os.environ replaced by the scenario's env (+ HOME and PATH=/usr/bin:/bin), a new
botocore.session.Session() (no profile argument), get_credentials(), then
get_frozen_credentials() to force deferred providers (their calls go to the loopback stub).

What this oracle does beyond the bare contract, so that each scenario behaves like a job's own
fresh process and nothing leaks between scenarios or to the network:

- The working directory of each scenario is its HOME (relative paths, e.g. a relative
  web_identity_token_file or AWS_CONFIG_FILE, resolve under HOME).
- A written file whose content starts with "#!" is made executable (0755), so that a scenario
  can use a script as credential_process.
- botocore computes the SSO token cache directory (~/.aws/sso/cache) once, at import, in two
  class attributes; they are recomputed for each scenario's HOME, as a fresh process would.
- A job has no terminal: botocore's MFA prompt (getpass, for a profile with mfa_serial) gets
  end of file, as getpass does with no tty and stdin at EOF: the outcome is EOFError. The
  oracle's stdin is /dev/null, which credential_process children inherit.
- time.tzset() after the environment is replaced, so TZ is the scenario's.
- Container credentials: botocore always sends AWS_CONTAINER_CREDENTIALS_RELATIVE_URI to
  http://169.254.170.2 (not configurable). Connections to the container hosts botocore allows
  (169.254.170.2, 169.254.170.23, fd00:ec2::23), port 80, are redirected to the stub; the
  request (path, headers) is unchanged. The container fetcher's 1 s sleep between its 3
  attempts is set to 0 (same outcome, faster).
- Any other connection to a non-loopback address (or a DNS lookup of any name other than
  localhost) aborts the scenario with error "NonLoopbackConnection".
- AWS_ENDPOINT_URL (--endpoint-url-mode). botocore does not only route by it: with an endpoint
  URL and no region, a signed STS call (AssumeRole) fails with NoRegionError where a job
  without it would use the global endpoint (signing region us-east-1); and an endpoint URL
  from the environment hides a profile's `services` reference (a missing [services x] section
  is InvalidConfigError only when the config is consulted). So by default ("transport") an
  AWS_ENDPOINT_URL equal to the stub URL is removed from the job's environment, botocore
  resolves its endpoints as in production, and every request botocore's clients send
  (STS, SSO, SSO-OIDC, sign-in) is redirected, unchanged but for scheme and host, to the stub
  by a `before-send` handler. "env" keeps AWS_ENDPOINT_URL as given (botocore talks to the
  stub by itself) and shows botocore's behaviour for a job that really sets it.
- Speed, with no effect on credentials: one botocore data Loader (the bundled service models
  only; a scenario's AWS_DATA_PATH and ~/.aws/models are not read) is shared by all sessions,
  and botocore.hooks' check that a handler accepts **kwargs is memoised.
- In messages, the scenario's HOME is written back as {HOME} and the stub URL as {STUB}, so
  outcomes are reproducible.
"""

import json
import logging
import os
import re
import shutil
import signal
import socket
import sys
import tempfile
import time
import warnings

EXPECTED_BOTOCORE = "1.44.18"
SCENARIO_TIMEOUT_SECONDS = 5.0

try:
    import botocore
    import botocore.credentials
    import botocore.exceptions
    import botocore.session
    import botocore.tokens
    import botocore.utils
except ImportError as e:  # the run cannot happen at all
    print(f"botocore_oracle: cannot import botocore: {e}", file=sys.stderr)
    sys.exit(3)

# botocore's provider METHOD names -> expiry-doctor's `Source` vocabulary (src/facts.rs).
# Every METHOD in botocore/credentials.py of 1.44.18 is listed.
SOURCE_OF_METHOD = {
    "env": "environment",
    "assume-role": "assume-role",
    "assume-role-with-web-identity": "web-identity",
    "sso": "sso",
    "shared-credentials-file": "shared-credentials",
    "config-file": "shared-credentials",
    "custom-process": "credential-process",
    "container-role": "container",
    "iam-role": "instance-metadata",
    "login": "login",
    # Legacy providers outside the vocabulary.
    "ec2-credentials-file": "other:ec2-credentials-file",
    "boto-config": "other:boto-config",
}

# Hosts botocore's ContainerMetadataFetcher accepts besides loopback (utils.py), redirected to
# the stub when asked on port 80.
CONTAINER_HOSTS = {"169.254.170.2", "169.254.170.23", "fd00:ec2::23"}


class ScenarioTimeout(BaseException):
    """Raised by the alarm; a BaseException so that botocore's `except Exception` cannot eat it."""


class NonLoopbackConnection(BaseException):
    """Raised when botocore tries to reach anything but the loopback stub."""


_state = {"loader": None, "stub_port": None, "stub": None, "violation": None, "mode": "transport"}
_real_getaddrinfo = socket.getaddrinfo
_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _is_loopback(host):
    import ipaddress

    if host is None:
        return False
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    host = host.strip("[]")
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


def _refuse(what):
    _state["violation"] = what
    raise NonLoopbackConnection(what)


def _guarded_getaddrinfo(host, port, family=0, type=0, proto=0, flags=0):
    h = host.decode("ascii", "replace") if isinstance(host, bytes) else host
    if h is not None and h.strip("[]") in CONTAINER_HOSTS and str(port) in ("80", "None"):
        return _real_getaddrinfo("127.0.0.1", _state["stub_port"], socket.AF_INET, type, proto,
                                 flags)
    if h is None or _is_loopback(h):
        return _real_getaddrinfo(host, port, family, type, proto, flags)
    _refuse(f"lookup of {h}:{port}")


def _check_address(address):
    if isinstance(address, tuple) and address and not _is_loopback(address[0]):
        _refuse(f"connection to {address[0]}:{address[1] if len(address) > 1 else ''}")


def _guarded_connect(self, address):
    _check_address(address)
    return _real_connect(self, address)


def _guarded_connect_ex(self, address):
    _check_address(address)
    return _real_connect_ex(self, address)


def _install_network_guard(stub_url):
    from urllib.parse import urlsplit

    parts = urlsplit(stub_url)
    if parts.scheme != "http" or not _is_loopback(parts.hostname) or parts.port is None:
        raise ValueError(f"the stub URL must be http://127.0.0.1:PORT, not {stub_url!r}")
    _state["stub_port"] = parts.port
    _state["stub"] = stub_url
    socket.getaddrinfo = _guarded_getaddrinfo
    socket.socket.connect = _guarded_connect
    socket.socket.connect_ex = _guarded_connect_ex
    # Same outcome, without botocore's 1 s sleeps between container attempts.
    botocore.utils.ContainerMetadataFetcher.SLEEP_TIME = 0


def _redirect_to_stub(request, **kwargs):
    """before-send: the request as botocore built it, sent to the stub instead."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(request.url)
    stub = urlsplit(_state["stub"])
    request.url = urlunsplit((stub.scheme, stub.netloc, parts.path or "/", parts.query, ""))
    request.headers["x-botocore-oracle-original-host"] = parts.netloc
    return None  # botocore then sends the (redirected) request itself


def _noninteractive_prompt(prompt=""):
    """What getpass.getpass does in a job without a terminal and with stdin at end of file."""
    raise EOFError()


def _install_noninteractive_prompt():
    import getpass

    getpass.getpass = _noninteractive_prompt
    init = botocore.credentials.AssumeRoleProvider.__init__
    defaults = list(init.__defaults__)
    # AssumeRoleProvider(..., prompter=getpass.getpass, ...) bound getpass at class creation.
    defaults[0] = _noninteractive_prompt
    init.__defaults__ = tuple(defaults)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)


def _install_speedups():
    import functools

    import botocore.hooks
    import botocore.loaders

    botocore.hooks.accepts_kwargs = functools.lru_cache(maxsize=None)(
        botocore.hooks.accepts_kwargs)
    # Every session's EventAliaser recomputes the same aliases (pure function of the name).
    shared_alias_cache = {}
    aliaser_init = botocore.hooks.EventAliaser.__init__

    def init(self, event_emitter, event_aliases=None):
        aliaser_init(self, event_emitter, event_aliases)
        if event_aliases is None:
            self._alias_name_cache = shared_alias_cache

    botocore.hooks.EventAliaser.__init__ = init
    loader_cls = botocore.loaders.Loader
    _state["loader"] = loader_cls(extra_search_paths=[loader_cls.BUILTIN_DATA_PATH],
                                  include_default_search_paths=False)


def _make_base_tmp():
    """The scenarios' HOMEs live here: /dev/shm when it is there and allows executing a
    script (much faster to create and remove), else the usual temporary directory (TMPDIR)."""
    import subprocess

    if "TMPDIR" not in os.environ and os.path.isdir("/dev/shm"):
        try:
            base = tempfile.mkdtemp(prefix="botocore-oracle-", dir="/dev/shm")
        except OSError:
            base = None
        if base is not None:
            probe = os.path.join(base, "probe")
            try:
                with open(probe, "w") as f:
                    f.write("#!/bin/sh\nexit 0\n")
                os.chmod(probe, 0o755)
                subprocess.run([probe], check=True, stdin=subprocess.DEVNULL)
                os.unlink(probe)
                return base
            except (OSError, subprocess.CalledProcessError):
                shutil.rmtree(base, ignore_errors=True)
    return tempfile.mkdtemp(prefix="botocore-oracle-")


def _on_alarm(signum, frame):
    raise ScenarioTimeout()


def _kill_own_children():
    """Kill processes this oracle started (a credential_process still running at the timeout)."""
    me = os.getpid()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if ppid == me:
            try:
                os.kill(int(entry), signal.SIGKILL)
                os.waitpid(int(entry), 0)
            except (OSError, ChildProcessError):
                pass


def _one_line(text, home, stub):
    text = str(text)
    if home:
        text = text.replace(home, "{HOME}")
    if stub:
        text = text.replace(stub, "{STUB}")
    text = re.sub(r"\s+", " ", text).strip()
    return text[:300]


def _substitute(value, home, stub):
    return value.replace("{HOME}", home).replace("{STUB}", stub)


def _prepare(scenario, home, stub):
    for rel, content in scenario.get("files", {}).items():
        path = os.path.join(home, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        content = _substitute(content, home, stub)
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(content)
        if content.startswith("#!"):
            os.chmod(path, 0o755)
    env = {k: _substitute(v, home, stub) for k, v in scenario.get("env", {}).items()}
    env["HOME"] = home
    env["PATH"] = "/usr/bin:/bin"
    if _state["mode"] == "transport" and env.get("AWS_ENDPOINT_URL") == stub:
        del env["AWS_ENDPOINT_URL"]
    os.environ.clear()
    os.environ.update(env)
    time.tzset()
    os.chdir(home)
    # botocore evaluates ~/.aws/sso/cache at import time (class attributes); a job's process
    # would have computed them from its own HOME.
    sso_cache = os.path.expanduser(os.path.join("~", ".aws", "sso", "cache"))
    botocore.credentials.SSOProvider._SSO_TOKEN_CACHE_DIR = sso_cache
    botocore.tokens.SSOTokenProvider._SSO_TOKEN_CACHE_DIR = sso_cache


def _resolve():
    session = botocore.session.Session()
    session.register_component("data_loader", _state["loader"])
    if _state["mode"] == "transport":
        session.register("before-send", _redirect_to_stub)
    creds = session.get_credentials()
    if creds is None:
        return None, "NoCredentialsError", "Unable to locate credentials"
    frozen = creds.get_frozen_credentials()
    if frozen is None:  # not expected; reported rather than guessed
        return None, "NoFrozenCredentials", "get_frozen_credentials() returned None"
    return creds, None, None


def run_scenario(scenario, stub, base_tmp, detail=False):
    sid = scenario["id"]
    home = tempfile.mkdtemp(prefix="h", dir=base_tmp)
    outcome = {"id": sid, "source": "none", "credentials": False, "error": None, "message": None}
    _state["violation"] = None
    creds = None
    signal.setitimer(signal.ITIMER_REAL, SCENARIO_TIMEOUT_SECONDS)
    try:
        try:
            _prepare(scenario, home, stub)
            creds, error, message = _resolve()
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        if creds is not None:
            outcome["credentials"] = True
            method = getattr(creds, "method", None)
            outcome["source"] = SOURCE_OF_METHOD.get(method, f"other:{method}")
        else:
            outcome["error"], outcome["message"] = error, message
    except ScenarioTimeout:
        _kill_own_children()
        outcome["error"] = "Timeout"
        outcome["message"] = f"resolution took more than {SCENARIO_TIMEOUT_SECONDS:g} s"
    except NonLoopbackConnection as e:
        outcome["error"] = "NonLoopbackConnection"
        outcome["message"] = _one_line(e, home, stub)
    except BaseException as e:  # noqa: BLE001 - one scenario's crash is its outcome
        if isinstance(e, KeyboardInterrupt):
            raise
        outcome["error"] = type(e).__name__
        outcome["message"] = _one_line(e, home, stub) or None
    if _state["violation"] is not None and outcome["error"] != "NonLoopbackConnection":
        # botocore may have wrapped (or swallowed) the refusal: the attempt is what counts.
        outcome.update(source="none", credentials=False, error="NonLoopbackConnection",
                       message=_one_line(_state["violation"], home, stub))
    if detail and outcome["credentials"]:
        try:
            frozen = creds.get_frozen_credentials()
            outcome["access_key"] = frozen.access_key
            expiry = getattr(creds, "_expiry_time", None)
            outcome["expiry"] = expiry.isoformat() if expiry is not None else None
        except BaseException as e:  # noqa: BLE001
            outcome["access_key"] = f"<{type(e).__name__}>"
    os.chdir(base_tmp)
    shutil.rmtree(home, ignore_errors=True)
    return outcome


def main(argv):
    if len(argv) >= 2 and argv[1] == "--version":
        print(f"botocore {botocore.__version__}")
        return 0 if botocore.__version__ == EXPECTED_BOTOCORE else 1
    detail = "--detail" in argv
    modes = [a.split("=", 1)[1] for a in argv[1:] if a.startswith("--endpoint-url-mode=")]
    args = [a for a in argv[1:] if not a.startswith("--")]
    if modes:
        _state["mode"] = modes[-1]
    if len(args) != 2 or _state["mode"] not in ("transport", "env"):
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    if botocore.__version__ != EXPECTED_BOTOCORE:
        print(f"botocore_oracle: botocore {botocore.__version__} found, "
              f"{EXPECTED_BOTOCORE} expected", file=sys.stderr)
        return 3
    scenarios_path, stub = args
    try:
        with open(scenarios_path, encoding="utf-8") as f:
            scenarios = json.load(f)
        if not isinstance(scenarios, list):
            raise ValueError("the scenarios file must hold a JSON array")
        for s in scenarios:
            if not isinstance(s, dict) or not isinstance(s.get("id"), str):
                raise ValueError(f"a scenario without a string id: {s!r:.200}")
            for key in ("env", "files"):
                value = s.get(key, {})
                if not isinstance(value, dict) or not all(
                        isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
                    raise ValueError(f"scenario {s['id']}: {key} must map strings to strings")
            for rel in s.get("files", {}):
                if os.path.isabs(rel) or ".." in rel.split("/") or not rel:
                    raise ValueError(f"scenario {s['id']}: bad file path {rel!r}")
        stub = stub.rstrip("/")
        _install_network_guard(stub)
    except (OSError, ValueError) as e:
        print(f"botocore_oracle: {e}", file=sys.stderr)
        return 2

    # No log output from botocore, no Python warnings (e.g. dateutil's UnknownTimezoneWarning):
    # stderr is for the oracle's own failures.
    logging.getLogger("botocore").addHandler(logging.NullHandler())
    logging.getLogger("botocore").propagate = False
    warnings.simplefilter("ignore")
    signal.signal(signal.SIGALRM, _on_alarm)
    _install_noninteractive_prompt()
    _install_speedups()
    if os.path.exists("/etc/boto.cfg"):
        print("botocore_oracle: warning: /etc/boto.cfg exists on this machine; botocore's "
              "BotoProvider reads it in every scenario", file=sys.stderr)

    saved_env = dict(os.environ)
    saved_cwd = os.getcwd()
    base_tmp = _make_base_tmp()
    outcomes = []
    try:
        for scenario in scenarios:
            outcomes.append(run_scenario(scenario, stub, base_tmp, detail))
    finally:
        os.environ.clear()
        os.environ.update(saved_env)
        os.chdir(saved_cwd)
        shutil.rmtree(base_tmp, ignore_errors=True)
    json.dump(outcomes, sys.stdout, indent=1)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
