"""The signals incident detection reads besides the words: where a post is, and whether it says its
trouble is old or another matter. Sentences are written like the posts of the scenario days, in
several languages."""

from __future__ import annotations

import pytest

from socialdesk.incidents.cues import long_standing, not_the_incident, other_problem
from socialdesk.incidents.likeness import Post, elsewhere
from socialdesk.incidents.places import cities_in, countries_in

BRAND = frozenset({"nimbus", "pronto"})


def names(text: str) -> list[str]:
    return [city.name for city in cities_in(text, BRAND)]


def test_cities_by_any_of_their_names_longest_first() -> None:
    assert names("sem rede em Lisboa, e o meu irmão em Lisbon também") == ["Lisbon"]
    assert names("internet horrível no Rio de Janeiro com roaming") == ["Rio de Janeiro"]
    assert names("Madrid, zona Getafe. Y en Barcelona?") == ["Madrid", "Getafe", "Barcelona"]


def test_common_words_shouting_and_brand_words_are_not_places() -> None:
    assert names("NADA funciona, PAGO y no llega") == []
    assert names("Pronto! llegó rápido, gracias") == []
    assert names("the orange plan is nice") == []


def test_nearby_cities_are_one_place_for_an_outage() -> None:
    madrid, getafe, barcelona = (cities_in(text)[0] for text in ("Madrid", "Getafe", "Barcelona"))
    assert getafe.near(madrid)
    assert not barcelona.near(madrid)
    assert round(barcelona.km_to(madrid)) == 504


def test_countries_by_their_names_in_the_desk_s_languages() -> None:
    assert countries_in("can I use a Pronto account from Spain when I'm in Italy?", BRAND) == ["ES", "IT"]
    assert countries_in("Vivo en España, mi hija en los Países Bajos y mi hermano en Alemanha") == [
        "ES",
        "NL",
        "DE",
    ]
    # People's names that are also countries' are not places; neither is a lower-case word
    assert countries_in("Jordan and Chad ordered in portugal") == []
    assert cities_in("Lisboa")[0].country == "PT"


def _post(text: str) -> Post:
    return Post(meaning=None, chars=None, cities=cities_in(text, BRAND), countries=countries_in(text, BRAND))  # type: ignore[arg-type]


def test_a_post_is_about_another_place_by_the_first_city_or_only_other_countries() -> None:
    lisbon = cities_in("Lisboa")[0]
    # The first city named is where the writer is; another named later does not make it this one
    assert elsewhere(_post("pedido a las 20:10, Madrid, Tetuán. Ni Lisboa ni nada, aquí también"), lisbon)
    assert not elsewhere(_post("em Lisboa, o meu irmão em Madrid tem o mesmo"), lisbon)
    # No city: countries say it, when none is the incident's
    assert elsewhere(_post("can I use an account from Spain when I'm in Italy?"), lisbon)
    assert not elsewhere(_post("Portugal inteiro sem estafetas?"), lisbon)
    # Nothing named, or no place for the incident: nothing says it is elsewhere
    assert not elsewhere(_post("encomenda parada há 40 minutos"), lisbon)
    assert not elsewhere(_post("Madrid sin pagos"), None)


@pytest.mark.parametrize(
    "text",
    [
        "@NimbusMobile calls keep dropping in Barcelona near Sants, been like this since Monday",
        "en mi casa de Getafe se corta la señal cada dos por tres desde hace semanas, no solo hoy",
        "sem rede em Lisboa com roaming, desde ontem à noite",
        "llevo una semana que los datos van a pedales",
        "4th day in a row my data dies every evening",
        "je ne reçois plus les emails de confirmation depuis une semaine",
        "seit drei Tagen kein Netz",
    ],
)
def test_old_trouble_is_long_standing(text: str) -> None:
    assert long_standing(text)
    assert other_problem(text)


@pytest.mark.parametrize(
    "text",
    [
        "no tengo linea desde hace 5 minutos",
        "no signal since lunch, can't even call a taxi",
        "pas de réseau depuis une demi-heure à Madrid",
        "llevo media hora intentando pagar",
        "kein Netz mehr seit etwa 14 Uhr in Madrid-Centro",
        "Impossible de payer depuis 20 min",
    ],
)
def test_the_incident_s_own_words_are_not_long_standing(text: str) -> None:
    assert not long_standing(text)
    assert not other_problem(text)


def test_a_post_that_says_it_is_not_the_outage() -> None:
    assert not_the_incident("lo mio de los datos lentos no tiene nada que ver con la caida eh")
    assert not_the_incident("hi, unrelated to the outage: how do I set up voicemail?")
    assert not_the_incident("11pm and 4G crawling all evening. not the outage, this is every night")
    assert not not_the_incident("is the network down in Madrid? nothing works")
