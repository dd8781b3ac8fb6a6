"""Fixed data of the benchmark generator: the cast (departments, 31 provinces, offices, users)
and the text.

Vocabulary from the manual's activities, problems and answers (SPEC §5). Templates hold
`{slot}`s at word boundaries; each body is rendered together with its search tokens,
computed by the search service once per fixed fragment and merged: tokenising four
million messages one by one would cost minutes.
"""
import string
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from operator import mul
from typing import NamedTuple

from flask import current_app
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from app.cli.demo_data import DEPARTMENTS
from app.domain.roles import AGENT, CLERK, MANAGER, SUPERVISOR
from app.domain.search import search_tokens
from app.models import Department, HamrahUser, Office, Region
from app.persian.text import persian_digits

GENERATED_OFFICES = 60
AGENTS_PER_DEPARTMENT = 4
# Benchmark logins: password = username, hashed cheaply (throwaway accounts).
PASSWORD_METHOD = "pbkdf2:sha256:1000"

ZWNJ = "\u200c"
_ARABIC = str.maketrans("یک", "يك")

CITIES = [
    "تهران", "مشهد", "اصفهان", "شیراز", "تبریز", "کرج", "اهواز", "قم", "کرمانشاه", "ارومیه",
    "رشت", "زاهدان", "همدان", "کرمان", "یزد", "اردبیل", "بندرعباس", "اراک", "زنجان", "سنندج",
    "قزوین", "خرم‌آباد", "گرگان", "ساری", "بجنورد", "بوشهر", "بیرجند", "ایلام", "شهرکرد",
    "یاسوج", "سمنان",
]
OFFICE_KINDS = ["دفتر تاکسیرانی", "دفتر خدمات ناوگان"]
# The province of each city above, in the same order: the generator's 31 regions.
PROVINCES = [
    "تهران", "خراسان رضوی", "اصفهان", "فارس", "آذربایجان شرقی", "البرز", "خوزستان", "قم",
    "کرمانشاه", "آذربایجان غربی", "گیلان", "سیستان و بلوچستان", "همدان", "کرمان", "یزد",
    "اردبیل", "هرمزگان", "مرکزی", "زنجان", "کردستان", "قزوین", "لرستان", "گلستان", "مازندران",
    "خراسان شمالی", "بوشهر", "خراسان جنوبی", "ایلام", "چهارمحال و بختیاری",
    "کهگیلویه و بویراحمد", "سمنان",
]


def province_code(index: int) -> str:
    return f"P{index + 1:02d}"


def prepare_provinces(session) -> list[Region]:
    """The 31 provinces (reused by later runs); the benchmark's supervisor watches the first,
    whose capital holds the busiest generated office."""
    regions = {r.code: r for r in session.scalars(select(Region))}
    provinces = []
    for i, name in enumerate(PROVINCES):
        code = province_code(i)
        if code not in regions:
            regions[code] = Region(code=code, name=f"استان {name}")
            session.add(regions[code])
        provinces.append(regions[code])
    return provinces

ACTIVITIES = [
    "تمدید پروانه تاکسیرانی", "صدور پروانه اشتغال انفرادی", "صدور پروانه بهره‌برداری",
    "تعویض پلاک خودرو", "نقل و انتقال خودرو", "ثبت معاینه فنی", "صدور کارت هوشمند راننده",
    "تمدید کارت هوشمند", "ثبت نام راننده جدید", "ابطال پروانه", "صدور المثنی پروانه",
    "تغییر خط فعالیت", "ورود اطلاعات قدیم اصلی", "ثبت خودروی جایگزین", "پرداخت عوارض سالیانه",
    "تسویه حساب", "صدور گواهی عدم خلافی", "ثبت بیمه‌نامه", "ثبت آموزش دوره‌ای",
    "صدور مجوز تردد", "تغییر مالکیت", "ثبت قرارداد اجاره", "ثبت مشخصات مالک",
    "صدور کارت شناسایی", "ثبت سوابق راننده", "درخواست نوسازی ناوگان", "ثبت تخلفات",
    "صدور مجوز فعالیت شرکت", "ثبت آزمون راننده", "بایگانی پرونده",
]

