import argparse
parser = argparse.ArgumentParser()
parser.add_argument("--lr", type=float, default=1e-4
parser.add_argument("--rank", type=int, default=4)
