"""A large synthetic database, made once and cached: ten years of a busy lead partner.

The schema comes from the app's own migrations. Rows go in with SQLAlchemy Core inserts on
the ORM's tables (so every column is stored exactly as the ORM stores it: the same types,
defaults and version-4 UUID keys), in big batches inside one transaction: about a minute,
where the services would take hours. Frozen agreement texts and fingerprints are computed by
the agreement service's own code, and the audit trail is hash-chained with the audit log's
own hash, so the app finds nothing amiss in the result.

Dates are laid out around the day of generation: finished groups over ten years, and about
one in seven groups still running, with sessions planned up to the app's horizon. The cache is
rebuilt when it is four weeks old, so "now" in the data stays near today.

    .venv/bin/python benchmarks/generate.py [--force] [--verify] [--scale N]

`--scale N` makes N times the records of every kind (the same shape: N times the partners,
groups, people, sessions and marks), cached separately from the 1× database, for the growth
table of benchmarks/run.py --scale N. COLLAB_BENCH_CACHE names another cache folder.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time as clock
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import names  # noqa: E402

GEN_VERSION = 2
SEED = 20260601
MAX_AGE = timedelta(days=28)
CACHE_DIR = Path(os.environ.get("COLLAB_BENCH_CACHE") or Path(__file__).resolve().parent / ".cache")

COUNTS = {
    "organisations": 5_000,
    "contacts": 20_000,
    "volunteers": 900,
    "collaborations": 2_000,
    "agreements": 2_800,  # one for each collaboration, and a second one for 800 of them
    "agreement_versions": 5_000,
    "responsibilities": 50_000,
    "participants": 20_000,
    "activities": 2_000,
    "sessions": 100_000,
    "attendance": 500_000,
}
SESSIONS_PER_ACTIVITY = COUNTS["sessions"] // COUNTS["activities"]  # 50
BIG_AGREEMENT = 100  # responsibilities of the agreement the editor and PDF are timed on
SHEET_GROUP = 30  # participants enrolled in the group whose sheets are timed
CURRENT_SHARE = 0.15  # groups still running today
BATCH = 20_000


def cache_key(scale: int = 1) -> str:
    return f"v{GEN_VERSION}-seed{SEED}" + (f"-x{scale}" if scale != 1 else "")


def scaled_counts(scale: int) -> dict[str, int]:
    """N times the ten years' records of every kind."""
    return {name: count * scale for name, count in COUNTS.items()}


def _scale_of(file_name: str) -> int:
    """The scale a cached file was made at ("collab-bench-v2-seed1-x4.json" is 4)."""
    stem = file_name.split(".", 1)[0]
    tag = stem.rsplit("-", 1)[-1]
    return int(tag[1:]) if tag.startswith("x") and tag[1:].isdigit() else 1


@dataclass
class Plan:
    """What the benchmark needs to find again in the generated database."""

    generated_on: str = ""
    big_version: str = ""  # a draft with BIG_AGREEMENT responsibilities
    sheet_activity: str = ""  # a running weekly group with SHEET_GROUP enrolled
    year_activity: str = ""  # the same group: a year's figures
    counts: dict[str, int] = field(default_factory=dict)
    scale: int = 1  # times the ten years' records (generate.py --scale)


