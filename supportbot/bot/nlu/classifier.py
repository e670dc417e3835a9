"""Intent scoring built for rejection: word evidence per family, then per intent, mixed with fuzzy
similarity to the closest examples; words we do not know count against every intent.

How a message is scored:
- a feature is a content word, two adjacent words ("log in", "hej då"), two content words with only
  function words between them ("talk ~ you") or the first word ("^ tack");
  per family it has a share ``rel`` (how much of its use in the examples falls in that family) and a
  weight ``w`` (1 minus the normalised entropy of the shares, squared, times how often it was seen):
  "invoice" points at one family, "help" at none;
- a family's evidence is the ``w``-weighted mean of its shares; every unknown word adds
  ``unknown_weight`` to the denominator (it is a sign of a topic we do not cover; an unknown name or a
  typo corrected by guesswork counts as part of one) and ``prior_weight`` stands for "too little said
  to be sure";
- the out-of-scope examples are a family of their own (``none``): "cancel my order" or "refund" win
  for ``none`` rather than merely failing to reach an intent, and one word that is strong evidence
  for ``none`` (``veto``) decides, unless the winning family has a word as strong;
- within the winning family the intent is chosen the same way, and the rapidfuzz similarity of the
  message to the closest example of the two best intents is mixed in; a runner-up family with close
  word evidence is scored the same way and wins if evidence and similarity together say so;
- confidence = (1 - fuzzy_share) * family evidence + fuzzy_share * similarity; below ``threshold``,
  with less than ``min_evidence`` word evidence, when ``none`` has nearly as much word evidence as the
  chosen family (``none_tie``: "receive the newsletter"), or when the message is closer to an
  out-of-scope example than to any example of the chosen intent, the answer is ``none``.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import NamedTuple

from rapidfuzz import fuzz, process

from supportbot.bot.nlu.analysis import RECORDS
from supportbot.bot.nlu.types import NONE_INTENT

_FUZZY_FLOOR = 30.0
"""Similarities below this count as nothing; lets rapidfuzz skip hopeless examples early."""


@dataclass(frozen=True)
class Tuning:
    """The classifier's knobs; the defaults were tuned on the development set (bench/nlu_bench.py)."""

    threshold: float = 0.35
    smoothing: float = 0.02
    """Rate floor per class, relative to the mean class size: how much a never-seen pairing counts."""
    reliability: float = 1.0
    """A feature seen n times weighs n / (n + reliability): one example is weak evidence."""
    weight_power: float = 2.0
    """Informativeness is raised to this power: telling words dominate, generic ones fade."""
    bigram_weight: float = 0.6
    skip_weight: float = 0.6
    """Two content words with only function words between them ("talk ~ you" in "talk to you"):
    the pair says what goes with what when the words alone point elsewhere."""
    placeholder_weight: float = 0.6
    """Entities ("#site", "#date") are weaker evidence than words: "weather in Göteborg" is no inventory question."""
    unknown_weight: float = 0.8
    name_weight: float = 0.5
    """An unknown capitalised word (a name: "deliver to Åland") counts as this much of an unknown word."""
    guess_weight: float = 0.5
    """A word corrected by similarity alone ("historia" read as "historik") is evidence, and also counts
    as this much of an unknown word: the correction may be wrong."""
    prior_weight: float = 0.35
    fuzzy_share: float = 0.5
    fuzzy_intents: int = 2
    """How many of the family's best intents are compared with the message by fuzzy similarity."""
    rivals: int = 1
    """How many runner-up families are weighed against the best one, by evidence and similarity together:
    "speak to you soon" has more handoff words ("speak"), but it is nearly a goodbye example."""
    rival_ratio: float = 0.5
    """A runner-up family is weighed only when its word evidence reaches this share of the best family's."""
    veto: float = 0.34
    """One feature this strongly for ``none`` (weight x share) decides, unless the chosen family has
    one as strong: "I want a refund" is out of scope, "a refund for INV-2031, the price is wrong" is not."""
    min_evidence: float = 0.1
    """The family's word evidence alone must reach this, whatever the fuzzy similarity."""
    none_tie: float = 0.8
    """``none``'s word evidence must stay under this share of the chosen family's: when the words for
    something we do not offer weigh nearly as much ("receive the newsletter": "receive" says statement,
    "newsletter" out of scope), acting on the wrong record is worse than asking again."""
    none_similarity: float = 0.8
    """A message this similar to an out-of-scope example, and closer to it than to the chosen
    intent's examples, is out of scope, when that example has every word of the message that speaks
    for the chosen family."""
    topic_ratio: float = 0.5
    topic_pointed_ratio: float = 0.1
    """A follow-up that names no record of its own is read in the family of the record just talked
    about (``classify``'s ``topic``) when that family's word evidence reaches this share of the best
    family's: ``topic_pointed_ratio`` when it points at the record ("is it paid?", "hur mycket är den
    på?"), ``topic_ratio`` otherwise ("what's the total?" after an invoice is the invoice's, not the
    account's balance)."""
    plain_cutoff: float = 85.0
    """Similarity a message of function words only ("that's all", "ha det bra") needs to an example."""


