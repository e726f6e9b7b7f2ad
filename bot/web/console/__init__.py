"""The staff console: sign-in, directory search and editing, and chat in staff mode.

Served by the web gateway on the same origin, under /console. See docs/console.md.
"""

from __future__ import annotations

from pathlib import Path

from aiohttp import web

from bot.web.console.config import ConsoleSettings

STATIC_DIR = Path(__file__).parent / "static"

__all__ = ["ConsoleSettings", "setup_console"]


def setup_console(app: web.Application, settings: ConsoleSettings | None = None) -> None:
    """Adds the console's routes to the gateway. ``settings`` None: from the environment, on first use."""
    # Imported here: the chat route reuses the gateway's relay, and bot.web.app imports this package.
    from bot.web.console.audit_page import add_audit_routes
    from bot.web.console.chat import add_chat_routes
    from bot.web.console.directory_pages import add_directory_routes
    from bot.web.console.edit_pages import add_edit_routes
    from bot.web.console.form_limit import console_form_limit
    from bot.web.console.signin import add_sign_in_routes
    from bot.web.console.state import CONSOLE_KEY, ConsoleHolder

    holder = ConsoleHolder(settings)
    app[CONSOLE_KEY] = holder

    async def close(_: web.Application) -> None:
        holder.close()

    app.on_cleanup.append(close)
    app.middlewares.append(console_form_limit)
    add_sign_in_routes(app)
    add_directory_routes(app)
    add_edit_routes(app)
    add_audit_routes(app)
    add_chat_routes(app)
    app.router.add_static("/console/static/", STATIC_DIR)
