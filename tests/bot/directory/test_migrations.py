"""The schema comes from the Alembic migrations, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect

from bot.directory.db import alembic_config, make_engine, upgrade_database
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


def test_the_facet_migration_indexes_services_stored_before_it(seeded: DirectoryRepository) -> None:
    url = seeded.engine.url.render_as_string(hide_password=False)
    before = [v.id for v in seeded.search(council="bcp").results]
    command.downgrade(alembic_config(url), "0003")  # as a directory stored before service_facet existed
    command.upgrade(alembic_config(url), "head")
    assert [v.id for v in seeded.search(council="bcp").results] == before
    assert [v.id for v in seeded.search(council="dorset", need="care_homes").results] == ["dorset-care-homes"]
