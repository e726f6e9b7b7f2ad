"""The schema comes from the Alembic migrations, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect, select

from bot.directory.db import alembic_config, make_engine, upgrade_database
from bot.directory.models import Service
from bot.directory.repository import DirectoryRepository

HSDS_TABLES = {
    "organization",
    "service",
    "location",
    "service_at_location",
    "phone",
    "contact",
    "schedule",
    "service_area",
    "taxonomy_term",
    "attribute",
}


def test_upgrade_creates_the_hsds_tables_and_can_run_twice(empty_database_url: str) -> None:
    upgrade_database(empty_database_url)
    upgrade_database(empty_database_url)  # already at head: nothing to do, no error
    engine = make_engine(empty_database_url)
    try:
        tables = set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert HSDS_TABLES | {"service_council", "service_pathway", "excluded_entry", "postcode"} <= tables
    assert "alembic_version" in tables


def _search_facets(repository: DirectoryRepository) -> dict[str, set[str]]:
    with repository.engine.connect() as connection:
        rows = connection.execute(select(Service.id, Service.search_facets)).all()
    return {row.id: set(row.search_facets.split()) for row in rows}


def test_the_search_index_migrations_index_services_stored_before_them(seeded: DirectoryRepository) -> None:
    url = seeded.engine.url.render_as_string(hide_password=False)
    before = [v.id for v in seeded.search(council="bcp").results]
    by_pathway = [v.id for v in seeded.search(council="bcp", pathway=2).results]
    words_before = [v.id for v in seeded.search(text="equipment", council="bcp", need="community_equipment").results]
    assert words_before == ["pan-dorset-equipment"]
    facets_before = _search_facets(seeded)
    command.downgrade(alembic_config(url), "0003")  # as a directory stored before service_facet existed
    command.upgrade(alembic_config(url), "head")
    assert [v.id for v in seeded.search(council="bcp").results] == before
    assert [v.id for v in seeded.search(council="bcp", pathway=2).results] == by_pathway != []
    # The migration derives the same filter words as storing a service does (word order aside).
    assert _search_facets(seeded) == facets_before
    after = seeded.search(text="equipment", council="bcp", need="community_equipment", pathway=2)
    assert [v.id for v in after.results] == words_before
    assert [v.id for v in seeded.search(council="dorset", need="care_homes").results] == ["dorset-care-homes"]
