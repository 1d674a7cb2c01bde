"""Triage of inbound posts: language, sentiment, intent and needs-response, category, personal data,
legal threat, abuse, and a priority score.

Two paths share every step:
- fast (default, inline on ingest): fastText/lingua language, hashed n-gram heads, rules, regex and
  libphonenumber PII (spaCy NER only on posts that introduce a name or an address);
- accurate: the same plus e5 embeddings whose heads are averaged in, and e5 category similarity.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from socialdesk.triage import pii, rules
from socialdesk.triage.category import CategoryIndex
from socialdesk.triage.heads import embedder, heads
from socialdesk.triage.language import detect_languages
from socialdesk.triage.text import for_models

INTENTS = ("complaint", "question", "praise", "spam", "abuse", "other")
COMPLAINT_AT = 0.5
STRONG_COMPLAINT = 0.8
NEGATIVE_AT = 0.5
PRAISE_AT = 0.7
OFFENSIVE_AT = 0.8  # the offensive head alone flags abuse only when this sure; the word lists always do


@dataclass(frozen=True)
class Settings:
    """What a workspace's policy tells triage (see `policy.schema.Triage`)."""

    languages: tuple[str, ...] = ()
    phone_regions: tuple[str, ...] = ("US",)
    patterns: tuple[tuple[str, re.Pattern[str]], ...] = ()
    categories: CategoryIndex | None = None
    accurate: bool = False


@dataclass(frozen=True)
class Result:
    language: str
    language_confidence: float
    mixed_with: str
    sentiment: str
    sentiment_scores: dict[str, float]
    intent: str
    needs_response: bool
    category: str
    category_score: float
    personal_data: list[str]
    personal_spans: list[tuple[str, int, int]]
    legal_threat: bool
    abusive: bool
    complaint_score: float
    offensive_score: float
    priority_score: int
    path: str = "fast"
    flags: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Cues:
    """What the word lists find in one post, each looked up once."""

    spam: bool
    thanks: bool
    problem: bool
    sarcasm: bool = False


def _intent(
    cues: Cues,
    complaint: float,
    sentiment: Sequence[float],
    abusive: bool,
    question: bool,
    legal: bool,
) -> str:
    """complaint: the complaint head's score; sentiment: [negative, neutral, positive]."""
    if cues.spam:
        return "spam"
    if legal:
        return "complaint"  # a legal threat is a complaint, whatever its wording
    if abusive and complaint < STRONG_COMPLAINT and not question:
        return "abuse"
    praising = cues.thanks or sentiment[2] >= PRAISE_AT
    if praising and (cues.sarcasm or (cues.problem and complaint >= COMPLAINT_AT)):
        return "complaint"  # praise for a failure is sarcasm
    if cues.thanks and sentiment[2] >= 0.5 and complaint < STRONG_COMPLAINT:
        return "praise"  # with a question too: it needs a response, but it is praise
    problem = complaint >= COMPLAINT_AT or cues.problem or sentiment[0] >= NEGATIVE_AT
    if question and not (complaint >= STRONG_COMPLAINT or (cues.problem and sentiment[0] >= NEGATIVE_AT)):
        return "question"
    if problem:
        return "complaint"  # a question that complains is a complaint, for routing and priority
    if sentiment[2] >= PRAISE_AT or cues.thanks:
        return "praise"
    return "other"


def _agreeing(sentiment: str, intent: str) -> str:
    """The sentiment label agrees with the intent: a complaint (sarcastic praise included) or an
    attack is not positive, praise is not negative. The scores stay as the head gave them."""
    if intent in {"complaint", "abuse"} and sentiment == "positive":
        return "negative"
    if intent == "praise" and sentiment == "negative":
        return "positive"
    return sentiment


def priority_score(
    intent: str,
    negative: float,
    legal: bool,
    public_personal_data: bool,
    needs_response: bool,
    followers: int = 0,
) -> int:
    """0-100: what needs a person soonest. Legal threats and exposed personal data dominate; then
    complaints, questions, negativity, reach."""
    base = {"complaint": 35, "question": 25, "other": 10, "praise": 5, "abuse": 5, "spam": 0}[intent]
    score = base + 20 * negative + (10 if needs_response else 0)
    score += 30 if legal else 0
    score += 20 if public_personal_data else 0
    if followers > 0 and intent != "spam":
        score += min(10.0, 2.0 * math.log10(followers))
    return max(0, min(100, round(score)))


