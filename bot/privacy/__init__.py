"""Privacy: redaction before storage, no message text in logs, retention, export and deletion."""
