"""What a generated ticket looks like, as plain rows for bulk loading (app/cli/generator.py).

Statuses by age that follow the status machine, 2-6 messages (clerk, agent's answers, a few
internal notes) with their status history, attachment metadata, ratings and related cases,
from the manual's vocabulary (generator_data). Ids are handed out here from `next_id`.
"""
import random as random_module
from bisect import bisect, bisect_left, bisect_right
from datetime import date, datetime, timedelta

from app.cli import generator_data as T
from app.cli.generator_data import Cast, weighted
from app.domain.sla import WorkCalendar
from app.domain.status import TRANSITIONS

SPAN = timedelta(days=730)

COLUMNS = {  # in foreign-key order
    "ticket": ("id", "number", "subject", "department_id", "office_id", "creator_id",
               "tracking_number", "national_id", "activity", "status", "created_at",
               "updated_at", "last_activity_at", "assignee_id", "first_answered_at",
               "closed_at", "unread_answer", "first_response_due_at", "resolution_due_at"),
    "related_case": ("id", "ticket_id", "tracking_number", "national_id"),
    "message": ("id", "ticket_id", "author_id", "body", "created_at", "is_internal",
                "from_support"),
    "attachment": ("id", "message_id", "original_name", "stored_name", "size", "content_type",
                   "sha256", "created_at"),
    "status_change": ("id", "ticket_id", "from_status", "to_status", "changed_by_id",
                      "changed_at"),
    "rating": ("id", "ticket_id", "stars", "reason", "rated_by_id", "rated_at"),
}
SEARCH_COLUMNS = ("ticket_id", "document")


# Old tickets are mostly settled; the last 30 days hold the open queue.
_STATUS_OLD = weighted({"closed": 78, "answered": 15, "new": 3, "read": 2, "clerk_replied": 2})
_STATUS_RECENT = weighted({"new": 20, "read": 12, "answered": 33, "clerk_replied": 12, "closed": 23})
_COUNTS = weighted({2: 30, 3: 30, 4: 20, 5: 12, 6: 8})
_STARS = weighted({5: 43, 4: 30, 3: 15, 2: 7, 1: 5})
_VARIANTS = weighted({0: 60, 1: 15, 2: 15, 3: 10})  # how the clerk typed (generator_data.piece)
_GAPS = {"A": 8 * 3600, "C": 20 * 3600, "I": 3600}  # mean seconds before such a message
_NEXT = {(s.value, e.value): t.value for (s, e), t in TRANSITIONS.items()}
_TEMPLATES = {"C": T.CLERK_FOLLOW_UPS, "A": T.AGENT_ANSWERS, "I": T.INTERNAL_NOTES}


_EPOCH, _US = datetime(1970, 1, 1), timedelta(microseconds=1)


class DueTimes:
    """`app.domain.sla.due_times` for a million rows: `WorkCalendar.add` by bisection.

    The calendar's own working windows (`WorkCalendar.window`: week, holidays, zone) of the
    days first..last are laid end to end as integer microseconds with the working time before
    each, so a due time is two bisections and no time-zone arithmetic (and needs no app
    context in the forked workers). Same integer arithmetic as `add`, so the same instant;
    outside the span `add` itself answers. tests/test_generator.py checks both agree.
    """

    def __init__(self, calendar: WorkCalendar, first: date, last: date):
        self.calendar, self.starts, self.before, self.through = calendar, [], [], []
        total, day = 0, first
        while day <= last:
            span = calendar.window(day)
            if span is not None and span[1] > span[0]:
                start, end = (span[0] - _EPOCH) // _US, (span[1] - _EPOCH) // _US
                self.starts.append(start)
                self.before.append(total)
                total += end - start
                self.through.append(total)
            day += timedelta(days=1)
        self.ends = [s + t - b for s, b, t in zip(self.starts, self.before, self.through,
                                                  strict=True)]
        self._lengths = {}

    def add(self, start: datetime, hours) -> datetime | None:
        """Like `due_times`: None without a target, else `calendar.add(start, hours)`."""
        return self.both(start, hours, None)[0]

    def both(self, start: datetime, first_hours, second_hours) -> tuple:
        """Two due times from the same start (first response, resolution): one conversion."""
        at = (start - _EPOCH) // _US
        i = bisect_right(self.ends, at)  # the first window still open at `start`
        if i == len(self.ends):
            return self._slow(start, first_hours), self._slow(start, second_hours)
        worked = self.before[i] + max(0, at - self.starts[i])
        return self._one(start, worked, i, first_hours), self._one(start, worked, i, second_hours)

    def _one(self, start, worked: int, i: int, hours):
        if not hours:
            return None
        length = self._lengths.get(hours)
        if length is None:
            length = self._lengths[hours] = timedelta(hours=hours) // _US
        target = worked + length
        j = bisect_left(self.through, target, i)  # the window where the target is reached
        if j == len(self.through):
            return self._slow(start, hours)
        return _EPOCH + timedelta(0, 0, self.starts[j] + target - self.before[j])

    def _slow(self, start, hours):
        return self.calendar.add(start, hours) if hours else None


