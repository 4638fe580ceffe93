"""Running commands on a host through the system OpenSSH client, one multiplexed connection per host.

The ssh program brings the user's config, keys, agent, ProxyJump and known hosts; we never see a
password (BatchMode=yes: a host that wants one fails at once instead of prompting). Every remote
command is an argv that we join with shlex.quote into the single string the remote shell runs, so
no field ever reaches a remote shell unquoted.

`LocalHost` runs the same argv on this machine without ssh, so detached local runs share the code.
"""
from __future__ import annotations

import os
import re
import shlex
import subprocess
import tempfile
from dataclasses import dataclass
from typing import Mapping, Sequence
from urllib.parse import unquote

CONNECT_TIMEOUT = 10  # seconds for the TCP connection and the key exchange
COMMAND_TIMEOUT = 60.0  # backstop for one short remote command
CONTROL_PERSIST = 120  # seconds an idle master connection stays up
SSH_UNREACHABLE = 255  # ssh's own exit code when it could not run the command at all


class SshError(Exception):
    """A host cannot be used; the message names the host and what failed."""


@dataclass(frozen=True)
class Destination:
    """`user@host`, `ssh://user@host:port` or an ssh config alias, as ssh will be given it."""

    text: str  # as the user wrote it
    target: str  # what follows `--` on the ssh command line: [user@]host or alias
    port: int | None = None

    @property
    def label(self) -> str:
        return self.text

    @property
    def hostname(self) -> str:
        """The host part, without user and port (an alias stays an alias)."""
        return self.target.rsplit("@", 1)[-1]


_BAD_CHARS = re.compile(r"[\s\x00-\x1f\x7f'\"`$;&|<>(){}\\]")


def parse_destination(text: str) -> Destination:
    """Check and split a host field. Raises SshError for anything ssh could misread as options."""
    raw = (text or "").strip()
    if not raw:
        raise SshError("empty host")
    port = None
    target = raw
    if raw.startswith("ssh://"):
        rest = raw[len("ssh://"):].rstrip("/")
        user, _, hostport = rest.rpartition("@")
        host = hostport
        if hostport.startswith("["):  # ssh://[::1]:2222
            end = hostport.find("]")
            host, tail = hostport[1:end], hostport[end + 1:]
            if tail.startswith(":"):
                port = _port(tail[1:], raw)
        elif hostport.count(":") == 1:
            host, port_text = hostport.split(":")
            port = _port(port_text, raw)
        target = f"{unquote(user)}@{host}" if user else host
    if target.startswith("-") or _BAD_CHARS.search(target) or target.endswith("@") or not target:
        raise SshError(f"host {raw!r}: not an ssh destination (user@host, ssh://user@host:port "
                       "or an alias from your ssh config)")
    return Destination(raw, target, port)


