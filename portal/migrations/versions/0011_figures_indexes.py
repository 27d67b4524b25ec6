"""figures indexes: a partial index of children's invitations by review, and
consultations' sending by invitation, so that the participation figures read indexes
rather than every invitation's and consultation's row

Revision ID: 0011_figures_indexes
Revises: 0010_outcomes_timescale
Create Date: 2026-11-30 01:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011_figures_indexes'
down_revision = '0010_outcomes_timescale'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        'ix_invitation_children',
        'invitation',
        ['review_id', 'local_authority_id', 'role'],
        unique=False,
        sqlite_where=sa.text("role = 'child'"),
        postgresql_where=sa.text("role = 'child'"),
    )
    op.create_index(
        'ix_consultation_figures',
        'consultation',
        ['invitation_id', 'submitted_at', 'submitted_on_time'],
        unique=False,
    )


def downgrade():
    op.drop_index('ix_consultation_figures', table_name='consultation')
    op.drop_index('ix_invitation_children', table_name='invitation')