def triage_many(
    texts: Sequence[str],
    settings: Settings = Settings(),
    *,
    private: Sequence[bool] | None = None,
    followers: Sequence[int] | None = None,
) -> list[Result]:
    texts = list(texts)
    if not texts:
        return []
    model = heads()
    forms = [for_models(t) for t in texts]  # read by the hashing, the word lists and the question cue
    features = model.features(texts, forms)
    fast = model.fast_logits(features)
    embeddings = embedder().embed(texts) if settings.accurate else None
    e5 = model.e5_logits(embeddings) if embeddings is not None else None
    probs = model.predict(fast, e5)
    languages = detect_languages(texts, settings.languages)
    categories = (
        settings.categories.classify(features, embeddings) if settings.categories is not None else None
    )
    sentiment_classes = model.heads["sentiment"].classes
    out = []
    for i, text in enumerate(texts):
        is_private = bool(private[i]) if private is not None else False
        sentiment_row = probs["sentiment"][i]
        sentiment = sentiment_classes[int(np.argmax(sentiment_row))]
        complaint = float(probs["complaint"][i][1])
        offensive = float(probs["offensive"][i][1])
        folded = rules.Folded(rules.fold_form(forms[i]))
        # The offensive head learned that any swearing is offensive (OLID's labels); a post whose only
        # offence is swearing at the weather or as an intensifier attacks nobody.
        abusive = rules.abusive_words(folded) or (offensive >= OFFENSIVE_AT and not rules.swears(folded))
        question = rules.asks_question(folded, text, forms[i])
        legal = rules.legal_threat(folded)
        cues = Cues(
            spam=rules.spam(folded),
            thanks=rules.thanks(folded),
            problem=rules.problem(folded),
            sarcasm=rules.sarcasm(folded),
        )
        intent = _intent(cues, complaint, sentiment_row, abusive, question, legal)
        sentiment = _agreeing(sentiment, intent)
        needs_response = (
            intent in {"complaint", "question"}
            or legal
            or (is_private and intent == "other")
            or (intent == "praise" and question)  # thanks, and one more thing
        )
        findings = pii.find_personal_data(text, regions=settings.phone_regions, patterns=settings.patterns)
        kinds = pii.kinds(findings)
        category, category_score = ("", 0.0)
        if categories is not None and intent not in {"spam", "abuse", "praise"}:
            category, category_score = categories[i]
        negative = float(sentiment_row[0])
        flags = []
        if kinds and not is_private:
            flags.append("move_to_private")
        # Cues the desk's own voice weighs before speaking (socialdesk.policy.automation).
        flags += [name for name, present in (("question", question), ("problem", cues.problem)) if present]
        if rules.closes(folded):
            flags.append("closes")
        if cues.thanks:
            flags.append("thanks")
        if not cues.problem and any(mark in text for mark in rules.CHEERFUL_EMOJI):
            flags.append("cheerful")
        out.append(
            Result(
                language=languages[i].code,
                language_confidence=languages[i].confidence,
                mixed_with=languages[i].mixed_with,
                sentiment=sentiment,
                sentiment_scores={
                    c: round(float(p), 3) for c, p in zip(sentiment_classes, sentiment_row, strict=True)
                },
                intent=intent,
                needs_response=needs_response,
                category=category,
                category_score=round(category_score, 3),
                personal_data=kinds,
                personal_spans=[(f.kind, f.start, f.end) for f in findings],
                legal_threat=legal,
                abusive=abusive,
                complaint_score=round(complaint, 3),
                offensive_score=round(offensive, 3),
                priority_score=priority_score(
                    intent,
                    negative,
                    legal,
                    bool(kinds) and not is_private,
                    needs_response,
                    followers[i] if followers is not None else 0,
                ),
                path="accurate" if settings.accurate else "fast",
                flags=flags,
            )
        )
    return out


def triage(text: str, settings: Settings = Settings(), *, private: bool = False) -> Result:
    return triage_many([text], settings, private=[private])[0]