READINGS_KEPT = 4096
"""Readings whose answers a classifier keeps (``IntentClassifier.classify``): a few megabytes at most."""


@dataclass(frozen=True, slots=True)
class Scored:
    intent: str
    confidence: float
    """For an intent: how sure we are of it; for ``none``: how sure we are that none applies."""
    off_topic: bool = False
    """The message is about something we do not offer (not merely unclear)."""


def family_of(intent: str) -> str:
    return intent.split(".", 1)[0]


def features(tokens: Sequence[str | None], stopwords: frozenset[str], *, skip: bool = False) -> list[str]:
    """Content words, the first word, adjacent pairs with at least one content word and, with ``skip``,
    content words that only function words separate ("talk ~ you" in "talk to you")."""
    out = [t for t in tokens if t is not None and t not in stopwords]
    if tokens and tokens[0] is not None and tokens[0] not in stopwords:
        out.append(f"^ {tokens[0]}")  # "tack ..." is thanks; "... tack" is Swedish for "please"
    for a, b in pairwise(tokens):
        if a is not None and b is not None and (a not in stopwords or b not in stopwords):
            out.append(f"{a} {b}")
    if skip:
        previous, gap = None, False
        for t in tokens:
            if t is None:
                previous, gap = None, False
            elif t in stopwords:
                gap = True
            else:
                if previous is not None and gap:
                    out.append(f"{previous} ~ {t}")
                previous, gap = t, False
    return out


_Entry = tuple[float, Sequence[float], tuple[tuple[int, float], ...]]
"""What a feature says among some classes: its weight, its w·rel per class (empty where nothing reads
it), and the (class, w·rel) pairs that are not 0."""


class _Evidence:
    """Per feature: its weight w and, per class, w·rel (a negligible share counts as 0)."""

    def __init__(
        self, counts: Mapping[str, Sequence[int]], sizes: Sequence[int], tuning: Tuning, *, dense: bool = True
    ) -> None:
        """With ``dense`` False the w·rel of every class is left out of the entries (only the pairs that
        are not 0 are kept): the scores within a family need no more, and the entries are most of the
        classifier's memory."""
        self.entries: dict[str, _Entry] = {}
        """Per feature: its weight, its w·rel per class (unless left out), and the (class, w·rel)
        pairs that are not 0."""
        k = len(sizes)
        self.size = k
        if k == 0:
            return
        floor = tuning.smoothing / (sum(sizes) / k)
        for feature, per_class in counts.items():
            rates = [n / max(size, 1) + floor for n, size in zip(per_class, sizes, strict=True)]
            total = sum(rates)
            rel = [r / total for r in rates]
            entropy = -sum(r * math.log(r) for r in rel if r > 0)
            informative = max(0.0, 1.0 - entropy / math.log(k)) if k > 1 else 1.0
            seen = sum(per_class)
            weight = informative**tuning.weight_power * seen / (seen + tuning.reliability)
            if " ~ " in feature:
                weight *= tuning.skip_weight
            elif " " in feature:
                weight *= tuning.bigram_weight
            if "#" in feature:
                weight *= tuning.placeholder_weight
            if weight > 1e-4:
                vector = [weight * r if r > 0.02 else 0.0 for r in rel]
                pairs = tuple((c, v) for c, v in enumerate(vector) if v != 0.0)
                self.entries[feature] = (weight, tuple(vector) if dense else (), pairs)


