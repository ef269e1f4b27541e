"""Synthetic customer names of a European bank: persons and organisations, seeded.

    from customer_names import customer_names
    customer_names(1_000_000, seed=1)
    # [("Person", "Marta Kowalska-Nowak"), ("Company", "Roth Kollmann GesbR"), ...]

Where the data comes from: every given, family and father's name, and every
organisation name, is taken from faker's locale providers (``faker.providers.person``:
``first_names_male``/``_female``, ``last_names`` and their gendered lists,
``middle_names`` for Russian and Ukrainian fathers' names, with faker's frequency weights
where it gives them; ``faker.providers.company``: ``company()`` per locale, with its
legal forms). What this module adds is only how they are combined, and a handful of
family-name endings and legal forms per language (below) where faker has none.

Why: a benchmark whose index holds a million names recombined from the sanctions
lists' own name parts has a vocabulary of a few thousand part keys (7,564), a third of
what the lists' 41,484 real names alone give (25,814); every look-up then lands among
a few well-known keys and the index looks faster than it would be at a bank. A bank's
customers come from many countries and scripts, and their family names are counted
in hundreds of thousands, most of them rare. faker's per-locale family-name lists are
small (10 to 3,900 names), so family names are also formed as real ones are: two
family names (Spanish and Portuguese always, elsewhere by marriage, some from two
countries), names derived from a father's given name (Jensen, Petrović, Ionescu,
Rodríguez, Георгиев, Γεωργόπουλος, Ahmetoğlu, حسینی, გიორგაძე), and the stems and
endings of a language's family names recombined (Lind-ström, Hart-mann, Kivi-mäe);
women get the feminine form where the language has one (Kowalska, Nováková, Иванова,
Παπαδοπούλου, Kazlauskienė). Names are left in the script faker gives them (Cyrillic,
Greek, Arabic, Persian, Hebrew, Georgian, Armenian, Devanagari, Han, Kana, Hangul; Han
and Kana half the time in faker's romanized names), as a bank may hold them: the matcher
romanizes what it can itself (Cyrillic), and the rest is matched as written. Names are
drawn by faker's weights, or, where faker gives none, by a Zipf law over its list (in
faker's order when the list is not alphabetical, as faker's are frequency-ordered then,
else in a seeded shuffle), so that common names are common.

Generation reads faker's lists once and combines them with one ``random.Random(seed)``
(faker called a million times would take minutes); only the organisations are made
by ``company()`` calls, one seeded faker per locale. The same seed and faker version
give the same names.
"""

from __future__ import annotations

import bisect
import itertools
import random
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from faker import Faker

#: Share of organisations among the customers (a retail bank's business customers).
ORGANISATIONS = 0.08


@dataclass(frozen=True)
class Locale:
    """How a locale's customers are named, and what share of the customers they are."""

    code: str
    share: float
    #: templates of family names made from a father's given name: {given} as it is,
    #: {stem} without its final vowels; "a|b" is a after a consonant, b after a vowel
    derive: tuple[str, ...] = ()
    derived: float = 0.0
    #: family-name endings; the stems faker's names have before them are recombined
    endings: tuple[str, ...] = ()
    recombined: float = 0.0
    #: two family names (Spanish paternal and maternal, a married couple's)
    double: float = 0.02
    joiner: str = "-"
    second_given: float = 0.1
    #: a father's name (Russian and Ukrainian from faker's, else derived or given)
    patronymic: float = 0.0
    family_first: float = 0.0
    #: the names in Latin letters instead (faker's romanized lists), for CJK
    romanized: float = 0.0
    strip: str = "aeiouy"


