"""plans and letters: the child's plan and the IRO's letter in words a child understands,
each published version kept as it was shown, translations, "you said, we did" ties to
the child's answers, who opened each and what they said back; and each authority's
reading-age goal, glossary and timescales for them

Revision ID: 0008_plans_and_letters
Revises: 0007_everyone_around_the_child
Create Date: 2026-11-29 21:54:31.768384

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008_plans_and_letters'
down_revision = '0007_everyone_around_the_child'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('local_authority_id', sa.Integer(), nullable=False),
    sa.Column('child_id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('draft_text', sa.Text(), nullable=False),
    sa.Column('draft_html', sa.Text(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('saved_by_id', sa.Integer(), nullable=True),
    sa.Column('saved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('for_parents', sa.Boolean(), nullable=False),
    sa.Column('for_carers', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['child_id'], ['child.id'], name=op.f('fk_document_child_id_child')),
    sa.ForeignKeyConstraint(['local_authority_id'], ['local_authority.id'], name=op.f('fk_document_local_authority_id_local_authority')),
    sa.ForeignKeyConstraint(['review_id'], ['review.id'], name=op.f('fk_document_review_id_review')),
    sa.ForeignKeyConstraint(['saved_by_id'], ['staff_user.id'], name=op.f('fk_document_saved_by_id_staff_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document')),
    sa.UniqueConstraint('review_id', 'kind', name='uq_document_review_kind')
    )
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_child_id'), ['child_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_document_local_authority_id'), ['local_authority_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_document_review_id'), ['review_id'], unique=False)

    op.create_table('document_reading',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('local_authority_id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('invitation_id', sa.Integer(), nullable=False),
    sa.Column('first_opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_document_reading_document_id_document')),
    sa.ForeignKeyConstraint(['invitation_id'], ['invitation.id'], name=op.f('fk_document_reading_invitation_id_invitation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['local_authority_id'], ['local_authority.id'], name=op.f('fk_document_reading_local_authority_id_local_authority')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document_reading')),
    sa.UniqueConstraint('document_id', 'invitation_id', name='uq_document_reading')
    )
    with op.batch_alter_table('document_reading', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_reading_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_document_reading_invitation_id'), ['invitation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_document_reading_local_authority_id'), ['local_authority_id'], unique=False)

    op.create_table('document_response',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('local_authority_id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('invitation_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('language', sa.String(length=20), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('seen_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_document_response_document_id_document')),
    sa.ForeignKeyConstraint(['invitation_id'], ['invitation.id'], name=op.f('fk_document_response_invitation_id_invitation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['local_authority_id'], ['local_authority.id'], name=op.f('fk_document_response_local_authority_id_local_authority')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document_response'))
    )
    with op.batch_alter_table('document_response', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_response_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_document_response_invitation_id'), ['invitation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_document_response_local_authority_id'), ['local_authority_id'], unique=False)

    op.create_table('document_translation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('local_authority_id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=20), nullable=False),
    sa.Column('body_text', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('of_version', sa.Integer(), nullable=False),
    sa.Column('saved_by_id', sa.Integer(), nullable=True),
    sa.Column('saved_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_document_translation_document_id_document')),
    sa.ForeignKeyConstraint(['local_authority_id'], ['local_authority.id'], name=op.f('fk_document_translation_local_authority_id_local_authority')),
    sa.ForeignKeyConstraint(['saved_by_id'], ['staff_user.id'], name=op.f('fk_document_translation_saved_by_id_staff_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document_translation')),
    sa.UniqueConstraint('document_id', 'language', name='uq_document_translation')
    )
    with op.batch_alter_table('document_translation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_translation_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_document_translation_local_authority_id'), ['local_authority_id'], unique=False)

    op.create_table('document_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('local_authority_id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('body_text', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reading_age', sa.Integer(), nullable=True),
    sa.Column('above_goal_confirmed', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_document_version_document_id_document')),
    sa.ForeignKeyConstraint(['local_authority_id'], ['local_authority.id'], name=op.f('fk_document_version_local_authority_id_local_authority')),
    sa.ForeignKeyConstraint(['published_by_id'], ['staff_user.id'], name=op.f('fk_document_version_published_by_id_staff_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document_version')),
    sa.UniqueConstraint('document_id', 'number', name='uq_document_version')
    )
    with op.batch_alter_table('document_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_version_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_document_version_local_authority_id'), ['local_authority_id'], unique=False)

    op.create_table('document_tie',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('local_authority_id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('answer_id', sa.Integer(), nullable=False),
    sa.Column('decision', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['answer_id'], ['answer.id'], name=op.f('fk_document_tie_answer_id_answer'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_document_tie_document_id_document')),
    sa.ForeignKeyConstraint(['local_authority_id'], ['local_authority.id'], name=op.f('fk_document_tie_local_authority_id_local_authority')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document_tie'))
    )
    with op.batch_alter_table('document_tie', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_tie_answer_id'), ['answer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_document_tie_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_document_tie_local_authority_id'), ['local_authority_id'], unique=False)

    with op.batch_alter_table('local_authority', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reading_age_goal', sa.Integer(), server_default='9', nullable=False))
        batch_op.add_column(sa.Column('glossary', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('letter_due_working_days', sa.Integer(), server_default='20', nullable=False))
        batch_op.add_column(sa.Column('plan_shared_working_days', sa.Integer(), server_default='3', nullable=False))



def downgrade():
    with op.batch_alter_table('local_authority', schema=None) as batch_op:
        batch_op.drop_column('plan_shared_working_days')
        batch_op.drop_column('letter_due_working_days')
        batch_op.drop_column('glossary')
        batch_op.drop_column('reading_age_goal')

    with op.batch_alter_table('document_tie', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_document_tie_local_authority_id'))
        batch_op.drop_index(batch_op.f('ix_document_tie_document_id'))
        batch_op.drop_index(batch_op.f('ix_document_tie_answer_id'))

    op.drop_table('document_tie')
    with op.batch_alter_table('document_version', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_document_version_local_authority_id'))
        batch_op.drop_index(batch_op.f('ix_document_version_document_id'))

    op.drop_table('document_version')
    with op.batch_alter_table('document_translation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_document_translation_local_authority_id'))
        batch_op.drop_index(batch_op.f('ix_document_translation_document_id'))

    op.drop_table('document_translation')
    with op.batch_alter_table('document_response', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_document_response_local_authority_id'))
        batch_op.drop_index(batch_op.f('ix_document_response_invitation_id'))
        batch_op.drop_index(batch_op.f('ix_document_response_document_id'))

    op.drop_table('document_response')
    with op.batch_alter_table('document_reading', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_document_reading_local_authority_id'))
        batch_op.drop_index(batch_op.f('ix_document_reading_invitation_id'))
        batch_op.drop_index(batch_op.f('ix_document_reading_document_id'))

    op.drop_table('document_reading')
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_document_review_id'))
        batch_op.drop_index(batch_op.f('ix_document_local_authority_id'))
        batch_op.drop_index(batch_op.f('ix_document_child_id'))

    op.drop_table('document')
