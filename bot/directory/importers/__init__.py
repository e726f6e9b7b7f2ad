"""Readers of directory data (seed YAML, ORUK 3.0 JSON, CSV) and their shared checks."""
