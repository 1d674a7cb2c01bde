"""`socialdesk bench listen`: posts/s through the keyword matcher with thousands of brand terms, on
real tweets (SemEval 2017 from ../shared/data when present, else the demo scenario's posts), next to
a single compiled regular expression of the same terms as the naive baseline."""

from __future__ import annotations

import os
import platform
import random
import re
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.console import Console

from socialdesk.listening.matcher import Matcher, fold


def load_posts(data_dir: Path) -> tuple[list[str], str]:
    folder = data_dir / "semeval2017-task4A"
    texts: list[str] = []
    if folder.is_dir():
        for path in sorted(folder.glob("*.tsv")):
            for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
                parts = line.split("\t")
                if len(parts) >= 3:
                    texts.append(parts[2].encode().decode("unicode_escape", errors="replace"))
        return texts, f"{len(texts):,} SemEval-2017 tweets"
    from socialdesk.demo import customer_posts

    texts = [post["text"] for post in customer_posts()]
    return texts, f"{len(texts):,} demo scenario posts"


def make_terms(posts: list[str], count: int, seed: int = 11) -> tuple[list[str], list[str]]:
    """`count` brand-like terms drawn from the posts' own vocabulary: rare words as names (brands are
    rare in a general stream), two-word product names, handles and misspellings; 2 % exclusions."""
    from collections import Counter

    rng = random.Random(seed)
    counts = Counter(w for text in posts for w in re.findall(r"[A-Za-z]{4,}", text))
    rare = sorted(w for w, n in counts.items() if n <= 3)
    common = sorted(w for w, n in counts.items() if n > 3)
    terms: set[str] = set()
    while len(terms) < count:
        pick = rng.random()
        if pick < 0.4:
            terms.add(rng.choice(rare))
        elif pick < 0.75:
            terms.add(f"{rng.choice(rare)} {rng.choice(common)}")
        elif pick < 0.9:
            terms.add(f"@{rng.choice(common)}{rng.randint(1, 99)}")
        else:
            word = rng.choice(common)
            i = rng.randrange(1, len(word))
            terms.add(word[:i] + word[i] + word[i:])  # a doubled letter: a common misspelling
    exclusions = [f"{rng.choice(common)} {rng.choice(common)}" for _ in range(count // 50)]
    return sorted(terms), exclusions


def run_listen_benchmark(
    terms: int, posts: int, data_dir: Path, output: Path, console: Console
) -> dict[str, Any]:
    texts, source = load_posts(data_dir)
    vocabulary, exclusions = make_terms(texts, terms)
    started = time.perf_counter()
    matcher = Matcher.build([("brand", vocabulary, exclusions)])
    build_s = time.perf_counter() - started
    stream = [texts[i % len(texts)] for i in range(posts)]
    started = time.perf_counter()
    hits = sum(1 for text in stream if matcher.hits(text))
    elapsed = time.perf_counter() - started
    per_second = posts / elapsed
    # Baseline: one alternation of every term with word boundaries, on a slice (it is much slower).
    sample = stream[: max(1, min(posts, 20_000))]
    pattern = re.compile(
        r"(?<!\w)(?:"
        + "|".join(re.escape(fold(t)) for t in sorted(vocabulary, key=len, reverse=True))
        + r")(?!\w)"
    )
    started = time.perf_counter()
    baseline_hits = sum(1 for text in sample if pattern.search(fold(text)))
    baseline_per_second = len(sample) / (time.perf_counter() - started)
    result = {
        "terms": len(vocabulary),
        "exclusions": len(exclusions),
        "posts": posts,
        "source": source,
        "build_s": round(build_s, 3),
        "posts_per_s": round(per_second),
        "hit_share": round(hits / posts, 3),
        "baseline_per_s": round(baseline_per_second),
        "baseline_hit_share": round(baseline_hits / len(sample), 3),
    }
    console.print(
        f"{result['terms']:,} terms: {result['posts_per_s']:,} posts/s "
        f"({result['hit_share']:.1%} matched); regex baseline {result['baseline_per_s']:,} posts/s"
    )
    lines = [
        "",
        f"## Keyword listening — {datetime.now(tz=UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"`socialdesk bench listen`: {result['terms']:,} brand terms and {result['exclusions']:,} exclusions "
        f"in one Aho-Corasick automaton (pyahocorasick), {posts:,} posts cycled from {source}; one process "
        f"on {os.cpu_count()} cores, Python {platform.python_version()}. Each post is folded (case, accents, "
        "spaces) and checked on word boundaries, exclusions applied.",
        "",
        "| matcher | posts/s | share of posts matched | build |",
        "|---|---:|---:|---:|",
        f"| Aho-Corasick (socialdesk.listening) | {result['posts_per_s']:,} | {result['hit_share']:.1%} "
        f"| {result['build_s']} s |",
        f"| one compiled regex alternation (baseline, {len(sample):,} posts, no exclusions) "
        f"| {result['baseline_per_s']:,} | {result['baseline_hit_share']:.1%} | — |",
    ]
    with output.open("a", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    return result
