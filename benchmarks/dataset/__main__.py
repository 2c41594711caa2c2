"""``python -m benchmarks.dataset``: run the command line."""

import sys

from benchmarks.dataset.cli import main

sys.exit(main())
