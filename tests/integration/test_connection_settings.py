"""Every connection the app makes has the settings chosen in models/database.py."""

from __future__ import annotations

from sqlalchemy import text


def test_every_connection_is_set_up_deliberately(services):
    # Several connections: the pool hands out more than one, and each must be configured.
    connections = [services.engine.connect() for _ in range(3)]
    try:
        for connection in connections:
            settings = {
                name: connection.execute(text(f"PRAGMA {name}")).scalar()
                for name in ("foreign_keys", "journal_mode", "synchronous", "busy_timeout")
            }
            assert settings == {
                "foreign_keys": 1,
                "journal_mode": "delete",
                "synchronous": 2,  # FULL
                "busy_timeout": 5000,
            }
    finally:
        for connection in connections:
            connection.close()


def test_a_session_inside_a_service_has_foreign_keys_on(services):
    # The setting matters where the services work: a broken reference is refused.
    import uuid

    import pytest
    from sqlalchemy.exc import IntegrityError

    from collab_desktop.models import Contact

    with pytest.raises(IntegrityError), services.partners._sessions.begin() as session:
        session.add(Contact(organisation_id=uuid.uuid4(), name="Orphan"))
