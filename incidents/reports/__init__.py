"""Reports in: the report model, file formats, reading files and folders, datelines."""
