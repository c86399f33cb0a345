"""``python -m whereabouts``: the command line."""

import sys

from whereabouts.cli import main

sys.exit(main())
