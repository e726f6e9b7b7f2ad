"""search filters in the text index: council and tier, need, status and pathway as index words

Revision ID: 0005_search_filters
Revises: 0004_service_facet
Create Date: 2026-12-03

A word search used to find every service with the words (a fifth of the directory for
"home carers" at 100,000 services) and then join each one to its facets. With the filters
as words of their own (council and tier "qxcbcpt0", need "qxnhomecare", status "qxslive",
pathway "qxp1") the text index (FTS5 / GIN) intersects words and filters itself.
``service.search_facets`` holds those words; the repository rewrites them every time it
stores a service. The facet rows also get the service's pathways as bits
(``service_facet.pathways``), so a search by pathway reads the facet index alone.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_search_filters"
down_revision = "0004_service_facet"
branch_labels = None
depends_on = None

# The same words as bot.directory.repository.search_filter_words, from the facet rows.
FILTER_WORDS = """
SELECT service_id,
       'qxc' || CASE council WHEN '*' THEN 'national' ELSE replace(council, '_', '') END
             || 't' || CAST(tier AS VARCHAR(2)) AS word
  FROM service_facet WHERE council <> '' AND need = ''
UNION ALL SELECT service_id, 'qxn' || replace(need, '_', '') FROM service_facet WHERE council = '' AND need <> ''
UNION ALL SELECT service_id, 'qxs' || status FROM service_facet WHERE council = '' AND need = ''
UNION ALL SELECT service_id, 'qxp' || CAST(pathway AS VARCHAR(2)) FROM service_pathway
"""
AGGREGATE = {"sqlite": "group_concat(word, ' ')", "postgresql": "string_agg(word, ' ')"}

SQLITE_OLD_INDEX = (
    "CREATE VIRTUAL TABLE service_fts USING fts5(document, tokenize = 'porter unicode61')",
    """CREATE TRIGGER service_fts_insert AFTER INSERT ON service BEGIN
        INSERT INTO service_fts(rowid, document) VALUES (new.rowid, new.search_document);
    END""",
    """CREATE TRIGGER service_fts_delete AFTER DELETE ON service BEGIN
        DELETE FROM service_fts WHERE rowid = old.rowid;
    END""",
    """CREATE TRIGGER service_fts_update AFTER UPDATE OF search_document ON service BEGIN
        DELETE FROM service_fts WHERE rowid = old.rowid;
        INSERT INTO service_fts(rowid, document) VALUES (new.rowid, new.search_document);
    END""",
    "INSERT INTO service_fts(rowid, document) SELECT rowid, search_document FROM service",
)
SQLITE_NEW_INDEX = (
    "CREATE VIRTUAL TABLE service_fts USING fts5(document, facets, tokenize = 'porter unicode61')",
    """CREATE TRIGGER service_fts_insert AFTER INSERT ON service BEGIN
        INSERT INTO service_fts(rowid, document, facets) VALUES (new.rowid, new.search_document, new.search_facets);
    END""",
    """CREATE TRIGGER service_fts_delete AFTER DELETE ON service BEGIN
        DELETE FROM service_fts WHERE rowid = old.rowid;
    END""",
    """CREATE TRIGGER service_fts_update AFTER UPDATE OF search_document, search_facets ON service BEGIN
        DELETE FROM service_fts WHERE rowid = old.rowid;
        INSERT INTO service_fts(rowid, document, facets) VALUES (new.rowid, new.search_document, new.search_facets);
    END""",
    "INSERT INTO service_fts(rowid, document, facets) SELECT rowid, search_document, search_facets FROM service",
)
POSTGRESQL_OLD_VECTOR = "to_tsvector('english', coalesce(search_document, ''))"
# Filter words go through the 'simple' configuration: no stemming, no stop words.
POSTGRESQL_NEW_VECTOR = (
    "to_tsvector('english', coalesce(search_document, '')) || to_tsvector('simple', coalesce(search_facets, ''))"
)


def _drop_sqlite_index() -> None:
    for trigger in ("service_fts_insert", "service_fts_delete", "service_fts_update"):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE IF EXISTS service_fts")


def _set_postgresql_vector(expression: str) -> None:
    op.execute("DROP INDEX IF EXISTS ix_service_search_vector")
    op.execute("ALTER TABLE service DROP COLUMN IF EXISTS search_vector")
    op.execute(f"ALTER TABLE service ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ({expression}) STORED")
    op.execute("CREATE INDEX ix_service_search_vector ON service USING gin (search_vector)")


FACET_INDEX = ["council", "need", "status", "tier", "sort_name", "service_id"]
FILL_PATHWAY_BITS = """
UPDATE service_facet SET pathways = coalesce(
  (SELECT sum(1 << p.pathway) FROM service_pathway p WHERE p.service_id = service_facet.service_id), 0)
"""


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.add_column("service_facet", sa.Column("pathways", sa.Integer(), nullable=False, server_default="0"))
    op.execute(FILL_PATHWAY_BITS)
    op.drop_index("ix_service_facet_search", table_name="service_facet")
    op.create_index("ix_service_facet_search", "service_facet", [*FACET_INDEX, "pathways"])
    op.add_column("service", sa.Column("search_facets", sa.Text(), nullable=False, server_default=""))
    if dialect in AGGREGATE:
        op.execute(
            f"""UPDATE service SET search_facets = coalesce(
                  (SELECT {AGGREGATE[dialect]} FROM ({FILTER_WORDS}) w WHERE w.service_id = service.id), '')"""
        )
    if dialect == "sqlite":
        _drop_sqlite_index()
        for statement in SQLITE_NEW_INDEX:
            op.execute(statement)
    elif dialect == "postgresql":
        _set_postgresql_vector(POSTGRESQL_NEW_VECTOR)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _drop_sqlite_index()
    elif dialect == "postgresql":
        _set_postgresql_vector(POSTGRESQL_OLD_VECTOR)
    # Plain ALTER TABLE (SQLite 3.35+): a batch rebuild of "service" would cascade-delete its children.
    op.execute("ALTER TABLE service DROP COLUMN search_facets")
    op.drop_index("ix_service_facet_search", table_name="service_facet")
    op.execute("ALTER TABLE service_facet DROP COLUMN pathways")
    op.create_index("ix_service_facet_search", "service_facet", FACET_INDEX)
    if dialect == "sqlite":
        for statement in SQLITE_OLD_INDEX:
            op.execute(statement)
