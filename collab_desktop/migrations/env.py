"""Alembic environment. The app passes its own engine in config.attributes, so migrations use
exactly the connection settings the app uses (foreign keys, journal mode)."""

from __future__ import annotations

from alembic import context

from collab_desktop.models import Base

config = context.config
engine = config.attributes["engine"]

with engine.connect() as connection:
    # Batch mode: SQLite cannot ALTER most things, so Alembic copies and renames tables.
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