class Ids:
    """Version-4 UUIDs, as uuid.uuid4() makes them, but repeatable from the seed."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng

    def new(self) -> uuid.UUID:
        return uuid.UUID(int=self._rng.getrandbits(128), version=4)


def stamp(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=timezone.utc)


def _address(rng: random.Random) -> str:
    number = rng.randint(1, 220)
    street = rng.choice(
        ["High Street", "Stryd Fawr", "Station Road", "Heol y Frenhines", "Church Lane"]
    )
    return f"{number} {street}"


def _postcode(rng: random.Random) -> str:
    area = rng.choice(["CF", "SA", "LL", "NP", "SY", "LD", "BS", "M"])
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    return (
        f"{area}{rng.randint(1, 48)} {rng.randint(1, 9)}{rng.choice(letters)}{rng.choice(letters)}"
    )


# -- the records -------------------------------------------------------------------------------


class Generator:
    def __init__(self, today: date, seed: int = SEED, counts: dict[str, int] | None = None) -> None:
        # Other counts make a smaller database of the same shape (tests/integration uses one).
        self.counts = counts or COUNTS
        self.rng = random.Random(seed)
        self.ids = Ids(self.rng)
        self.today = today
        self.rows: dict[str, list[dict]] = defaultdict(list)
        self.plan = Plan(generated_on=today.isoformat())

    # people and places

    def person(self) -> str:
        return f"{self.rng.choice(names.FIRST_NAMES)} {self.rng.choice(names.SURNAMES)}"

    def organisations(self) -> None:
        from collab_desktop.services.partners import normalise_name

        rng = self.rng
        kinds = list(names.KIND_WEIGHTS)
        weights = list(names.KIND_WEIGHTS.values())
        prisons = list(names.PRISON_NAMES)
        rng.shuffle(prisons)
        seen: set[str] = set()
        self.orgs_by_kind: dict[str, list[uuid.UUID]] = defaultdict(list)
        self.org_name: dict[uuid.UUID, str] = {}
        self.org_town: dict[uuid.UUID, str] = {}
        while len(self.org_name) < self.counts["organisations"]:
            kind = rng.choices(kinds, weights)[0]
            town = rng.choice(names.TOWNS)
            if kind == "prison":
                if not prisons:
                    continue
                name = f"HMP {prisons.pop()}"
            elif kind == "charity":
                word = rng.choice(names.CHARITY_WORDS)
                pattern = rng.choice(
                    ["{town} {word}", "{word} {town}", "North {town} {word}",
                     "{town} & District {word}", "South {town} {word}", "{word} Cymru {town}"]
                )  # fmt: skip
                name = pattern.format(town=town, word=word)
            else:
                pattern = rng.choice(names.OTHER_NAMES[kind])
                name = pattern.format(
                    town=town, word=rng.choice(names.CHARITY_WORDS),
                    surname=rng.choice(names.SURNAMES),
                )  # fmt: skip
            key = normalise_name(name)
            if key in seen:
                if len(self.org_name) < COUNTS["organisations"]:
                    continue
                # Past the ten years' partners (--scale) the names run out: branches, then.
                name = f"{name} (branch {len(self.org_name)})"
                key = normalise_name(name)
            seen.add(key)
            oid = self.ids.new()
            created = self.today - timedelta(days=rng.randint(30, 3650))
            archived = rng.random() < 0.05
            self.rows["organisation"].append({
                "id": oid, "name": name, "kind": kind,
                "charity_number": str(rng.randint(1000000, 1199999))
                if kind in ("charity", "funder") else "",
                "company_number": f"{rng.randint(1000000, 9999999):08d}"
                if kind in ("social_enterprise", "housing") else "",
                "address": _address(rng),
                "town": town, "postcode": _postcode(rng),
                "phone": f"0{rng.randint(1000, 2999)} {rng.randint(100000, 999999)}",
                "email": f"info{len(self.org_name)}@example.org.uk",
                "website": "", "notes": "",
                "archived_at": stamp(self.today - timedelta(days=rng.randint(1, 900)))
                if archived else None,
                "created_at": stamp(created), "updated_at": stamp(created),
            })  # fmt: skip
            self.org_name[oid] = name
            self.org_town[oid] = town
            if not archived:
                self.orgs_by_kind[kind].append(oid)

    def contacts(self) -> None:
        rng = self.rng
        per_org = self.counts["contacts"] // self.counts["organisations"]
        self.contacts_of: dict[uuid.UUID, list[uuid.UUID]] = {}
        self.contact_name: dict[uuid.UUID, str] = {}
        self.contact_title: dict[uuid.UUID, str] = {}
        for org in self.rows["organisation"]:
            ids = []
            for i in range(per_org):
                cid = self.ids.new()
                name = self.person()
                title = (
                    "Governor"
                    if org["kind"] == "prison" and i == 0
                    else ("Chief Executive" if i == 0 else rng.choice(names.JOB_TITLES))
                )
                self.rows["contact"].append({
                    "id": cid, "organisation_id": org["id"], "name": name, "job_title": title,
                    "email": f"c{len(self.contact_name)}@example.org.uk",
                    "phone": f"07{rng.randint(100, 999)} {rng.randint(100000, 999999)}",
                    "level": "strategic" if i == 0 else "operational", "notes": "",
                    "created_at": org["created_at"], "updated_at": org["created_at"],
                })  # fmt: skip
                ids.append(cid)
                self.contact_name[cid] = name
                self.contact_title[cid] = title
            self.contacts_of[org["id"]] = ids

    def volunteers(self) -> None:
        rng = self.rng
        self.volunteer_contacts: set[uuid.UUID] = set()
        charities = self.orgs_by_kind["charity"]
        for org in rng.sample(charities, self.counts["volunteers"]):
            cid = rng.choice(self.contacts_of[org][1:])
            vid = self.ids.new()
            since = self.today - timedelta(days=rng.randint(60, 3000))
            self.volunteer_contacts.add(cid)
            self.rows["volunteer"].append({
                "id": vid, "contact_id": cid, "since": since,
                "induction_on": since + timedelta(days=14), "training": "Safeguarding; Key talk",
                "training_on": since + timedelta(days=30),
                "risk_assessed_on": since + timedelta(days=30), "risk_reviewer": self.person(),
                "risk_review_due": since + timedelta(days=395), "notes": "",
                "created_at": stamp(since), "updated_at": stamp(since),
            })  # fmt: skip
            for position in range(rng.randint(1, 2)):
                seen = since + timedelta(days=rng.randint(0, 400))
                self.rows["clearance"].append({
                    "id": self.ids.new(), "volunteer_id": vid, "position": position,
                    "kind": "dbs_enhanced" if position == 0 else "prison_vetting",
                    "site": "" if position == 0 else f"HMP {rng.choice(names.PRISON_NAMES)}",
                    "certificate_number": f"{rng.randint(10**11, 10**12 - 1)}",
                    "seen_on": seen, "expires_on": seen + timedelta(days=3 * 365),
                    "created_at": stamp(seen), "updated_at": stamp(seen),
                })  # fmt: skip

    # collaborations, activities and their sessions

    def collaborations(self) -> None:
        """One weekly or fortnightly group per collaboration, 50 sessions each. Finished ones
        are spread over ten years; running ones have sessions up to the planning horizon."""
        from collab_desktop.services.delivery.activities import HORIZON
        from collab_desktop.services.delivery.schedule import schedule_dates

        rng = self.rng
        today = self.today
        self.collab: list[dict] = []
        lead_pool = self.orgs_by_kind["charity"] + self.orgs_by_kind["social_enterprise"]
        prisons = self.orgs_by_kind["prison"]
        funders = self.orgs_by_kind["funder"]
        n = self.counts["collaborations"]
        current = set(rng.sample(range(n), int(n * CURRENT_SHARE)))
        # The group the sheets and figures are timed on: running, weekly, in a prison.
        sheet_index = min(current)
        for i in range(n):
            setting = (
                "custody"
                if i == sheet_index
                else rng.choices(["custody", "community", "both"], [60, 30, 10])[0]
            )
            frequency = "weekly" if i == sheet_index or rng.random() < 0.85 else "fortnightly"
            weekday = rng.randint(0, 4)
            running = i in current
            horizon = today + HORIZON
            step = 7 if frequency == "weekly" else 14
            back = step * (SESSIONS_PER_ACTIVITY - 1)  # first to 50th session
            if running:
                open_ended = rng.random() < 0.5 or i == sheet_index
                if open_ended:
                    # The 50th date is the last within the horizon: nothing for the app to add.
                    last_day = horizon - timedelta(days=(horizon.weekday() - weekday) % 7)
                    if frequency == "fortnightly":
                        last_day -= timedelta(days=7 * rng.randint(0, 1))
                    start = last_day - timedelta(days=back)
                else:  # ends between next week and the horizon
                    start = today - timedelta(days=rng.randint(back - 182, back - 7))
            else:
                open_ended = False
                start = today - timedelta(days=rng.randint(back + 30, 3650))
            dates = schedule_dates(weekday, frequency, start, horizon + timedelta(days=800))
            dates = dates[:SESSIONS_PER_ACTIVITY]
            if running and open_ended:
                assert dates[-1] <= horizon < dates[-1] + timedelta(days=step)
            starts_on, ends_on = dates[0], None if open_ended else dates[-1]
            c_start = starts_on - timedelta(days=rng.randint(0, 120))
            c_end = None if running else dates[-1] + timedelta(days=rng.randint(0, 60))
            status = "active" if running else rng.choices(["ended", "paused"], [9, 1])[0]

            lead = rng.choice(lead_pool)
            partners = [o for o in rng.sample(lead_pool, 3) if o != lead][: rng.randint(1, 2)]
            host = rng.choice(prisons) if setting in ("custody", "both") else None
            funder = rng.choice(funders) if rng.random() < 0.3 else None
            cid = self.ids.new()
            place = self.org_name[host].removeprefix("HMP ") if host else self.org_town[lead]
            activity_name = rng.choice(names.ACTIVITY_NAMES)
            site = self.org_name[host] if host else rng.choice(names.VENUES) + f", {place}"
            self.rows["collaboration"].append({
                "id": cid, "name": f"{activity_name} at {site} ({c_start.year}, #{i + 1})",
                "purpose": "Bring people together week by week, and help them keep in touch "
                "with their families.",
                "setting": setting, "site": site, "start_date": c_start, "end_date": c_end,
                "status": status, "funding_type": "grant" if funder else "unfunded",
                "funder_id": funder, "funding_from": c_start if funder else None,
                "funding_until": c_start + timedelta(days=730) if funder else None,
                "notes": "", "created_at": stamp(c_start), "updated_at": stamp(c_start),
            })  # fmt: skip
            members = [(lead, "lead")] + [(p, "partner") for p in partners]
            if host:
                members.append((host, "host"))
            if funder and funder not in {m for m, _ in members}:
                members.append((funder, "funder"))
            for position, (org, role) in enumerate(members):
                self.rows["member"].append({
                    "id": self.ids.new(), "collaboration_id": cid, "organisation_id": org,
                    "role": role, "position": position,
                    "created_at": stamp(c_start), "updated_at": stamp(c_start),
                })  # fmt: skip
            info = {
                "id": cid,
                "start": c_start,
                "end": c_end,
                "running": running,
                "setting": setting,
                "members": members,
                "site": site,
                "name": activity_name,
                "dates": dates,
                "weekday": weekday,
                "frequency": frequency,
                "starts_on": starts_on,
                "ends_on": ends_on,
                "sheet": i == sheet_index,
            }
            self.collab.append(info)
            self.activity(info)

    def activity(self, c: dict) -> None:
        from collab_desktop.services.delivery.activities import HORIZON

        rng = self.rng
        today = self.today
        aid = self.ids.new()
        c["activity"] = aid
        start, end = rng.choice(
            [(time(10), time(12)), (time(14), time(16)), (time(18, 30), time(20))]
        )
        venue = rng.choice(names.VENUES)
        self.rows["activity"].append({
            "id": aid, "collaboration_id": c["id"], "name": c["name"], "venue": venue,
            "weekday": c["weekday"], "start_time": start, "end_time": end,
            "frequency": c["frequency"], "starts_on": c["starts_on"], "ends_on": c["ends_on"],
            "name_printing": "full" if c["setting"] == "community" else "initials",
            "spare_rows": 6, "notes": "",
            # As the app leaves it: sessions planned to its horizon (all 50 exist).
            "planned_until": today + HORIZON,
            "created_at": stamp(c["start"]), "updated_at": stamp(c["start"]),
        })  # fmt: skip
        staff_orgs = [org for org, role in c["members"] if role in ("lead", "partner")]
        candidates = [x for org in staff_orgs for x in self.contacts_of[org]]
        volunteers = [x for x in candidates if x in self.volunteer_contacts]
        leaders = (volunteers[:1] + rng.sample(candidates, 2))[: rng.randint(1, 2)]
        leaders = list(dict.fromkeys(leaders))
        for position, contact in enumerate(leaders):
            self.rows["facilitator"].append({
                "id": self.ids.new(), "activity_id": aid, "contact_id": contact,
                "position": position,
                "created_at": stamp(c["start"]), "updated_at": stamp(c["start"]),
            })  # fmt: skip
        c["sessions"] = []
        reasons = ["lockdown", "staff_shortage", "facilitator_unavailable"]
        for day in c["dates"]:
            sid = self.ids.new()
            on = day
            if day < today:
                status = rng.choices(["held", "cancelled", "planned"], [92, 5, 3])[0]
            else:
                status = "cancelled" if rng.random() < 0.02 else "planned"
            if status == "held" and rng.random() < 0.004:
                on = day + timedelta(days=1)  # moved by a day, and recorded
            self.rows["activity_session"].append({
                "id": sid, "activity_id": aid, "on": on, "start_time": start, "end_time": end,
                "scheduled_on": day, "venue": "", "status": status,
                "cancel_reason": rng.choice(reasons) if status == "cancelled" else "",
                "note": "", "recorded_at": stamp(on, 17) if status == "held" else None,
                "created_at": stamp(c["start"]), "updated_at": stamp(on, 17),
            })  # fmt: skip
            c["sessions"].append((sid, on, status))
            if status == "held":
                for contact in leaders:
                    self.rows["session_leader"].append({
                        "id": self.ids.new(), "session_id": sid, "contact_id": contact,
                        "created_at": stamp(on, 17), "updated_at": stamp(on, 17),
                    })  # fmt: skip

    # people taking part

    def participants(self) -> None:
        rng = self.rng
        today = self.today
        people: list[dict] = []
        for _ in range(self.counts["participants"]):
            pid = self.ids.new()
            people.append({
                "id": pid, "display_name": self.person(), "reference": "", "joined_on": None,
                "left_on": None, "notes": "",
                "created_at": None, "updated_at": None,
            })  # fmt: skip
        order = list(range(len(people)))
        rng.shuffle(order)
        cursor = 0
        self.enrolled: dict[uuid.UUID, list[tuple[uuid.UUID, date, date | None]]] = {}
        for c in self.collab:
            size = SHEET_GROUP if c["sheet"] else rng.randint(8, 16)
            group = []
            for _ in range(size):
                if cursor < len(order):
                    p = people[order[cursor]]
                    cursor += 1
                else:  # everyone has a group: some join a second one
                    p = people[rng.randrange(len(people))]
                    if any(p["id"] == q for q, _, _ in group):
                        continue
                first = c["dates"][0]
                late = 0 if c["sheet"] else rng.randint(0, 6)
                enrolled_on = first + timedelta(days=7 * late)
                left_on = None
                if not c["running"] and rng.random() < 0.5:
                    left_on = c["dates"][-1]
                elif c["running"] and not c["sheet"] and rng.random() < 0.1:
                    left_on = today - timedelta(days=rng.randint(1, 60))
                    left_on = max(left_on, enrolled_on)
                group.append((p["id"], enrolled_on, left_on))
                if p["joined_on"] is None or enrolled_on < p["joined_on"]:
                    p["joined_on"] = enrolled_on
                if c["setting"] != "community" and not p["reference"]:
                    p["reference"] = (
                        f"{rng.choice('ABG')}{rng.randint(1000, 9999)}"
                        f"{rng.choice('ABCDEFGHJK')}{rng.choice('ABCDEFGHJK')}"
                    )
                if left_on and not c["running"] and rng.random() < 0.6:
                    p["left_on"] = max(p["left_on"] or left_on, left_on)
            self.enrolled[c["activity"]] = group
            for pid, enrolled_on, left_on in group:
                self.rows["enrolment"].append({
                    "id": self.ids.new(), "activity_id": c["activity"], "participant_id": pid,
                    "enrolled_on": enrolled_on, "left_on": left_on,
                    "created_at": stamp(enrolled_on), "updated_at": stamp(enrolled_on),
                })  # fmt: skip
        for p in people:
            joined = p["joined_on"] or today - timedelta(days=rng.randint(1, 3000))
            p["joined_on"] = p["joined_on"] or None
            p["created_at"] = p["updated_at"] = stamp(joined)
            if p["left_on"] and p["joined_on"] and p["left_on"] < p["joined_on"]:
                p["left_on"] = None
        self.rows["participant"] = people

    def attendance(self) -> None:
        """Exactly counts['attendance'] marks, spread over held sessions, each person only on days
        they were enrolled."""
        rng = self.rng
        held = []
        for c in self.collab:
            group = self.enrolled[c["activity"]]
            for sid, on, status in c["sessions"]:
                if status == "held":
                    present = [
                        pid for pid, since, left in group
                        if since <= on and (left is None or left >= on)
                    ]  # fmt: skip
                    held.append((sid, on, present))
        total = self.counts["attendance"]
        capacity = sum(len(p) for _, _, p in held)
        assert capacity >= total, (capacity, total)
        share = total / capacity
        counts = [min(len(p), round(len(p) * share)) for _, _, p in held]
        diff = total - sum(counts)
        step = 1 if diff > 0 else -1
        i = 0
        while diff:
            j = i % len(held)
            room = len(held[j][2]) - counts[j]
            if (step > 0 and room > 0) or (step < 0 and counts[j] > 0):
                counts[j] += step
                diff -= step
            i += 1
        for (sid, on, present), k in zip(held, counts, strict=True):
            for pid in rng.sample(present, k):
                self.rows["attendance"].append({
                    "id": self.ids.new(), "session_id": sid, "participant_id": pid,
                    "created_at": stamp(on, 17), "updated_at": stamp(on, 17),
                })  # fmt: skip

    # agreements

    def agreements(self) -> None:
        from collab_desktop.services.agreements.templates import builtin_templates

        rng = self.rng
        templates = [t.body for t in builtin_templates()]
        lines = [r for t in templates for r in t["responsibilities"]]
        n_versions = self.counts["agreement_versions"]
        agreements: list[tuple[dict, int]] = []  # (collaboration, number of versions)
        seconds = self.counts["agreements"] - self.counts["collaborations"]
        extra = n_versions - self.counts["agreements"]
        for c in self.collab:
            agreements.append((c, 1))
        for c in rng.sample(self.collab, seconds):
            agreements.append((c, 1))
        while extra:
            k = rng.randrange(len(agreements))
            c, v = agreements[k]
            if v < 4:
                agreements[k] = (c, v + 1)
                extra -= 1
        # The big one: the sheet group's agreement, a second version still in draft.
        big_index = next(i for i, (c, _) in enumerate(agreements) if c["sheet"])
        c, v = agreements[big_index]
        agreements[big_index] = (c, max(v, 2))
        total_versions = sum(v for _, v in agreements)
        # Keep the exact total: take surplus versions back from others.
        for k in range(len(agreements)):
            if total_versions == n_versions:
                break
            c, v = agreements[k]
            if v > 1 and k != big_index:
                agreements[k] = (c, v - 1)
                total_versions -= 1
        assert total_versions == n_versions
        # Responsibilities per version: about ten, the exact total kept.
        sizes = [max(3, round(rng.gauss(10, 2.5))) for _ in range(n_versions - 1)]
        while (gap := self.counts["responsibilities"] - BIG_AGREEMENT - sum(sizes)) != 0:
            k = rng.randrange(len(sizes))
            if gap > 0 or sizes[k] > 3:
                sizes[k] += 1 if gap > 0 else -1
        self.versions: list[dict] = []
        self.signatory_label: dict[uuid.UUID, tuple[str, str]] = {}
        for k, (c, n) in enumerate(agreements):
            template = rng.choice(templates)
            aid = self.ids.new()
            title = f"Joint agreement: {c['name']} ({k + 1})"
            first = c["start"] + timedelta(days=rng.randint(0, 60))
            self.rows["agreement"].append({
                "id": aid, "collaboration_id": c["id"], "title": title,
                "created_at": stamp(first), "updated_at": stamp(first),
            })  # fmt: skip
            for number, status in enumerate(self.statuses(c, n, k == big_index), start=1):
                big = k == big_index and number == n
                count = BIG_AGREEMENT if big else sizes.pop()
                made = first + timedelta(days=120 * (number - 1))
                self.version(c, aid, number, status, count, template, lines, made, big)
        assert not sizes

    def statuses(self, c: dict, n: int, big: bool) -> list[str]:
        """A lifecycle the service allows: only the newest version can be open; older ones
        are void or were signed off, and the newest signed-off one is superseded only when a
        later version was signed off too."""
        rng = self.rng
        if big:
            last = "draft"
        elif c["running"]:
            last = rng.choices(
                ["signed_off", "draft", "awaiting_signatures", "void"], [70, 15, 10, 5]
            )[0]
        else:
            last = rng.choices(["ended", "signed_off", "void"], [70, 25, 5])[0]
        older = ["void" if rng.random() < 0.1 else "superseded" for _ in range(n - 1)]
        if last not in ("signed_off", "ended") and "superseded" in older:
            newest = max(i for i, s in enumerate(older) if s == "superseded")
            older[newest] = "signed_off"
        return [*older, last]

    def version(
        self, c: dict, agreement_id: uuid.UUID, number: int, status: str, count: int,
        template: dict, lines: list[dict], made: date, big: bool,
    ) -> None:  # fmt: skip
        from collab_desktop.models.enums import AGREEMENT_SECTIONS

        rng = self.rng
        vid = self.ids.new()
        if big:
            self.plan.big_version = str(vid)
        members = c["members"]
        by_role = defaultdict(list)
        for org, role in members:
            by_role[role].append(org)
        parties = [org for org, role in members if role in ("lead", "partner", "host")]
        self.rows["agreement_version"].append({
            "id": vid, "agreement_id": agreement_id, "number": number,
            # Frozen versions are inserted as they were when sent; see freeze_versions().
            "status": "draft" if status == "draft" else "awaiting_signatures",
            "template_key": template["key"],
            **{key: template["sections"].get(key, "") for key in AGREEMENT_SECTIONS},
            "review_frequency": template.get("review_frequency", ""),
            "reviewers": template.get("reviewers", ""),
            "next_review": made + timedelta(days=365),
            "fingerprint": "", "content": "", "sent_at": None, "signed_off_on": None,
            "superseded_by_id": None, "void_reason": "", "voided_at": None,
            "created_at": stamp(made), "updated_at": stamp(made),
        })  # fmt: skip
        for position in range(count):
            line = rng.choice(lines)
            who = rng.random()
            org = contact = None
            if who < 0.1:
                pass  # a joint duty
            elif who < 0.2:
                contact = rng.choice(self.contacts_of[rng.choice(parties)])
            else:
                org = by_role.get(line.get("party"), [None])[0] or rng.choice(parties)
            self.rows["responsibility"].append({
                "id": self.ids.new(), "version_id": vid, "position": position,
                "organisation_id": org, "contact_id": contact, "area": line["area"],
                "what": line["what"],
                "how_often": line.get("how_often", ""), "since": None,
                "created_at": stamp(made), "updated_at": stamp(made),
            })  # fmt: skip
        signers = [(by_role["lead"][0], "party")]
        signers += [(org, "party") for org in by_role.get("partner", [])[:1]]
        signers += [(org, "host_approver") for org in by_role.get("host", [])]
        signatories = []
        for position, (org, capacity) in enumerate(signers):
            person = self.contacts_of[org][0]
            sid = self.ids.new()
            signatories.append(sid)
            self.signatory_label[sid] = (self.contact_name[person], capacity)
            self.rows["signatory"].append({
                "id": sid, "version_id": vid, "position": position,
                "name": self.contact_name[person], "role": self.contact_title[person],
                "organisation_id": org, "capacity": capacity, "required": True,
                "signed_on": None, "method": "", "recorded_by": "", "recorded_at": None,
                "created_at": stamp(made), "updated_at": stamp(made),
            })  # fmt: skip
        self.versions.append({
            "id": vid, "agreement_id": agreement_id, "number": number, "status": status,
            "made": made, "signatories": signatories, "template": template["name"],
        })  # fmt: skip


# -- writing it ---------------------------------------------------------------------------------

ORDER = [
    "organisation", "contact", "volunteer", "clearance", "collaboration", "member", "agreement",
    "agreement_version", "responsibility", "signatory", "activity", "facilitator",
    "activity_session", "session_leader", "participant", "enrolment", "attendance",
]  # fmt: skip


def _insert_all(connection, rows: dict[str, list[dict]]) -> None:
    from collab_desktop.models import Base

    for name in ORDER:
        table = Base.metadata.tables[name]
        items = rows[name]
        for start in range(0, len(items), BATCH):
            connection.execute(table.insert(), items[start : start + BATCH])


def _freeze_versions(connection, gen: Generator) -> dict[uuid.UUID, str]:
    """Freeze every version past draft with the agreement service's own code (as sending for
    signatures does), then lay the record of signing over it. Returns the fingerprints."""
    from sqlalchemy import bindparam, update
    from sqlalchemy.orm import Session, selectinload

    from collab_desktop.models import (
        Agreement,
        AgreementVersion,
        Collaboration,
        Contact,
        Member,
        Responsibility,
        Signatory,
    )
    from collab_desktop.services.agreements.fingerprint import content_fingerprint
    from collab_desktop.services.agreements.printable import live_document
    from collab_desktop.services.agreements.snapshot import freeze

    frozen = [v for v in gen.versions if v["status"] != "draft"]
    by_id = {v["id"]: v for v in frozen}
    fingerprints: dict[uuid.UUID, str] = {}
    session = Session(bind=connection)
    options = (
        selectinload(AgreementVersion.agreement)
        .selectinload(Agreement.collaboration)
        .selectinload(Collaboration.members)
        .selectinload(Member.organisation),
        selectinload(AgreementVersion.responsibilities).selectinload(Responsibility.organisation),
        selectinload(AgreementVersion.responsibilities)
        .selectinload(Responsibility.contact)
        .selectinload(Contact.organisation),
        selectinload(AgreementVersion.signatories).selectinload(Signatory.organisation),
    )
    from sqlalchemy import select

    for start in range(0, len(frozen), 500):
        ids = [v["id"] for v in frozen[start : start + 500]]
        found = session.scalars(
            select(AgreementVersion).options(*options).where(AgreementVersion.id.in_(ids))
        ).all()
        updates = []
        for v in found:
            doc = live_document(v)
            fingerprints[v.id] = content_fingerprint(doc)
            updates.append({"vid": v.id, "content": freeze(doc), "fp": fingerprints[v.id]})
        connection.execute(
            update(AgreementVersion.__table__)
            .where(AgreementVersion.__table__.c.id == bindparam("vid"))
            .values(content=bindparam("content"), fingerprint=bindparam("fp")),
            updates,
        )
        session.expunge_all()
    session.close()

    # The record of signing, as recording signatures leaves it.
    rng = gen.rng
    version_rows, signatory_rows, superseded = [], [], []
    latest_signed: dict[uuid.UUID, uuid.UUID] = {}
    for v in sorted(frozen, key=lambda v: (v["agreement_id"], v["number"])):
        sent = v["made"] + timedelta(days=rng.randint(3, 20))
        status = v["status"]
        signed = status in ("signed_off", "superseded", "ended")
        signed_days = []
        v["signatures"] = []
        for sid in v["signatories"]:
            if signed or (status == "awaiting_signatures" and rng.random() < 0.3):
                day = sent + timedelta(days=rng.randint(1, 30))
                signed_days.append(day)
                signatory_rows.append({
                    "sid": sid, "signed_on": day, "method": rng.choice(["wet_ink", "typed"]),
                    "recorded_by": gen.person(), "recorded_at": stamp(day, 15),
                })  # fmt: skip
                v["signatures"].append(signatory_rows[-1])
        v["sent"] = sent
        v["signed_off_on"] = max(signed_days) if signed else None
        void = status == "void"
        version_rows.append({
            "vid": v["id"], "status": status, "sent_at": stamp(sent, 11),
            "signed_off_on": v["signed_off_on"],
            "void_reason": "Replaced by a different arrangement" if void else "",
            "voided_at": stamp(sent + timedelta(days=40)) if void else None,
            "superseded_by_id": None,
        })  # fmt: skip
        if signed:
            previous = latest_signed.get(v["agreement_id"])
            if previous is not None:
                superseded.append((previous, v["id"]))
            latest_signed[v["agreement_id"]] = v["id"]
    newer = dict(superseded)
    for row in version_rows:
        row["superseded_by_id"] = newer.get(row["vid"])
        if row["superseded_by_id"] is not None:
            by_id[row["vid"]]["superseded_by"] = by_id[row["superseded_by_id"]]
    from sqlalchemy import Table

    table: Table = AgreementVersion.__table__
    connection.execute(
        update(table)
        .where(table.c.id == bindparam("vid"))
        .values(
            status=bindparam("status"), sent_at=bindparam("sent_at"),
            signed_off_on=bindparam("signed_off_on"), void_reason=bindparam("void_reason"),
            voided_at=bindparam("voided_at"), superseded_by_id=bindparam("superseded_by_id"),
        ),
        version_rows,
    )  # fmt: skip
    s_table: Table = Signatory.__table__
    if signatory_rows:
        connection.execute(
            update(s_table)
            .where(s_table.c.id == bindparam("sid"))
            .values(
                signed_on=bindparam("signed_on"), method=bindparam("method"),
                recorded_by=bindparam("recorded_by"), recorded_at=bindparam("recorded_at"),
            ),
            signatory_rows,
        )  # fmt: skip
    return fingerprints


def _audit_trail(connection, gen: Generator, fingerprints: dict[uuid.UUID, str]) -> int:
    """The entries the agreement service would have written, in time order, chained with the
    audit log's own hash."""
    from types import SimpleNamespace

    from collab_desktop.models import AuditEntry
    from collab_desktop.models.enums import SIGNATORY_CAPACITIES, SIGNATURE_METHODS, label
    from collab_desktop.services.audit import _entry_hash

    events = []
    for v in gen.versions:
        at = stamp(v["made"], 10)
        action, summary = (
            ("created", f"Agreement started from “{v['template']}”")
            if v["number"] == 1
            else ("new_version", f"Version {v['number']} drafted from version {v['number'] - 1}")
        )
        events.append((at, v, action, summary))
        events.append((at + timedelta(hours=2), v, "edited", "Responsibilities changed"))
        if v["status"] == "draft":
            continue
        events.append(
            (
                stamp(v["sent"], 11),
                v,
                "sent",
                f"Sent for signatures; text frozen (fingerprint {fingerprints[v['id']]})",
            )
        )
        for sig in v["signatures"]:
            name, capacity = gen.signatory_label[sig["sid"]]
            events.append((stamp(sig["signed_on"], 15), v, "signed",
                           f"Signature recorded: {name} ({label(SIGNATORY_CAPACITIES, capacity)}), "
                           f"signed {sig['signed_on']:%d/%m/%Y}, "
                           f"{label(SIGNATURE_METHODS, sig['method']).lower()}"))  # fmt: skip
        if v.get("signed_off_on"):
            events.append((stamp(v["signed_off_on"], 16), v, "signed_off",
                           "Signed off by every required signatory"))  # fmt: skip
        if v.get("superseded_by"):
            newer = v["superseded_by"]
            events.append((stamp(newer["signed_off_on"], 16) + timedelta(seconds=1), v,
                           "superseded", f"Superseded by version {newer['number']}"))  # fmt: skip
        if v["status"] == "void":
            events.append((stamp(v["sent"] + timedelta(days=40)), v, "voided",
                           "Made void: Replaced by a different arrangement"))  # fmt: skip
    events.sort(key=lambda e: e[0])
    rows = []
    previous = ""
    user = gen.person()
    for at, v, action, summary in events:
        entry = SimpleNamespace(
            id=gen.ids.new(), at=at, user=user, agreement_id=v["agreement_id"],
            version_number=v["number"], action=action, summary=summary, details="{}",
            prev_hash=previous,
        )  # fmt: skip
        entry.hash = _entry_hash(entry)
        previous = entry.hash
        rows.append({k: getattr(entry, k) for k in (
            "id", "at", "user", "agreement_id", "version_number", "action", "summary",
            "details", "prev_hash", "hash")})  # fmt: skip
    table = AuditEntry.__table__
    for start in range(0, len(rows), BATCH):
        connection.execute(table.insert(), rows[start : start + BATCH])
    return len(rows)