PROBLEMS = [
    "خطای کد ملی", "پلاک خودرو اشتباه است", "اصلاح مشخصات کاربری", "عدم نمایش پرونده",
    "خطا در پرداخت", "عدم امکان ثبت اطلاعات", "شماره پیگیری نامعتبر است", "خطا در چاپ پروانه",
    "عدم دریافت پیامک", "تاریخ تولد اشتباه ثبت شده", "نام پدر اشتباه است",
    "عدم بارگذاری تصویر", "خطای سامانه هنگام ذخیره", "کندی سامانه", "عدم دسترسی به منو",
    "رمز عبور کار نمی‌کند", "مبلغ عوارض اشتباه محاسبه شده", "پرونده تکراری ثبت شده",
    "استعلام ثبت احوال انجام نمی‌شود", "استعلام بیمه پاسخ نمی‌دهد", "ورود اطلاعات قدیم اصلی",
    "حذف پرونده اشتباه", "اصلاح نوع سوخت خودرو", "اصلاح سال ساخت خودرو", "عدم تایید کارشناس",
    "خطای اتصال به بانک", "درخواست آموزش", "راهنمایی برای ثبت", "خطا در گزارش‌گیری",
    "اصلاح رنگ خودرو",
]
SUBJECT_TAILS = ["", "", "", " (فوری)", " - پیگیری مجدد", " - چند پرونده", " - متقاضی حضوری"]

FIRST_NAMES = [
    "علی", "محمد", "حسین", "رضا", "مهدی", "امیر", "حمید", "سعید", "مجید", "جواد", "مریم",
    "زهرا", "فاطمه", "سارا", "نرگس", "لیلا", "مینا", "الهام", "پریسا", "شیما", "بهروز",
    "کاوه", "بابک", "فرهاد", "داریوش", "یوسف", "اکبر", "عباس", "ناصر", "کریم",
]
LAST_NAMES = [
    "احمدی", "محمدی", "حسینی", "رضایی", "موسوی", "کریمی", "جعفری", "صادقی", "رحیمی",
    "قاسمی", "کاظمی", "نوری", "یزدانی", "شریفی", "طاهری", "عباسی", "مرادی", "زارعی",
    "حیدری", "نجفی", "سلیمانی", "اکبری", "باقری", "فرهادی", "کیانی", "ملکی", "توکلی",
    "صالحی", "جلالی", "نیک‌نام", "پورمحمد", "امیری", "بهرامی", "خسروی", "دلاوری", "رستمی",
    "شجاعی", "فتحی", "قربانی", "وحیدی",
]
PLATE_LETTERS = ["ع", "ت", "ب", "د", "س", "ص", "ط", "ق", "ل", "م", "ن", "و", "ه", "ی"]

GREETINGS = ["", "", "با سلام، ", "سلام، ", "با سلام و احترام، "]
CLOSINGS = ["", "", " با تشکر", " لطفاً رسیدگی شود.", " ممنون از همکاری شما"]

