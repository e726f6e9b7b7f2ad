"""Staff console pages for handoff: the queue, taking a chat, the transcript, replying, handing back, ending.

Helpline staff (and admins) only, through the console's sign-in (bot.web.console.auth); every POST
carries the console's CSRF token. Pages work without JavaScript; a small script
(static/console-handoff.js) refreshes the queue and shows the user's new messages as they arrive.
Having the queue or a chat open is what makes a staff member "available" for new chats.

`setup_handoff(app, settings)` adds these pages, the widget's handoff API and the gateway hooks.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web
from sqlalchemy import create_engine

from bot.directory.areas import council
from bot.directory.db import make_engine, upgrade_database
from bot.handoff.config import HandoffSettings
from bot.handoff.gateway import HANDOFF_KEY, HandoffGateway, add_widget_routes
from bot.handoff.models import ACTIVE, CLOSED, MAX_ID, NOTICE, QUEUED, USER
from bot.handoff.service import HandoffService, HandoffUnavailable
from bot.handoff.store import Handoff, HandoffConflict, HandoffStore, Message, Staff
from bot.handoff.transcript import handoff_turn, merged_transcript
from bot.settings import Settings
from bot.web.console.auth import read_form, require_staff
from bot.web.console.html import NAVIGATION, Safe, console_page, csrf_input, error_summary, join, render

STATIC_DIR = Path(__file__).parent / "static"
QUEUE_PATH = "/console/handoff"
ROLES = ("helpline",)  # admins pass every role check too
MAX_REPLY_CHARS = 2000
RASA_TIMEOUT = aiohttp.ClientTimeout(total=5)
log = logging.getLogger(__name__)
HEAD = Safe(
    # The gateway sends Referrer-Policy: no-referrer, with which Chrome sends "Origin: null" on form posts and
    # the console's CSRF check refuses them. Same-origin keeps the referrer off other sites and the Origin real.
    '<meta name="referrer" content="same-origin">'
    '<script src="/console/handoff/static/console-handoff.js" defer></script>'
)
_CLIENT_KEY = web.AppKey("handoff_rasa_client", aiohttp.ClientSession)
_SETTINGS_KEY = web.AppKey("handoff_rasa_settings", Settings)
DOWN_MESSAGE = (
    "The chat queue can't be reached right now (its database is not answering). Users asking for a person "
    "are being given the contact route instead. Try again in a few minutes."
)


def _service(request: web.Request) -> HandoffService:
    service = request.app[HANDOFF_KEY].service
    if service is None:
        raise HandoffUnavailable
    return service


def _me(staff: Any) -> Staff:
    return Staff(staff.id, staff.display_name)


def _area_name(code: str | None) -> str:
    place = council(code) if code else None
    return place.name if place else "Not known"


def _minutes(service: HandoffService, when: Any) -> str:
    minutes = service.minutes_since(when)
    return "less than a minute" if minutes < 1 else f"{minutes} minute{'s' if minutes != 1 else ''}"


def _down(request: web.Request, staff: Any) -> web.Response:
    body = render(
        '<h1>Chat queue</h1><div class="nhsuk-warning-callout"><h2 class="nhsuk-warning-callout__label">'
        '<span role="text"><span class="nhsuk-u-visually-hidden">Important: </span>Not available</span></h2>'
        "<p>$message</p></div>",
        message=DOWN_MESSAGE,
    )
    return console_page(request, staff, title="Chat queue", body=body, status=503)


# ---- the queue ---------------------------------------------------------------------------------


def _queue_section(service: HandoffService, handoffs: list[Handoff], staff: Any) -> Safe:
    waiting = [h for h in handoffs if h.state == QUEUED]
    active = [h for h in handoffs if h.state == ACTIVE]
    summary = (
        "Nobody is waiting."
        if not waiting
        else f"{len(waiting)} {'person is' if len(waiting) == 1 else 'people are'} waiting for a person."
    )
    rows = join(
        render(
            '<tr class="nhsuk-table__row"><td class="nhsuk-table__cell">$waited</td>'
            '<td class="nhsuk-table__cell">$area</td>'
            '<td class="nhsuk-table__cell"><a href="$link">Chat $number</a></td>'
            '<td class="nhsuk-table__cell"><form method="post" action="$action">$csrf'
            '<button class="nhsuk-button nhsuk-button--small nhsuk-u-margin-bottom-0" type="submit">'
            'Take<span class="nhsuk-u-visually-hidden"> chat $number</span></button></form></td></tr>',
            waited=_minutes(service, h.requested_at), area=_area_name(h.area), link=f"{QUEUE_PATH}/{h.id}",
            action=f"{QUEUE_PATH}/{h.id}/take", csrf=csrf_input(staff), number=str(h.id),
        )
        for h in waiting
    )
    waiting_table = render(
        '<table class="nhsuk-table"><caption class="nhsuk-table__caption">Waiting</caption>'
        '<thead class="nhsuk-table__head"><tr class="nhsuk-table__row">'
        '<th scope="col" class="nhsuk-table__header">Waiting for</th>'
        '<th scope="col" class="nhsuk-table__header">Area</th>'
        '<th scope="col" class="nhsuk-table__header">Chat</th>'
        '<th scope="col" class="nhsuk-table__header">Action</th></tr></thead>'
        '<tbody class="nhsuk-table__body">$rows</tbody></table>',
        rows=rows,
    ) if waiting else Safe("")
    active_rows = join(
        render(
            '<tr class="nhsuk-table__row"><td class="nhsuk-table__cell">$who</td>'
            '<td class="nhsuk-table__cell">$since</td><td class="nhsuk-table__cell">$area</td>'
            '<td class="nhsuk-table__cell"><a href="$link">Chat $number</a></td></tr>',
            who="You" if h.staff_id == staff.id else (h.staff_name or "A colleague"),
            since=_minutes(service, h.taken_at or h.requested_at), area=_area_name(h.area),
            link=f"{QUEUE_PATH}/{h.id}", number=str(h.id),
        )
        for h in active
    )
    active_table = render(
        '<table class="nhsuk-table"><caption class="nhsuk-table__caption">Being handled</caption>'
        '<thead class="nhsuk-table__head"><tr class="nhsuk-table__row">'
        '<th scope="col" class="nhsuk-table__header">Handled by</th>'
        '<th scope="col" class="nhsuk-table__header">For</th>'
        '<th scope="col" class="nhsuk-table__header">Area</th>'
        '<th scope="col" class="nhsuk-table__header">Chat</th></tr></thead>'
        '<tbody class="nhsuk-table__body">$rows</tbody></table>',
        rows=active_rows,
    ) if active else Safe("")
    return render(
        '<p class="nhsuk-body-l" id="queue-summary">$summary</p>$waiting$active',
        summary=summary, waiting=waiting_table, active=active_table,
    )


def _hours_note(service: HandoffService) -> Safe:
    hours = service.settings.hours
    if not hours.configured:
        return render(
            '<div class="nhsuk-inset-text"><span class="nhsuk-u-visually-hidden">Information: </span>'
            "<p>No helpline hours are set (HOMEWARD_HELPLINE_HOURS), so users are always given the contact "
            "route instead of being passed to a person.</p></div>"
        )
    state = "open" if hours.is_open(service.clock()) else "closed"
    return render(
        '<div class="nhsuk-inset-text"><span class="nhsuk-u-visually-hidden">Information: </span>'
        "<p>Helpline chat hours: $hours (UK time). The helpline is $state now. While this page is open you "
        "count as available, so users can be passed to you.</p></div>",
        hours=hours.describe(), state=state,
    )


async def queue_page(request: web.Request) -> web.Response:
    staff = require_staff(request, roles=ROLES)
    try:
        service = _service(request)
        await service.staff_seen(_me(staff))
        handoffs = await service.queue()
    except HandoffUnavailable:
        return _down(request, staff)
    if request.query.get("part") == "queue":  # the script's refresh: just the list
        response = web.Response(text=_queue_section(service, handoffs, staff), content_type="text/html")
        response.headers["Cache-Control"] = "no-store"
        return response
    body = render(
        '<h1>Chat queue</h1>$hours<div id="queue" data-refresh="$refresh">$queue</div>'
        '<p class="nhsuk-u-visually-hidden" id="queue-announce" aria-live="polite"></p>',
        hours=_hours_note(service), refresh=f"{QUEUE_PATH}?part=queue", queue=_queue_section(service, handoffs, staff),
    )
    return console_page(request, staff, title="Chat queue", body=body, head=HEAD)


# ---- one conversation --------------------------------------------------------------------------


async def _tracker(request: web.Request, sender_id: str) -> dict[str, Any] | None:
    """Rasa's record of the conversation (the part before the handoff), or None if Rasa can't be reached."""
    settings = request.app[_SETTINGS_KEY]
    params = {"include_events": "AFTER_RESTART"}
    if settings.rasa_auth_token:
        params["token"] = settings.rasa_auth_token
    try:
        async with request.app[_CLIENT_KEY].get(
            f"{settings.rasa_url}/conversations/{sender_id}/tracker", params=params, timeout=RASA_TIMEOUT
        ) as response:
            response.raise_for_status()
            tracker = await response.json()
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:  # not TimeoutError on Python 3.10
        log.warning("Could not read the tracker for a handoff: %s", type(error).__name__)
        return None
    return tracker if isinstance(tracker, dict) else None


def _who(turn: dict[str, Any], handoff: Handoff, staff: Any) -> str:
    kind = turn["from"]
    if kind == "user":
        return "User"
    if kind == "bot":
        return "Homeward assistant"
    if kind == NOTICE:
        return "Notice"
    return "You" if turn.get("name") and handoff.staff_id == staff.id else f"Staff ({turn.get('name', '')})"


def _turn_item(turn: dict[str, Any], handoff: Handoff, staff: Any, urgent: bool) -> Safe:
    flag = Safe(
        '<strong class="nhsuk-tag nhsuk-tag--red">May need help now</strong> '
        "<span>(the user was shown the urgent-help advice)</span>"
    ) if urgent else Safe("")
    return render(
        '<li class="handoff-turn handoff-turn--$kind">'
        '<p class="nhsuk-u-margin-bottom-1"><strong>$who:</strong> $flag</p>'
        '<p class="handoff-text">$text</p></li>',
        kind=turn["from"], who=_who(turn, handoff, staff), flag=flag, text=turn.get("text", ""),
    )


def _transcript(turns: list[dict[str, Any]], found: list[Message], handoff: Handoff, staff: Any) -> Safe:
    urgent_ids = {m.client_message_id for m in found if m.urgent and m.client_message_id}
    items = join(
        _turn_item(turn, handoff, staff, turn.get("client_message_id") in urgent_ids and turn["from"] == USER)
        for turn in turns
    )
    last = max([0, *(m.id for m in found)])
    return render(
        '<div role="log" aria-live="polite" aria-label="Conversation"><ol class="nhsuk-list handoff-transcript" '
        'id="transcript" data-after="$after" data-poll="$poll">$items</ol></div>',
        after=str(last), poll=f"{QUEUE_PATH}/{handoff.id}/messages", items=items,
    )


def _status_line(handoff: Handoff, staff: Any) -> str:
    if handoff.state == QUEUED:
        return "This user is waiting for a person."
    if handoff.state == ACTIVE:
        mine = handoff.staff_id == staff.id
        return "You are handling this chat." if mine else f"{handoff.staff_name} is handling this chat."
    return "This chat has ended: the user is back with the assistant."


def _controls(handoff: Handoff, staff: Any, problem: str | None) -> Safe:
    csrf = csrf_input(staff)
    base = f"{QUEUE_PATH}/{handoff.id}"
    if handoff.state == QUEUED:
        return render(
            '<form method="post" action="$action">$csrf<button class="nhsuk-button" type="submit">Take this chat'
            "</button></form>",
            action=f"{base}/take", csrf=csrf,
        )
    if handoff.state != ACTIVE or handoff.staff_id != staff.id:
        return Safe("")
    error_class = Safe(" nhsuk-form-group--error") if problem else Safe("")
    error = render(
        '<span class="nhsuk-error-message" id="reply-error"><span class="nhsuk-u-visually-hidden">Error:</span> '
        "$problem</span>",
        problem=problem,
    ) if problem else Safe("")
    return render(
        '<form method="post" action="$reply" novalidate>$csrf<div class="nhsuk-form-group$error_class">'
        '<label class="nhsuk-label" for="reply">Your reply</label>'
        '<div class="nhsuk-hint" id="reply-hint">The user sees your first name and this message straight away. '
        "Don't type personal details you don't need to.</div>$error"
        '<textarea class="nhsuk-textarea" id="reply" name="reply" rows="4" maxlength="$max" '
        'aria-describedby="reply-hint$described"></textarea></div>'
        '<button class="nhsuk-button" type="submit">Send reply</button></form>'
        '<div class="nhsuk-button-group">'
        '<form method="post" action="$back">$csrf<button class="nhsuk-button nhsuk-button--secondary" type="submit">'
        "Hand back to the assistant</button></form>"
        '<form method="post" action="$end">$csrf<button class="nhsuk-button nhsuk-button--warning" type="submit">'
        "End chat</button></form></div>",
        reply=f"{base}/reply", back=f"{base}/hand-back", end=f"{base}/end", csrf=csrf, error_class=error_class,
        error=error, max=str(MAX_REPLY_CHARS), described=Safe(" reply-error") if problem else Safe(""),
    )


async def _conversation(
    request: web.Request, staff: Any, handoff_id: int, problem: str | None = None, status: int = 200
) -> web.Response:
    try:
        service = _service(request)
        await service.staff_seen(_me(staff))
        handoff = await service.get(handoff_id)
        if handoff is None:
            raise web.HTTPNotFound(text="There is no such chat.")
        found = await service.messages(handoff.id)
    except HandoffUnavailable:
        return _down(request, staff)
    tracker = await _tracker(request, handoff.sender_id)
    earlier = Safe("") if tracker is not None else Safe(
        '<p class="nhsuk-body-s">The part of the conversation with the assistant can\'t be loaded right now.</p>'
    )
    summary = error_summary([("reply", problem)]) if problem else Safe("")
    body = render(
        '$summary<a class="nhsuk-back-link" href="$queue">Back to the chat queue</a>'
        '<h1>Chat $number</h1><p class="nhsuk-body-l" id="chat-status">$status</p>'
        '<dl class="nhsuk-summary-list"><div class="nhsuk-summary-list__row"><dt class="nhsuk-summary-list__key">'
        'Area</dt><dd class="nhsuk-summary-list__value">$area</dd></div>'
        '<div class="nhsuk-summary-list__row"><dt class="nhsuk-summary-list__key">Asked for a person</dt>'
        '<dd class="nhsuk-summary-list__value">$waited ago</dd></div></dl>'
        '<h2>Conversation</h2>$earlier$transcript$controls',
        summary=summary, queue=QUEUE_PATH, number=str(handoff.id), status=_status_line(handoff, staff),
        area=_area_name(handoff.area), waited=_minutes(service, handoff.requested_at), earlier=earlier,
        transcript=_transcript(merged_transcript(tracker, found), found, handoff, staff),
        controls=_controls(handoff, staff, problem),
    )
    return console_page(request, staff, title=f"Chat {handoff.id}", body=body, status=status, head=HEAD)


def _handoff_id(request: web.Request) -> int:
    handoff_id = int(request.match_info["handoff_id"])  # the route allows digits only
    if handoff_id > MAX_ID:
        raise web.HTTPNotFound(text="There is no such chat.")
    return handoff_id


async def conversation_page(request: web.Request) -> web.Response:
    staff = require_staff(request, roles=ROLES)
    return await _conversation(request, staff, _handoff_id(request))


async def new_messages(request: web.Request) -> web.Response:
    """GET ?after=N (the page's script): messages newer than N, as HTML list items, and the chat's state."""
    staff = require_staff(request, roles=ROLES, redirect=False)
    try:
        after = min(int(request.query.get("after", "0")), MAX_ID)  # no id is larger
    except ValueError:
        after = 0
    try:
        service = _service(request)
        await service.staff_seen(_me(staff))
        handoff = await service.get(_handoff_id(request))
        if handoff is None:
            raise web.HTTPNotFound(text="There is no such chat.")
        found = await service.messages(handoff.id, after)
    except HandoffUnavailable:
        return web.json_response({"error": "The chat queue can't be reached right now."}, status=503)
    items = [str(_turn_item(handoff_turn(m), handoff, staff, m.urgent)) for m in found]
    response = web.json_response({
        "items": items, "after": max([after, *(m.id for m in found)]), "state": handoff.state,
        "status": _status_line(handoff, staff),
    })
    response.headers["Cache-Control"] = "no-store"
    return response


async def _act(request: web.Request, act) -> web.Response:
    staff = require_staff(request, roles=ROLES)
    form = await read_form(request)
    handoff_id = _handoff_id(request)
    try:
        service = _service(request)
        outcome = await act(service, handoff_id, _me(staff), form)
    except HandoffUnavailable:
        return _down(request, staff)
    except HandoffConflict as conflict:
        return await _conversation(request, staff, handoff_id, problem=str(conflict), status=409)
    if isinstance(outcome, str):  # a problem with what was typed
        return await _conversation(request, staff, handoff_id, problem=outcome, status=400)
    target = QUEUE_PATH if outcome is not None and outcome.state == CLOSED else f"{QUEUE_PATH}/{handoff_id}"
    raise web.HTTPSeeOther(target if target == QUEUE_PATH else f"{target}#reply")


async def _take(service: HandoffService, handoff_id: int, me: Staff, form: Any) -> Handoff:
    return await service.take(handoff_id, me)


async def _reply(service: HandoffService, handoff_id: int, me: Staff, form: Any) -> str | None:
    text = str(form.get("reply", "")).strip()
    if not text:
        return "Type a reply"
    if len(text) > MAX_REPLY_CHARS:
        return f"Keep replies under {MAX_REPLY_CHARS} characters"
    await service.reply(handoff_id, me, text)
    return None


async def _hand_back(service: HandoffService, handoff_id: int, me: Staff, form: Any) -> Handoff:
    return await service.hand_back(handoff_id, me)


async def _end(service: HandoffService, handoff_id: int, me: Staff, form: Any) -> Handoff:
    return await service.end(handoff_id, me)


def _action(act):
    async def handler(request: web.Request) -> web.Response:
        return await _act(request, act)

    return handler


# ---- setting up ----------------------------------------------------------------------------------


def open_store(url: str) -> HandoffStore:
    """Brings the schema up to date (as the directory commands and the console do), then opens the store."""
    upgrade_database(url)
    if url.startswith("postgresql"):
        # Fail fast when the database is down: a user is waiting for an answer.
        return HandoffStore(create_engine(url, future=True, pool_pre_ping=True, connect_args={"connect_timeout": 3}))
    return HandoffStore(make_engine(url))


def setup_handoff(
    app: web.Application, settings: Settings, handoff_settings: HandoffSettings | None = None,
    database_url: str | None = None,
) -> None:
    """Adds handoff to the gateway: the widget's API, the hooks /api/chat calls, and the staff pages.

    `database_url`: the console's database when the console was given one (tests); else DATABASE_URL.
    Nothing touches the database until the first chat message or staff page.
    """
    handoff_settings = handoff_settings or HandoffSettings.from_env()
    url = database_url or handoff_settings.database_url
    service = HandoffService(lambda: open_store(url), handoff_settings)
    gateway = HandoffGateway()
    gateway.service = service
    app[HANDOFF_KEY] = gateway
    app[_SETTINGS_KEY] = settings

    async def rasa_client(app: web.Application):
        app[_CLIENT_KEY] = aiohttp.ClientSession()
        yield
        await app[_CLIENT_KEY].close()
        service.close()

    app.cleanup_ctx.append(rasa_client)
    add_widget_routes(app)
    app.router.add_get(QUEUE_PATH, queue_page)
    app.router.add_get(QUEUE_PATH + "/{handoff_id:\\d+}", conversation_page)
    app.router.add_get(QUEUE_PATH + "/{handoff_id:\\d+}/messages", new_messages)
    app.router.add_post(QUEUE_PATH + "/{handoff_id:\\d+}/take", _action(_take))
    app.router.add_post(QUEUE_PATH + "/{handoff_id:\\d+}/reply", _action(_reply))
    app.router.add_post(QUEUE_PATH + "/{handoff_id:\\d+}/hand-back", _action(_hand_back))
    app.router.add_post(QUEUE_PATH + "/{handoff_id:\\d+}/end", _action(_end))
    app.router.add_static(QUEUE_PATH + "/static/", STATIC_DIR)
    if not any(path == QUEUE_PATH for path, *_ in NAVIGATION):
        NAVIGATION.append((QUEUE_PATH, "Chat queue", ROLES))