def generate(
    path: Path, today: date | None = None, log=print, counts: dict[str, int] | None = None
) -> Plan:
    from collab_desktop.migrations import upgrade_to_head
    from collab_desktop.models.database import make_engine

    today = today or date.today()
    started = clock.perf_counter()
    gen = Generator(today, counts=counts)
    gen.organisations()
    gen.contacts()
    gen.volunteers()
    gen.collaborations()
    gen.participants()
    gen.attendance()
    gen.agreements()
    sheet = next(c for c in gen.collab if c["sheet"])
    gen.plan.sheet_activity = gen.plan.year_activity = str(sheet["activity"])
    log(f"  planned the records in {clock.perf_counter() - started:.1f} s")

    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    engine = make_engine(partial)
    upgrade_to_head(engine)
    with engine.begin() as connection:
        _insert_all(connection, gen.rows)
        log(f"  inserted the rows in {clock.perf_counter() - started:.1f} s")
        fingerprints = _freeze_versions(connection, gen)
        audit = _audit_trail(connection, gen, fingerprints)
        log(f"  froze agreements and wrote {audit} audit entries in "
            f"{clock.perf_counter() - started:.1f} s")  # fmt: skip
    engine.dispose()
    import sqlite3

    with sqlite3.connect(partial) as db:
        gen.plan.counts = {
            table: db.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
            for table in ORDER + ["audit_entry"]
        }
    db.close()
    partial.replace(path)
    return gen.plan


