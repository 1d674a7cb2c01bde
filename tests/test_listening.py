"""Keyword listening: whole words, any case, accents ignored, exclusions win, one automaton for every
brand and thousands of terms; the policy's `listening` section drives it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from socialdesk.listening.actions import listening_hits
from socialdesk.listening.matcher import Hit, Matcher, fold
from socialdesk.policy.actions import save_policy

TELECOM = (Path(__file__).parents[1] / "socialdesk" / "policy" / "examples" / "telecom.yaml").read_text(
    encoding="utf-8"
)


def test_fold_lowers_strips_accents_and_spaces() -> None:
    fullwidth_fibre = "\uff26\uff29\uff22\uff32\uff25"
    assert fold(f"  Nímbus   MÓVIL\u00a0{fullwidth_fibre} ") == "nimbus movil fibre"


def test_whole_words_any_case_and_exclusions() -> None:
    matcher = Matcher.build(
        [
            ("nimbus", ["Nimbus Mobile", "@NimbusMobile", "nimbus"], ["nimbus 2000"]),
            ("globex", ["Globex Bank", "globex"], []),
        ]
    )
    # In the order they end in the text.
    assert matcher.hits("Is NIMBUS mobile down again?") == [
        Hit("nimbus", "nimbus"),
        Hit("Nimbus Mobile", "nimbus"),
    ]
    assert matcher.hits("ask @nimbusmobile about it") == [Hit("@NimbusMobile", "nimbus")]
    assert matcher.hits("cumulonimbus clouds over Madrid") == []
    assert matcher.hits("my nimbuses") == []
    assert matcher.hits("#nimbus #fail") == [Hit("nimbus", "nimbus")]
    assert matcher.hits("Harry's Nimbus 2000 broom") == []  # the exclusion wins for that brand only
    assert matcher.hits("Nimbus 2000 and Globex bank") == [
        Hit("globex", "globex"),
        Hit("Globex Bank", "globex"),
    ]
    assert matcher.hits("Nímbus Mobile está caído") == [
        Hit("nimbus", "nimbus"),
        Hit("Nimbus Mobile", "nimbus"),
    ]
    assert matcher.hits("") == []


def test_ten_thousand_terms_still_find_the_right_ones() -> None:
    terms = [f"brand{i} store" for i in range(10_000)]
    matcher = Matcher.build([("many", terms, ["brand7 store closed"])])
    assert matcher.size == 10_001
    assert matcher.hits("went to Brand42 store and brand9999 STORE today") == [
        Hit("brand42 store", "many"),
        Hit("brand9999 store", "many"),
    ]
    assert matcher.hits("brand7 store closed, brand8 store open") == []
    assert matcher.hits("brand10000 store") == []


def test_the_policy_listening_section_drives_it(workspace: Any, other_workspace: Any) -> None:
    save_policy(workspace, TELECOM)
    assert listening_hits("Nimbus Movil sin cobertura en Sevilla") == {workspace.pk: ["Nimbus Movil"]}
    assert listening_hits("nimbos mobile support is slow") == {workspace.pk: ["Nimbos Mobile"]}
    assert listening_hits("a cumulonimbus over the Nimbus cloud") == {}
    # A new policy version without listening: the matcher follows at once.
    save_policy(workspace, TELECOM[: TELECOM.index("# Posts that name Nimbus")])
    assert listening_hits("Nimbus Movil sin cobertura en Sevilla") == {}
