"""Directory search and details as staff see them: filters, results, details, escaping."""

from __future__ import annotations

import re
from datetime import date

from aiohttp.test_utils import TestClient

from bot.directory.records import Batch, ServiceRecord
from bot.directory.repository import DirectoryRepository


def result_names(html: str) -> list[str]:
    return re.findall(r'<a class="nhsuk-link" href="/console/directory/services/[^"]+">([^<]+)</a>', html)


async def search(client: TestClient, query: str) -> str:
    response = await client.get(f"/console/directory?{query}")
    assert response.status == 200
    return await response.text()


async def test_every_filter_narrows_the_results(client: TestClient, signed_in) -> None:
    await signed_in("ward")
    everything = result_names(await search(client, ""))
    assert "Dorset Discharge Pilot" not in everything, "ended services are left out by default"
    assert len(everything) == 4
    assert result_names(await search(client, "need=community_equipment")) == [
        "Pan-Dorset Community Equipment Service"
    ]
    bcp = result_names(await search(client, "area=bcp"))
    assert bcp[0] == "BCP Reablement Team", "the council's own services come first"
    assert "Dorset Care Home Placements" not in bcp
    assert "National Carers Advice Line" in bcp, "national services serve every area"
    assert result_names(await search(client, "pathway=3")) == ["Dorset Care Home Placements"]
    assert result_names(await search(client, "q=walking+frame")) == ["Pan-Dorset Community Equipment Service"]
    ended = result_names(await search(client, "status=ended"))
    assert ended == ["Dorset Discharge Pilot"]


async def test_the_form_keeps_what_was_chosen(client: TestClient, signed_in) -> None:
    await signed_in("ward")
    html = await search(client, "q=frames&need=community_equipment&area=dorset&pathway=2&status=live")
    assert 'value="frames"' in html
    assert '<option value="community_equipment" selected>' in html
    assert '<option value="dorset" selected>' in html
    assert '<option value="2" selected>' in html
    assert 'value="live" checked>' in html and 'value="pilot">' in html
    assert "<title>1 service found – Find a service" in html


async def test_values_the_form_does_not_offer_are_ignored(client: TestClient, signed_in) -> None:
    await signed_in("ward")
    html = await search(client, "need=%3Cscript%3E&area=atlantis&pathway=9&status=gone&page=-3")
    assert len(result_names(html)) == 4
    assert "<script>" not in html


async def test_no_match_says_so_and_where_else_to_ask(client: TestClient, signed_in) -> None:
    await signed_in("ward")
    html = await search(client, "q=helicopter")
    assert "No services found" in html
    assert "adult social care team" in html


async def test_details_show_the_source_and_when_it_was_checked(client: TestClient, signed_in) -> None:
    await signed_in("helpline")
    response = await client.get("/console/directory/services/bcp-reablement")
    assert response.status == 200
    html = await response.text()
    assert "<h1>BCP Reablement Team</h1>" in html
    assert "8am to 8pm, 7 days" in html
    assert "Through the ward team" in html
    assert "test_source_bcp (para 1)" in html
    assert "24 November 2026" in html
    assert "We don&#x27;t hold contact details for this service." in html, "no contact details are invented"
    assert "What the chat says about it" in html
    assert "Edit this entry" not in html, "only admins see editing"


async def test_an_unknown_service_is_a_404_page(client: TestClient, signed_in) -> None:
    await signed_in("ward")
    response = await client.get("/console/directory/services/no-such-thing")
    assert response.status == 404
    assert "Service not found" in await response.text()


async def test_directory_text_is_escaped(client: TestClient, signed_in, console_url: str) -> None:
    repository = DirectoryRepository(console_url)
    repository.store(Batch(services=[ServiceRecord(
        hsds={"id": "xss-test", "name": '<img src=x onerror="alert(1)">Bad name', "description": "<script>x</script>"},
        councils=("bcp",), scope="local", status="live", source_id="test", last_checked=date(2026, 11, 1),
    )]))
    repository.close()
    await signed_in("ward")
    for path in ("/console/directory?area=bcp", "/console/directory/services/xss-test"):
        html = await (await client.get(path)).text()
        assert "<img src=x" not in html and "<script>x" not in html
        assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;Bad name" in html


async def test_many_results_are_paged(client: TestClient, signed_in, console_url: str) -> None:
    repository = DirectoryRepository(console_url)
    repository.store(Batch(services=[
        ServiceRecord(hsds={"id": f"paged-{i:02d}", "name": f"Paged service {i:02d}"}, councils=("bcp",),
                      scope="local", status="live", source_id="test", last_checked=date(2026, 11, 1))
        for i in range(25)
    ]))
    repository.close()
    await signed_in("ward")
    first = await search(client, "q=paged")
    assert "25 services found" in first and len(result_names(first)) == 20
    assert 'href="/console/directory?q=paged&amp;status=live&amp;status=pilot&amp;status=planned&amp;page=2"' in first
    second = await search(client, "q=paged&page=2")
    assert len(result_names(second)) == 5 and "Showing 21 to 25." in second


async def test_a_search_that_stopped_counting_says_so_and_how_to_narrow_it(
    client: TestClient, signed_in, monkeypatch
) -> None:
    await signed_in("helpline")
    monkeypatch.setattr("bot.directory.repository.WORD_SEARCH_LIMIT", 2)
    html = await search(client, "q=care")  # three services have the word; the search reads two
    assert "<title>2 or more services found – Find a service" in html
    assert "There may be more: add words or choose a need to narrow the search." in html
    assert len(result_names(html)) == 2
    exact = await search(client, "q=hospital")
    assert "<title>2 services found" in exact and "There may be more" not in exact