# The clerk's first message: one or two of these.
CLERK_OPENINGS = [
    "کد ملی صحیح نمی باشد و نیاز به ویرایش دارد. شماره پیگیری {tracking}",
    "هنگام {activity} برای متقاضی با کد ملی {nid} پیغام خطا نمایش داده می‌شود.",
    "پلاک خودرو {plate} در پرونده اشتباه ثبت شده است، لطفا اصلاح شود.",
    "متقاضی {name} از {city} مراجعه کرده و پرونده او در سامانه قابل مشاهده نیست.",
    "نحوه {activity} را راهنمایی کنید.",
    "تصویر مدارک پیوست شد، لطفاً بررسی و اصلاح نمایید.",
    "این مشکل در چند پرونده دیگر هم تکرار شده است: {tracking} و {tracking2}",
    "خریدار با کد ملی {nid} و فروشنده با کد ملی {nid2} ثبت شده‌اند ولی انتقال انجام نمی‌شود.",
    "از صبح امروز سامانه بسیار کند است و {activity} ممکن نیست.",
    "پس از پرداخت مبلغ {amount} ریال، وضعیت پرونده {tracking} تغییر نکرده است.",
    "مالک خودرو آقای {name} است ولی در سامانه نام دیگری نمایش داده می‌شود.",
    "اطلاعات قدیم پرونده اصلی در سامانه جدید وارد نشده‌اند و {activity} متوقف مانده است.",
    "دکمه ثبت در صفحه {activity} غیرفعال است و پیام خطای نامشخص می‌دهد.",
    "تاریخ اعتبار پروانه متقاضی {name} اشتباه محاسبه شده است.",
]
CLERK_FOLLOW_UPS = [
    "با سلام، پیگیری شود. متقاضی منتظر است.",
    "مشکل همچنان پابرجاست، لطفاً دوباره بررسی کنید.",
    "مدارک خواسته شده پیوست شد.",
    "ممنون، مشکل برطرف شد.",
    "پاسخ ارسالی کافی نبود؛ خطا هنوز نمایش داده می‌شود.",
    "شماره پیگیری صحیح {tracking} است.",
    "متقاضی {name} امروز دوباره مراجعه کرد، لطفاً سریع‌تر رسیدگی شود.",
    "کد ملی صحیح {nid} می‌باشد.",
]
AGENT_ANSWERS = [
    "تصویر شناسنامه یا کارت ملی پیوست شود",
    "پرونده {tracking} اصلاح شد، لطفاً مجدداً بررسی کنید.",
    "مشکل از سمت سامانه ثبت احوال بوده و برطرف شده است.",
    "لطفاً حافظه مرورگر را پاک کرده و دوباره وارد شوید.",
    "درخواست شما به واحد فنی ارجاع شد و نتیجه اعلام می‌گردد.",
    "برای {activity} ابتدا باید اطلاعات مالک ثبت شود.",
    "اطلاعات {name} در سامانه به‌روزرسانی شد.",
    "پلاک {plate} اصلاح گردید.",
    "مبلغ عوارض پس از بازبینی اصلاح شد.",
    "راهنمای {activity} در بخش اطلاعیه‌ها قرار گرفته است.",
    "لطفاً سند خرید و فروش را پیوست کنید تا اصلاح انجام شود.",
    "کد ملی {nid} در پرونده اصلاح شد.",
]
INTERNAL_NOTES = [
    "یادداشت داخلی: پرونده مشابه قبلاً هم گزارش شده است.",
    "یادداشت داخلی: نیاز به بررسی در پایگاه داده دارد.",
    "یادداشت داخلی: با مدیر دفتر {city} تماس گرفته شد.",
    "یادداشت داخلی: منتظر پاسخ واحد فناوری اطلاعات هستیم.",
]
RATING_REASONS = {
    1: ["پاسخی دریافت نشد", "مشکل حل نشد"],
    2: ["پاسخ دیر داده شد", "پاسخ ناقص بود"],
    3: ["پاسخ قابل قبول بود", ""],
}
# (original name, content type, min KB, max KB)
ATTACHMENTS = [
    ("تصویر کارت ملی.jpg", "image/jpeg", 80, 900),
    ("اسکن شناسنامه.pdf", "application/pdf", 120, 2500),
    ("سند خودرو.pdf", "application/pdf", 150, 3000),
    ("screenshot.png", "image/png", 60, 1200),
    ("تصویر خطا.png", "image/png", 50, 800),
    ("مدارک متقاضی.tif", "image/tiff", 300, 4000),
]


_PARSED = {t: [(lit, field) for lit, field, _, _ in string.Formatter().parse(t)]
           for group in (CLERK_OPENINGS, CLERK_FOLLOW_UPS, AGENT_ANSWERS, INTERNAL_NOTES)
           for t in group}


_WEIGHTS = range(10, 1, -1)
_ASCII_ZERO_SUM = ord("0") * sum(_WEIGHTS)


def national_id(random) -> str:
    """A random national ID that passes the check-digit rule (`random` is Random.random)."""
    while True:
        body = f"{int(random() * 10 ** 9):09d}"
        if body != body[0] * 9:
            remainder = (sum(map(mul, body.encode(), _WEIGHTS)) - _ASCII_ZERO_SUM) % 11
            return body + str(remainder if remainder < 2 else 11 - remainder)


class Slots(dict):
    """A ticket's template values, made only when a template asks for one.

    `factory` gives `random`, `choice(seq)` and `tracking(created, office code)`.
    """

    def __init__(self, factory, created, code, **known):
        super().__init__(known)
        self.factory, self.created, self.code = factory, created, code

    def __missing__(self, key):
        f, random = self.factory, self.factory.random
        if key.startswith("tracking"):
            value = f.tracking(self.created, self.code)
        elif key.startswith("nid"):
            value = national_id(random)
        elif key == "name":
            value = f"{f.choice(FIRST_NAMES)} {f.choice(LAST_NAMES)}"
        elif key == "amount":
            value = str(int(5 + random() * 495) * 100_000)
        else:  # plate: 12 ع 345 ایران 66
            value = (str(int(10 + random() * 90)), " ", f.choice(PLATE_LETTERS), " ",
                     str(int(100 + random() * 900)), " ایران ", str(int(10 + random() * 90)))
        self[key] = value
        return value


@lru_cache(maxsize=None)
def piece(fragment: str, variant: int = 0) -> tuple[str, frozenset]:
    """A fixed fragment as typed and its search tokens.

    Variants: 0 as written, 1 Arabic ي/ك, 2 ZWNJ dropped, 3 ZWNJ typed as a space.
    """
    if variant == 1:
        fragment = fragment.translate(_ARABIC)
    elif variant == 2:
        fragment = fragment.replace(ZWNJ, "")
    elif variant == 3:
        fragment = fragment.replace(ZWNJ, " ")
    return fragment, frozenset(search_tokens(fragment))


