"""python -m bot.action_server [--host H] [--port P]: runs the actions for Rasa, and for nobody else.

In place of `python -m rasa_sdk`, whose server listens on every address (0.0.0.0) with no
authentication, lists every action at /actions, runs any action on a tracker the caller makes
up, answers a bad tracker with a 500 that echoes the request body, and inflates a
`Content-Encoding: deflate` body without a size limit. This one uses rasa_sdk's ActionExecutor
(the same actions, the same replies) and:

- listens on HOMEWARD_ACTION_HOST (127.0.0.1 unless set);
- runs an action only for a request carrying the action token (HOMEWARD_ACTION_TOKEN) in the
  `token` query parameter, which is how Rasa sends endpoints.yml's `action_endpoint: token`;
- reads at most MAX_BODY_BYTES, before and after inflating;
- answers errors with a fixed message: never the request, never a traceback.
"""

from __future__ import annotations

import argparse
import hmac
import json
import logging
import logging.config
import os
import zlib
from typing import Any

from aiohttp import web
from rasa_sdk import utils as sdk_utils
from rasa_sdk.executor import ActionExecutor
from rasa_sdk.interfaces import ActionExecutionRejection, ActionNotFoundException

from bot.privacy.logging import logging_config, withhold_warning_text
from bot.settings import Settings

MAX_BODY_BYTES = 4 * 1024 * 1024  # a long conversation's whole tracker is a few hundred KB
TOKEN_PARAM = "token"
EXECUTOR_KEY = web.AppKey("executor", ActionExecutor)
TOKEN_KEY = web.AppKey("token", bytes)
log = logging.getLogger(__name__)


class BodyTooLarge(ValueError):
    """The body, or what it inflates to, is over MAX_BODY_BYTES."""


def _error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


def inflate(data: bytes, limit: int = MAX_BODY_BYTES) -> bytes:
    """A zlib (`deflate`) body, inflated to at most ``limit`` bytes; BodyTooLarge beyond."""
    inflater = zlib.decompressobj()
    inflated = inflater.decompress(data, limit + 1)
    if len(inflated) > limit or inflater.unconsumed_tail:
        raise BodyTooLarge
    return inflated


async def _action_call(request: web.Request) -> Any:
    data = await request.read()  # at most client_max_size (MAX_BODY_BYTES), or aiohttp answers 413
    if request.headers.get("Content-Encoding", "").strip().lower() == "deflate":
        data = inflate(data)
    return json.loads(data)


async def webhook(request: web.Request) -> web.Response:
    given = request.query.get(TOKEN_PARAM, "").encode("utf-8")
    if not hmac.compare_digest(given, request.app[TOKEN_KEY]):
        return _error(401, "Missing or wrong token.")
    try:
        action_call = await _action_call(request)
    except BodyTooLarge:
        return _error(413, "The request is too large.")
    except (ValueError, zlib.error):  # not JSON, not UTF-8, or not deflate
        return _error(400, "The request is not a valid action call.")
    if not isinstance(action_call, dict) or not isinstance(action_call.get("tracker"), dict):
        return _error(400, "The request is not a valid action call.")
    sdk_utils.check_version_compatibility(action_call.get("version"))
    try:
        result = await request.app[EXECUTOR_KEY].run(action_call)
    except ActionExecutionRejection as rejection:  # a form rejected the slot: Rasa expects this 400
        return web.json_response({"error": rejection.message, "action_name": rejection.action_name}, status=400)
    except ActionNotFoundException:
        return _error(404, "No such action.")
    except Exception:  # the traceback goes to the (filtered) log; the caller learns nothing from it
        log.exception("An action failed")
        return _error(500, "The action failed.")
    return web.json_response(result)


async def health(_request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


def create_app(token: str, actions_package: str = "actions") -> web.Application:
    if not token:
        raise ValueError("The action server needs HOMEWARD_ACTION_TOKEN.")
    # auto_decompress off: aiohttp would inflate a deflate body whole, unbounded, before we see it.
    app = web.Application(client_max_size=MAX_BODY_BYTES, handler_args={"auto_decompress": False})
    executor = ActionExecutor()
    executor.register_package(actions_package)
    app[EXECUTOR_KEY] = executor
    app[TOKEN_KEY] = token.encode("utf-8")
    app.router.add_get("/health", health)
    app.router.add_post("/webhook", webhook)
    return app


def main() -> None:
    env = os.environ
    parser = argparse.ArgumentParser(prog="python -m bot.action_server", description="Homeward action server")
    parser.add_argument("--host", default=env.get("HOMEWARD_ACTION_HOST", Settings.action_host))
    parser.add_argument("--port", type=int, default=int(env.get("HOMEWARD_ACTION_PORT", Settings.action_port)))
    args = parser.parse_args()
    logging.config.dictConfig(logging_config())  # message text never reaches the log
    withhold_warning_text()
    token = env.get("HOMEWARD_ACTION_TOKEN", "").strip()
    if not token:
        raise SystemExit("Not starting: HOMEWARD_ACTION_TOKEN is not set (`python -m bot run` sets it).")
    web.run_app(create_app(token), host=args.host, port=args.port, access_log=None, print=lambda *_: None)


if __name__ == "__main__":
    main()
