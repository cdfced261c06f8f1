"""``python -m incidents`` entry point."""

import sys

from incidents.cli.main import main

sys.exit(main())
