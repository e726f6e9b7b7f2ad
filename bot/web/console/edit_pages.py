"""Adding, editing and retiring directory entries (admins only), each change audited."""

from __future__ import annotations

from datetime import date

from aiohttp import web
from sqlalchemy import select

from bot.directory import categories
from bot.directory.areas import all_councils
from bot.directory.models import PATHWAYS, Organization
from bot.directory.records import Problem
from bot.web.console.audit import problems_with, save_with_audit
from bot.web.console.auth import Staff, read_form, require_staff
from bot.web.console.directory_pages import STATUS_LABELS
from bot.web.console.form_fields import checkboxes, radios, text_input, textarea
from bot.web.console.form_fields import select as select_field
from bot.web.console.html import Safe, console_page, csrf_input, error_summary, render
from bot.web.console.service_form import FIELD_LABELS, ServiceForm, changes, load_record, to_record
from bot.web.console.state import Console, console_of

ADMIN = ("admin",)
SCOPE_OPTIONS = [
    ("local", "One council"),
    ("county", "Several councils, or county-wide"),
    ("national", "National (all of England)"),
]
EMPTY_CHOICE = {"status": "Choose a status", "scope": "Choose who the service serves"}
# Validation's field names -> the form field to link to.
FORM_FIELD = {"source": "source_id", "organization": "organization"}


def form_problems(problems: list[Problem], form: ServiceForm) -> list[tuple[str, str]]:
    """The directory's validation problems as (form field, message), one per field."""
    shown: dict[str, str] = {}
    for problem in problems:
        field = FORM_FIELD.get(problem.field, problem.field) or "name"
        if field in shown:
            continue
        if field in EMPTY_CHOICE and not getattr(form, field, ""):
            shown[field] = EMPTY_CHOICE[field]
            continue
        label = FIELD_LABELS.get(field, field)
        message = problem.message
        shown[field] = f"{label} {message}" if message.startswith("is ") else f"{label}: {message}"
    return list(shown.items())


def _organizations(console: Console) -> list[tuple[str, str]]:
    with console.engine.connect() as connection:
        rows = connection.execute(select(Organization.id, Organization.name).order_by(Organization.name)).all()
    return [("", "None recorded")] + [(row.id, row.name) for row in rows]


def _form_html(console: Console, staff: Staff, form: ServiceForm, action: str, adding: bool,
               problems: list[tuple[str, str]]) -> Safe:
    errors = dict(problems)
    needs = [(c.code, c.label) for c in sorted(categories.all_categories(), key=lambda c: c.label)]
    councils = [(c.code, c.name) for c in sorted(all_councils(), key=lambda c: c.name)]
    parts = [
        text_input("id", FIELD_LABELS["id"], form.id, error=errors.get("id"), width="nhsuk-u-width-two-thirds",
                   hint="Lower-case words joined by hyphens, for example bcp-one-team. It cannot be changed later.")
        if adding else Safe(""),
        text_input("name", FIELD_LABELS["name"], form.name, error=errors.get("name")),
        select_field("organization", FIELD_LABELS["organization"], _organizations(console), form.organization,
                     error=errors.get("organization")),
        textarea("description", FIELD_LABELS["description"], form.description, error=errors.get("description"),
                 hint="Plain English: what it does, for whom.", rows=4),
        textarea("eligibility", FIELD_LABELS["eligibility"], form.eligibility, error=errors.get("eligibility")),
        textarea("how_to_access", FIELD_LABELS["how_to_access"], form.how_to_access,
                 error=errors.get("how_to_access")),
        textarea("hours", FIELD_LABELS["hours"], form.hours, error=errors.get("hours"),
                 hint="Only if the source says. One line for each time."),
        textarea("contact_note", FIELD_LABELS["contact_note"], form.contact_note, error=errors.get("contact_note"),
                 hint="Where to get contact details. Never a number or address the source does not give."),
        radios("scope", FIELD_LABELS["scope"], SCOPE_OPTIONS, form.scope, error=errors.get("scope")),
        checkboxes("councils", FIELD_LABELS["councils"], councils, form.councils, error=errors.get("councils"),
                   hint="One for a local service, several for county-wide, none for national."),
        checkboxes("categories", FIELD_LABELS["categories"], needs, form.categories, error=errors.get("categories")),
        checkboxes("pathways", FIELD_LABELS["pathways"], [(str(p), f"Pathway {p}") for p in PATHWAYS],
                   form.pathways, error=errors.get("pathways")),
        radios("status", FIELD_LABELS["status"], list(STATUS_LABELS.items()), form.status, error=errors.get("status")),
        text_input("source_id", FIELD_LABELS["source_id"], form.source_id, error=errors.get("source_id"),
                   hint="The document or directory these facts come from, for example seed_bcp_home_first_2021.",
                   width="nhsuk-u-width-two-thirds"),
        text_input("source_where", FIELD_LABELS["source_where"], form.source_where,
                   error=errors.get("source_where"), hint="For example: para 36, line 144."),
        text_input("as_of", FIELD_LABELS["as_of"], form.as_of, error=errors.get("as_of"),
                   hint="The document's date: 2021, 2021-01 or 2021-01-31.", width="nhsuk-input--width-10"),
        text_input("last_checked", FIELD_LABELS["last_checked"], form.last_checked,
                   error=errors.get("last_checked"), hint="When someone last checked the source: YYYY-MM-DD.",
                   width="nhsuk-input--width-10"),
    ]
    return render(
        '$summary<form action="$action" method="post" novalidate>$csrf$fields'
        '<button class="nhsuk-button" type="submit">$button</button></form>',
        summary=error_summary(problems),
        action=action,
        csrf=csrf_input(staff),
        fields=Safe("".join(parts)),
        button="Add entry" if adding else "Save changes",
    )


