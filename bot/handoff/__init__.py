"""Handing a web chat over to a helpline staff member, and back (issue 5).

The web gateway owns the state: a conversation in human mode (queued or active) is not
relayed to Rasa; the user's messages wait for staff, and staff replies wait for the widget.
See docs/handoff.md.
"""
