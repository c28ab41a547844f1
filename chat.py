"""Start the micro needling FAQ assistant: ``python chat.py --help``."""

import sys

from assistant.cli import main

if __name__ == "__main__":
    sys.exit(main())
