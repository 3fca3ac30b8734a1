"""hardening: login throttle, session generation, named expiring tokens, case seal and verification

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 06:00:00

- ``login_throttle``: failed logins per username (known or not, so a lock says nothing about whether the
  account exists); an administrator unlocks by deleting the row.
- ``user_account.session_generation``: bumped by logout, password change and deactivation; a session
  carrying an older generation is refused (logout ends the session on the server).
- ``api_token``: a name, an expiry and a revocation time.
- ``case_file.seal``: a keyed hash (HMAC, key outside the database) over the case's current data and its
  history head, so current case data is tied to the chain; ``verified_at``/``verified_ok``: the last
  verification of the case, shown on the audit page.
Existing history chains were hashed with plain SHA-256; ``flask --app app reseal-history`` re-keys the chains
that verify (run ``verify-history`` first: a re-key makes the current content the reference).
"""
import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "login_throttle",
        sa.Column("username", sa.String(200), primary_key=True),
        sa.Column("failures", sa.Integer, nullable=False, server_default="0"),
        sa.Column("first_failure_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
    )
    with op.batch_alter_table("user_account") as batch:
        batch.add_column(sa.Column("session_generation", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(sa.Column("password_changed_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("api_token") as batch:
        batch.add_column(sa.Column("name", sa.String(100), nullable=False, server_default=""))
        batch.add_column(sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("case_file") as batch:
        batch.add_column(sa.Column("seal", sa.String(64), nullable=False, server_default=""))
        batch.add_column(sa.Column("verified_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("verified_ok", sa.Boolean, nullable=True))


def downgrade():
    with op.batch_alter_table("case_file") as batch:
        batch.drop_column("verified_ok")
        batch.drop_column("verified_at")
        batch.drop_column("seal")
    with op.batch_alter_table("api_token") as batch:
        batch.drop_column("revoked_at")
        batch.drop_column("expires_at")
        batch.drop_column("name")
    with op.batch_alter_table("user_account") as batch:
        batch.drop_column("password_changed_at")
        batch.drop_column("session_generation")
    op.drop_table("login_throttle")
