"""The SQLite store: tables and migrations, writes, merging, reads, analysts' edits, the dataset."""
