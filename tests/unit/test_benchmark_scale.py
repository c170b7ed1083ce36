"""benchmarks --scale N: each scale's database is cached on its own (making one never deletes
another's), and the growth table compares runs at several scales (issue 17)."""

from __future__ import annotations

import json

from benchmarks import generate
from benchmarks.growth import growth_table, main


def test_each_scale_has_its_own_cache_and_making_one_keeps_the_others(tmp_path, monkeypatch):
    assert generate.cache_key(1) == f"v{generate.GEN_VERSION}-seed{generate.SEED}"
    assert generate.cache_key(4).endswith("-x4")
    assert generate.scaled_counts(2)["attendance"] == 2 * generate.COUNTS["attendance"]
    for scale in (1, 2, 4):
        stem = f"collab-bench-{generate.cache_key(scale)}"
        (tmp_path / f"{stem}.sqlite3").write_text("old")
    made = []

    def fake_generate(path, log, counts):  # the real one takes minutes
        made.append(counts)
        path.write_text("new")
        return generate.Plan(generated_on="2026-12-02")

    monkeypatch.setattr(generate, "generate", fake_generate)
    path, plan = generate.cached_database(tmp_path, force=True, log=lambda _: None, scale=2)
    assert made == [generate.scaled_counts(2)] and plan.scale == 2
    assert path.read_text() == "new"
    left = {p.name: p.read_text() for p in tmp_path.glob("*.sqlite3")}
    assert left == {
        f"collab-bench-{generate.cache_key(1)}.sqlite3": "old",
        f"collab-bench-{generate.cache_key(2)}.sqlite3": "new",
        f"collab-bench-{generate.cache_key(4)}.sqlite3": "old",
    }
    assert json.loads(path.with_suffix(".json").read_text())["scale"] == 2


def test_the_growth_table_flags_what_grows_faster_than_allowed(tmp_path, capsys):
    def run(dialog: float, page: float) -> list[dict]:
        return [
            {"name": "Open a partner's dialog", "median": dialog, "unit": "s", "budget": 0.1},
            {"name": "Partners: first show", "median": page, "unit": "s", "budget": 0.15},
        ]

    table = growth_table({1: run(0.02, 0.1), 4: run(0.05, 0.3)})
    dialog, page = table.splitlines()[2:]
    # A dialog may not grow (2.5× is more than noise); a page may grow as its rows do.
    assert dialog.endswith("| 2.50× | none | NO |")
    assert page.endswith("| 3.00× | ≤ records (4×) | yes |")
    for scale, figures in ((1, run(0.02, 0.1)), (2, run(0.021, 0.2))):
        (tmp_path / f"x{scale}.json").write_text(json.dumps(figures))
    assert main([f"1={tmp_path / 'x1.json'}", f"2={tmp_path / 'x2.json'}"]) == 0
    assert "| 20 ms | 21 ms | 1.05× | none | yes |" in capsys.readouterr().out


def test_at_n_times_the_records_only_what_may_grow_has_n_times_its_budget():
    from benchmarks.common import Figure
    from benchmarks.run import for_scale

    figures = [
        Figure("Back up the whole database", 20.0, "s", 8.0),
        Figure("Open a partner's dialog", 0.05, "s", 0.1),
        Figure("Cold start: first page filled, app idle (× bare window)", 2.5, "×", 3),
        Figure("Peak memory once every page is loaded while idle (× bare window)", 2.8, "×", 2),
        Figure("Participants: every row shown (cold, after its first screen)", 1.0, "s",
               float("inf")),  # fmt: skip
        Figure("Encrypted records: a backup of the whole file (× plain)", 1.3, "×", 1.25),
    ]
    assert for_scale(figures, 1) == figures
    backup, dialog, start, memory, reported, encrypted = for_scale(figures, 4)
    assert encrypted.budget == 1.25 and not encrypted.ok  # the same work two ways: no growth
    assert backup.budget == 32.0 and backup.ok and "×4" in backup.note
    assert dialog.budget == 0.1  # opening a dialog must not grow at all
    assert start.budget == 3  # nor the first page
    assert memory.budget == 5  # 1 + (2 - 1) × 4: what is above the bare window grows
    assert reported.budget == float("inf")