def _port(text: str, raw: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise SshError(f"host {raw!r}: bad port {text!r}")
    return int(text)


def split_hosts(text: str) -> list[str]:
    """The Script Loader's host field: one destination, or several separated by commas/spaces."""
    return [h for h in re.split(r"[,\s]+", text or "") if h]


def remote_command(argv: Sequence[str]) -> str:
    """The one string the remote login shell runs: each argument quoted for a POSIX shell."""
    return " ".join(shlex.quote(str(a)) for a in argv)


def sh_argv(script: str, *args: str) -> list[str]:
    """`sh -c SCRIPT sh ARGS...`: the script and its arguments travel as separate quoted words."""
    return ["sh", "-c", script, "sh", *[str(a) for a in args]]


@dataclass(frozen=True)
class SshSettings:
    program: str = "ssh"
    config_file: str | None = None
    control_dir: str | None = None
    connect_timeout: int = CONNECT_TIMEOUT

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "SshSettings":
        env = os.environ if env is None else env
        return cls(program=env.get("DPG_LORA_SSH") or "ssh",
                   config_file=env.get("DPG_LORA_SSH_CONFIG") or None,
                   control_dir=env.get("DPG_LORA_SSH_CONTROL_DIR") or None)


def control_dir(settings: SshSettings) -> str:
    """A private folder for the control sockets, short enough for a unix socket path (~108 bytes)."""
    folder = settings.control_dir or os.path.join(tempfile.gettempdir(), f"dpg-lora-ssh-{os.getuid()}")
    os.makedirs(folder, mode=0o700, exist_ok=True)
    if os.stat(folder).st_uid != os.getuid():
        raise SshError(f"control socket folder {folder} belongs to another user")
    os.chmod(folder, 0o700)
    return folder


class Host:
    """Commands on one ssh destination. Thread-safe: each call is its own ssh client process,
    multiplexed over the host's master connection (started by the first call)."""

    is_local = False

    def __init__(self, destination: str | Destination, settings: SshSettings | None = None) -> None:
        self.dest = destination if isinstance(destination, Destination) else parse_destination(destination)
        self.settings = settings or SshSettings.from_env()

    @property
    def label(self) -> str:
        return self.dest.label

    def ssh_options(self) -> list[str]:
        s = self.settings
        opts: list[str] = []
        if s.config_file:
            opts += ["-F", s.config_file]
        opts += ["-o", "BatchMode=yes", "-o", f"ConnectTimeout={s.connect_timeout}",
                 "-o", "ServerAliveInterval=5", "-o", "ServerAliveCountMax=3",
                 "-o", "ControlMaster=auto", "-o", f"ControlPath={control_dir(s)}/%C",
                 "-o", f"ControlPersist={CONTROL_PERSIST}"]
        if self.dest.port:
            opts += ["-p", str(self.dest.port)]
        return opts

    def argv(self, remote_argv: Sequence[str]) -> list[str]:
        """The local ssh command line that runs `remote_argv` on the host."""
        return [self.settings.program, *self.ssh_options(), "--", self.dest.target,
                remote_command(remote_argv)]

    def run(self, remote_argv: Sequence[str], *, input: bytes | None = None,
            timeout: float = COMMAND_TIMEOUT) -> subprocess.CompletedProcess:
        """Run and wait. Raises SshError when ssh itself fails (exit 255) or times out."""
        argv = self.argv(remote_argv)
        try:
            proc = subprocess.run(argv, input=input, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  stdin=None if input is not None else subprocess.DEVNULL,
                                  timeout=timeout)
        except FileNotFoundError:
            raise SshError(f"{self.label}: ssh program not found: {self.settings.program} "
                           "(set DPG_LORA_SSH)") from None
        except subprocess.TimeoutExpired:
            raise SshError(failure_text(self.label, "no_answer", seconds=f"{timeout:g}")) from None
        if proc.returncode == SSH_UNREACHABLE:
            raise SshError(explain_ssh_failure(self.label, proc.stderr))
        return proc

    def popen(self, remote_argv: Sequence[str], **kwargs) -> subprocess.Popen:
        return subprocess.Popen(self.argv(remote_argv), **kwargs)

    def resolved_hostname(self) -> str:
        """The address ssh connects to (`ssh -G`: an alias's HostName), for --main_process_ip."""
        argv = [self.settings.program] + (["-F", self.settings.config_file] if self.settings.config_file
                                          else []) + ["-G", "--", self.dest.target]
        try:
            out = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                 stdin=subprocess.DEVNULL, timeout=10, text=True).stdout
        except (OSError, subprocess.TimeoutExpired):
            out = ""
        for line in out.splitlines():
            key, _, value = line.partition(" ")
            if key == "hostname" and value:
                return value.strip()
        return self.dest.hostname

    def close(self) -> None:
        """End the master connection (a no-op when there is none)."""
        argv = [self.settings.program, *self.ssh_options(), "-O", "exit", "--", self.dest.target]
        try:
            subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           stdin=subprocess.DEVNULL, timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            pass


