"""python -m bot.web [--host H] [--port P]: runs the web gateway."""

from __future__ import annotations

import argparse
import logging

from aiohttp import web

from bot.privacy.logging import install as keep_message_text_out_of_logs
from bot.settings import Settings
from bot.web.app import create_app
from bot.web.config import OriginError, WebSettings


def main() -> None:
    settings = Settings.from_env()
    parser = argparse.ArgumentParser(prog="python -m bot.web", description="Homeward web gateway")
    parser.add_argument("--host", default=settings.gateway_host)
    parser.add_argument("--port", type=int, default=settings.gateway_port)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    keep_message_text_out_of_logs()
    try:
        web_settings = WebSettings.from_env()
    except OriginError as error:
        raise SystemExit(str(error)) from None
    web.run_app(create_app(settings, web_settings), host=args.host, port=args.port, access_log=None)


if __name__ == "__main__":
    main()
