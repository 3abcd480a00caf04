"""What the argument map of a question shows: its stances, the voices taking each, the declared links.

Pure data, no drawing (counterpoint/render/svg_maps.py draws it). A node is one
voice on one stance, standing for the voice's passages that take the stance on
the question (the first of them is the one it quotes and links to). An arrow is
a relation the editors declared (opposes, supports, responds to) between two of
those passages; it joins the nodes that stand for them.

At scale a stance's group shows at most `per_stance` voices
(`Limits.argument_map_voices_per_stance`): first those
with the most declared links on the question, then in the matrix's order; the
group says how many more voices take the stance and links to them.
"""

from __future__ import annotations

from dataclasses import dataclass

from .matrix import Matrix
from .model import Corpus, Passage, Question, Relation, RelationType, Stance, Voice
from .settings import Limits


@dataclass(frozen=True)
class Node:
    key: str
    """Unique within the map (used for ids)."""
    voice: Voice
    stance: Stance
    passages: tuple[Passage, ...]
    """The voice's passages taking the stance on the question, in corpus order; the node quotes the first."""

    @property
    def passage(self) -> Passage:
        return self.passages[0]


@dataclass(frozen=True)
class Group:
    stance: Stance
    nodes: tuple[Node, ...]
    """In the matrix's order."""
    hidden: int
    """How many further voices take the stance and are not drawn."""


@dataclass(frozen=True)
class Arrow:
    source: str
    target: str
    """Node keys."""
    type: RelationType
    relation: Relation


@dataclass(frozen=True)
class ArgumentMap:
    question: Question
    groups: tuple[Group, ...]
    """Every stance of the question, in the question's order (a stance no voice takes has no node)."""
    arrows: tuple[Arrow, ...]
    """In corpus order."""
    hidden_arrows: int
    """Declared links between the question's passages with an end in a voice not drawn."""

    @property
    def nodes(self) -> tuple[Node, ...]:
        return tuple(node for group in self.groups for node in group.nodes)


def voices_by_stance(
    matrix: Matrix, question: Question
) -> list[tuple[Stance, list[tuple[Voice, tuple[Passage, ...]]]]]:
    """Each stance with the voices taking it and their passages taking it: the map's one reading of the matrix."""
    result = []
    for stance, cells in matrix.by_stance(question.id):
        key = (question.id, stance.id)
        result.append((stance, [(cell.voice, tuple(p for p in cell.passages if key in p.stances)) for cell in cells]))
    return result


def build_argument_map(
    corpus: Corpus, matrix: Matrix, question: Question, per_stance: int = Limits.argument_map_voices_per_stance
) -> ArgumentMap:
    taking = voices_by_stance(matrix, question)
    # A passage taking two (compatible) stances stands in the first stance's node.
    home: dict[str, str] = {}
    candidates: list[tuple[Stance, list[Node]]] = []
    for stance, voices in taking:
        nodes = []
        for voice, passages in voices:
            if not passages:
                continue
            node = Node(f"{stance.id}--{voice.id}", voice, stance, passages)
            nodes.append(node)
            for passage in passages:
                home.setdefault(passage.id, node.key)
        candidates.append((stance, nodes))
    related = _relations_among(corpus, set(home))
    links: dict[str, int] = {}
    for relation in related:
        for end in (home[relation.source], home[relation.target]):
            links[end] = links.get(end, 0) + 1
    groups = []
    drawn: set[str] = set()
    for stance, nodes in candidates:
        order = {node.key: i for i, node in enumerate(nodes)}
        kept = sorted(nodes, key=lambda node: (-links.get(node.key, 0), order[node.key]))[:per_stance]
        kept.sort(key=lambda node: order[node.key])
        drawn.update(node.key for node in kept)
        groups.append(Group(stance, tuple(kept), len(nodes) - len(kept)))
    arrows = []
    hidden = 0
    for relation in related:
        source, target = home[relation.source], home[relation.target]
        if source == target:
            continue
        if source in drawn and target in drawn:
            arrows.append(Arrow(source, target, relation.type, relation))
        else:
            hidden += 1
    return ArgumentMap(question, tuple(groups), tuple(arrows), hidden)


def _relations_among(corpus: Corpus, ids: set[str]) -> list[Relation]:
    indexes = sorted({i for pid in ids for i in corpus.relations_touching(pid)})
    return [r for r in (corpus.relations[i] for i in indexes) if r.source in ids and r.target in ids]


__all__ = ["ArgumentMap", "Arrow", "Group", "Node", "build_argument_map", "voices_by_stance"]
