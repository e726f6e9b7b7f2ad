"""Rasa custom actions: thin adapters between Rasa trackers and the application core in ``bot``."""
