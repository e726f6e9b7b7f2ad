"""Settings that only the web gateway needs (embedding origins, feedback file), from the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from bot.web.rate_limit import RateLimit
from bot.web.security import host_name

REPO_ROOT = Path(__file__).resolve().parents[2]


class OriginError(ValueError):
    """A configured origin is not a plain http(s)://host[:port]."""


def parse_origin(value: str) -> str:
    """'https://www.Example.org/' -> 'https://www.example.org'. Paths, '*' and other schemes are refused."""
    text = value.strip().rstrip("/")
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path or parts.query or parts.fragment:
        raise OriginError(
            f"HOMEWARD_ALLOWED_ORIGINS: {value!r} is not an origin. Write each as scheme://host[:port], "
            "for example https://www.example.org, separated by commas."
        )
    if parts.username or parts.password:
        raise OriginError(f"HOMEWARD_ALLOWED_ORIGINS: {value!r} must not contain a user name or password.")
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{parts.hostname.lower()}{port}"


@dataclass(frozen=True)
class WebSettings:
    # Other sites whose pages may embed the chat widget (CORS on /api/* for these only).
    allowed_origins: frozenset[str] = field(default_factory=frozenset)
    # "Was this helpful?" answers, one JSON object a line, never with message text.
    feedback_path: Path = REPO_ROOT / "var" / "feedback.jsonl"
    # How long a reply is kept so a retried message (same client_message_id) is not processed twice.
    dedupe_seconds: float = 300.0
    # Issue 5: per-client limit on POST /api/*. None: no limit. from_env always sets one unless
    # HOMEWARD_RATE_LIMIT_PER_MINUTE=0, so the running gateway is limited; settings built in code
    # (tests that send many messages from one address) are not, unless they pass a RateLimit.
    rate_limit: RateLimit | None = None
    # Take the client's address from X-Forwarded-For: only behind a proxy you run (HOMEWARD_TRUST_PROXY=1).
    trust_proxy: bool = False
    # Host names people reach the gateway by, besides localhost and its listening address
    # (HOMEWARD_PUBLIC_HOSTS); a request naming any other Host is refused.
    public_hosts: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def from_env(cls) -> WebSettings:
        env = os.environ
        raw = env.get("HOMEWARD_ALLOWED_ORIGINS", "").replace(" ", ",")
        origins = frozenset(parse_origin(item) for item in raw.split(",") if item.strip())
        feedback = env.get("HOMEWARD_FEEDBACK_PATH")
        return cls(
            allowed_origins=origins,
            feedback_path=Path(feedback) if feedback else cls.feedback_path,
            rate_limit=rate_limit_from_env(env.get("HOMEWARD_RATE_LIMIT_PER_MINUTE")),
            trust_proxy=env.get("HOMEWARD_TRUST_PROXY", "").strip() == "1",
            public_hosts=frozenset(
                host_name(item) for item in env.get("HOMEWARD_PUBLIC_HOSTS", "").replace(" ", ",").split(",")
                if item.strip()
            ),
        )


def rate_limit_from_env(value: str | None) -> RateLimit | None:
    """HOMEWARD_RATE_LIMIT_PER_MINUTE: unset means 30 a minute; 0 turns the limit off."""
    text = (value or "").strip()
    if not text:
        return RateLimit()
    if not text.isdigit():
        raise ValueError(f"HOMEWARD_RATE_LIMIT_PER_MINUTE: {value!r} is not a whole number (0 turns the limit off).")
    per_minute = int(text)
    return RateLimit.for_per_minute(per_minute) if per_minute > 0 else None
