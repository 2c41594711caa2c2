"""``python -m benchmarks.load``: the load and fault run."""

from __future__ import annotations

import sys

from benchmarks.load.run import main

sys.exit(main())
