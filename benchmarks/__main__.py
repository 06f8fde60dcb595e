"""``python -m benchmarks [-k NAME]``: every benchmark, one table (see run.py and README.md)."""

import sys

from benchmarks.run import main

sys.exit(main())