def _form_page(request: web.Request, console: Console, staff: Staff, form: ServiceForm, *, adding: bool,
               problems: list[tuple[str, str]] | None = None) -> web.Response:
    problems = problems or []
    if adding:
        action, heading, back = "/console/directory/new", "Add a directory entry", "/console/directory"
    else:
        action = f"/console/directory/services/{form.id}/edit"
        heading, back = f"Edit: {form.name}", f"/console/directory/services/{form.id}"
    body = render(
        '<a class="nhsuk-back-link" href="$back">Back</a><h1>$heading</h1>$form',
        back=back,
        heading=heading,
        form=_form_html(console, staff, form, action, adding, problems),
    )
    title = ("Error: " if problems else "") + heading
    return console_page(request, staff, title=title, body=body, status=400 if problems else 200)


def _not_found(request: web.Request, staff: Staff) -> web.Response:
    return console_page(request, staff, title="Service not found", status=404,
                        body=Safe("<h1>Service not found</h1><p>There is no directory entry at this address.</p>"))


async def new_form(request: web.Request) -> web.Response:
    staff = require_staff(request, roles=ADMIN)
    form = ServiceForm(last_checked=date.today().isoformat())
    return _form_page(request, console_of(request), staff, form, adding=True)


async def add_entry(request: web.Request) -> web.Response:
    staff = require_staff(request, roles=ADMIN)
    console = console_of(request)
    form = ServiceForm.from_post(await read_form(request))
    record = to_record(form, None)
    problems = problems_with(record, console.directory, adding=True)
    if problems:
        return _form_page(request, console, staff, form, adding=True, problems=form_problems(problems, form))
    save_with_audit(console.directory, record, account_id=staff.id, username=staff.username, action="add",
                    changes=changes(None, form))
    raise web.HTTPSeeOther(f"/console/directory/services/{form.id}?saved=added")


async def edit_form(request: web.Request) -> web.Response:
    staff = require_staff(request, roles=ADMIN)
    console = console_of(request)
    record = load_record(console.directory, request.match_info["service_id"])
    if record is None:
        return _not_found(request, staff)
    return _form_page(request, console, staff, ServiceForm.from_record(record), adding=False)


async def save_edit(request: web.Request) -> web.Response:
    staff = require_staff(request, roles=ADMIN)
    console = console_of(request)
    posted = await read_form(request)
    base = load_record(console.directory, request.match_info["service_id"])
    if base is None:
        return _not_found(request, staff)
    before = ServiceForm.from_record(base)
    form = ServiceForm.from_post(posted, service_id=base.id)
    changed = changes(before, form)
    if not changed:
        raise web.HTTPSeeOther(f"/console/directory/services/{base.id}?saved=unchanged")
    record = to_record(form, base)
    problems = problems_with(record, console.directory, adding=False)
    if problems:
        return _form_page(request, console, staff, form, adding=False, problems=form_problems(problems, form))
    action = "retire" if changed.get("status", [None, None])[1] == "ended" else "edit"
    save_with_audit(console.directory, record, account_id=staff.id, username=staff.username, action=action,
                    changes=changed)
    raise web.HTTPSeeOther(f"/console/directory/services/{base.id}?saved=edited")


RETIRE_PAGE = """<a class="nhsuk-back-link" href="/console/directory/services/$id">Back</a>
<h1>Retire $name?</h1>
<p>Its status becomes Ended. The chat stops offering it, and staff searches only show it when
  Ended is ticked. The entry and its history are kept, and it can be edited back later.</p>
<form action="/console/directory/services/$id/retire" method="post" novalidate>$csrf
  <button class="nhsuk-button nhsuk-button--warning" type="submit">Retire this entry</button>
</form>
<p><a class="nhsuk-link" href="/console/directory/services/$id">Cancel</a></p>"""


async def retire_form(request: web.Request) -> web.Response:
    staff = require_staff(request, roles=ADMIN)
    record = load_record(console_of(request).directory, request.match_info["service_id"])
    if record is None:
        return _not_found(request, staff)
    body = render(RETIRE_PAGE, id=record.id, name=record.name, csrf=csrf_input(staff))
    return console_page(request, staff, title=f"Retire {record.name}", body=body)


async def retire(request: web.Request) -> web.Response:
    staff = require_staff(request, roles=ADMIN)
    await read_form(request)
    console = console_of(request)
    base = load_record(console.directory, request.match_info["service_id"])
    if base is None:
        return _not_found(request, staff)
    if base.status != "ended":
        before = ServiceForm.from_record(base)
        after = ServiceForm(**{**before.__dict__, "status": "ended"})
        record = to_record(after, base)
        problems = problems_with(record, console.directory, adding=False)
        if problems:  # stored before the rules changed: say what to fix first
            return _form_page(request, console, staff, after, adding=False, problems=form_problems(problems, after))
        save_with_audit(console.directory, record, account_id=staff.id, username=staff.username, action="retire",
                        changes=changes(before, after))
    raise web.HTTPSeeOther(f"/console/directory/services/{base.id}?saved=retired")


def add_edit_routes(app: web.Application) -> None:
    app.router.add_get("/console/directory/new", new_form)
    app.router.add_post("/console/directory/new", add_entry)
    app.router.add_get("/console/directory/services/{service_id}/edit", edit_form)
    app.router.add_post("/console/directory/services/{service_id}/edit", save_edit)
    app.router.add_get("/console/directory/services/{service_id}/retire", retire_form)
    app.router.add_post("/console/directory/services/{service_id}/retire", retire)
