"""Joint agreements: the service the app and its pages call (services.agreements), made of
one part per job, each in a module of its own in this package:

- reading.py: the list, one version as the editor shows it, the printable document, finding
  a version by fingerprint;
- drafting.py: a first draft from a template, a new version, a version saved as a template;
- parts_changes.py: who plays which part of a draft's template;
- editing.py: checking and saving a draft;
- signing.py: sending for signatures, back to draft, recording and clearing signatures;
- withdrawing.py: void, deleting a draft never sent, marking as ended.

What each status allows is in rules.py, what prints in printable.py, the signs of tampering
in tamper_checks.py, the data handed out and taken back in version_data.py.
"""

from __future__ import annotations

from collab_desktop.services.agreements.drafting import Drafting
from collab_desktop.services.agreements.editing import Editing
from collab_desktop.services.agreements.parts_changes import PartsChanges
from collab_desktop.services.agreements.reading import Reading
from collab_desktop.services.agreements.signing import Signing
from collab_desktop.services.agreements.withdrawing import Withdrawing


class AgreementService(Reading, Drafting, PartsChanges, Editing, Signing, Withdrawing):
    """Every job on agreements, under one name (see the module's docstring for which is
    where); they share AgreementsBase (services/agreements/base.py)."""
