"""Staff accounts for the console: ward staff, helpline staff and admins."""