_SOFT = "аеёиоуыэюяіїєaeiouəıöüjčćšžđ"
_SLAVIC = "аяйьо"  # Сергей -> Серге-ев, Никита -> Никит-ин, Петро -> Петр-енко
LOCALES: tuple[Locale, ...] = (
    Locale("de_DE", 14, ("{given}s", "{given}sen", "{given}mann"), 0.06,
           ("mann", "er", "ner", "ler", "meier", "maier", "mayer", "bauer", "berger",
            "huber", "hofer", "müller", "schmidt", "stein", "berg", "feld", "bach",
            "baum", "hof", "hausen", "brink", "kamp", "inger", "rich", "wald", "horst",
            "hardt", "ke", "ert", "dorf", "mann"), 0.3, 0.04, second_given=0.15),
    Locale("de_AT", 3, ("{given}er", "{given}s"), 0.04,
           ("er", "ner", "ler", "huber", "bauer", "hofer", "leitner", "moser", "bichler",
            "egger", "mayr", "gruber", "reiter", "wimmer", "berger", "eder"), 0.3, 0.04),
    Locale("de_CH", 1.5, (), 0.0,
           ("er", "mann", "li", "egger", "berger", "hauser", "matter", "ler", "ner"), 0.25,
           0.06, second_given=0.15),
    Locale("fr_FR", 11, ("{given}", "{stem}eau", "{stem}et", "{stem}ot", "{given}in"), 0.12,
           ("eau", "et", "ot", "in", "on", "ard", "ier", "ault", "and", "el", "aud"), 0.2,
           0.04, second_given=0.15),
    Locale("fr_BE", 1.2, ("{given}", "{stem}et"), 0.08,
           ("et", "ot", "in", "ard", "ier", "aux", "ens", "ez"), 0.2, 0.04),
    Locale("nl_BE", 1.3, ("{given}s", "{given}sens", "Van {given}"), 0.1,
           ("ens", "s", "aert", "aerts", "ckx", "mans", "ers", "eels"), 0.25, 0.03),
    Locale("nl_NL", 4.5, ("{given}s", "{given}sen", "{given}se"), 0.1,
           ("sen", "s", "stra", "ma", "inga", "huis", "kamp", "man", "ink", "ers"), 0.25,
           0.04, second_given=0.25),
    Locale("en_GB", 6, ("{given}s", "{given}son", "Mc{given}", "Mac{given}"), 0.1,
           ("son", "ton", "ley", "ford", "field", "wood", "worth", "ham", "er", "ing"),
           0.2, 0.03, second_given=0.3),
    Locale("en_IE", 1, ("Mc{given}", "Mac{given}", "{given}s"), 0.08,
           ("an", "ey", "in", "y", "ahan", "igan", "ane"), 0.15, 0.02, second_given=0.3),
    Locale("en_US", 1, ("{given}s", "{given}son"), 0.08,
           ("son", "ton", "ley", "er", "man", "berg", "stein"), 0.15, 0.03, second_given=0.4),
    Locale("it_IT", 10,
           ("Di {given}", "De {given}", "{stem}i", "{stem}ini", "{stem}elli", "{stem}etti",
            "{stem}ucci", "{stem}oni"), 0.15,
           ("elli", "etti", "ini", "ucci", "oni", "ato", "ello", "one", "esi", "ari",
            "otti", "azzi", "ardi", "ano", "ese"), 0.3, 0.01, second_given=0.05),
    Locale("es_ES", 7, ("{stem}ez",), 0.12, ("ez", "ero", "ado", "ano", "eda", "ena", "on"),
           0.1, 0.92, " ", second_given=0.25),
    Locale("pt_PT", 2.5, ("{stem}es",), 0.1, ("es", "eira", "ado", "inho", "ão"), 0.1,
           0.75, " ", second_given=0.45),
    Locale("pl_PL", 6,
           ("{stem}owski", "{stem}ewski", "{stem}owicz", "{stem}czyk", "{stem}iak",
            "{stem}ek"), 0.12,
           ("ski", "cki", "wicz", "czyk", "ak", "ek", "ik", "ka", "ński", "owski", "ewski",
            "iak", "uk", "ko"), 0.3, 0.05, second_given=0.1),
    Locale("cs_CZ", 2, ("{stem}ek", "{stem}ák", "{stem}ík", "{stem}ovský"), 0.1,
           ("ák", "ek", "ík", "ský", "ný", "ec", "ka", "ček", "ář", "al"), 0.3, 0.01),
    Locale("sk_SK", 1, ("{stem}ek", "{stem}ák", "{stem}ík", "{stem}ovský", "{stem}ovič"), 0.1,
           ("ák", "ek", "ík", "ský", "ný", "ec", "ka", "ček", "ár", "ovič"), 0.3, 0.01),
    Locale("hu_HU", 2, ("{given}", "{given}fi"), 0.15,
           ("i", "ai", "ei", "ás", "és", "os", "ó", "a"), 0.25, 0.02, family_first=0.7),
    Locale("ro_RO", 3.5, ("{stem}escu", "{stem}eanu", "{stem}aru", "{stem}ache", "{given}"), 0.3,
           ("escu", "eanu", "aru", "ache", "oiu", "ean", "ică", "ici"), 0.3, 0.01,
           second_given=0.2, strip="aeiou"),
    Locale("bg_BG", 1.2, ("{stem}ов|ев", "{stem}ин|ин", "{stem}ски|ски"), 0.4,
           ("ов", "ски", "ин"), 0.2, 0.01, patronymic=0.6,
           strip=_SLAVIC),
    Locale("el_GR", 1.8,
           ("{stem}όπουλος", "{stem}άκης", "{stem}ίδης", "{stem}άτος", "{stem}ίου",
            "{stem}έας"), 0.3,
           ("όπουλος", "άκης", "ίδης", "άτος", "ιάδης", "ίκας", "ούλης", "έλης", "ίτης"), 0.3,
           0.03, strip="αεηιουωάέήίόύώςϊϋ"),
    Locale("hr_HR", 0.8, ("{stem}ović|ević", "{stem}ić|ić", "{stem}inić|inić"), 0.2,
           ("ić", "ović", "ević", "inić", "ač", "ec", "ar"), 0.25, 0.02),
    Locale("sl_SI", 0.4, ("{stem}ič", "{stem}čič", "{stem}ec"), 0.15,
           ("ič", "ec", "ar", "nik", "šek", "ovec", "ak"), 0.25, 0.02),
    Locale("lt_LT", 0.5,
           ("{stem}aitis", "{stem}auskas", "{stem}evičius", "{stem}onis", "{stem}ėnas",
            "{stem}ulis"), 0.5,
           ("auskas", "aitis", "evičius", "onis", "ėnas", "ulis", "as", "is", "us"), 0.3,
           0.01, strip="aeiouysė"),
    Locale("lv_LV", 0.4, ("{stem}sons", "{stem}iņš", "{stem}ovs"), 0.3,
           ("iņš", "sons", "ovs", "ēns", "els", "ītis", "s"), 0.3, 0.01,
           strip="aeiousšē"),
    Locale("et_EE", 0.3, (), 0.0,
           ("mäe", "saar", "mets", "pere", "lepp", "oja", "kivi", "tamm", "sepp", "vald",
            "berg", "son", "mann", "ov", "salu", "maa"), 0.45, 0.03),
    Locale("fi_FI", 1, ("{given}nen", "{given}la", "{stem}ainen"), 0.1,
           ("nen", "inen", "ainen", "la", "lä", "maa", "mäki", "oja", "salo", "koski",
            "järvi", "lahti", "niemi", "vaara", "aho", "harju", "virta", "nen"), 0.4, 0.02,
           second_given=0.4),
    Locale("sv_SE", 2, ("{given}sson", "{given}son"), 0.15,
           ("berg", "ström", "gren", "lund", "qvist", "kvist", "dahl", "holm", "blad",
            "man", "stedt", "borg", "fors", "mark", "ling", "sjö", "bäck", "vall",
            "hammar", "ander", "ell", "in", "sson"), 0.4, 0.03, second_given=0.3),
    Locale("da_DK", 1, ("{given}sen",), 0.3,
           ("gaard", "holm", "lund", "berg", "strup", "rup", "kjær", "bæk", "høj", "dal",
            "sted", "sen", "bo"), 0.3, 0.04, second_given=0.3),
    Locale("no_NO", 0.8, ("{given}sen",), 0.3,
           ("sen", "stad", "rud", "vik", "dal", "berg", "heim", "land", "haug", "lie",
            "bakken", "nes", "eide"), 0.3, 0.04, second_given=0.2),
    Locale("is_IS", 0.1, (), 0.0, (), 0.0, 0.0, second_given=0.3),
    Locale("tr_TR", 3, ("{given}oğlu", "{given}er", "{given}can"), 0.2,
           ("oğlu", "türk", "soy", "kan", "er", "taş", "han", "can", "demir", "kaya", "el",
            "gül", "su", "ay", "tekin", "dağ", "lı", "li", "ci", "çı", "öz", "göz"),
           0.4, 0.01),
    Locale("ru_RU", 1.5, ("{stem}ов|ев", "{stem}ин|ин", "{stem}ский|ский"), 0.3,
           ("ов", "ин", "ский", "енко", "ович"), 0.3, 0.005, patronymic=0.7,
           family_first=0.4, strip=_SLAVIC),
    Locale("uk_UA", 2, ("{stem}енко", "{stem}чук", "{stem}ук", "{stem}ишин", "{stem}ів"),
           0.3, ("енко", "чук", "ук", "юк", "ський", "ич", "ишин", "ко"), 0.3, 0.01,
           patronymic=0.7, family_first=0.3, strip=_SLAVIC + "ії"),
    Locale("az_AZ", 0.2, ("{given}ov|yev", "{given}li", "{given}zadə"), 0.4,
           ("ov", "ova", "yev", "li", "lı", "zadə", "bəyli"), 0.2, 0.0, strip=""),
    Locale("ka_GE", 0.2, ("{stem}აძე", "{stem}იშვილი", "{stem}ია"), 0.4,
           ("ძე", "შვილი", "ია", "ავა", "ული"), 0.3, 0.01, strip="აეიოუ"),
    Locale("hy_AM", 0.2, ("{given}յան", "{given}յանց"), 0.4, ("յան", "յանց", "ունի"), 0.2,
           0.0, strip=""),
    Locale("ar_AA", 1.2, ("ال{given}",), 0.2, (), 0.0, 0.01, patronymic=0.4),
    Locale("fa_IR", 0.4, ("{given}ی", "{given}زاده", "{given}پور", "{given} نژاد"), 0.4,
           (), 0.0, 0.0, strip=""),
    Locale("he_IL", 0.2, ("בן {given}",), 0.1, (), 0.0, 0.06),
    Locale("en_PK", 0.8, ("{given}",), 0.3, (), 0.0, 0.0, patronymic=0.3),
    Locale("en_IN", 0.8, (), 0.0, (), 0.0, 0.0, second_given=0.15),
    Locale("hi_IN", 0.2, (), 0.0, (), 0.0, 0.0),
    Locale("zh_CN", 0.8, (), 0.0, (), 0.0, 0.0, second_given=0, romanized=0.5,
           family_first=1),
    Locale("ja_JP", 0.2, (), 0.0, (), 0.0, 0.0, second_given=0, romanized=0.6,
           family_first=1),
    Locale("ko_KR", 0.2, (), 0.0, (), 0.0, 0.0, second_given=0, family_first=1),
    Locale("vi_VN", 0.4, (), 0.0, (), 0.0, 0.0, second_given=0, patronymic=0.8,
           family_first=1),
)  # fmt: skip

