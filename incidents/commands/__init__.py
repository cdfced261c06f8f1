"""Sub-command groups of the CLI; each module exposes ``add_parsers(subparsers)``."""
