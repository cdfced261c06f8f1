"""``python -m incidents`` entry point."""

import sys

from incidents.cli import main

sys.exit(main())
