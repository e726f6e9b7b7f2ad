"""service_facet: one narrow index range per search (council x need), filled for existing services

Revision ID: 0004_service_facet
Revises: 0003
Create Date: 2026-11-24

Searching 100,000 services through service_council and attribute meant touching ~20,000
service rows per search; the facet rows let a search read only the rows it returns or counts.
The repository rewrites a service's facets every time it stores the service.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_service_facet"
down_revision = "0003"
branch_labels = None
depends_on = None

# council "" = any council, "*" = national (no councils); need "" = any need.
FILL_FACETS = """
INSERT INTO service_facet (service_id, council, need, status, tier, sort_name)
SELECT s.id, c.council, n.need, s.status,
       CASE WHEN s.scope = 'local'
                 AND (SELECT count(*) FROM service_council sc WHERE sc.service_id = s.id) <= 1 THEN 0
            WHEN s.scope IN ('local', 'county') THEN 1
            ELSE 2 END,
       s.name
FROM service s
JOIN (SELECT service_id, council FROM service_council
      UNION SELECT id, '' FROM service
      UNION SELECT id, '*' FROM service WHERE id NOT IN (SELECT service_id FROM service_council)) c
  ON c.service_id = s.id
JOIN (SELECT a.link_id AS service_id, t.code AS need
        FROM attribute a JOIN taxonomy_term t ON t.id = a.taxonomy_term_id
       WHERE t.taxonomy = 'homeward-need'
      UNION SELECT id, '' FROM service) n
  ON n.service_id = s.id
"""


def upgrade() -> None:
    op.create_table(
        "service_facet",
        sa.Column("service_id", sa.String(length=255), nullable=False),
        sa.Column("council", sa.String(length=40), nullable=False),
        sa.Column("need", sa.String(length=60), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("tier", sa.Integer(), nullable=False),
        sa.Column("sort_name", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["service_id"], ["service.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("service_id", "council", "need"),
    )
    # Covers every column a search reads, so the search never visits the table itself.
    op.create_index(
        "ix_service_facet_search",
        "service_facet",
        ["council", "need", "status", "tier", "sort_name", "service_id"],
        unique=False,
    )
    op.execute(FILL_FACETS)


def downgrade() -> None:
    op.drop_index("ix_service_facet_search", table_name="service_facet")
    op.drop_table("service_facet")
