"""The aiohttp web gateway: serves the chat page and relays messages to Rasa's REST channel."""
