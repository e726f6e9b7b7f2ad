"""initial directory schema

Revision ID: 0001
Revises:
Create Date: 2026-11-24

Also creates the full-text search index over service.search_document: an FTS5 table kept
in step by triggers on SQLite, a stored generated tsvector with a GIN index on PostgreSQL.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "excluded_entry",
        sa.Column("name_key", sa.String(length=255), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("name_key"),
    )
    op.create_table(
        "location",
        sa.Column("id", sa.String(length=255), nullable=False),
        sa.Column("organization_id", sa.String(length=255), nullable=True),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("alternate_name", sa.Text(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("transportation", sa.Text(), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("extra", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "organization",
        sa.Column("id", sa.String(length=255), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("alternate_name", sa.Text(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("email", sa.Text(), nullable=True),
        sa.Column("website", sa.Text(), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("uri", sa.Text(), nullable=True),
        sa.Column("extra", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "postcode",
        sa.Column("postcode", sa.String(length=10), nullable=False),
        sa.Column("district_code", sa.String(length=12), nullable=False),
        sa.PrimaryKeyConstraint("postcode"),
    )
    op.create_table(
        "taxonomy_term",
        sa.Column("id", sa.String(length=255), nullable=False),
        sa.Column("code", sa.Text(), nullable=True),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("parent_id", sa.String(length=255), nullable=True),
        sa.Column("taxonomy", sa.Text(), nullable=True),
        sa.Column("taxonomy_id", sa.String(length=255), nullable=True),
        sa.Column("term_uri", sa.Text(), nullable=True),
        sa.Column("extra", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_taxonomy_term_taxonomy"), "taxonomy_term", ["taxonomy"], unique=False)
    op.create_table(
        "service",
        sa.Column("id", sa.String(length=255), nullable=False),
        sa.Column("organization_id", sa.String(length=255), nullable=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("alternate_name", sa.Text(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("email", sa.Text(), nullable=True),
        sa.Column("interpretation_services", sa.Text(), nullable=True),
        sa.Column("application_process", sa.Text(), nullable=True),
        sa.Column("fees_description", sa.Text(), nullable=True),
        sa.Column("accreditations", sa.Text(), nullable=True),
        sa.Column("eligibility_description", sa.Text(), nullable=True),
        sa.Column("minimum_age", sa.Integer(), nullable=True),
        sa.Column("maximum_age", sa.Integer(), nullable=True),
        sa.Column("alert", sa.Text(), nullable=True),
        sa.Column("last_modified", sa.String(length=40), nullable=True),
        sa.Column("oruk_status", sa.String(length=40), nullable=True),
        sa.Column("extra", sa.JSON(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("scope", sa.String(length=20), nullable=False),
        sa.Column("contact_note", sa.Text(), nullable=True),
        sa.Column("source_id", sa.String(length=255), nullable=True),
        sa.Column("source_where", sa.Text(), nullable=True),
        sa.Column("as_of", sa.String(length=20), nullable=True),
        sa.Column("last_checked", sa.Date(), nullable=True),
        sa.Column("search_document", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_service_organization_id"), "service", ["organization_id"], unique=False)
    op.create_index(op.f("ix_service_scope"), "service", ["scope"], unique=False)
    op.create_table(
        "attribute",
        sa.Column("id", sa.String(length=255), nullable=False),
        sa.Column("link_id", sa.String(length=255), nullable=False),
        sa.Column("link_type", sa.Text(), nullable=True),
        sa.Column("link_entity", sa.String(length=40), nullable=False),
        sa.Column("taxonomy_term_id", sa.String(length=255), nullable=False),
        sa.Column("value", sa.Text(), nullable=True),
        sa.Column("label", sa.Text(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("extra", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(["link_id"], ["service.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["taxonomy_term_id"],
            ["taxonomy_term.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_attribute_link", "attribute", ["link_id"], unique=False)
    op.create_index("ix_attribute_term", "attribute", ["taxonomy_term_id", "link_id"], unique=False)
    op.create_table(
        "contact",
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("extra", sa.JSON(), nullable=True),
        sa.Column("id", sa.String(length=255), nullable=False),
        sa.Column("service_id", sa.String(length=255), nullable=True),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("department", sa.Text(), nullable=True),
        sa.Column("email", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["service_id"], ["service.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_contact_service_id"), "contact", ["service_id"], unique=False)
    op.create_table(
        "phone",
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("extra", sa.JSON(), nullable=True),
        sa.Column("id", sa.String(length=255), nullable=False),
        sa.Column("service_id", sa.String(length=255), nullable=True),
        sa.Column("number", sa.Text(), nullable=True),
        sa.Column("extension", sa.Text(), nullable=True),
        sa.Column("type", sa.Text(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["service_id"], ["service.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_phone_service_id"), "phone", ["service_id"], unique=False)
    op.create_table(
        "schedule",
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("extra", sa.JSON(), nullable=True),
        sa.Column("id", sa.String(length=255), nullable=False),
        sa.Column("service_id", sa.String(length=255), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("opens_at", sa.String(length=20), nullable=True),
        sa.Column("closes_at", sa.String(length=20), nullable=True),
        sa.Column("byday", sa.Text(), nullable=True),
        sa.Column("freq", sa.String(length=20), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["service_id"], ["service.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_schedule_service_id"), "schedule", ["service_id"], unique=False)
    op.create_table(
        "service_area",
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("extra", sa.JSON(), nullable=True),
        sa.Column("id", sa.String(length=255), nullable=False),
        sa.Column("service_id", sa.String(length=255), nullable=True),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("extent", sa.Text(), nullable=True),
        sa.Column("extent_type", sa.Text(), nullable=True),
        sa.Column("uri", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["service_id"], ["service.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_service_area_service_id"), "service_area", ["service_id"], unique=False)
    op.create_table(
        "service_at_location",
        sa.Column("id", sa.String(length=255), nullable=False),
        sa.Column("service_id", sa.String(length=255), nullable=False),
        sa.Column("location_id", sa.String(length=255), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("extra", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["location.id"],
        ),
        sa.ForeignKeyConstraint(["service_id"], ["service.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_service_at_location_service_id"), "service_at_location", ["service_id"], unique=False)
    op.create_table(
        "service_council",
        sa.Column("service_id", sa.String(length=255), nullable=False),
        sa.Column("council", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(["service_id"], ["service.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("service_id", "council"),
    )
    op.create_index("ix_service_council_council", "service_council", ["council", "service_id"], unique=False)
    op.create_table(
        "service_pathway",
        sa.Column("service_id", sa.String(length=255), nullable=False),
        sa.Column("pathway", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["service_id"], ["service.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("service_id", "pathway"),
    )
    op.create_index("ix_service_pathway_pathway", "service_pathway", ["pathway", "service_id"], unique=False)

    _create_search_index()


def downgrade() -> None:
    _drop_search_index()
    op.drop_index("ix_service_pathway_pathway", table_name="service_pathway")
    op.drop_table("service_pathway")
    op.drop_index("ix_service_council_council", table_name="service_council")
    op.drop_table("service_council")
    op.drop_index(op.f("ix_service_at_location_service_id"), table_name="service_at_location")
    op.drop_table("service_at_location")
    op.drop_index(op.f("ix_service_area_service_id"), table_name="service_area")
    op.drop_table("service_area")
    op.drop_index(op.f("ix_schedule_service_id"), table_name="schedule")
    op.drop_table("schedule")
    op.drop_index(op.f("ix_phone_service_id"), table_name="phone")
    op.drop_table("phone")
    op.drop_index(op.f("ix_contact_service_id"), table_name="contact")
    op.drop_table("contact")
    op.drop_index("ix_attribute_term", table_name="attribute")
    op.drop_index("ix_attribute_link", table_name="attribute")
    op.drop_table("attribute")
    op.drop_index(op.f("ix_service_scope"), table_name="service")
    op.drop_index(op.f("ix_service_organization_id"), table_name="service")
    op.drop_table("service")
    op.drop_index(op.f("ix_taxonomy_term_taxonomy"), table_name="taxonomy_term")
    op.drop_table("taxonomy_term")
    op.drop_table("postcode")
    op.drop_table("organization")
    op.drop_table("location")
    op.drop_table("excluded_entry")


SQLITE_SEARCH_INDEX = (
    "CREATE VIRTUAL TABLE service_fts USING fts5(document, tokenize = 'porter unicode61')",
    # service_fts.rowid is service.rowid, so a match joins back to its service.
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
)
POSTGRESQL_SEARCH_INDEX = (
    """ALTER TABLE service ADD COLUMN search_vector tsvector
        GENERATED ALWAYS AS (to_tsvector('english', coalesce(search_document, ''))) STORED""",
    "CREATE INDEX ix_service_search_vector ON service USING gin (search_vector)",
)


def _create_search_index() -> None:
    dialect = op.get_bind().dialect.name
    statements = {"sqlite": SQLITE_SEARCH_INDEX, "postgresql": POSTGRESQL_SEARCH_INDEX}.get(dialect, ())
    for statement in statements:
        op.execute(statement)


def _drop_search_index() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for trigger in ("service_fts_insert", "service_fts_delete", "service_fts_update"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS service_fts")
    elif dialect == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_service_search_vector")
        op.execute("ALTER TABLE service DROP COLUMN IF EXISTS search_vector")
