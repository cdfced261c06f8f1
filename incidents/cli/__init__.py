"""The command line: ``python -m incidents ...``."""
