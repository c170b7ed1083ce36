"""Agreement templates: the four built in (JSON files under resources/templates) and the
ones users save from their own agreements (rows of the template table)."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from functools import cache

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from collab_desktop.models import Template
from collab_desktop.resources import resource
from collab_desktop.services.errors import NotFound, ValidationError
from collab_desktop.services.validation import clean

USER_PREFIX = "user:"


@dataclass(frozen=True)
class TemplateInfo:
    key: str
    name: str
    description: str
    builtin: bool
    body: dict = field(repr=False, compare=False)


@cache
def builtin_templates() -> tuple[TemplateInfo, ...]:
    found = []
    for path in resource("templates").glob("*.json"):
        body = json.loads(path.read_text(encoding="utf-8"))
        found.append((body.get("order", 99), TemplateInfo(
            body["key"], body["name"], body.get("description", ""), True, body
        )))  # fmt: skip
    return tuple(info for _, info in sorted(found, key=lambda pair: pair[0]))


class TemplateService:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def list_templates(self) -> list[TemplateInfo]:
        with self._sessions() as session:
            saved = session.scalars(select(Template).order_by(Template.name)).all()
            own = [
                TemplateInfo(
                    f"{USER_PREFIX}{t.id}", t.name, t.description, False, json.loads(t.body)
                )
                for t in saved
            ]
        return [*builtin_templates(), *own]

    def get(self, key: str) -> TemplateInfo:
        for info in self.list_templates():
            if info.key == key:
                return info
        raise NotFound("That template is no longer available.")

    def save_template(self, name: str, description: str, body: dict) -> str:
        name = clean(name)
        if not name:
            raise ValidationError.single("name", "Please give the template a name.")
        taken = {t.name.casefold() for t in self.list_templates()}
        if name.casefold() in taken:
            raise ValidationError.single("name", f"There is already a template called “{name}”.")
        with self._sessions.begin() as session:
            template = Template(name=name, description=clean(description), body=json.dumps(body))
            session.add(template)
            session.flush()
            return f"{USER_PREFIX}{template.id}"

    def delete_template(self, key: str) -> None:
        if not key.startswith(USER_PREFIX):
            raise ValidationError.single("template", "Built-in templates cannot be deleted.")
        with self._sessions.begin() as session:
            template = session.get(Template, uuid.UUID(key.removeprefix(USER_PREFIX)))
            if template is not None:
                session.delete(template)