class _Feature(NamedTuple):
    """What one feature says: its entry among the families (``None`` if it says nothing there), and per
    family its entry among that family's intents. An entry is (weight, w·rel per class, the non-zero
    (class, w·rel) pairs)."""

    family: _Entry | None
    within: list[_Entry | None]


class _Features:
    """Every feature the examples have, looked up by its words: a message's features are found without
    building their text, and a pair of words is looked for only under a first word that begins one."""

    __slots__ = ("first", "pairs", "skips", "stop", "words")

    def __init__(self, families: _Evidence, within: Sequence[_Evidence], stopwords: frozenset[str]) -> None:
        self.stop = stopwords
        self.words: dict[str, _Feature] = {}
        self.first: dict[str, _Feature] = {}
        self.pairs: dict[str, dict[str, _Feature]] = {}
        self.skips: dict[str, dict[str, _Feature]] = {}
        names = set(families.entries).union(*(e.entries for e in within))
        for name in names:
            entry = _Feature(families.entries.get(name), [e.entries.get(name) for e in within])
            if name.startswith("^ "):
                self.first[name[2:]] = entry
            elif " ~ " in name:
                a, b = name.split(" ~ ")
                self.skips.setdefault(a, {})[b] = entry
            elif " " in name:
                a, b = name.split(" ")
                self.pairs.setdefault(a, {})[b] = entry
            else:
                self.words[name] = entry

    def find(self, tokens: Sequence[str | None], *, skip: bool) -> list[_Feature]:
        """The known features of ``tokens``, in the order ``features`` lists them (sums add up the same)."""
        words = self.words
        out = [f for t in tokens if t is not None and (f := words.get(t)) is not None]
        if not tokens:
            return out
        first = tokens[0]
        if first is not None and (f := self.first.get(first)) is not None:
            out.append(f)
        pairs = self.pairs
        for a, b in pairwise(tokens):
            if (
                a is not None
                and b is not None
                and (after := pairs.get(a)) is not None
                and (f := after.get(b)) is not None
            ):
                out.append(f)
        if skip and self.skips:
            stop, skips = self.stop, self.skips
            previous, gap = None, False
            for t in tokens:
                if t is None:
                    previous, gap = None, False
                elif t in stop:
                    gap = True
                else:
                    if (
                        previous is not None
                        and gap
                        and (after := skips.get(previous)) is not None
                        and (f := after.get(t)) is not None
                    ):
                        out.append(f)
                    previous, gap = t, False
        return out


def _for_none(feature: _Feature | None, none: int) -> bool:
    """Whether a word's feature speaks for out of scope above every family ("bank", "avbryt")."""
    entry = feature.family if feature is not None else None
    return entry is not None and entry[1][none] > 0.0 and entry[1][none] >= max(entry[1])


def _one_word(a: str, b: str) -> bool:
    """Whether two canonical words are forms of one word: equal, or one the other with an ending
    ("order", "ordern"; "beställning", "beställningen")."""
    if a == b:
        return True
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return len(short) >= 4 and long.startswith(short) and len(long) - len(short) <= 3


def _only(feature: str, words: frozenset[str], stopwords: frozenset[str]) -> bool:
    """Whether the content words of ``feature`` are all of ``words``."""
    if not words:
        return False
    parts = feature.removeprefix("^ ").replace(" ~ ", " ").split(" ")
    content = [w for w in parts if w not in stopwords]
    return bool(content) and all(w in words for w in content)


