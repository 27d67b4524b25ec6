"""outcomes timescale: each authority's working days to share a review's outcomes with
the child (default 5), and whether each published version of a letter is the full
record or the outcomes only (versions already published were full letters)

Revision ID: 0010_outcomes_timescale
Revises: 0009_review_records_and_feedback
Create Date: 2026-11-29 23:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010_outcomes_timescale'
down_revision = '0009_review_records_and_feedback'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('local_authority', schema=None) as batch_op:
        batch_op.add_column(sa.Column('outcomes_due_working_days', sa.Integer(), server_default='5', nullable=False))

    with op.batch_alter_table('document_version', schema=None) as batch_op:
        batch_op.add_column(sa.Column('full_record', sa.Boolean(), server_default='1', nullable=False))


def downgrade():
    with op.batch_alter_table('document_version', schema=None) as batch_op:
        batch_op.drop_column('full_record')

    with op.batch_alter_table('local_authority', schema=None) as batch_op:
        batch_op.drop_column('outcomes_due_working_days')
