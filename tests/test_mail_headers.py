"""Persian e-mail headers and body survive a real SMTP round trip (app/infra/mail_outbox.py).

Messages go through `hamrah notify` to the aiosmtpd server of tests/mail_server.py; the bytes
it received are parsed back twice: by today's parser (`email.policy.default`) and the way
older clients read headers (`decode_header`/`make_header` on the raw, compat32 value).
"""
import email
import email.policy
import random
from email.header import decode_header, make_header

from app.extensions import db
from app.infra.mail_outbox import encoded_words
from app.models import OutboxMessage
from tests.mail_server import notify

LETTERS = "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیآأؤئء"
ZWNJ = "\u200c"
FIXED_SUBJECTS = [
    "سؤال آموزشی",
    "تیکت ۱۰۰۴۴۸۱ پاسخ داده شد: سؤال آموزشی درباره‌ی ثبت‌نام",
    "New ticket ۱۰۰۴۴۸۱: مشکل در ورود به سامانه",
    "واژه‌ای" + "بسیار" * 12 + " بلند که در یک کلمه‌ی رمزشده جا نمی‌شود",  # a word longer than one
    " ".join(["پشتیبانی‌های همراه"] * 16)[:300],  # as long as a subject can be
]


def persian_words(rng, low: int, high: int) -> str:
    """low..high Persian words of 1 to 14 letters, some joined inside by a ZWNJ."""
    words = []
    for _ in range(rng.randint(low, high)):
        word = "".join(rng.choice(LETTERS) for _ in range(rng.randint(1, 14)))
        if len(word) > 2 and rng.random() < 0.3:
            cut = rng.randint(1, len(word) - 1)
            word = word[:cut] + ZWNJ + word[cut:]
        words.append(word)
    return " ".join(words)


def received_both_ways(raw: bytes):
    """(message parsed by today's parser, header decoder of older clients)."""
    modern = email.message_from_bytes(raw, policy=email.policy.default)
    legacy = email.message_from_bytes(raw, policy=email.policy.compat32)

    def legacy_header(name):
        return str(make_header(decode_header(legacy[name])))

    return modern, legacy, legacy_header


def send(runner, inbox, rows: list[OutboxMessage]) -> dict[str, bytes]:
    db.session.add_all(rows)
    db.session.commit()
    assert f"E-mails sent: {len(rows)}, failed: 0" in notify(runner)
    return {rcpts[0]: raw for rcpts, raw in inbox.raw}


def test_random_persian_subjects_keep_every_space(runner, mail_on):
    rng = random.Random(17)
    subjects = FIXED_SUBJECTS + [persian_words(rng, 2, 12) for _ in range(200)]
    assert any(len(s.encode()) > 150 for s in subjects)  # many must fold over several lines
    rows = [OutboxMessage(recipient=f"user{i}@example.org", subject=s, body="b", kind="test")
            for i, s in enumerate(subjects)]
    received = send(runner, mail_on, rows)
    wrong = []
    for i, subject in enumerate(subjects):
        raw = received[f"user{i}@example.org"]
        assert all(len(line) <= 78 for line in raw.split(b"\r\n\r\n")[0].split(b"\r\n"))
        modern, _legacy, legacy_header = received_both_ways(raw)
        if str(modern["Subject"]) != subject or legacy_header("Subject") != subject:
            wrong.append((subject, str(modern["Subject"]), legacy_header("Subject")))
    assert wrong == []


def test_encoded_words_are_cut_after_a_space():
    """Each encoded-word ends with its word's space, so even a client that puts a space between
    encoded-words (against RFC 2047) shows whole words; a word is cut only if too long for one."""
    rng = random.Random(7)
    for subject in [persian_words(rng, 2, 12) for _ in range(100)]:
        parts = [str(make_header(decode_header(word))) for word in encoded_words(subject)]
        assert "".join(parts) == subject
        assert all(part.endswith(" ") for part in parts[:-1]), parts
        assert all(len(word) <= 64 for word in encoded_words(subject))


def test_persian_names_addresses_and_body_arrive_intact(runner, mail_on):
    rng = random.Random(3)
    sender_name = "پشتیبانی همراه"
    mail_on.mail_config(MAIL_FROM=f"{sender_name} <hamrah@support.example.org>")
    names = ["علی‌اکبر رضایی‌نژاد"] + [persian_words(rng, 2, 6) for _ in range(60)]
    body = ("پشتیبانی به تیکت ۱۰۰۴۴۸۱ پاسخ داد:\n\n" + persian_words(rng, 60, 60) + "\n"
            "پاسخ را بخوانید: https://support.example.org/support/tickets/1004481\n")
    rows = [OutboxMessage(recipient=f'"{name}" <clerk{i}@example.org>', subject=name,
                          body=body, kind="test") for i, name in enumerate(names)]
    received = send(runner, mail_on, rows)
    for i, name in enumerate(names):
        modern, legacy, legacy_header = received_both_ways(received[f"clerk{i}@example.org"])
        [to] = modern["To"].addresses
        assert (to.display_name, to.addr_spec) == (name, f"clerk{i}@example.org")
        assert legacy_header("To") == f"{name} <clerk{i}@example.org>"
        [sender] = modern["From"].addresses
        assert (sender.display_name, sender.addr_spec) == (sender_name,
                                                          "hamrah@support.example.org")
        assert legacy_header("From") == f"{sender_name} <hamrah@support.example.org>"
        assert modern.get_content() == body
        assert legacy.get_payload(decode=True).decode(legacy.get_content_charset()) == body
