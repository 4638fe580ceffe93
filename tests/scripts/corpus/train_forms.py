"""A made-up trainer script for the argparse reader's tests: every form the reader must handle."""
import argparse
import os
import sys

BASE_RANK = 16
SCALE = 0.5
MODES = ["fast", "slow"]
USE_EXPERIMENTAL = False


def str2bool(v):
    if isinstance(v, bool):
        return v
    if v.lower() in ("yes", "true", "t", "y", "1"):
        return True
    if v.lower() in ("no", "false", "f", "n", "0"):
        return False
    raise argparse.ArgumentTypeError("Boolean value expected.")


def parse_args(input_args=None):
    parser = argparse.ArgumentParser(description="forms")
    parser.add_argument("--plain_int", type=int, default=3, help="An int, default %(default)s.")
    parser.add_argument("--plain_float", type=float, default=1e-4)
    parser.add_argument("--plain_str", type=str, default="out", help="100%% text")
    parser.add_argument("--negative", type=int, default=-1)
    parser.add_argument("--negative_float", type=float, default=-0.25)
    parser.add_argument("--rank", type=int, default=BASE_RANK * 2, help="rank (default: %(default)s)")
    parser.add_argument("--alpha", type=float, default=SCALE + 1)
    parser.add_argument("-l", "--learning-rate", type=float, default=2e-5)
    parser.add_argument("--out", dest="output_name", default="model")
    parser.add_argument("--flag_on", action="store_true")
    parser.add_argument("--flag_off", action="store_false", help="turns it off")
    parser.add_argument("--lambda_bool", type=lambda x: x.lower() in ("1", "true"), default=False)
    parser.add_argument("--helper_bool", type=str2bool, default="yes")
    parser.add_argument("--bool_type", type=bool, default=True)
    parser.add_argument("--mode", type=str, default=MODES[0] if False else "fast", choices=MODES)
    parser.add_argument("--string_int", type=int, default="8")
    parser.add_argument("--workers", type=int, default=os.cpu_count())
    parser.add_argument("--sizes", type=int, nargs="+", default=[512, 1024])
    parser.add_argument("--untyped", default=7)
    parser.add_argument("--optional_none")
    group = parser.add_argument_group("extras")
    group.add_argument("--grouped", type=int, default=5)
    for part in ("low", "high"):
        parser.add_argument(f"--{part}_weight", type=float, default=1.0, help=f"weight of the {part} band")
    if sys.platform == "win32":
        parser.add_argument("--workers_per_gpu", type=int, default=0)
    else:
        parser.add_argument("--workers_per_gpu", type=int, default=4)
    if USE_EXPERIMENTAL:
        parser.add_argument("--experimental", action="store_true")
    if os.environ.get("EXTRA"):
        parser.add_argument("--env_only", type=int, default=1)
    parser.add_argument("--toggle", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--reset_me", type=int, default=1)
    parser.set_defaults(reset_me=2)
    args = parser.parse_args(input_args)
    return args


def main(args):
    print(args.plain_int, args.rank, getattr(args, "flag_on"))
    config = {}
    for ds in config["dataset_configs"]:
        print(ds)


if __name__ == "__main__":
    main(parse_args())