def render(template: str, slots, variant: int, random, tokens: list) -> str:
    """Fill a template, appending the token sets of its pieces to `tokens`.

    Digits are written in Persian digits now and then.
    """
    parts = []
    for literal, field in _PARSED[template]:
        if literal:
            text, toks = piece(literal, variant)
            parts.append(text)
            tokens.append(toks)
        if field:
            value = slots[field]
            for part in (value if isinstance(value, tuple) else (value,)):
                if part.isdigit():
                    parts.append(persian_digits(part) if random() < 0.3 else part)
                    tokens.append((part,))
                else:
                    text, toks = piece(part, variant)
                    parts.append(text)
                    tokens.append(toks)
    return "".join(parts)


def weighted(weights: dict) -> tuple[list, list, float]:
    """Keys, cumulative weights and total, for picking with bisect."""
    cum = list(accumulate(weights.values()))
    return list(weights), cum, cum[-1]


class Targets(NamedTuple):
    """A department's SLA targets, as `app.domain.sla.due_times` reads them off a Department."""

    first_response_target_hours: float | None
    resolution_target_hours: float | None


@dataclass
class Cast:
    departments: tuple  # weighted department ids
    offices: list  # (office id, code, city, clerk ids)
    office_weights: tuple  # weighted office indexes
    agents: dict  # department id -> agent ids
    targets: dict  # department id -> Targets


def prepare_cast(session) -> Cast:
    """Reuse the departments (3+), add 31 provinces and 60 offices over them, clerks per
    office, agents per department, one supervisor of the first province."""
    departments = list(session.scalars(select(Department).where(Department.active.is_(True))
                                       .order_by(Department.ordering, Department.id)))
    taken = set(session.scalars(select(Department.name)))  # inactive ones too: names are unique
    for name, name_en, order in DEPARTMENTS:
        if len(departments) < 3 and name not in taken:
            departments.append(Department(name=name, name_en=name_en, ordering=order))
            session.add(departments[-1])
    provinces = prepare_provinces(session)
    offices = {o.code: o for o in session.scalars(select(Office))}
    for i in range(GENERATED_OFFICES):
        code, city = str(3001 + i), CITIES[i % len(CITIES)]
        if code not in offices:
            offices[code] = Office(code=code, city=city, region=provinces[i % len(CITIES)],
                                   name=f"{OFFICE_KINDS[i // len(CITIES) % 2]} {city}")
            session.add(offices[code])
    session.flush()
    offices = sorted(offices.values(), key=lambda o: o.code)
    wanted = [("manager-1", MANAGER, None, None), ("supervisor-1", SUPERVISOR, None, None)]
    for d in departments:
        wanted += [(f"agent-{d.id}-{k}", AGENT, None, d) for k in range(1, AGENTS_PER_DEPARTMENT + 1)]
    for i, office in enumerate(offices):
        wanted += [(f"clerk-{office.code}-{k}", CLERK, office, None) for k in range(1, 3 + i % 3)]
    existing = {u.username: u for u in session.scalars(
        select(HamrahUser).where(HamrahUser.username.in_([w[0] for w in wanted])))}
    sm = current_app.appbuilder.sm
    clerks: dict[int, list] = {}
    agents: dict[int, list] = {}
    for username, role, office, department in wanted:
        user = existing.get(username)
        if user is None:
            user = HamrahUser(
                username=username, first_name=username, last_name="-", display_name=username,
                email=f"{username}@bench.example.org", active=True, roles=[sm.find_role(role)],
                password=generate_password_hash(username, method=PASSWORD_METHOD),
                office_id=office.id if office else None,
                departments=[department] if department else [],
                regions=[provinces[0]] if role == SUPERVISOR else [])
            session.add(user)
        if office is not None:
            clerks.setdefault(office.id, []).append(user)
        elif department is not None:
            agents.setdefault(department.id, []).append(user)
    session.commit()
    dept_weights = [55, 25] + [20 / max(1, len(departments) - 2)] * (len(departments) - 2)
    return Cast(
        departments=weighted(dict(zip([d.id for d in departments], dept_weights, strict=False))),
        offices=[(o.id, o.code, o.city or CITIES[0], [u.id for u in clerks[o.id]])
                 for o in offices],
        office_weights=weighted({i: 1 / (1 + i) ** 0.8 for i in range(len(offices))}),  # Zipf-like
        agents={dept: [u.id for u in users] for dept, users in agents.items()},
        targets={d.id: Targets(d.first_response_target_hours, d.resolution_target_hours)
                 for d in departments},
    )


