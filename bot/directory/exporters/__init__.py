"""Writers of the directory in exchange formats."""