class LocalHost:
    """The same interface as `Host`, running argv on this machine (no shell, no ssh)."""

    is_local = True
    label = "this machine"

    def run(self, remote_argv: Sequence[str], *, input: bytes | None = None,
            timeout: float = COMMAND_TIMEOUT) -> subprocess.CompletedProcess:
        try:
            return subprocess.run(list(remote_argv), input=input, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE,
                                  stdin=None if input is not None else subprocess.DEVNULL,
                                  timeout=timeout)
        except subprocess.TimeoutExpired:
            raise SshError(failure_text(self.label, "not_finished", seconds=f"{timeout:g}")) from None

    def popen(self, remote_argv: Sequence[str], **kwargs) -> subprocess.Popen:
        return subprocess.Popen(list(remote_argv), **kwargs)

    def resolved_hostname(self) -> str:
        return "127.0.0.1"

    def close(self) -> None:
        pass


def make_host(text: str, settings: SshSettings | None = None) -> Host | LocalHost:
    return LocalHost() if not (text or "").strip() else Host(text, settings)


# What ssh's stderr says -> (code, what it means in English); the editor says the meaning in its
# own language from the code (`failure_parts`, the `fixes.ssh.<code>` catalogue texts).
_FAILURES = (
    ("Permission denied", "key_refused", "the key was refused (Permission denied); check the user and that "
                                         "your public key is in the host's authorized_keys"),
    ("Host key verification failed", "host_key", "host key verification failed (unknown or changed host key; "
                                                 "connect once with ssh to accept it)"),
    ("Could not resolve hostname", "no_such_host", "the host name does not resolve"),
    ("Connection refused", "refused", "the connection was refused (no ssh server on that port?)"),
    ("timed out", "timed_out", "the connection timed out (host down or unreachable)"),
    ("No route to host", "no_route", "no route to host"),
    ("Network is unreachable", "no_network", "the network is unreachable"),
    ("Connection closed", "closed", "the connection was closed by the host"),
)
# Failures with a value in them: code -> the English after "<host>: ", with {said} or {seconds}.
_FILLED = {"no_answer": "no answer within {seconds} s", "not_finished": "command did not finish within {seconds} s",
           "failed": "ssh failed: {said}"}
NO_MESSAGE = "no message (exit 255)"


def failure_text(label: str, code: str, **values: str) -> str:
    """The English sentence of a failure `code` on host `label` (SshError's message)."""
    meaning = next((m for _, c, m in _FAILURES if c == code), None)
    return f"{label}: {meaning if meaning is not None else _FILLED[code].format(**values)}"


def failure_parts(message: str) -> tuple[str, str, dict[str, str]] | None:
    """(host, code, values) of a message `failure_text` made, else None (another error's words,
    or several joined)."""
    for _, code, meaning in _FAILURES:
        if message.endswith(": " + meaning) and _one_host(message[: -len(meaning) - 2]):
            return message[: -len(meaning) - 2], code, {}
    for code, template in _FILLED.items():
        head, _, tail = template.partition("{")
        name, _, rest = tail.partition("}")
        at = message.find(": " + head)
        if at > 0 and message.endswith(rest) and _one_host(message[:at]):
            value = message[at + 2 + len(head): len(message) - len(rest) if rest else None]
            if value:
                return message[:at], code, {name: value}
    return None


def _one_host(label: str) -> bool:
    return bool(label) and ": " not in label and "; " not in label


def explain_ssh_failure(label: str, stderr: bytes | str) -> str:
    text = stderr.decode("utf-8", "replace") if isinstance(stderr, bytes) else stderr
    for needle, code, _meaning in _FAILURES:
        if needle in text:
            return failure_text(label, code)
    last = [line for line in text.strip().splitlines() if line.strip()]
    return failure_text(label, "failed", said=last[-1] if last else NO_MESSAGE)
