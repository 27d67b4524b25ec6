"""retention periods: how long each authority keeps consultations, parked answers,
sign-in sessions, deliveries and audit events

Existing authorities get the defaults explained in portal.domain.retention (written
out here, so later changes to those defaults do not rewrite history).

Revision ID: 0005_retention_periods
Revises: 0004_sealed_totp_secrets
Create Date: 2026-12-02 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005_retention_periods'
down_revision = '0004_sealed_totp_secrets'
branch_labels = None
depends_on = None

PERIODS = (
    ('keep_consultations_months', '24'),
    ('keep_parked_answers_hours', '24'),
    ('keep_sessions_days', '30'),
    ('keep_deliveries_months', '24'),
    ('keep_audit_months', '84'),
)


def upgrade():
    with op.batch_alter_table('local_authority', schema=None) as batch_op:
        for name, default in PERIODS:
            batch_op.add_column(sa.Column(name, sa.Integer(), server_default=default, nullable=False))


def downgrade():
    with op.batch_alter_table('local_authority', schema=None) as batch_op:
        for name, _default in reversed(PERIODS):
            batch_op.drop_column(name)