#: Women's forms of family names, by language: (ending, ending instead), first match;
#: several tables where a woman may have either (Lithuanian married or not).
FEMININE: dict[str, tuple[tuple[tuple[str, str], ...], ...]] = {
    "pl": ((("ski", "ska"), ("cki", "cka"), ("dzki", "dzka")),),
    "cs": ((("ský", "ská"), ("cký", "cká"), ("ný", "ná"), ("ý", "á"), ("ek", "ková"),
            ("ec", "cová"), ("a", "ová"), ("", "ová")),),
    "sk": ((("ský", "ská"), ("cký", "cká"), ("ný", "ná"), ("ý", "á"), ("ek", "ková"),
            ("ec", "cová"), ("a", "ová"), ("", "ová")),),
    "ru": ((("ский", "ская"), ("цкий", "цкая"), ("ой", "ая"), ("ов", "ова"), ("ев", "ева"),
            ("ин", "ина"), ("ын", "ына")),),
    "bg": ((("ски", "ска"), ("ов", "ова"), ("ев", "ева"), ("ин", "ина")),),
    "uk": ((("ський", "ська"), ("цький", "цька"), ("ов", "ова"), ("ев", "ева"),
            ("ин", "ина")),),
    "az": ((("ov", "ova"), ("yev", "yeva"), ("ev", "eva")),),
    "lt": ((("ius", "ienė"), ("as", "ienė"), ("is", "ienė"), ("ys", "ienė"), ("us", "ienė")),
           (("ius", "iūtė"), ("as", "aitė"), ("is", "ytė"), ("ys", "ytė"), ("us", "utė"))),
    "lv": ((("sons", "sone"), ("iņš", "iņa"), ("ovs", "ova"), ("ēns", "ēna"), ("s", "a"),
            ("š", "a")),),
    "el": ((("όπουλος", "οπούλου"), ("ίδης", "ίδου"), ("ιάδης", "ιάδου"), ("ος", "ου"),
            ("ός", "ού"), ("ης", "η"), ("ής", "ή"), ("ας", "α"), ("άς", "ά")),),
    "is": ((("son", "dóttir"),),),
}  # fmt: skip

