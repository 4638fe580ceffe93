"""A stand-in trainer that leaves a daemon behind: fork, setsid(), fork again, the middle process
exits (the daemon is an orphan in its own session), the daemon starts a child of its own.
Every process appends "role pid" to --pidfile. Then it trains until stopped (or --finish)."""

import os
import signal
import sys
import time


def note(role: str) -> None:
    with open(sys.argv[sys.argv.index("--pidfile") + 1], "a", encoding="utf-8") as fh:
        fh.write(f"{role} {os.getpid()}\n")


def sleep_forever() -> None:
    while True:
        time.sleep(0.05)


def daemonize() -> None:
    if os.fork() > 0:
        return
    os.setsid()
    if os.fork() > 0:
        os._exit(0)  # the middle process goes: the daemon is re-parented
    if "--daemon-ignores-term" in sys.argv:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    if os.fork() == 0:
        note("daemon-child")
        sleep_forever()
    note("daemon")
    sleep_forever()


def main() -> int:
    daemonize()
    os.wait()  # the middle process
    pidfile = sys.argv[sys.argv.index("--pidfile") + 1]
    while not os.path.exists(pidfile) or open(pidfile, encoding="utf-8").read().count("daemon") < 2:
        time.sleep(0.01)
    note("trainer")
    print("READY", flush=True)
    if "--finish" in sys.argv:
        print("=========== End Training ===========", flush=True)
        return 0
    sleep_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
