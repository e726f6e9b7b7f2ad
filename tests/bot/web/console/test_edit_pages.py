"""Admins add, edit and retire entries through the directory's validation; every change is audited."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from html import unescape
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy.exc import StatementError

from bot.directory.db import make_engine
from bot.directory.exporters.oruk_json import iter_oruk_services
from bot.directory.records import Batch, ServiceRecord
from bot.directory.repository import DirectoryRepository
from bot.web.console.audit import audit_entries, save_with_audit
from bot.web.console.service_form import load_record
from tests.bot.web.console.conftest import page_token

EDIT = "/console/directory/services/bcp-reablement/edit"


def form_values(html: str) -> list[tuple[str, str]]:
    """What a browser would send for the form as shown (text, ticked boxes, chosen options, textareas)."""
    values: list[tuple[str, str]] = []
    for tag in re.findall(r"<input [^>]*>", html):
        name, value = re.search(r'name="([^"]+)"', tag), re.search(r'value="([^"]*)"', tag)
        kind = re.search(r'type="([^"]+)"', tag)
        if not name or (kind and kind.group(1) in ("radio", "checkbox") and " checked" not in tag):
            continue
        values.append((unescape(name.group(1)), unescape(value.group(1) if value else "")))
    for name, body in re.findall(r'<select [^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected>', body)
        values.append((name, unescape(chosen.group(1)) if chosen else ""))
    for name, text in re.findall(r'<textarea [^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S):
        values.append((name, unescape(text)))
    return values


def replaced(values: list[tuple[str, str]], **changes: Any) -> list[tuple[str, str]]:
    kept = [(k, v) for k, v in values if k not in changes]
    for key, value in changes.items():
        kept += [(key, v) for v in value] if isinstance(value, list) else [(key, value)]
    return kept


def audit(console_url: str, service_id: str | None = None):
    engine = make_engine(console_url)
    try:
        return audit_entries(engine, service_id)
    finally:
        engine.dispose()


def stored(console_url: str, service_id: str):
    with DirectoryRepository(console_url) as repository:
        return repository.get(service_id)


async def test_ward_and_helpline_staff_cannot_edit(client: TestClient, signed_in, console_url: str) -> None:
    await signed_in("ward")
    assert (await client.get(EDIT)).status == 403
    assert (await client.get("/console/directory/new")).status == 403
    assert (await client.get("/console/audit")).status == 403
    _, token = await page_token(client, "/console/directory")
    response = await client.post(EDIT, data={"csrf_token": token, "name": "Hijacked"})
    assert response.status == 403
    assert stored(console_url, "bcp-reablement").name == "BCP Reablement Team"


async def test_an_admin_edit_is_saved_and_audited(client: TestClient, signed_in, console_url: str) -> None:
    await signed_in("admin")
    html, _ = await page_token(client, EDIT)
    values = replaced(form_values(html), description="Help at home for up to six weeks.", pathways=["1", "2"])
    response = await client.post(EDIT, data=values, allow_redirects=False)
    assert response.status == 303, await response.text()
    details = await (await client.get(response.headers["Location"])).text()
    assert "Changes saved." in details
    assert "Help at home for up to six weeks." in details
    view = stored(console_url, "bcp-reablement")
    assert view.pathways == (1, 2)
    assert view.hours == ("8am to 8pm, 7 days",), "fields left alone stay as they were"
    [entry] = audit(console_url, "bcp-reablement")
    assert entry.username == "ada.admin" and entry.action == "edit"
    assert entry.changes == {
        "description": ["Short-term help at home to get back on your feet after hospital.",
                        "Help at home for up to six weeks."],
        "pathways": [["1"], ["1", "2"]],
    }
    assert "ada.admin" in details and "Help at home for up to six weeks." in details


async def test_an_invalid_edit_lists_every_problem_and_saves_nothing(
    client: TestClient, signed_in, console_url: str
) -> None:
    await signed_in("admin")
    html, _ = await page_token(client, EDIT)
    values = replaced(form_values(html), name="", councils=["bcp", "dorset"], last_checked="next tuesday",
                      source_id="")
    response = await client.post(EDIT, data=values)
    assert response.status == 400
    text = await response.text()
    assert "<title>Error: Edit" in text
    assert '<a href="#name">Name is missing</a>' in text
    assert '<a href="#councils">Councils: a local service serves exactly one council, this lists 2</a>' in text
    assert "<a href=\"#last_checked\">Last checked: &#x27;next tuesday&#x27; is not a date like 2026-11-24</a>" in text
    assert '<a href="#source_id">Source document id is missing' in text
    assert 'value="next tuesday"' in text, "what was typed is kept"
    assert stored(console_url, "bcp-reablement").name == "BCP Reablement Team"
    assert audit(console_url) == []


async def test_a_future_last_checked_date_is_refused(client: TestClient, signed_in) -> None:
    await signed_in("admin")
    html, _ = await page_token(client, EDIT)
    response = await client.post(EDIT, data=replaced(form_values(html), last_checked="2099-01-01"))
    assert response.status == 400
    assert "Last checked: 2099-01-01 is in the future" in await response.text()


async def test_an_edit_without_the_csrf_token_changes_nothing(client: TestClient, signed_in, console_url) -> None:
    await signed_in("admin")
    html, _ = await page_token(client, EDIT)
    values = [(k, v) for k, v in replaced(form_values(html), name="Renamed") if k != "csrf_token"]
    assert (await client.post(EDIT, data=values)).status == 403
    assert stored(console_url, "bcp-reablement").name == "BCP Reablement Team"


async def test_an_admin_adds_an_entry(client: TestClient, signed_in, console_url: str) -> None:
    await signed_in("admin")
    html, _ = await page_token(client, "/console/directory/new")
    values = replaced(
        form_values(html), id="bcp-test-carers", name="Test Carers Group", organization="test-bcp-council",
        scope="local", councils=["bcp"], categories=["carers_support"], status="pilot",
        source_id="test_source_bcp", source_where="para 4", as_of="2021",
    )
    response = await client.post("/console/directory/new", data=values, allow_redirects=False)
    assert response.status == 303, await response.text()
    assert response.headers["Location"] == "/console/directory/services/bcp-test-carers?saved=added"
    view = stored(console_url, "bcp-test-carers")
    assert (view.name, view.status, view.councils, view.last_checked) == (
        "Test Carers Group", "pilot", ("bcp",), date.today()
    )
    [entry] = audit(console_url, "bcp-test-carers")
    assert entry.action == "add" and entry.changes["name"] == [None, "Test Carers Group"]
    again = await client.post("/console/directory/new", data=values)
    assert again.status == 400
    assert "Entry id: &#x27;bcp-test-carers&#x27; is already used by another entry" in await again.text()


async def test_an_excluded_name_cannot_be_added(client: TestClient, signed_in) -> None:
    await signed_in("admin")
    html, _ = await page_token(client, "/console/directory/new")
    values = replaced(form_values(html), id="hwb", name="Health and Wellbeing Board", scope="national",
                      status="live", source_id="x")
    response = await client.post("/console/directory/new", data=values)
    assert response.status == 400
    assert "is on the excluded list" in await response.text()


async def test_retiring_ends_the_service_and_is_audited(client: TestClient, signed_in, console_url: str) -> None:
    await signed_in("admin")
    html, token = await page_token(client, "/console/directory/services/bcp-reablement/retire")
    assert "Retire BCP Reablement Team?" in html
    response = await client.post(
        "/console/directory/services/bcp-reablement/retire", data={"csrf_token": token}, allow_redirects=False
    )
    assert response.status == 303
    assert stored(console_url, "bcp-reablement").status == "ended"
    [entry] = audit(console_url, "bcp-reablement")
    assert entry.action == "retire" and entry.changes == {"status": ["live", "ended"]}
    search = await (await client.get("/console/directory?area=bcp")).text()
    assert "BCP Reablement Team" not in search
    repository = DirectoryRepository(console_url)
    exported = {s["id"]: s for s in iter_oruk_services(repository)}
    repository.close()
    assert exported["bcp-reablement"]["status"] == "defunct", "the ORUK export says it has ended too"


async def test_an_edit_keeps_what_the_form_does_not_show(client: TestClient, signed_in, console_url: str) -> None:
    repository = DirectoryRepository(console_url)
    repository.store(Batch(services=[ServiceRecord(
        hsds={"id": "with-phone", "name": "Service With Phone", "phones": [{"id": "p1", "number": "0000 000 0000"}],
              "url": "https://example.org/service"},
        councils=("bcp",), scope="local", status="live", source_id="test", last_checked=date(2026, 11, 1),
    )]))
    repository.close()
    await signed_in("admin")
    path = "/console/directory/services/with-phone/edit"
    html, _ = await page_token(client, path)
    assert (await client.post(path, data=replaced(form_values(html), name="Renamed Service"),
                              allow_redirects=False)).status == 303
    view = stored(console_url, "with-phone")
    assert view.name == "Renamed Service"
    assert view.phones == ("0000 000 0000",) and view.url == "https://example.org/service"


async def test_the_audit_page_lists_changes_for_admins(client: TestClient, signed_in) -> None:
    await signed_in("admin")
    html, _ = await page_token(client, EDIT)
    await client.post(EDIT, data=replaced(form_values(html), contact_note="Ask the ward team."))
    page = await (await client.get("/console/audit")).text()
    assert "ada.admin" in page and "Contact note: (empty) → Ask the ward team." in page
    assert 'href="/console/directory/services/bcp-reablement"' in page


def test_an_edit_whose_audit_row_cannot_be_written_is_not_saved(console_url: str) -> None:
    repository = DirectoryRepository(console_url)
    try:
        record = load_record(repository, "bcp-reablement")
        assert record is not None
        before = repository.get("bcp-reablement")
        renamed = replace(record, hsds={**record.hsds, "name": "Renamed without a trace"})
        with pytest.raises(StatementError):  # the audit row's changes are not JSON
            save_with_audit(
                repository, renamed, account_id=1, username="ada.admin", action="edit", changes={"name": [object()]}
            )
        assert repository.get("bcp-reablement") == before
    finally:
        repository.close()
    assert audit(console_url) == []


async def test_an_edit_with_long_fields_in_any_script_is_saved(client: TestClient, signed_in, console_url) -> None:
    # 4,000 characters a field, as the form allows; emoji take 12 bytes each once the form is encoded.
    await signed_in("admin")
    html, _ = await page_token(client, EDIT)
    long_text = "Help at home 🏠 " * 266
    values = replaced(form_values(html), description=long_text, eligibility=long_text, how_to_access=long_text)
    response = await client.post(EDIT, data=values, allow_redirects=False)
    assert response.status == 303, await response.text()
    assert stored(console_url, "bcp-reablement").description == long_text.strip()


async def test_a_form_over_the_limit_gets_a_page_saying_what_to_do(client: TestClient, signed_in, console_url) -> None:
    await signed_in("admin")
    html, _ = await page_token(client, EDIT)
    response = await client.post(EDIT, data=replaced(form_values(html), description="x" * 2_000_000))
    assert response.status == 413 and response.content_type == "text/html"
    page = await response.text()
    assert "That form was too long to save" in page and "Nothing was saved" in page
    assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert stored(console_url, "bcp-reablement").name == "BCP Reablement Team"