#: Legal forms for locales whose faker company names carry English ones (or none):
#: "{}" is the name.
LEGAL_FORMS: dict[str, tuple[str, ...]] = {
    "en_GB": ("{} Ltd", "{} Limited", "{} PLC", "{} LLP"),
    "en_IE": ("{} Ltd", "{} DAC", "{} Teoranta", "{} Unlimited Company"),
    "fr_BE": ("{} SA", "{} SRL", "{} SC", "{} ASBL"),
    "fr_FR": ("{} SA", "{} SARL", "{} SAS", "{} SCI", "{} EURL"),
    "nl_NL": ("{} B.V.", "{} BV", "{} N.V.", "{} V.O.F."),
    "uk_UA": ("ТОВ «{}»", "ПрАТ «{}»", "ПП «{}»"),
    "lt_LT": ("UAB „{}“", "UAB {}", "AB {}", "MB {}"),
    "lv_LV": ('SIA "{}"', "SIA {}", "AS {}"),
    "et_EE": ("{} OÜ", "{} AS", "{} MTÜ"),
    "is_IS": ("{} ehf.", "{} hf."),
    "ar_AA": ("شركة {}", "{} ذ.م.م", "مؤسسة {}"),
    "fa_IR": ("شرکت {}", "{}"),
    "ka_GE": ("შპს {}", "სს {}"),
    "he_IL": ('{} בע"מ',),
    "hi_IN": ("{} प्राइवेट लिमिटेड", "{} लिमिटेड"),
    "en_IN": ("{} Pvt Ltd", "{} Private Limited", "{} LLP"),
    "en_PK": ("{} (Pvt) Ltd", "{} Private Limited"),
}
#: faker's English "and" in company names of locales that have their own
_AND = {"uk_UA": " і ", "et_EE": " ja ", "lt_LT": " ir ", "lv_LV": " un ", "is_IS": " og ",
        "ar_AA": " و", "ka_GE": " და ", "he_IL": " ו", "hi_IN": " और "}  # fmt: skip
