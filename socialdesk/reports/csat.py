"""The customer's answer to the satisfaction question: a 1-5 rating read from their reply (digits,
number words, stars, keycap or face emoji) and the rest of the text kept as their comment, then a
CSAT fact for the agent who handled the case. The question itself is asked by `policy.timers`.

The number words of English, Spanish, Portuguese, French and German do not collide, so a reply is
read in all of them: triage's language guess on a one-word reply ("cinq") is the least reliable
thing about it. Anything that is not clearly a rating is an ordinary message."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from socialdesk.conversations.models import Conversation, DeliveryStatus, Direction, Message, Status
from socialdesk.reports import facts
from socialdesk.reports.models import CsatSurvey, FactKind

if TYPE_CHECKING:
    from socialdesk.ingest.schema import InboundMessage

NUMBER_WORDS = {
    # en
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    # es (pt shares cinco)
    "uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5,
    # pt
    "dois": 2, "duas": 2, "três": 3, "quatro": 4,
    # fr
    "deux": 2, "trois": 3, "quatre": 4, "cinq": 5,
    # de
    "eins": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "fuenf": 5,
}  # fmt: skip
# Words that rate by themselves, only where no reader would hesitate ("good" could be a 3, 4 or 5).
SCORE_WORDS = {
    "excellent": 5, "perfect": 5, "terrible": 1, "awful": 1, "horrible": 1,
    "excelente": 5, "perfecto": 5, "pésimo": 1, "pesimo": 1, "fatal": 1,
    "perfeito": 5, "péssimo": 1, "pessimo": 1, "terrível": 1,
    "parfait": 5, "nul": 1,
    "ausgezeichnet": 5, "perfekt": 5, "hervorragend": 5, "schrecklich": 1, "furchtbar": 1,
}  # fmt: skip
# Faces with one clear reading; a thumbs-up or a heart says "thanks" more often than a number.
FACES = {
    "😡": 1, "🤬": 1, "😠": 1,
    "😞": 2, "🙁": 2, "☹": 2,
    "😐": 3,
    "🙂": 4,
    "😀": 5, "😃": 5, "😄": 5, "😁": 5, "😍": 5, "🤩": 5,
}  # fmt: skip
STARS = "⭐🌟★"
# Words a rating may be introduced with: "un 5", "I'd give you a 4", "je donne une 5", "nota 4".
FILLER = {
    "i", "i'd", "id", "would", "give", "you", "it", "a", "an", "my", "rating", "score", "is",
    "le", "te", "os", "doy", "daría", "un", "una", "mi", "nota", "puntuación",
    "dou", "um", "uma", "minha", "eu",
    "je", "vous", "donne", "donnerais", "une", "ma", "note",
    "ich", "gebe", "euch", "ihnen", "eine", "ein", "meine", "bewertung",
}  # fmt: skip
_NUMBER = r"(?:[1-5](?!\w|[.,:]\d|\s*[%€$£])|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")"
_FIVE = r"(?:5|five|cinco|cinq|fünf|fuenf)"
# "4/5", "4 out of 5", "cuatro de cinco", "4 sur 5", "4 von 5": anywhere in the reply (not a date).
OUT_OF = re.compile(
    rf"(?<![\w/.,])({_NUMBER})\s*(?:/|out of|of|de|sur|von|em|su|di)\s*{_FIVE}(?![\w/]|[.,]\d)", re.IGNORECASE
)
# What may follow a bare number at the start of a reply for it to be a rating ("5!", "4, but ...",
# "5 stars", "5 thanks"); "2 phones broke" is not one.
AFTER_NUMBER = re.compile(
    r"\s*(?:$|[^\w\s]"
    r"|(?P<unit>stars?|estrellas?|estrelas?|étoiles?|etoiles?|sterne?|points?|puntos?|pontos?|punkte?)\b"
    r"|(?:thanks|thank|thx|gracias|obrigad[oa]|merci|danke)\b)",
    re.IGNORECASE,
)
_NUMBER_AT = re.compile(_NUMBER, re.IGNORECASE)
_KEYCAP = re.compile("([0-9])\ufe0f?\u20e3")
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?|\d+", re.UNICODE)
_EDGES = " \t\r\n-\u2013\u2014,.;:!·/()[]\"'"  # dashes: en, em


@dataclass(frozen=True)
class Rating:
    score: int
    comment: str = ""

    @property
    def needs_person(self) -> bool:
        """A rating that also asks something, or a low one with words: a person reads it, so the
        conversation reopens as for any message. A bare rating, or a good one with a remark, leaves
        a resolved conversation resolved and starts no response clock."""
        return "?" in self.comment or (self.score <= 2 and bool(self.comment))


def _number(token: str) -> int:
    return int(token) if token.isdecimal() else NUMBER_WORDS[token.lower()]


def _at_start(text: str) -> tuple[int, int] | None:
    """(score, end of the rating) for a reply that opens with its rating, after any filler words."""
    position = len(text) - len(text.lstrip(_EDGES))
    while (word := _WORD.match(text, position)) is not None and word.group().lower() in FILLER:
        gap = len(text[word.end() :]) - len(text[word.end() :].lstrip())
        if not gap:
            break  # "id:" or "a/" is no filler word before a number
        position = word.end() + gap
    found = _NUMBER_AT.match(text, position)
    if found is None:
        return None
    end = found.end()
    if found.group().isalpha() and end < len(text) and (text[end].isalpha() or text[end] == "'"):
        return None  # "tresor" begins with "tres"
    follow = AFTER_NUMBER.match(text, end)
    if follow is None:
        return None
    # "5 stars": the unit belongs to the rating; anything else after the number is the comment.
    return _number(found.group()), follow.end() if follow.group("unit") else end


def _tidy(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip(_EDGES)


def parse_rating(text: str) -> Rating | None:
    """The rating in a reply to the satisfaction question, or None when it holds none (or two that
    disagree: "3 or 4" is left to a person)."""
    text = _KEYCAP.sub(r" \1 ", text)
    scores: set[int] = set()
    rest = text
    found = OUT_OF.search(text)
    if found is not None:
        scores.add(_number(found.group(1)))
        before = text[: found.start()]
        if all(word.lower() in FILLER for word in _WORD.findall(before)):
            before = ""  # "je donne 4 sur 5": the words that introduce the rating are no comment
        rest = before + " " + text[found.end() :]
    else:
        start = _at_start(text)
        if start is not None:
            scores.add(start[0])
            rest = text[start[1] :]
    stars = sum(text.count(star) for star in STARS)
    if stars == 1 and scores:
        stars = 0  # "5 ⭐": the star is the unit of the number
    if 1 <= stars <= 5:
        scores.add(stars)
    rest = "".join(c for c in rest if c not in STARS + "☆\ufe0f")
    if not scores and not any(c.isalnum() for c in text):
        faces = {score for face, score in FACES.items() if face in text}
        scores |= faces
        rest = "".join(c for c in rest if c not in FACES and c != "\ufe0f")
    if not scores:
        words = _WORD.findall(text)
        if 1 <= len(words) <= 3 and words[0].lower() in SCORE_WORDS:
            # The word is the rating and, with what follows it, the comment.
            scores.add(SCORE_WORDS[words[0].lower()])
            rest = text if len(words) > 1 else ""
    if len(scores) != 1:
        return None
    return Rating(scores.pop(), _tidy(rest))


def open_survey(conversation_id: int, at: datetime) -> CsatSurvey | None:
    """The question asked in this conversation that a message written `at` may still answer."""
    return CsatSurvey.objects.filter(
        conversation_id=conversation_id,
        asked_at__lte=at,
        answer_until__gte=at,
        answered_at__isnull=True,
    ).first()


def stays_resolved(conversation: Conversation, inbound: InboundMessage) -> bool:
    """For threading: the customer's message only rates a resolved conversation (see
    `Rating.needs_person`), so it stays resolved and nobody waits for an answer."""
    if conversation.status != Status.RESOLVED or open_survey(conversation.pk, inbound.created_at) is None:
        return False
    rating = parse_rating(inbound.text)
    return rating is not None and not rating.needs_person


@dataclass(frozen=True)
class Answer:
    survey: CsatSurvey
    rating: Rating
    agent_id: int | None


def handled_by(conversation: Conversation) -> int | None:
    """The agent a rating counts for: the assignee, else the last person who answered."""
    if conversation.assignee_id is not None:
        return conversation.assignee_id
    return (
        Message.objects.filter(
            conversation_id=conversation.pk,
            direction=Direction.OUTBOUND,
            automatic=False,
            author_user__isnull=False,
        )
        .exclude(delivery_status__in=[DeliveryStatus.AWAITING_APPROVAL, DeliveryStatus.FAILED])
        .order_by("-sent_at", "-pk")
        .values_list("author_user_id", flat=True)
        .first()
    )


def take_answer(message: Message) -> Answer | None:
    """Record the rating in a customer's message when it answers the conversation's open question
    (the first rating counts; the question is then answered) and write its CSAT fact. None when the
    message answers no question or holds no rating: an ordinary message."""
    conversation = message.conversation
    survey = open_survey(conversation.pk, message.sent_at)
    if survey is None:
        return None
    rating = parse_rating(message.text)
    if rating is None:
        return None
    agent_id = handled_by(conversation)
    claimed = CsatSurvey.objects.filter(pk=survey.pk, answered_at__isnull=True).update(
        answered_at=message.sent_at,
        score=rating.score,
        comment=rating.comment,
        answer=message,
        agent_id=agent_id,
    )
    if not claimed:
        return None
    key = f"csat:{conversation.pk}"
    facts.record(conversation, FactKind.CSAT, message.sent_at, key, agent_id=agent_id, score=rating.score)
    return Answer(survey, rating, agent_id)
