"""A very small, escaping HTML templating for the console pages (no template dependency).

``render(template, **values)`` fills ``$name`` placeholders (string.Template) with values that are
HTML-escaped unless they are already ``Safe`` (the output of render/esc/join). So every value that
came from a person or a database is escaped exactly once, and building blocks nest safely.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from string import Template
from typing import Any

from aiohttp import web

CONSOLE_NAME = "Homeward staff console"
NOTHING = ""
STYLESHEET = "/static/vendor/nhsuk/console-nhsuk.css"


class Safe(str):
    """HTML that is already escaped or written by us. Adding text to it escapes the text."""

    def __add__(self, other: str) -> Safe:
        return Safe(str.__add__(self, esc(other)))

    def __radd__(self, other: str) -> Safe:
        return Safe(str.__add__(esc(other), self))


def esc(value: Any) -> Safe:
    if isinstance(value, Safe):
        return value
    return Safe(html.escape("" if value is None else str(value), quote=True))


def render(template: str, **values: Any) -> Safe:
    return Safe(Template(template).substitute({key: esc(value) for key, value in values.items()}))


def join(parts: Iterable[Any], separator: str = "\n") -> Safe:
    return Safe(separator.join(esc(part) for part in parts))


def attr_if(condition: bool, attribute: str) -> Safe:
    """``attribute`` (our own literal, e.g. 'checked') when ``condition``, else nothing."""
    return Safe(f" {attribute}" if condition else "")


def csrf_input(staff_or_token: Any) -> Safe:
    token = getattr(staff_or_token, "csrf_token", staff_or_token)
    return render('<input type="hidden" name="csrf_token" value="$token">', token=token)


# (path, label, roles that see it; None = everyone signed in)
NAVIGATION: list[tuple[str, str, tuple[str, ...] | None]] = [
    ("/console/directory", "Directory", None),
    ("/console/chat", "Staff chat", None),
    ("/console/audit", "Changes", ("admin",)),
]


def _navigation(staff: Any, current: str) -> Safe:
    items = []
    for path, label, roles in NAVIGATION:
        if roles is not None and not staff.has_role(roles):
            continue
        here = current == path or current.startswith(path + "/")
        items.append(
            render(
                '<li class="nhsuk-header__navigation-item$item_class">'
                '<a class="nhsuk-header__navigation-link" href="$path"$aria>$label</a></li>',
                item_class=Safe(" nhsuk-header__navigation-item--current" if here else ""),
                path=path,
                aria=Safe(' aria-current="page"' if current == path else (' aria-current="true"' if here else "")),
                label=Safe(f'<strong class="nhsuk-header__navigation-item-current-fallback">{esc(label)}</strong>')
                if here
                else label,
            )
        )
    return render(
        '<nav class="nhsuk-header__navigation" aria-label="Console">'
        '<div class="nhsuk-header__navigation-container nhsuk-width-container">'
        '<ul class="nhsuk-header__navigation-list">$items</ul></div></nav>',
        items=join(items, ""),
    )


def _account(staff: Any) -> Safe:
    return render(
        '<nav class="nhsuk-header__account" aria-label="Account"><ul class="nhsuk-header__account-list">'
        '<li class="nhsuk-header__account-item">$name ($role)</li>'
        '<li class="nhsuk-header__account-item">'
        '<form class="nhsuk-header__account-form" action="/console/sign-out" method="post">$csrf'
        '<button class="nhsuk-header__account-button">Sign out</button></form></li></ul></nav>',
        name=staff.display_name,
        role=staff.role_label,
        csrf=csrf_input(staff),
    )


PAGE = """<!doctype html>
<html lang="en-GB">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="robots" content="noindex, nofollow">
  <title>$title – $console</title>
  <link rel="icon" href="/static/vendor/nhsuk/assets/images/favicon.svg" type="image/svg+xml">
  <link rel="stylesheet" href="$stylesheet">
  <link rel="stylesheet" href="/console/static/console.css">
  $head
</head>
<body>
  <a class="nhsuk-skip-link" href="#maincontent">Skip to main content</a>
  <header class="nhsuk-header" role="banner">
    <div class="nhsuk-header__container nhsuk-width-container">
      <div class="nhsuk-header__service">
        <a class="nhsuk-header__service-name" href="/console">$console</a>
      </div>
      $account
    </div>
    $navigation
  </header>
  <div class="nhsuk-width-container">
    $before_main
    <main class="nhsuk-main-wrapper" id="maincontent">
$body
    </main>
  </div>
  <footer class="nhsuk-footer" role="contentinfo">
    <div class="nhsuk-width-container">
      <div class="nhsuk-footer__meta">
        <h2 class="nhsuk-u-visually-hidden">Support links</h2>
        <ul class="nhsuk-footer__list">
          <li class="nhsuk-footer__list-item">
            <a class="nhsuk-footer__list-item-link" href="/accessibility">Accessibility statement</a></li>
          <li class="nhsuk-footer__list-item"><a class="nhsuk-footer__list-item-link" href="/">Public chat</a></li>
        </ul>
      </div>
    </div>
  </footer>
</body>
</html>
"""


def page_html(title: str, body: Safe, staff: Any = None, current: str = "", before_main: str = NOTHING,
              head: str = NOTHING) -> Safe:
    return render(
        PAGE,
        title=title,
        console=CONSOLE_NAME,
        stylesheet=STYLESHEET,
        head=Safe(head),
        account=_account(staff) if staff else Safe(""),
        navigation=_navigation(staff, current) if staff else Safe(""),
        before_main=Safe(before_main),
        body=body,
    )


def console_page(
    request: web.Request,
    staff: Any,
    *,
    title: str,
    body: Safe,
    status: int = 200,
    before_main: Safe | str = NOTHING,
    head: Safe | str = NOTHING,
) -> web.Response:
    """A full console page. ``title`` is the page's own name (the browser tab adds the console's)."""
    response = web.Response(
        text=page_html(title, body, staff, request.path, before_main, head), status=status, content_type="text/html"
    )
    # Staff pages show what a signed-in person may see: never keep them in a shared cache or history.
    response.headers["Cache-Control"] = "no-store"
    return response


def error_summary(problems: list[tuple[str, str]]) -> Safe:
    """NHS.UK error summary; each problem is (field id to link to, message)."""
    if not problems:
        return Safe("")
    items = join(
        render('<li><a href="#$field">$message</a></li>', field=field, message=message) for field, message in problems
    )
    return render(
        '<div class="nhsuk-error-summary" aria-labelledby="error-summary-title" role="alert" tabindex="-1" autofocus>'
        '<h2 class="nhsuk-error-summary__title" id="error-summary-title">There is a problem</h2>'
        '<div class="nhsuk-error-summary__body"><ul class="nhsuk-list nhsuk-error-summary__list">$items</ul>'
        "</div></div>",
        items=items,
    )
