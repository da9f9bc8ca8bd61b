"""YAML loading that keeps line numbers and refuses YAML's silent surprises.

PyYAML quietly lets a duplicate key win and gives no line numbers once a
document is constructed. We compose the node tree ourselves so every value
keeps the line it came from and the exact text the author typed, which lets
the schema say "line 4: arxiv: YAML reads 2310.10000 as the number 2310.1".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

from digest.model import Problem


@dataclass(frozen=True)
class Scalar:
    """A scalar as written: its value as YAML understood it, the raw text and the tag."""

    value: Any
    raw: str
    tag: str
    line: int
    quoted: bool

    @property
    def kind(self) -> str:
        """'str', 'bool', 'int', 'float', 'null', 'timestamp', ..."""
        return self.tag.rsplit(":", 1)[-1]


class YamlMap(dict):
    """A mapping whose values are Scalars, YamlMaps or YamlLists; remembers key lines."""

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.key_lines: dict[str, int] = {}


class YamlList(list):
    """A sequence that remembers where it started."""

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line


class _Constructor(yaml.constructor.SafeConstructor):
    pass


# libyaml's parser when PyYAML was built with it: same nodes and marks, ~10x faster.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


_STR = "tag:yaml.org,2002:str"
_QUOTED = ("'", '"', "|", ">")
_CORE_TAGS = frozenset(f"tag:yaml.org,2002:{name}" for name in (
    "str", "int", "float", "bool", "null", "timestamp", "seq", "map"))


class _Walker:
    """Turns composed nodes into Scalar/YamlMap/YamlList, reporting what YAML hides.

    Anchors and aliases are refused: an alias is the same node object seen twice,
    and expanding aliases of aliases is how a few hundred bytes become gigabytes.
    """

    def __init__(self, offset: int, path: str, problems: list[Problem]) -> None:
        self.constructor = _Constructor()
        self.offset = offset
        self.path = path
        self.problems = problems
        self.seen: set[int] = set()
        self.told_alias = False

    def problem(self, line: int, field: str, message: str) -> None:
        self.problems.append(Problem(self.path, line, field, message))

    def scalar(self, node: yaml.ScalarNode, field: str) -> Scalar:
        line = node.start_mark.line + self.offset
        if node.tag == _STR:  # most scalars: the constructor would return node.value
            return Scalar(node.value, node.value, node.tag, line, node.style in _QUOTED)
        try:
            value = self.constructor.construct_object(node, deep=True)
        except (ValueError, yaml.YAMLError) as exc:
            reason = getattr(exc, "problem", None) or str(exc)
            if node.tag.endswith(":timestamp"):
                self.problem(line, field, f"{node.value!r} is not a real calendar date "
                             f"({reason}); write YYYY-MM-DD")
            else:
                self.problem(line, field, f"cannot read {node.value!r}: {reason}")
            value = node.value
        return Scalar(value, node.value, node.tag, line, node.style in _QUOTED)

    def walk(self, node: yaml.Node, field: str = "yaml", where: int | None = None) -> Any:
        line = node.start_mark.line + self.offset
        if id(node) in self.seen:
            if not self.told_alias:
                self.told_alias = True
                self.problem(where or line, field, "YAML anchors and aliases (&name, *name) "
                             "are not allowed; write the value out in full")
            return None
        self.seen.add(id(node))
        if node.tag not in _CORE_TAGS:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            self.problem(line, field, f"YAML tag {tag!r} is not allowed; remove it "
                         "(quote the value if it must be text)")
            return None
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, line)
        if isinstance(node, yaml.SequenceNode):
            seq = YamlList(line)
            seq.extend(self.walk(item, field, line) for item in node.value)
            return seq
        return self.scalar(node, field)

    def mapping(self, node: yaml.MappingNode, line: int) -> YamlMap:
        result = YamlMap(line)
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + self.offset
            if not isinstance(key_node, yaml.ScalarNode) or id(key_node) in self.seen:
                self.problem(key_line, "yaml", "keys must be plain names")
                continue
            self.seen.add(id(key_node))
            key = str(key_node.value)
            if key in result.key_lines:
                self.problem(key_line, key,
                             f"duplicate key (first set on line {result.key_lines[key]}); "
                             "YAML would silently keep only the last one: remove one of them")
                continue
            result.key_lines[key] = key_line
            result[key] = self.walk(value_node, key, key_line)
        return result


def load(text: str, path: str, first_line: int = 1) -> tuple[Any, list[Problem]]:
    """Parse one YAML document into Scalar/YamlMap/YamlList; report problems with lines.

    ``first_line`` is the file line on which ``text`` starts (front matter
    starts on line 2, after the opening ``---``).
    """
    offset = first_line
    problems: list[Problem] = []
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + offset if mark else None
        what = exc.problem or "invalid YAML"
        hint = ""
        source_line = text.split("\n")[mark.line] if mark else ""
        if "tab" in str(exc) or source_line[:len(source_line) - len(source_line.lstrip())
                                             ].count("\t"):
            hint = "; indent with spaces, not tabs"
        elif "mapping values are not allowed" in str(exc):
            hint = "; put quotes around a value that contains ': '"
        return None, [Problem(path, line, "yaml", f"YAML syntax error: {what}{hint}")]
    except yaml.YAMLError as exc:
        return None, [Problem(path, None, "yaml", f"YAML syntax error: {exc}")]
    if node is None:
        return None, problems
    return _Walker(offset, path, problems).walk(node), problems


def top_scalars(text: str, names: frozenset[str]) -> dict[str, str] | None:
    """The raw text of the named scalars of a mapping document, as load() would give
    them (Scalar.raw), without building the rest; None when load() gives no mapping.

    As in load(): a key's first occurrence counts, a value with a tag outside YAML's
    core is no scalar. A document with anchors (which aliases need) is loaded in full,
    since an alias of a node met earlier reads as nothing there.
    """
    if "&" in text:
        front, _ = load(text, "")
        return None if not isinstance(front, YamlMap) else {
            name: node.raw for name in names if isinstance(node := front.get(name), Scalar)}
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError:
        return None
    if not isinstance(node, yaml.MappingNode) or node.tag not in _CORE_TAGS:
        return None
    found: dict[str, str] = {}
    keys: set[str] = set()
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            continue
        key = str(key_node.value)
        if key in keys:
            continue
        keys.add(key)
        if (key in names and isinstance(value_node, yaml.ScalarNode)
                and value_node.tag in _CORE_TAGS):
            found[key] = value_node.value
    return found


def plain(value: Any) -> Any:
    """Strip line bookkeeping: Scalars to values, YamlMap/YamlList to dict/list."""
    if isinstance(value, Scalar):
        return value.value
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value
