"""Showing the audit trail: a service's history on its details page, and all recent changes for admins."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from bot.web.console.audit import AuditEntry, audit_entries
from bot.web.console.auth import require_staff
from bot.web.console.html import Safe, console_page, join, render
from bot.web.console.service_form import FIELD_LABELS
from bot.web.console.state import console_of

ACTION_LABELS = {"add": "Added", "edit": "Edited", "retire": "Retired"}
MAX_SHOWN_CHARS = 300


def _value(value: Any) -> str:
    if value in (None, "", []):
        return "(empty)"
    text = ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)
    return text if len(text) <= MAX_SHOWN_CHARS else text[: MAX_SHOWN_CHARS - 1] + "…"


def _changes(entry: AuditEntry) -> Safe:
    items = [
        render("<li>$field: $before → $after</li>", field=FIELD_LABELS.get(name, name),
               before=_value(values[0]), after=_value(values[1]))
        if entry.action != "add"
        else render("<li>$field: $after</li>", field=FIELD_LABELS.get(name, name), after=_value(values[1]))
        for name, values in entry.changes.items()
    ]
    return render('<ul class="nhsuk-list nhsuk-body-s">$items</ul>', items=join(items, "")) if items else Safe("—")


def audit_table(entries: list[AuditEntry], caption: str, with_service: bool) -> Safe:
    head = "<th scope=\"col\">Entry</th>" if with_service else ""
    rows = [
        render(
            '<tr class="nhsuk-table__row"><td class="nhsuk-table__cell">$when</td>'
            '<td class="nhsuk-table__cell">$who</td><td class="nhsuk-table__cell">$action</td>$service'
            '<td class="nhsuk-table__cell">$changes</td></tr>',
            when=entry.at.strftime("%-d %b %Y %H:%M UTC"),
            who=entry.username,
            action=ACTION_LABELS.get(entry.action, entry.action),
            service=render(
                '<td class="nhsuk-table__cell">'
                '<a class="nhsuk-link" href="/console/directory/services/$id">$id</a></td>',
                id=entry.service_id,
            ) if with_service else Safe(""),
            changes=_changes(entry),
        )
        for entry in entries
    ]
    return render(
        '<table class="nhsuk-table hw-audit"><caption class="nhsuk-table__caption">$caption</caption>'
        '<thead class="nhsuk-table__head"><tr class="nhsuk-table__row"><th scope="col">When</th>'
        '<th scope="col">Who</th><th scope="col">What</th>$head<th scope="col">Changes</th></tr></thead>'
        '<tbody class="nhsuk-table__body">$rows</tbody></table>',
        caption=caption,
        head=Safe(head),
        rows=join(rows, ""),
    )


def service_history(request: web.Request, service_id: str) -> Safe:
    entries = audit_entries(console_of(request).engine, service_id, limit=50)
    if not entries:
        return Safe("<h2>Changes made in the console</h2><p>None yet.</p>")
    return render("<h2>Changes made in the console</h2>$table",
                  table=audit_table(entries, "Newest first", with_service=False))


async def audit_page(request: web.Request) -> web.Response:
    staff = require_staff(request, roles=("admin",))
    entries = audit_entries(console_of(request).engine, limit=200)
    body = render(
        "<h1>Directory changes</h1><p>Every change made in the console: who made it, when, and each field "
        "before and after. The latest 200 are shown.</p>$table",
        table=audit_table(entries, "Newest first", with_service=True) if entries else Safe("<p>No changes yet.</p>"),
    )
    return console_page(request, staff, title="Directory changes", body=body)


def add_audit_routes(app: web.Application) -> None:
    app.router.add_get("/console/audit", audit_page)
