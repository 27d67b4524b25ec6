"""sealed two-factor secrets: authenticator keys are stored encrypted

Keys already stored in plain text are sealed with the running app's SECRET_KEY
(see portal.domain.sealing); downgrading opens them again.

Revision ID: 0004_sealed_totp_secrets
Revises: 0003_staff_workspace
Create Date: 2026-11-29 14:10:00

"""
from alembic import op
from flask import current_app
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004_sealed_totp_secrets'
down_revision = '0003_staff_workspace'
branch_labels = None
depends_on = None

staff_user = sa.table('staff_user', sa.column('id', sa.Integer), sa.column('totp_secret', sa.String))


def _rewrite(change):
    connection = op.get_bind()
    stored = connection.execute(
        sa.select(staff_user.c.id, staff_user.c.totp_secret).where(staff_user.c.totp_secret.is_not(None))
    ).all()
    for staff_id, value in stored:
        connection.execute(
            staff_user.update().where(staff_user.c.id == staff_id).values(totp_secret=change(value))
        )


def upgrade():
    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.alter_column('totp_secret', existing_type=sa.String(length=64), type_=sa.String(length=255), existing_nullable=True)
    _rewrite(current_app.extensions['secret_box'].seal)


def downgrade():
    _rewrite(current_app.extensions['secret_box'].open)
    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.alter_column('totp_secret', existing_type=sa.String(length=255), type_=sa.String(length=64), existing_nullable=True)