_ENGLISH_SUFFIXES = ("Inc", "and Sons", "LLC", "Group", "PLC", "Ltd")
#: faker's company names here carry their legal form already (often in front)
_KEEP_COMPANY = {"ru_RU", "ja_JP", "zh_CN", "ko_KR", "vi_VN", "hy_AM", "el_GR", "en_US"}


class Pool:
    """Names drawn by weight: faker's, else a Zipf law over the list's order."""

    def __init__(self, names: Any, offset: int, rng: random.Random) -> None:
        if isinstance(names, dict):
            items = [(str(n), float(w)) for n, w in names.items()]
        else:
            listed = list(dict.fromkeys(str(n) for n in names))
            if listed == sorted(listed):  # alphabetical: no frequency order to keep
                rng.shuffle(listed)
            items = [(n, 1.0 / (rank + offset)) for rank, n in enumerate(listed)]
        items = [(n.strip(), w) for n, w in items if n.strip()]
        self.names = [n for n, _ in items]
        self.cumulative = list(itertools.accumulate(w for _, w in items))

    def __len__(self) -> int:
        return len(self.names)

    def draw(self, rng: random.Random) -> str:
        at = bisect.bisect(self.cumulative, rng.random() * self.cumulative[-1])
        return self.names[min(at, len(self.names) - 1)]


