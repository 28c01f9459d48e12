"""Real bulletin prose for the search benchmark (`bench/search.py --prose`).

The generated articles keep their titles, authors and issues, but their bodies are rebuilt from
sentences of the seed issue (../shared/seeds), sampled and reshuffled: real prose repeats the
same policy vocabulary in many orders, which is where a phrase's bigrams occur apart without
the phrase (全过程人民民主 and 参政议政全过程 hold every bigram of 民主全过程).
"""

import random
import re
from pathlib import Path

SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_1f77cc8d6c62dca6.txt"

# Phrases whose bigrams (and mostly trigrams) are common in this prose, the phrase rare or absent.
ADVERSARIAL = [
    "民主全过程", "凝聚共识", "协商议事", "风就是形象", "政协委员会议", "发展高质量",
    "协商民主全过程", "履职尽责担当", "人民政协人民", "工作会议政协", "议政建言资政",
    "共识凝聚", "民主协商议事",
]  # fmt: skip
OTHER = [
    ("全过程人民民主", "phrase, common"), ("有事好商量", "phrase"), ("高质量发展", "phrase, common"),
    ("2024年", "digits + Chinese (print spacing: 2024 年)"), ("“有事 好商量”", "quoted phrase"),
    ("政协", "bigram, very common"), ("协", "single character, very common"),
    ("崇", "single character"), ("孙大伟", "name"), ("政协 委员 履职", "three words"),
]  # fmt: skip


def sentences(path=SEED):
    text = path.read_text(encoding="utf-8")
    found = [re.sub(r"\s*\n\s*", "", s) for s in re.split(r"(?<=[。！？；])", text)]
    return [s for s in found if len(s) >= 8 and "…" not in s and "|" not in s]


def queries(seed):
    """The adversarial phrases, fixed phrases, and phrases cut from random sentences."""
    rng = random.Random(seed)
    pool = sentences()
    cut = []
    for sentence in rng.sample(pool, 20):
        start = rng.randrange(0, max(1, len(sentence) - 6))
        cut.append((sentence[start : start + rng.choice((3, 4, 5, 6))], "phrase from the seed"))
    return (
        [(q, "adversarial: bigrams common, phrase rare/absent") for q in ADVERSARIAL] + OTHER + cut
    )


def reshuffle_bodies(*, seed, progress=None):
    """Give every article a body of seed sentences (1,500-3,000 characters, 2-3 a paragraph),
    updating its search text to match."""
    from articles.models import Article
    from articles.search.matching import SEPARATOR, fold, html_text

    rng = random.Random(seed)
    pool = sentences()
    ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), 1000):
        batch = list(Article.objects.filter(pk__in=ids[start : start + 1000]))
        for article in batch:
            target, length, paragraphs = rng.randint(1500, 3000), 0, []
            while length < target:
                paragraph = "".join(rng.choice(pool) for _ in range(rng.randint(2, 3)))
                paragraphs.append(f"<p>{paragraph}</p>")
                length += len(paragraph)
            article.body = "".join(paragraphs)
            head = article.search_text.split(SEPARATOR, 6)[:6]
            article.search_text = SEPARATOR.join([*head, fold(html_text(article.body))])
        Article.objects.bulk_update(batch, ["body", "search_text"], batch_size=500)
        if progress:
            progress(start + len(batch))
