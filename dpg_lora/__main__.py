import sys

from dpg_lora.cli import main

sys.exit(main())