def _attr(provider: object, *names: str) -> Any:
    for name in names:
        value = getattr(provider, name, None)
        if value and len(value) > 1:
            return value
    return None


def _deaccent(text: str) -> str:
    """Greek stems lose their accent: the ending brings its own (Γεώργ-ιος, Γεωργ-άκης)."""
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", decomposed.replace("\u0301", ""))


@dataclass
class _Names:
    """One locale's pools, read from faker once."""

    locale: Locale
    given: tuple[Pool, Pool]  # men's, women's
    family: tuple[Pool, Pool]
    fathers: tuple[Pool, Pool] | None
    romanized: tuple[Pool, Pool] | None
    stems: list[str] = field(default_factory=list)

    @property
    def language(self) -> str:
        return self.locale.code.split("_")[0]


def _faker(code: str) -> Faker:
    """A faker of the locale with its person and company providers only (fast to make)."""
    return Faker(code, providers=["faker.providers.person", "faker.providers.company"])


def _provider(faker: Faker, kind: str) -> Any:
    return next(p for p in faker.providers if p.__provider__ == f"faker.providers.{kind}")


def _read(locale: Locale, faker: Faker, rng: random.Random) -> _Names:
    person = _provider(faker, "person")
    every = _attr(person, "first_names")
    men = _attr(person, "first_names_male") or every
    women = _attr(person, "first_names_female") or every
    if locale.code == "lt_LT":  # one list: men's names end in -s, women's in -a or -ė
        men = [n for n in every if n.endswith("s")]
        women = [n for n in every if not n.endswith("s")]
    family = _attr(person, "last_names", "unisex_last_names", "last_names_without_suffix")
    men_family = _attr(person, "last_names_male", "male_last_names") or family
    women_family = _attr(person, "last_names_female", "female_last_names")
    if locale.code == "pl_PL":  # the -ski names of men, the common ones unisex
        men_family = [*person.male_last_names, *person.unisex_last_names]
    if locale.code == "is_IS":  # fathers' names in the genitive, -son or -dóttir added
        fathers = person.last_names_without_suffix
        men_family = [f"{n}son" for n in fathers]
        women_family = [f"{n}dóttir" for n in fathers]
    if not women_family:
        women_family = [feminine(locale.code, n, None) for n in men_family]
    names = _Names(
        locale,
        (Pool(men, 10, rng), Pool(women, 10, rng)),
        (Pool(men_family, 20, rng), Pool(women_family, 20, rng)),
        None,
        None,
    )
    if _attr(person, "middle_names_male") and locale.patronymic:
        names.fathers = (
            Pool(person.middle_names_male, 10, rng),
            Pool(person.middle_names_female, 10, rng),
        )
    elif locale.code == "vi_VN":  # Văn, Thị, Đức: the middle name
        middle = Pool(person.middle_names, 3, rng)
        names.fathers = (middle, middle)
    if locale.romanized:
        first = _attr(person, "first_romanized_names")
        names.romanized = (Pool(first, 10, rng), Pool(person.last_romanized_names, 20, rng))
    if locale.endings:
        endings = sorted(set(locale.endings), key=len, reverse=True)
        stems = set()
        for name in names.family[0].names:
            if " " in name or "-" in name:
                continue
            ending = next((e for e in endings if name.endswith(e)), None)
            stem = name[: -len(ending)] if ending else name
            if len(stem) >= 3 and (ending or len(name) <= 6):
                stems.add(_deaccent(stem) if names.language == "el" else stem)
        names.stems = sorted(stems)
    return names


