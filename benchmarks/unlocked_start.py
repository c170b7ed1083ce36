"""The app's start on encrypted records with the passphrase given, not typed: for the
encrypted first page's figure (benchmarks/crypt_bench.py).

    COLLAB_BENCH_PASSPHRASE=… python benchmarks/unlocked_start.py --data-dir DIR

Runs the app as `python -m collab_desktop --data-dir DIR` would, with the unlock dialog
answered by the passphrase in COLLAB_BENCH_PASSPHRASE (the same derivation and key file as
the dialog's, minus the typing). The app's `records` mark then follows the unlock, so the
time from it to `idle` is the first page's own work, as in a plain start; the unlock itself
has its own figure. Without the variable it is the plain start, through the same driver.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

ENV_PASSPHRASE = "COLLAB_BENCH_PASSPHRASE"


def main(argv: list[str] | None = None) -> int:
    from collab_desktop import app

    passphrase = os.environ.pop(ENV_PASSPHRASE, None)
    if passphrase is not None:
        from collab_desktop.services.records_key import PASSPHRASE_KIND, open_with_secret
        from collab_desktop.ui import encryption

        def unlock_at_start(parent, database, backup_folder=None):
            return open_with_secret(database, PASSPHRASE_KIND, passphrase)

        encryption.unlock_at_start = unlock_at_start
    return app.main(sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":
    sys.exit(main())
