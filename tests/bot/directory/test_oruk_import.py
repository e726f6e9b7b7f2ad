"""Imports from other publishers keep place: the area from service_areas or location postcodes,
and a clear report of what was left out and why, with nothing half-imported."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import select

from bot.directory.cli import main
from bot.directory.db import alembic_config
from bot.directory.models import Organization, Service
from bot.directory.public_ids import public_id, scoped_id
from bot.directory.repository import DirectoryRepository
from bot.directory.service_areas import GSS_URI

from .test_oruk_standard import HSDS_EXAMPLE


def service(service_id: str, **fields: Any) -> dict[str, Any]:
    return {"id": service_id, "name": f"Test service {service_id}", "status": "active", **fields}


def area(uri: str = "", name: str = "") -> dict[str, Any]:
    return {"id": f"area-{uri or name}", "name": name, "uri": uri}


def at_postcode(postcode: str) -> dict[str, Any]:
    address = {"id": "ad", "address_1": "1 Test Street", "city": "Test", "state_province": "Test",
               "postal_code": postcode, "country": "GB", "address_type": "physical"}
    return {"id": "sal", "location": {"id": "loc", "location_type": "physical", "addresses": [address]}}


def run_import(database_url: str, services: list[dict[str, Any]], tmp_path: Path, *extra: str) -> int:
    path = tmp_path / "services.json"
    path.write_text(json.dumps({"contents": services}))
    return main(["directory", "--database-url", database_url, "import", str(path), "--source-id", "test", *extra])


def stored(database_url: str, service_id: str):
    with DirectoryRepository(database_url) as repository:
        return repository.get(scoped_id("test", service_id))


def test_without_a_council_the_area_comes_from_the_record(database_url: str, tmp_path: Path) -> None:
    services = [
        service("by-gss", service_areas=[area(GSS_URI.format(code="E06000059"))]),
        service("by-name", service_areas=[area(name="Havering")]),
        service("england", service_areas=[area(name="England")]),
        service("by-postcode", service_at_locations=[at_postcode("BH1 1AA")]),
    ]
    assert run_import(database_url, services, tmp_path) == 0
    assert (stored(database_url, "by-gss").councils, stored(database_url, "by-gss").scope) == (("dorset",), "local")
    assert stored(database_url, "by-name").councils == ("havering",)
    assert (stored(database_url, "england").councils, stored(database_url, "england").scope) == ((), "national")
    assert stored(database_url, "by-postcode").councils == ("bcp",)


def test_a_service_that_says_nowhere_we_cover_is_reported_not_made_national(
    database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["directory", "--database-url", database_url, "import", str(HSDS_EXAMPLE)]) == 1
    err = capsys.readouterr().err
    assert "service_areas" in err and "--council" in err and "nothing was imported" in err
    with DirectoryRepository(database_url) as repository:
        assert repository.stats().services == 0


def test_skip_invalid_imports_the_rest_and_says_what_was_skipped_and_why(
    database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    services = [
        service("good", service_areas=[area(name="Havering")]),
        service("nowhere"),
        service("bad-status", status="sort of open", service_areas=[area(name="Havering")]),
    ]
    assert run_import(database_url, services, tmp_path) == 1
    assert stored(database_url, "good") is None, "without --skip-invalid nothing is imported"
    capsys.readouterr()
    assert run_import(database_url, services, tmp_path, "--skip-invalid") == 0
    err = capsys.readouterr().err
    assert "Skipped 2 of 3 services" in err
    assert "services[1]" in err and "service_areas" in err
    assert "services[2]" in err and "'sort of open' is not an ORUK status" in err
    assert stored(database_url, "good") is not None
    assert stored(database_url, "nowhere") is None and stored(database_url, "bad-status") is None


def test_the_migration_gives_stored_services_the_ids_they_were_published_under(
    seeded: DirectoryRepository,
) -> None:
    url = seeded.engine.url.render_as_string(hide_password=False)
    command.downgrade(alembic_config(url), "0005_search_filters")  # a directory stored before public ids
    command.upgrade(alembic_config(url), "head")
    with seeded.session() as session:
        services = session.execute(select(Service.id, Service.uuid)).all()
        organizations = session.execute(select(Organization.id, Organization.uuid)).all()
    assert services and all(uuid == public_id("service", sid) for sid, uuid in services)
    assert organizations and all(uuid == public_id("organization", oid) for oid, uuid in organizations)