def feminine(code: str, name: str, rng: random.Random | None) -> str:
    """The woman's form of a man's family name, where the language has one."""
    tables = FEMININE.get(code.split("_")[0])
    if not tables:
        return name
    table = tables[0] if rng is None or len(tables) == 1 else rng.choice(tables)
    for ending, instead in table:
        if name.endswith(ending):
            return name[: len(name) - len(ending)] + instead
    return name


def _derive(names: _Names, rng: random.Random) -> str:
    """A family name made from a father's given name, as the language makes them."""
    given = names.given[0].draw(rng).split()[0].split("-")[0]
    template = rng.choice(names.locale.derive)
    stem = given.rstrip(names.locale.strip) if names.locale.strip else given
    if len(stem) < 2:
        stem = given
    if names.language == "el":
        stem = _deaccent(stem)
    if "|" in template:  # the soft ending after a vowel or a soft sign
        hard, soft = template.split("|")
        softened = given[-1] in "йь" or stem[-1].lower() in _SOFT
        template = hard[: hard.index("}") + 1] + soft if softened else hard
        stem = stem.rstrip("ь")
    return template.format(given=given, stem=stem)


def _family(names: _Names, woman: bool, rng: random.Random) -> str:
    """One family name: faker's, derived, or recombined (the woman's form for a woman)."""
    locale = names.locale
    roll = rng.random()
    if roll < locale.derived:
        name = _derive(names, rng)
    elif roll < locale.derived + locale.recombined and names.stems:
        name = rng.choice(names.stems) + rng.choice(locale.endings)
    else:
        return names.family[woman].draw(rng)
    return feminine(locale.code, name, rng) if woman else name


def _person(names: _Names, by_code: dict[str, _Names], rng: random.Random) -> tuple[str, str]:
    """A person's name and family name."""
    locale = names.locale
    woman = rng.random() < 0.5
    if names.romanized and rng.random() < locale.romanized:
        given, family = names.romanized[0].draw(rng), names.romanized[1].draw(rng)
        return f"{given} {family}", family
    given = names.given[woman].draw(rng)
    if rng.random() < locale.second_given:
        other = names.given[woman].draw(rng)
        if other != given:
            given = f"{given}-{other}" if locale.code == "fr_FR" else f"{given} {other}"
    family = _family(names, woman, rng)
    if rng.random() < locale.double:
        if locale.joiner == "-" and rng.random() < 0.25:  # a spouse from elsewhere
            spouse = by_code[rng.choice(_SPOUSES.get(locale.code, [locale.code]))]
            second = _family(spouse, woman, rng)
        else:
            second = _family(names, woman, rng)
        if locale.code == "pt_PT" and rng.random() < 0.2:
            second = f"{rng.choice(('da', 'dos', 'de'))} {second}"
        if second != family:
            family = f"{family}{locale.joiner}{second}"
    father = ""
    if rng.random() < locale.patronymic:
        if names.fathers:
            father = names.fathers[woman].draw(rng)
        elif locale.code == "bg_BG":
            father = _derive(names, rng)
            father = feminine("bg", father, None) if woman else father
        else:
            father = names.given[0].draw(rng)
    if rng.random() < locale.family_first:
        words = [family, given, father]
        if locale.code == "vi_VN":  # Nguyễn Văn Nam: the middle name before the given
            words = [family, father, given]
    else:
        words = [given, father, family]
    return " ".join(w for w in words if w), family


