from __future__ import annotations

from tests.waiting import wait_for  # noqa: F401 - the remote tests import it from here


def plan(server, *options: str, host: str = "rhost0") -> dict:
    return {"host": host, "cwd": str(server.trainer),
            "argv": [server.python, "train_fake.py", *options]}


# The graph's training script there: the fake trainer, with extra options from a file beside it
# (so a test can make it slow or fail without changing the graph).
SCRIPT_SHIM = r'''
import json, os, runpy, sys
here = os.path.dirname(os.path.abspath(__file__))
try:
    extra = json.load(open(os.path.join(here, "fake-options.json")))
except OSError:
    extra = []
sys.argv = [os.path.join(here, "train_fake.py"), *sys.argv[1:], *extra]
runpy.run_path(sys.argv[0], run_name="__main__")
'''
