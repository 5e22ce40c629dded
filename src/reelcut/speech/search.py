"""Which sentences of a transcript talk about something: by its words and by its meaning.

"The part where they talk about pricing" is answered from the transcript, not from the
loudness: every sentence gets a relevance to the topic, the best one is the seed, and the run
grows over the neighbours that stay on the topic. Two readings are added up:

- words: the topic's content words (or, for Chinese, its characters in pairs) found in the
  sentence, loosely (``prices`` finds ``price``, a misheard letter still matches);
- meaning: the cosine similarity of sentence embeddings, topic against the sentence and against
  the sentence with its neighbours (a topic is rarely named in every sentence about it). The
  encoder is handed in (the multilingual one of the ``meaning`` extra reads a Chinese topic
  against English talk); without one, words alone decide.

A topic that no sentence reaches :data:`FOUND` on is *not found*: the caller says so instead of
cutting a random clip. The thresholds were set on generated talk in four topics
(tests/speechmedia.py ``LECTURE``): sentences on the asked topic scored 0.30-0.49, the best
sentence for an absent topic ("pricing", "quantum physics", "量子物理") 0.05-0.16.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

import numpy as np

#: Sentences in, one embedding row each out.
Encode = Callable[[list[str]], object]

FOUND = 0.25  # the best sentence must reach this for the topic to be there at all
KEEP = 0.5  # a neighbour stays in the run at this share of the best sentence's relevance
KEEP_FLOOR = 0.15  # ... and never below this
COHERE = 0.1  # or at this mean similarity to the run's sentences (see find_topic)
WORD_WEIGHT = 0.4  # a sentence that says every content word of the topic gains this much
_STOP = frozenset(
    "a an and are about at be bit by can did do does for from how i in is it its me of on or our "
    "part parts piece section segment some that the their them there they this those to was we "
    "were what when where which who why with you your talk talks talking talked discuss discusses "
    "discussing discussed say says said mention mentions mentioned speak speaks speaking spoke "
    "find show give clip bits".split()
)
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_ZH_FILLER = re.compile(
    r"找到|找出|找一下|给我|剪出|剪|讲到|讲|说到|说|谈到|谈论|谈|聊到|聊|提到|关于|有关|那一段|那段|"
    r"这段|一段|部分|片段|地方|内容|时候|的|了|他们|她们|我们|大家|有人"
)


@dataclass(frozen=True, slots=True)
class TopicRun:
    """Sentences ``first``..``last`` (inclusive) talk about the topic; ``score`` is the best
    sentence's relevance, ``words`` the topic's words heard in the run."""

    first: int
    last: int
    score: float
    relevance: tuple[float, ...]  # every sentence's, for callers that explain the choice
    words: tuple[str, ...]


def _stem(word: str) -> str:
    for end in ("ing", "ed", "es", "s"):
        if len(word) > len(end) + 2 and word.endswith(end):
            return word[: -len(end)]
    return word


def topic_words(topic: str) -> list[str]:
    """The content words of ``topic`` (lower case, stemmed); Chinese as pairs of characters."""
    if _CJK.search(topic):
        core = _ZH_FILLER.sub(" ", topic)
        pairs: list[str] = []
        for run in re.findall(r"[\u3400-\u9fff\uf900-\ufaff]+", core):
            pairs += [run] if len(run) < 3 else [run[k : k + 2] for k in range(len(run) - 1)]
        latin = re.findall(r"[a-z0-9]+", core.lower())
        return pairs + [_stem(w) for w in latin if w not in _STOP]
    said = re.findall(r"[a-z0-9']+", topic.lower())
    return [_stem(w) for w in said if w not in _STOP and len(w) > 1]


def _word_share(words: Sequence[str], sentence: str) -> tuple[float, list[str]]:
    if not words:
        return 0.0, []
    heard = [_stem(w) for w in re.findall(r"[a-z0-9']+", sentence.lower())]
    found = []
    for w in words:
        if _CJK.search(w):
            hit = w in sentence
        else:
            hit = any(
                h == w or (len(w) > 3 and SequenceMatcher(None, h, w).ratio() >= 0.85)
                for h in heard
            )
        if hit:
            found.append(w)
    return len(found) / len(words), found


def _unit(rows: object) -> np.ndarray:
    m = np.asarray(rows, dtype=np.float32)
    return m / np.maximum(np.linalg.norm(m, axis=1, keepdims=True), 1e-9)


@dataclass(frozen=True, slots=True)
class _Reading:
    score: np.ndarray  # words + best of (sentence, sentence with neighbours) meaning
    own: np.ndarray  # words + the sentence's own meaning
    found: list[list[str]]
    vectors: np.ndarray | None  # unit sentence embeddings


def _read(texts: Sequence[str], topic: str, encode: Encode | None) -> _Reading:
    words = topic_words(topic)
    shares = [_word_share(words, t) for t in texts]
    score = np.array([WORD_WEIGHT * s for s, _ in shares], dtype=np.float32)
    own = score.copy()
    vectors = None
    if encode is not None:
        windows = [" ".join(texts[max(0, i - 1) : i + 2]) for i in range(len(texts))]
        rows = _unit(encode([topic, *texts, *windows]))
        sims = rows[1:] @ rows[0]
        vectors = rows[1 : len(texts) + 1]
        own += sims[: len(texts)]
        score += np.maximum(sims[: len(texts)], 0.8 * sims[len(texts) :])
    return _Reading(score, own, [found for _, found in shares], vectors)


def find_topic(texts: Sequence[str], topic: str, encode: Encode | None = None) -> TopicRun | None:
    """The run of consecutive sentences that talks about ``topic``, or None when none does.

    The best sentence is the seed; a neighbour joins while it is itself about the topic (its own
    relevance at least :data:`KEEP` of the seed's) or, with an encoder, while it stays on the
    run's subject (mean similarity to the run's sentences at least :data:`COHERE`: measured
    0.12-0.40 between sentences of one topic, at most 0.06 across topics). Without an encoder a
    sentence must say at least half the topic's content words to count.
    """
    if not texts or not topic.strip():
        return None
    r = _read(texts, topic, encode)
    floor = FOUND if encode is not None else 0.5 * WORD_WEIGHT
    best = int(np.argmax(r.score))
    if float(r.score[best]) < floor:
        return None
    keep = max(KEEP_FLOOR, KEEP * float(r.score[best]))

    def joins(j: int, first: int, last: int) -> float:
        """How strongly sentence ``j`` belongs to the run (0: not at all)."""
        if not 0 <= j < len(texts):
            return 0.0
        if r.own[j] >= keep:
            return 1.0 + float(r.own[j])
        if r.vectors is None:
            return 0.0
        cohere = float(np.mean(r.vectors[first : last + 1] @ r.vectors[j]))
        return cohere if cohere >= COHERE else 0.0

    first = last = best
    while True:
        left, right = joins(first - 1, first, last), joins(last + 1, first, last)
        if not left and not right:
            break
        if left >= right:
            first -= 1
        else:
            last += 1
    heard = sorted({w for k in range(first, last + 1) for w in r.found[k]})
    return TopicRun(
        first, last, round(float(r.score[best]), 3), tuple(float(x) for x in r.score), tuple(heard)
    )