def cached(cache_dir: Path = CACHE_DIR, log=print, scale: int = 1) -> tuple[Path, Plan] | None:
    """The cached database and its plan, if there is one of this key (and scale) less than
    four weeks old."""
    path = cache_dir / f"collab-bench-{cache_key(scale)}.sqlite3"
    meta = path.with_suffix(".json")
    if path.exists() and meta.exists():
        plan = Plan(**json.loads(meta.read_text(encoding="utf-8")))
        age = date.today() - date.fromisoformat(plan.generated_on)
        if age <= MAX_AGE:
            return path, plan
        log(f"The cached database is {age.days} days old: making it again.")
    return None


def cached_database(
    cache_dir: Path = CACHE_DIR, force: bool = False, log=print, scale: int = 1
) -> tuple[Path, Plan]:
    """The cached database and its plan, made first if missing, stale or from another key.
    Each scale is cached on its own: making one never deletes another's."""
    found = None if force else cached(cache_dir, log, scale)
    if found is not None:
        return found
    path = cache_dir / f"collab-bench-{cache_key(scale)}.sqlite3"
    cache_dir.mkdir(parents=True, exist_ok=True)
    for old in cache_dir.glob("collab-bench-*"):
        if _scale_of(old.name) == scale:
            old.unlink()
    log(f"Generating the benchmark database ({cache_key(scale)}), once; it is cached in "
        f"{cache_dir}")  # fmt: skip
    started = clock.perf_counter()
    plan = generate(path, log=log, counts=scaled_counts(scale) if scale != 1 else None)
    plan.scale = scale
    log(f"  made in {clock.perf_counter() - started:.0f} s")
    path.with_suffix(".json").write_text(json.dumps(plan.__dict__, indent=1), encoding="utf-8")
    return path, plan


