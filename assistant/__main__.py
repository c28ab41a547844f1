"""``python -m assistant``: the same as ``python chat.py``."""

import sys

from .cli import main

sys.exit(main(prog="python -m assistant"))
