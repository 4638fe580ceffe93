"""A real OpenSSH server on 127.0.0.1 for the remote-run tests and benchmarks.

It listens on two free high ports (two "hosts": aliases rhost0 and rhost1 in a client config
given through DPG_LORA_SSH_CONFIG), with generated host and user keys, its own sshd_config and a
separate test user created for the session (root only; the tests skip with the reason otherwise).
The user's trainer folder has a space, quotes, `$()` and non-ASCII characters in its path.
"""
from __future__ import annotations

import contextlib
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator


HERE = Path(__file__).resolve().parent
FAKE_TRAINER = HERE.parent / "runner" / "fake_trainer.py"
TRAINER_FOLDER_NAME = "T2I Trainer ü 'q' $(touch PWNED) \"d\""

# A stand-in for `python -m accelerate.commands.launch` (cwd is first on sys.path with -m): it
# records its arguments beside the script, then runs the script with the arguments after it.
FAKE_ACCELERATE = r'''
import json, os, runpy, sys
args = sys.argv[1:]
rank = args[args.index("--machine_rank") + 1] if "--machine_rank" in args else "0"
with open("accelerate-args-%s.json" % rank, "w") as fh:
    json.dump(args, fh)
i = 0
while args[i].startswith("--"):
    i += 1 if args[i] == "--multi_gpu" else 2
sys.argv = args[i:]
runpy.run_path(sys.argv[0], run_name="__main__")
'''


@dataclass
class SshServer:
    user: str
    home: Path
    trainer: Path  # the trainer folder, owned by the test user
    python: str  # an interpreter on the "remote" side
    config: Path  # client config (DPG_LORA_SSH_CONFIG)
    control_dir: Path
    ports: tuple[int, int]
    aliases: tuple[str, str] = ("rhost0", "rhost1")

    def user_processes(self) -> list[str]:
        """The test user's live processes other than sshd's own session processes (zombies are
        dead: in a container whose pid 1 does not reap, killed orphans stay listed as zombies)."""
        out = subprocess.run(["ps", "-u", self.user, "-o", "pid=,stat=,comm=,args="],
                             capture_output=True, text=True).stdout
        return [line for line in out.splitlines()
                if line.split()[2:3] != ["sshd"] and not line.split()[1].startswith("Z")]

    def as_user(self, *argv: str) -> subprocess.CompletedProcess:
        return subprocess.run(["setpriv", f"--reuid={self.user}", f"--regid={self.user}",
                               "--init-groups", *argv], capture_output=True, text=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_port(port: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"sshd did not listen on 127.0.0.1:{port}")


def why_not() -> str | None:
    if sys.platform != "linux":
        return "remote-run tests need Linux"
    if os.geteuid() != 0:
        return "remote-run tests create a test user for their own sshd: run them as root (CI does)"
    for tool in ("sshd", "ssh", "ssh-keygen", "useradd", "userdel", "setsid", "setpriv", "ps"):
        if not (shutil.which(tool) or shutil.which(tool, path="/usr/sbin:/sbin")):
            return f"{tool} not found (install openssh-server and openssh-client)"
    return None


@contextlib.contextmanager
def ssh_server() -> Iterator[SshServer]:
    """Start the server (caller checks `why_not()` first); environment set for the block."""
    base = Path(tempfile.mkdtemp(prefix="dpgl-"))  # short: control sockets live below it
    base.chmod(0o755)
    user = f"dpgl{secrets.token_hex(3)}"
    home = base / "home"
    secret = base / "secret"
    secret.mkdir(mode=0o700)
    served = base / "srv"
    served.mkdir()
    served.chmod(0o755)
    subprocess.run(["useradd", "-M", "-d", str(home), "-s", "/bin/sh", "-p", "*", user], check=True)
    proc = None
    try:
        home.mkdir()
        uid = pwd.getpwnam(user).pw_uid
        gid = pwd.getpwnam(user).pw_gid
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(served / "host_key")],
                       check=True)
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(secret / "id")], check=True)
        shutil.copy(secret / "id.pub", served / "authorized_keys")
        (served / "authorized_keys").chmod(0o644)
        ports = (_free_port(), _free_port())
        sshd_bin = shutil.which("sshd") or shutil.which("sshd", path="/usr/sbin:/sbin")
        (served / "sshd_config").write_text("\n".join([
            *(f"Port {p}" for p in ports), "ListenAddress 127.0.0.1",
            f"HostKey {served / 'host_key'}", f"PidFile {served / 'sshd.pid'}",
            f"AuthorizedKeysFile {served / 'authorized_keys'}", "StrictModes no", "UsePAM no",
            "PasswordAuthentication no", "KbdInteractiveAuthentication no", "PubkeyAuthentication yes",
            f"AllowUsers {user}", "PermitRootLogin no", "MaxSessions 64", "MaxStartups 64:30:128",
            "LogLevel ERROR", "",
        ]))
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # sshd's privilege separation folder
        proc = subprocess.Popen([sshd_bin, "-D", "-e", "-f", str(served / "sshd_config")],
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=open(base / "sshd.log", "wb"))
        for port in ports:
            _wait_port(port)
        host_pub = (served / "host_key.pub").read_text().split()
        (secret / "known_hosts").write_text(
            "".join(f"[127.0.0.1]:{p} {host_pub[0]} {host_pub[1]}\n" for p in ports))
        config = secret / "ssh_config"
        config.write_text("\n".join([
            "Host rhost0", "  HostName 127.0.0.1", f"  Port {ports[0]}",
            "Host rhost1", "  HostName 127.0.0.1", f"  Port {ports[1]}",
            "Host *", f"  User {user}", f"  IdentityFile {secret / 'id'}", "  IdentitiesOnly yes",
            "  StrictHostKeyChecking yes", f"  UserKnownHostsFile {secret / 'known_hosts'}",
            "  GlobalKnownHostsFile /dev/null", "  LogLevel ERROR", "",
        ]))
        trainer = home / TRAINER_FOLDER_NAME
        (trainer / "accelerate" / "commands").mkdir(parents=True)
        shutil.copy(FAKE_TRAINER, trainer / "train_fake.py")
        (trainer / "accelerate" / "__init__.py").write_text("")
        (trainer / "accelerate" / "commands" / "__init__.py").write_text("")
        (trainer / "accelerate" / "commands" / "launch.py").write_text(FAKE_ACCELERATE)
        for path in [home, *home.rglob("*")]:
            os.chown(path, uid, gid)
        python = shutil.which("python3", path="/usr/bin:/bin") or "python3"
        control = base / "c"
        server = SshServer(user, home, trainer, python, config, control, ports)
        saved = {k: os.environ.get(k) for k in ("DPG_LORA_SSH_CONFIG", "DPG_LORA_SSH_CONTROL_DIR")}
        os.environ["DPG_LORA_SSH_CONFIG"] = str(config)
        os.environ["DPG_LORA_SSH_CONTROL_DIR"] = str(control)
        try:
            yield server
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
            for alias in server.aliases:
                subprocess.run(["ssh", "-F", str(config), "-o", f"ControlPath={control}/%C",
                                "-O", "exit", alias], capture_output=True, timeout=10)
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        subprocess.run(["pkill", "-KILL", "-u", user], capture_output=True)
        subprocess.run(["userdel", "-f", user], capture_output=True)
        shutil.rmtree(base, ignore_errors=True)