def verify(path: Path, plan: Plan) -> None:
    """Checks that the app would find nothing to change or warn about (for development)."""
    import shutil
    import tempfile

    from sqlalchemy import select

    from collab_desktop.models import Activity
    from collab_desktop.services.delivery.activities import _sync_sessions
    from collab_desktop.services.open_records import open_services

    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "collab-desktop.sqlite3"
        shutil.copy(path, copy)
        services = open_services(copy)
        try:
            sessions = services.activities._sessions
            with sessions() as session:
                for a in session.scalars(select(Activity)).all():
                    _sync_sessions(session, a, a.collaboration, date.today() + timedelta(weeks=26),
                                   date.today())  # fmt: skip
                changed = len(session.new) + len(session.deleted)
                session.rollback()
            print("sessions the app would add or remove:", changed)
            print("audit chain breaks:", services.audit.verify()[:5])
            v = services.agreements.get_version(uuid.UUID(plan.big_version))
            print("big version:", v.status, len(v.responsibilities), "responsibilities")
            warned = 0
            for row in services.agreements.list_versions()[:400]:
                warned += bool(services.agreements.get_version(row.version_id).warnings)
            print("versions with tamper warnings (of 400):", warned)
        finally:
            services.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--force", action="store_true", help="make it again")
    parser.add_argument("--verify", action="store_true", help="check the app finds it sound")
    parser.add_argument(
        "--scale", type=int, default=1, metavar="N", help="N times the ten years' records"
    )
    args = parser.parse_args(argv)
    if args.scale < 1:
        parser.error("--scale must be a whole number, 1 or more")
    path, plan = cached_database(force=args.force, scale=args.scale)
    print(path, json.dumps(plan.counts))
    if args.verify:
        verify(path, plan)
    return 0


if __name__ == "__main__":
    sys.exit(main())