class IntentClassifier:
    """Scores canonical tokens against the examples of every intent and of ``none``."""

    def __init__(
        self,
        examples: Mapping[str, Sequence[Sequence[str | None]]],
        *,
        stopwords: frozenset[str],
        tuning: Tuning = Tuning(),
        languages: Mapping[str, Sequence[str]] | None = None,
        within_only: frozenset[str] = frozenset(),
        readings_kept: int = READINGS_KEPT,
    ) -> None:
        """``examples`` maps each intent (and ``none``) to its examples, already as canonical tokens;
        ``languages``, if given, the language of each of them, in the same order. Words of
        ``within_only`` choose an intent within a family but no family: a feature of such words (and
        function words) only is no evidence for a family ("excel": invoices, statements, orders and
        the inventory are all exported to a spreadsheet)."""
        self.tuning = tuning
        self._stop = stopwords
        self.intents = sorted(examples)
        self.families = sorted({family_of(i) for i in self.intents})
        index = {f: n for n, f in enumerate(self.families)}
        self._family_index = index
        self._members = [[n for n, i in enumerate(self.intents) if family_of(i) == f] for f in self.families]
        self._none = index.get(NONE_INTENT, -1)

        family_counts: dict[str, list[int]] = {}
        family_sizes = [0] * len(self.families)
        intent_counts: list[dict[str, list[int]]] = [{} for _ in self.families]
        intent_sizes = [[0] * len(m) for m in self._members]
        self._strings: list[list[str]] = []
        self._by_language: list[dict[str, list[str]]] = []
        plain: dict[str, str] = {}
        for n, intent in enumerate(self.intents):
            f = index[family_of(intent)]
            slot = self._members[f].index(n)
            strings: list[str] = []
            by_language: dict[str, list[str]] = {}
            tongues = languages.get(intent, ()) if languages is not None else ()
            for number, tokens in enumerate(examples[intent]):
                feats = set(features(tokens, stopwords, skip=tuning.skip_weight > 0.0))
                family_sizes[f] += 1
                intent_sizes[f][slot] += 1
                for feature in feats:
                    if not _only(feature, within_only, stopwords):
                        family_counts.setdefault(feature, [0] * len(self.families))[f] += 1
                    intent_counts[f].setdefault(feature, [0] * len(self._members[f]))[slot] += 1
                text = " ".join(t for t in tokens if t is not None)
                strings.append(text)
                if number < len(tongues):
                    by_language.setdefault(tongues[number], []).append(text)
                if not feats:
                    plain.setdefault(text, intent)
            self._strings.append(list(dict.fromkeys(strings)))
            self._by_language.append({k: list(dict.fromkeys(v)) for k, v in by_language.items()})
        self._families = _Evidence(family_counts, family_sizes, tuning)
        self._within = [
            _Evidence(intent_counts[f], intent_sizes[f], tuning, dense=False)
            for f in range(len(self.families))
        ]
        self._features = _Features(self._families, self._within, stopwords)
        self._family_count = len(self.families)
        # Out-of-scope examples by length, all of them and per language: only those of a length close
        # to the message's can be close to it, and they are one slice of a sorted list.
        none_members = self._members[self._none] if self._none >= 0 else []
        groups: dict[str | None, list[str]] = {None: [t for n in none_members for t in self._strings[n]]}
        for n in none_members:
            for language, texts in self._by_language[n].items():
                groups.setdefault(language, []).extend(texts)
        self._none_by_length: dict[str | None, tuple[list[int], list[str]]] = {}
        for tongue, texts in groups.items():
            ordered = sorted(texts, key=len)
            self._none_by_length[tongue] = ([len(t) for t in ordered], ordered)
        self._plain_strings = list(plain)
        self._plain_intents = list(plain.values())
        self._remembered = lru_cache(maxsize=readings_kept)(self._classify)

    def classify(
        self,
        tokens: Sequence[str | None],
        *,
        unknown: float = 0.0,
        surface: str | None = None,
        language: str | None = None,
        topic: str | None = None,
    ) -> Scored:
        """``tokens`` are canonical words (``None`` where a word is unknown); ``unknown`` is how much of
        the message we do not know: 1 per unknown word, less for a name or a corrected typo.

        ``surface`` is what fuzzy matching compares with the examples (unknown words included, so
        they lower the similarity); by default the known tokens. With ``language`` it is compared with
        the examples in that language only (all of an intent's, if it has none in it).

        ``topic`` is the family of the record the conversation is about (the invoice just shown): a
        message that names no record of its own leans to it (``Tuning.topic_ratio``).

        The answer depends on these alone, and the classifier never changes once built, so the last
        ``READINGS_KEPT`` readings' answers are kept: customers ask the same things in the same
        words, and a message's numbers and dates are placeholders in its reading by now ("where is
        my order 4711?" and "… 4712?" are one reading).
        """
        query = surface if surface is not None else " ".join(x for x in tokens if x is not None)
        about = self._family_index.get(topic) if topic is not None else None
        if about is not None and any(t is not None and t in RECORDS for t in tokens):
            about = None  # a record of its own says what the message is about
        return self._remembered(tuple(tokens), unknown, query, language, about)

    def speaks_for_none(self, word: str) -> bool:
        """Whether a word, alone, is evidence for out of scope above every family ("bank", "gym")."""
        return _for_none(self._features.words.get(word), self._none)

    def any_for_none(self, tokens: Sequence[str | None]) -> bool:
        """Whether any of the tokens ``speaks_for_none``."""
        return any(t is not None and self.speaks_for_none(t) for t in tokens)

    def points_into(self, tokens: Sequence[str | None], topic: str) -> bool:
        """Whether a message's words give the ``topic`` family at least ``Tuning.topic_pointed_ratio``
        of the best family's evidence: a message that points at the record talked about ("how much
        is it?") is then about that record, however few of the family's own words it has."""
        about = self._family_index.get(topic)
        if about is None:
            return False
        scores = [0.0] * self._family_count
        for feature in self._features.find(tokens, skip=self.tuning.skip_weight > 0.0):
            entry = feature.family
            if entry is not None:
                for c, v in entry[2]:
                    scores[c] += v
        return scores[about] > 0.0 and scores[about] >= self.tuning.topic_pointed_ratio * max(scores)

    def _classify(
        self,
        tokens: tuple[str | None, ...],
        unknown: float,
        query: str,
        language: str | None,
        about: int | None = None,
    ) -> Scored:
        t = self.tuning
        feats = self._features.find(tokens, skip=t.skip_weight > 0.0)
        scores = [0.0] * self._family_count
        evidence = 0.0
        seen: list[Sequence[float]] = []
        for feature in feats:
            entry = feature.family
            if entry is not None:
                evidence += entry[0]
                # Only the non-zero shares are added: adding 0.0 changes no sum, so this is exact.
                for c, v in entry[2]:
                    scores[c] += v
                seen.append(entry[1])
        if evidence <= 0.0:
            return self._plain(query)
        best = scores.index(max(scores))  # the first of equals, as the family order has it
        denominator = evidence + t.unknown_weight * unknown + t.prior_weight
        # Read in the topic's family, when its words say enough for an answer: neither another
        # family's words nor its own similarity to their examples take it away then.
        leaned = about == best
        if about is not None and not leaned and about != self._none and scores[about] > 0.0:
            ratio = t.topic_pointed_ratio if "#ref" in tokens else t.topic_ratio
            leaned = scores[about] >= ratio * scores[best] and scores[about] >= t.min_evidence * denominator
            if leaned:
                best = about
        family_score = scores[best] / denominator
        none = self._none
        against = max([vector[none] for vector in seen]) if none >= 0 else 0.0
        if best == none or (against >= t.veto and against >= max([vector[best] for vector in seen])):
            return Scored(NONE_INTENT, min(1.0, 0.5 + family_score), off_topic=True)
        intent, similarity = self._pick(best, feats, query, language)
        confidence = (1.0 - t.fuzzy_share) * family_score + t.fuzzy_share * similarity
        for rival in [] if leaned else self._rivals(scores, best):
            rival_score = scores[rival] / denominator
            if (1.0 - t.fuzzy_share) * rival_score + t.fuzzy_share <= confidence:
                continue  # not even an identical example would make it win
            rival_intent, rival_similarity = self._pick(rival, feats, query, language)
            rival_confidence = (1.0 - t.fuzzy_share) * rival_score + t.fuzzy_share * rival_similarity
            if rival_confidence > confidence:
                best, family_score, intent = rival, rival_score, rival_intent
                similarity, confidence = rival_similarity, rival_confidence
                if against >= t.veto and against >= max([vector[best] for vector in seen]):
                    return Scored(NONE_INTENT, min(1.0, 0.5 + family_score), off_topic=True)
        if confidence < t.threshold or family_score < t.min_evidence:
            return Scored(NONE_INTENT, 1.0 - confidence)
        if none >= 0 and scores[none] >= t.none_tie * scores[best]:
            return Scored(NONE_INTENT, min(1.0, 0.5 + scores[none] / denominator), off_topic=True)
        if against > 0.0:
            floor = max(similarity, t.none_similarity)
            near = self._nearest_none(query, language, floor=floor)
            if near is not None and self._says_all_it_says(near, tokens, best):
                return Scored(NONE_INTENT, confidence, off_topic=True)
        return Scored(intent, confidence)

    def _says_all_it_says(self, example: str, tokens: Sequence[str | None], family: int) -> bool:
        """Whether the out-of-scope ``example`` has every word of the message that speaks for
        ``family`` rather than for out of scope: letters alike are not words alike ("i can't locate
        order #ordno" is as close to "i want to cancel order #ordno" as an example of ours, and
        "locate" is no word of cancelling)."""
        words = self._features.words
        none = self._none
        said = example.split(" ")
        for token in tokens:
            # A record's placeholder says which record, not what is asked of it; a word is said in
            # any of its forms ("order", "ordern").
            if token is None or token[0] == "#" or any(_one_word(token, w) for w in said):
                continue
            feature = words.get(token)
            entry = feature.family if feature is not None else None
            if entry is not None and entry[1][family] > entry[1][none]:
                return False
        # Nor, when no word of the message speaks for out of scope above all, one of its own that does
        # and the message does not say: "what's my bank account balance" is not "what is our account
        # balance" ("avbeställ min order" is "avbryt min order": each says it in its own word).
        known = [t for t in tokens if t is not None]
        if any(_for_none(words.get(t), none) for t in known):
            return True
        for word in said:
            if word[0] == "#" or any(_one_word(word, t) for t in known):
                continue
            if _for_none(words.get(word), none):
                return False
        return True

    def _rivals(self, scores: Sequence[float], best: int) -> list[int]:
        """Families other than ``best`` and ``none`` whose word evidence comes close to the best's."""
        if self.tuning.rivals <= 0:
            return []
        floor = max(scores[best] * self.tuning.rival_ratio, 1e-9)
        close = [f for f, score in enumerate(scores) if score >= floor and f != best and f != self._none]
        close.sort(key=scores.__getitem__, reverse=True)  # stable: ties keep family order
        return close[: self.tuning.rivals]

    def instead_of(
        self,
        intent: str,
        tokens: Sequence[str | None],
        *,
        barred: Collection[str] = (),
        surface: str | None = None,
        language: str | None = None,
    ) -> str | None:
        """The best intent of ``intent``'s family but ``intent`` and those ``barred``, read from the same
        words: where a message goes that lacks the words ``intent`` cannot be taken without ("the VAT on
        the invoice looks odd" read as approving it). ``None`` when the family has no other."""
        family = self._family_index.get(family_of(intent))
        if family is None or intent not in self.intents:
            return None
        members = self._members[family]
        first = members.index(self.intents.index(intent))
        but = [
            first,
            *(slot for slot, n in enumerate(members) if self.intents[n] in barred and slot != first),
        ]
        if len(but) >= len(members):
            return None
        query = surface if surface is not None else " ".join(x for x in tokens if x is not None)
        feats = self._features.find(tokens, skip=self.tuning.skip_weight > 0.0)
        return self._pick(family, feats, query, language, but=but)[0]

    def _pick(
        self,
        family: int,
        feats: Sequence[_Feature],
        query: str,
        language: str | None,
        *,
        but: Sequence[int] = (),
    ) -> tuple[str, float]:
        """The best intent of ``family`` (but its members ``but``) and the fuzzy similarity (0-1) of the
        closest example seen."""
        t = self.tuning
        members = self._members[family]
        scores = [0.0] * len(members)
        evidence = 0.0
        for feature in feats:
            entry = feature.within[family]
            if entry is not None:
                evidence += entry[0]
                for c, v in entry[2]:
                    scores[c] += v
        ranked = sorted(range(len(members)), key=scores.__getitem__, reverse=True)
        if but:
            # The candidates of a reading without the intent read first (``but[0]``), less the others
            # barred; the next one not barred if none is left.
            ranked = [slot for slot in ranked if slot != but[0]]
            rest = [slot for slot in ranked if slot not in but]
            ranked = [slot for slot in ranked[: t.fuzzy_intents] if slot not in but] or rest[:1]
        else:
            ranked = ranked[: t.fuzzy_intents]
        best_intent, best_score, best_similarity = members[ranked[0]], -1.0, 0.0
        cutoff = _FUZZY_FLOOR
        for slot in ranked:
            intent = members[slot]
            # Intents come by falling evidence: one no more similar than the best so far cannot win
            # nor raise the similarity, so only closer examples need to be looked for.
            choices = self._by_language[intent].get(language) if language is not None else None
            match = process.extractOne(
                query,
                choices or self._strings[intent],
                scorer=fuzz.ratio,
                processor=None,
                score_cutoff=cutoff,
            )
            similarity = 0.0
            if match is not None:
                cutoff = max(cutoff, match[1])
                similarity = match[1] / 100.0
            score = (1.0 - t.fuzzy_share) * scores[slot] / (
                evidence + t.prior_weight
            ) + t.fuzzy_share * similarity
            if score > best_score:
                best_intent, best_score = intent, score
            best_similarity = max(best_similarity, similarity)
        return self.intents[best_intent], best_similarity

    def _nearest_none(self, query: str, language: str | None, *, floor: float) -> str | None:
        """The closest out-of-scope example (in ``language``, if it has any in it), when its
        similarity reaches ``floor``; only examples of a similar length can be close."""
        lengths, texts = self._none_by_length.get(language) or self._none_by_length[None]
        # ratio = 2·matches / (len(a) + len(b)) >= floor needs len(b) / len(a) in [floor/(2-floor), (2-floor)/floor]
        low = bisect_left(lengths, int(len(query) * floor / (2.0 - floor)))
        high = bisect_right(lengths, int(len(query) * (2.0 - floor) / floor) + 1)
        if low >= high:
            return None
        # A hair under the floor: a similarity that reaches it once divided by 100 is never cut off.
        match = process.extractOne(
            query, texts[low:high], scorer=fuzz.ratio, processor=None, score_cutoff=floor * 100.0 - 1e-6
        )
        return match[0] if match is not None else None

    def _plain(self, query: str) -> Scored:
        """A message of function words only: an intent only if it is (nearly) one of the examples."""
        cutoff = self.tuning.plain_cutoff
        match = process.extractOne(
            query, self._plain_strings, scorer=fuzz.ratio, processor=None, score_cutoff=cutoff
        )
        if match is None:
            return Scored(NONE_INTENT, 1.0)
        return Scored(self._plain_intents[match[2]], match[1] / 100.0)
