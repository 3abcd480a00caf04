"""Typed steps into a parsed page, for tests.

BeautifulSoup types every lookup as possibly missing (`Tag | None`) and every attribute as possibly
a list (`str | AttributeValueList`). A test that reads an element it expects fails here, naming the
selector or attribute, instead of with an AttributeError on None a line later.
"""

from __future__ import annotations

from bs4 import Tag


def one(node: Tag, selector: str) -> Tag:
    """The first element under `node` matching the CSS `selector`, which must exist."""
    found = node.select_one(selector)
    assert found is not None, f"nothing matches {selector!r}"
    return found


def present(tag: Tag | None, what: str = "element") -> Tag:
    """`tag` (the result of find(), find_parent(), `.a`...), which must exist."""
    assert tag is not None, f"no {what}"
    return tag


def attr(tag: Tag, name: str) -> str:
    """A single-valued attribute (href, id, data-*...), which must be present."""
    value = tag.get(name)
    assert isinstance(value, str), f"<{tag.name}> has {name}={value!r}, not one string"
    return value