#: where a spouse's family name may come from: the locales written in the same script
_SCRIPTS = (
    {"en", "de", "fr", "nl", "it", "es", "pt", "pl", "cs", "sk", "hu", "ro", "hr", "sl", "lt",
     "lv", "et", "fi", "sv", "da", "no", "is", "tr", "az"},
    {"ru", "uk", "bg"},
)  # fmt: skip
_SPOUSES = {
    loc.code: [other.code for other in LOCALES if other.code[:2] in script]
    for script in _SCRIPTS
    for loc in LOCALES
    if loc.code[:2] in script
}


def _company(faker: Faker, code: str, suffixes: tuple[str, ...], rng: random.Random) -> str:
    """faker's company name, with a legal form of the country (most have one)."""
    name = faker.company()
    if code in _KEEP_COMPANY:
        return name
    if code in _AND:
        name = name.replace(" and ", _AND[code])
    forms = LEGAL_FORMS.get(code, ())
    if set(suffixes) <= set(_ENGLISH_SUFFIXES):  # faker's default, English, suffixes
        for suffix in _ENGLISH_SUFFIXES:
            if name.endswith(f" {suffix}"):
                name = name[: -len(suffix) - 1].rstrip(",")
        suffixes = ()
    known = {*suffixes, *(form.replace("{}", "").strip(' "«»„“') for form in forms), "s.p."}
    if any(name.endswith(f" {form}") or name.startswith(f"{form} ") for form in known):
        return name
    if rng.random() < 0.85 and (forms or suffixes):
        name = rng.choice(forms).format(name) if forms else f"{name} {rng.choice(suffixes)}"
    return name


@dataclass
class CustomerBase:
    """The names made, and what they are made of."""

    names: list[tuple[str, str]]
    #: every family name given to a person (two joined count as one: Nebot Castejón)
    family_names: set[str]
    by_locale: dict[str, int]


def customer_base(count: int, seed: int = 0) -> CustomerBase:
    """``count`` customer names, (schema, name) with schema "Person" or "Company", and
    the distinct family names among them."""
    rng = random.Random(seed)
    fakers = {loc.code: _faker(loc.code) for loc in LOCALES}
    by_code = {loc.code: _read(loc, fakers[loc.code], rng) for loc in LOCALES}
    codes = [loc.code for loc in LOCALES]
    weights = list(itertools.accumulate(loc.share for loc in LOCALES))
    companies = sum(rng.random() < ORGANISATIONS for _ in range(count))
    made: list[tuple[str, str]] = []
    families: set[str] = set()
    counts: dict[str, int] = dict.fromkeys(codes, 0)
    for code in rng.choices(codes, cum_weights=weights, k=count - companies):
        name, family = _person(by_code[code], by_code, rng)
        made.append(("Person", name))
        families.add(family)
        counts[code] += 1
    per_locale = rng.choices(codes, cum_weights=weights, k=companies)
    for number, code in enumerate(codes):
        wanted = per_locale.count(code)
        if not wanted:
            continue
        faker = fakers[code]
        faker.seed_instance(seed * 1000 + number)
        provider = _provider(faker, "company")
        suffixes = tuple(dict.fromkeys(getattr(provider, "company_suffixes", ()) or ()))
        made.extend(("Company", _company(faker, code, suffixes, rng)) for _ in range(wanted))
        counts[code] += wanted
    rng.shuffle(made)
    return CustomerBase(made, families, counts)


def customer_names(count: int, seed: int = 0) -> list[tuple[str, str]]:
    """``count`` customer names of a European bank, (schema, name): persons ("Person")
    and organisations ("Company") of the locales in ``LOCALES``, by their shares."""
    return customer_base(count, seed).names


if __name__ == "__main__":
    import sys
    import time

    start = time.perf_counter()
    base = customer_base(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000, seed=1)
    print(
        f"{len(base.names):,} names, {len(base.family_names):,} distinct family names "
        f"in {time.perf_counter() - start:.1f} s"
    )
    for schema, name in random.Random(2).sample(base.names, 40):
        print(f"  {schema:8} {name}")
