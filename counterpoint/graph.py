"""Cross-references between passages, declared and derived.

A relation an editor declares (opposes, supports, responds to) shows on both
passages. Beyond those, two passages of different voices that take a stance on
the same question are related by it: stances that `questions.yml` declares
contradictory oppose each other, the same stance backs, and compatible stances
(any pair not declared contradictory) relate nothing. Derived links use each
voice's first passage taking a stance, so a voice is listed once per stance it
holds on the question.

While at most `derived_limit` other voices (`Limits.derived_voices`, 12 unless
mkdocs.yml says otherwise) take a stance on a question, a passage lists each of them. Beyond that, it lists none of them and counts them instead
(a `Tally`): listing only some would give those voices a better seat, and
listing all would make every page grow with the corpus. The question's page
lists them all.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from .model import Corpus, Passage, RelationType
from .settings import Limits


class Group(enum.Enum):
    OPPOSED_BY = "Opposed by"
    BACKED_BY = "Backed by"
    RESPONDS_TO = "Responds to"
    ANSWERED_BY = "Answered by"


GROUP_ORDER = (Group.OPPOSED_BY, Group.BACKED_BY, Group.RESPONDS_TO, Group.ANSWERED_BY)


@dataclass(frozen=True)
class Basis:
    """Why two passages are linked on one question: the stance each takes."""

    question: str
    own_stance: str
    other_stance: str


@dataclass
class CrossRef:
    other: str
    """Id of the passage at the other end."""
    declared: bool = False
    """An editor declared this link (as opposed to it following from stances)."""
    bases: list[Basis] = field(default_factory=list)
    answer: Group | None = None
    """RESPONDS_TO or ANSWERED_BY when the other passage is also an answer in that sense."""


@dataclass(frozen=True)
class Tally:
    """The other voices on a question too many to list: how many back the passage, how many oppose it."""

    question: str
    own_stance: str
    backed_by: int
    opposed_by: int


@dataclass
class Links:
    """Everything one passage's footnote lists."""

    groups: dict[Group, list[CrossRef]] = field(default_factory=dict)
    tallies: list[Tally] = field(default_factory=list)
    """Derived links counted rather than listed, one per question with more than `derived_limit` other voices."""

    def entries(self, group: Group) -> list[CrossRef]:
        return self.groups.get(group, [])

    @property
    def count(self) -> int:
        listed = sum(len(v) for v in self.groups.values())
        return listed + sum(t.backed_by + t.opposed_by for t in self.tallies)


