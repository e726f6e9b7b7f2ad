"""Dialogue-level Rasa components (policies) that keep every conversation answerable."""