def _pick(random, table):
    keys, cum, total = table
    return keys[bisect(cum, random() * total)]


def _roles(random, status: str) -> str:
    """Who writes each message, in order: C clerk, A agent's answer, I internal note."""
    n = _pick(random, _COUNTS)
    if status in ("new", "read"):
        return "C" * min(n, 3)
    tail = {"answered": "A", "clerk_replied": "AC"}.get(status) or ("A" if random() < 0.8 else "C")
    roles, previous = "C", "C"
    for _ in range(max(0, n - 1 - len(tail))):
        if random() < 0.75:
            previous = "A" if previous == "C" else "C"
        roles += previous
    roles += tail
    if "A" not in roles:
        roles = roles[:-1] + "A"
    if len(roles) < 6 and random() < 0.1:  # an agent's note before their first answer
        first = roles.index("A")
        roles = roles[:first] + "I" + roles[first:]
    return roles


class RowFactory:
    """Makes the rows of tickets start..stop and keeps the next id of every table."""

    def __init__(self, cast: Cast, seed, now: datetime, count: int, first_number: int, ids: dict,
                 due: DueTimes):
        self.cast, self.now, self.first_number, self.next_id = cast, now, first_number, ids
        self.due = due.both  # SLA due times from the working calendar (DueTimes)
        self.rng = random_module.Random(seed)
        self.random = self.rng.random
        self.start, self.step = now - SPAN, SPAN / max(count, 1)
        self.counts = dict.fromkeys(list(COLUMNS) + ["search"], 0)

    def choice(self, seq):
        return seq[int(self.random() * len(seq))]

    def tracking(self, created: datetime, code: str) -> str:
        """14 digits: Jalali year, office, serial (the manual's 99010294000080)."""
        return f"{(created.year - 621) % 100:02d}{code[-2:]:0>2}{int(self.random() * 10 ** 10):010d}"

    def chunk(self, start: int, stop: int) -> dict:
        rows = {table: [] for table in self.counts}
        for i in range(start, stop):
            self._ticket(i, rows)
        for table, items in rows.items():
            self.counts[table] += len(items)
        return rows

    def _ticket(self, i: int, rows: dict) -> None:
        random, choice, cast, ids = self.random, self.choice, self.cast, self.next_id
        created = self.start + self.step * (i + random())
        status = _pick(random, _STATUS_RECENT if (self.now - created).days < 30 else _STATUS_OLD)
        office_id, code, city, clerks = cast.offices[_pick(random, cast.office_weights)]
        creator = clerks[0] if random() < 0.6 else choice(clerks)
        department = _pick(random, cast.departments)
        agents = cast.agents[department]
        agent = choice(agents)
        activity = choice(T.ACTIVITIES)
        subject, subject_tokens = T.piece(
            f"{choice(T.PROBLEMS)} – {activity}{choice(T.SUBJECT_TAILS)}")
        tokens = [subject_tokens]  # token sets of everything clerks may read
        tracking = self.tracking(created, code) if random() < 0.85 else None
        nid = T.national_id(random) if random() < 0.8 else None
        slots = T.Slots(self, created, code, activity=activity, city=city)
        if tracking:
            slots["tracking"] = tracking
        if nid:
            slots["nid"] = nid
        tid = ids["ticket"]
        ids["ticket"] += 1

        # the thread, as seconds after creation, squeezed to end before now
        roles = _roles(random, status)
        offsets, t = [0.0], 0.0
        for role in roles[1:]:
            t += 60 + random() * 2 * _GAPS[role]
            offsets.append(t)
        closed = t + 60 + random() * 4 * 86400 if status == "closed" else t
        room = (self.now - created).total_seconds() * 0.98
        if closed > room:
            factor = room / closed
            offsets, closed = [o * factor for o in offsets], closed * factor
        times = [created] + [created + timedelta(0, o) for o in offsets[1:]]

        # authors and the status history, through the status machine's own transitions
        history, current, first_answer, authors = [(None, "new", creator, created)], "new", None, []
        for k, role in enumerate(roles):
            if role == "C":
                authors.append(creator if random() < 0.8 else choice(clerks))
            else:
                authors.append(agent if random() < 0.85 else choice(agents))
            if k == 0:
                continue
            if role != "C" and current == "new":  # opened just before answering
                gap = min(600.0, (offsets[k] - offsets[k - 1]) / 2)
                history.append(("new", "read", authors[k], created + timedelta(0, offsets[k] - gap)))
                current = "read"
            if role == "I":
                continue
            if role == "A" and first_answer is None:
                first_answer = times[k]
            target = _NEXT[(current, "agent_replied" if role == "A" else "clerk_replied")]
            if target != current:
                history.append((current, target, authors[k], times[k]))
                current = target
        closed_at = None
        if status == "read":
            history.append(("new", "read", agent, created + timedelta(0, offsets[1] / 2)))
        elif status == "closed":
            closed_at = created + timedelta(0, closed)
            history.append((current, "closed", agent, closed_at))
        last_at = max(times[-1], history[-1][3])
        # what the flush listener (app/domain/sla.py) stamps on a ticket created then
        first_due, resolution_due = self.due(created, *cast.targets[department])
        rows["ticket"].append((
            tid, self.first_number + i, subject, department, office_id, creator, tracking, nid,
            activity, status, created, last_at, last_at, agent if status != "new" else None,
            first_answer, closed_at, status == "answered" and random() < 0.6,
            first_due, resolution_due))
        if random() < 0.08:
            for _ in range(1 + int(random() * 3)):
                rows["related_case"].append((ids["related_case"], tid, self.tracking(created, code),
                                             T.national_id(random) if random() < 0.7 else None))
                ids["related_case"] += 1

        messages, attachments = rows["message"], rows["attachment"]
        for k, role in enumerate(roles):
            variant = _pick(random, _VARIANTS) if role == "C" else 0
            toks = tokens if role != "I" else []
            if k == 0:
                body, more = T.piece(choice(T.GREETINGS), variant)
                toks.append(more)
                for n in range(2 if random() < 0.3 else 1):
                    body += (" " if n else "") + T.render(
                        choice(T.CLERK_OPENINGS), slots, variant, random, toks)
                closing, more = T.piece(choice(T.CLOSINGS), variant)
                body += closing
                toks.append(more)
            else:
                body = T.render(choice(_TEMPLATES[role]), slots, variant, random, toks)
            mid = ids["message"]
            ids["message"] += 1
            messages.append((mid, tid, authors[k], body, times[k], role == "I", role != "C"))
            if random() < (0.25 if k == 0 else 0.1 if role == "C" else 0.04):
                aid = ids["attachment"]
                ids["attachment"] += 1
                name, content_type, low, high = choice(T.ATTACHMENTS)
                attachments.append((
                    aid, mid, name, f"gen{aid:013d}", int(low + random() * (high - low)) * 1024,
                    content_type, "%064x" % self.rng.getrandbits(256), times[k]))
        changes = rows["status_change"]
        for from_status, to_status, by, when in history:
            changes.append((ids["status_change"], tid, from_status, to_status, by, when))
            ids["status_change"] += 1
        if first_answer is not None and status in ("answered", "closed") and random() < 0.35:
            stars = _pick(random, _STARS)
            reason = choice(T.RATING_REASONS[stars]) or None if stars in T.RATING_REASONS else None
            rated = min(self.now, last_at + timedelta(0, 600 + random() * 86400))
            rows["rating"].append((ids["rating"], tid, stars, reason, creator, rated))
            ids["rating"] += 1
        # tsvector input and FTS5 text alike; both ignore the order
        rows["search"].append((tid, " ".join(set().union(*tokens))))


# --- writing -------------------------------------------------------------------------------