class Graph:
    def __init__(self, corpus: Corpus, derived_limit: int = Limits.derived_voices) -> None:
        self.corpus = corpus
        self.derived_limit = derived_limit
        self.links: dict[str, Links] = {p.id: Links() for p in corpus.passages}
        self._declared(corpus)
        self._derived(corpus)
        self._fold_answers()
        self._sort()

    def of(self, passage_id: str) -> Links:
        return self.links[passage_id]

    def _entry(self, passage: str, group: Group, other: str) -> CrossRef:
        entries = self.links[passage].groups.setdefault(group, [])
        for entry in entries:
            if entry.other == other:
                return entry
        entry = CrossRef(other)
        entries.append(entry)
        return entry

    def _declared(self, corpus: Corpus) -> None:
        for relation in corpus.relations:
            a, b = relation.source, relation.target
            if relation.type is RelationType.OPPOSES:
                pairs = [(a, Group.OPPOSED_BY, b), (b, Group.OPPOSED_BY, a)]
            elif relation.type is RelationType.SUPPORTS:
                pairs = [(a, Group.BACKED_BY, b), (b, Group.BACKED_BY, a)]
            else:
                pairs = [(a, Group.RESPONDS_TO, b), (b, Group.ANSWERED_BY, a)]
            for passage, group, other in pairs:
                self._entry(passage, group, other).declared = True

    def _derived(self, corpus: Corpus) -> None:
        # The first passage of each voice taking each stance stands for that voice's stance: a voice
        # holding two compatible stances on a question is listed once for each, with its own words.
        representative: dict[str, dict[tuple[str, str], Passage]] = defaultdict(dict)
        for passage in corpus.passages:
            for qid, sid in passage.stances:
                representative[qid].setdefault((passage.voice_id, sid), passage)
        holders: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        for qid, reps in representative.items():
            for voice_id, sid in reps:
                holders[qid][sid].add(voice_id)
        order = corpus.voice_by_id
        listed_in_order = {
            qid: sorted(
                ((p, sid) for (_, sid), p in reps.items()),
                key=lambda item: (order[item[0].voice_id].order, item[0].block_index, item[0].start),
            )
            for qid, reps in representative.items()
            if len({voice for voice, _ in reps}) <= self.derived_limit + 1
        }
        tallied: dict[str, _Counted] = {}
        for passage in corpus.passages:
            for qid, own in passage.stances:
                if qid in listed_in_order:
                    for other, theirs in listed_in_order[qid]:
                        if other.voice_id != passage.voice_id:
                            self._add_basis(passage, other, qid, own, theirs)
                else:
                    counted = tallied.get(qid)
                    if counted is None:
                        counted = tallied[qid] = _Counted(representative[qid], holders[qid])
                    self._tally(passage, qid, own, counted)

    def _add_basis(self, passage: Passage, other: Passage, qid: str, own: str, theirs: str) -> None:
        if theirs == own:
            group = Group.BACKED_BY
        elif self.corpus.question_by_id[qid].contradict(own, theirs):
            group = Group.OPPOSED_BY
        else:
            return  # compatible stances: nothing follows from them
        self._entry(passage.id, group, other.id).bases.append(Basis(qid, own, theirs))

    def _tally(self, passage: Passage, qid: str, own: str, counted: _Counted) -> None:
        """Count the other voices on `qid` that back or oppose the passage's stance. Those the passage
        lists anyway (a declared link, or a link on another question) are not counted: their entry
        gets this question's basis."""
        contradicting = self.corpus.question_by_id[qid].stance(own).contradicts
        me = passage.voice_id
        backing = counted.holders.get(own, _NOBODY)
        opposing = counted.opposing(own, contradicting)
        # The sets are counted, not copied: a voice listed anyway holds the stance it is listed for
        # (the stances of a question's representatives are what its holders are made of).
        listed_backing: set[str] = set()
        listed_opposing: set[str] = set()
        listed = {e.other for entries in self.links[passage.id].groups.values() for e in entries}
        for other_id in sorted(listed):
            stances = counted.stances_of.get(other_id)
            if stances is None:
                continue
            other = self.corpus.passage_by_id[other_id]
            if other.voice_id == me:
                continue
            for theirs in stances:
                self._add_basis(passage, other, qid, own, theirs)
                if theirs == own:
                    listed_backing.add(other.voice_id)
                elif theirs in contradicting:
                    listed_opposing.add(other.voice_id)
        backed = len(backing) - (me in backing) - len(listed_backing)
        opposed = len(opposing) - (me in opposing) - len(listed_opposing)
        self.links[passage.id].tallies.append(Tally(qid, own, backed, opposed))

    def _fold_answers(self) -> None:
        """List a passage once: an answer that also opposes or backs is tagged, not repeated."""
        for links in self.links.values():
            for answer_group in (Group.RESPONDS_TO, Group.ANSWERED_BY):
                kept = []
                for entry in links.entries(answer_group):
                    stance_entry = next(
                        (
                            e
                            for g in (Group.OPPOSED_BY, Group.BACKED_BY)
                            for e in links.entries(g)
                            if e.other == entry.other
                        ),
                        None,
                    )
                    if stance_entry is None:
                        kept.append(entry)
                    else:
                        stance_entry.answer = answer_group
                        stance_entry.declared = True
                if kept:
                    links.groups[answer_group] = kept
                else:
                    links.groups.pop(answer_group, None)

    def _sort(self) -> None:
        passages = self.corpus.passage_by_id
        voices = self.corpus.voice_by_id
        texts = self.corpus.text_by_slug

        def key(entry: CrossRef) -> tuple[int, int, int]:
            p = passages[entry.other]
            return (voices[p.voice_id].order, p.block_index, p.start) if p.text_slug in texts else (0, 0, 0)

        for links in self.links.values():
            for entries in links.groups.values():
                entries.sort(key=key)


_NOBODY: frozenset[str] = frozenset()


class _Counted:
    """One question whose voices are counted, not listed: what every passage's tally on it reads.

    Made once per question, not per passage: copying its sets of holders for each of its passages
    was most of the cross-referencing of a thousand texts.
    """

    def __init__(self, representative: dict[tuple[str, str], Passage], holders: dict[str, set[str]]) -> None:
        self.holders = holders
        self.stances_of: dict[str, list[str]] = {}
        """The stances each representative passage stands for, in the order of `representative`."""
        for (_, stance), rep in representative.items():
            self.stances_of.setdefault(rep.id, []).append(stance)
        self._opposing: dict[str, set[str] | frozenset[str]] = {}

    def opposing(self, own: str, contradicting: Iterable[str]) -> set[str] | frozenset[str]:
        """The voices holding a stance that contradicts `own`."""
        found = self._opposing.get(own)
        if found is None:
            found = self._opposing[own] = set().union(*(self.holders.get(sid, _NOBODY) for sid in contradicting))
        return found
