"""One front-matter value in YAML flow style, as PyYAML writes it, without PyYAML mostly.

An import writes thousands of files and yaml.dump costs about 30 µs a value. Most
values are text YAML writes as it is (a title, a name, a topic slug) or puts in single
quotes (a link in a list, a title with ": "); those are written here directly, by
the rules of PyYAML's emitter, and every other value goes through yaml.dump.
tests/content/test_yamlvalue.py checks that both give the same text for a broad set of values.
"""

from __future__ import annotations

import re

import yaml

# libyaml's emitter when PyYAML was built with it: ~5x faster. It writes the same text
# as PyYAML's own emitter, except that it escapes characters beyond the Basic
# Multilingual Plane (emoji) and some controls, so values holding those go through
# PyYAML's emitter.
_FAST_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_RESOLVER = yaml.resolver.Resolver()
_STR = "tag:yaml.org,2002:str"
# PyYAML reads a plain scalar as a number, a date, a boolean or null by patterns it
# files under their first character (None: tried on all).
_RESOLVERS = _RESOLVER.yaml_implicit_resolvers
# Text no longer than this cannot reach the dump's line width (10,000), so it is one line.
MAX_LENGTH = 4000
# Marks that forbid the plain style somewhere in a scalar (":" before a space, "#"
# after one), and in a list anywhere (flow indicators); kept out entirely here.
_NOT_PLAIN = re.compile(r"[:#]")
_NOT_PLAIN_IN_LIST = re.compile(r"[:#,?\[\]{}]")


def _plain_bmp(value: object) -> bool:
    items = value if isinstance(value, list) else [value]
    return all(not isinstance(v, str) or (v.isprintable() and max(v, default=" ") < "\uffff")
               for v in items)


def dumped(value: object) -> str:
    """The value as yaml.dump writes it in flow style; YAML quotes what it would misread."""
    dumper = _FAST_DUMPER if _plain_bmp(value) else yaml.SafeDumper
    text = yaml.dump(value, Dumper=dumper, default_flow_style=True, allow_unicode=True,
                     width=10_000)
    # PyYAML's emitter may end the document with a line "..."; a value's own dots stay.
    return text.removesuffix("\n...\n").strip()


def _is_plain(text: str, in_list: bool) -> bool:
    """Whether YAML writes the text unquoted: printable, it starts with a letter or a
    digit (no indicator), ends with no space, holds no mark that forbids the plain
    style, and read back it is text (not a number, a date, a boolean or null)."""
    return (text[:1].isalnum() and text[-1] != " " and text.isprintable()
            and max(text) < "\uffff"
            and not (_NOT_PLAIN_IN_LIST if in_list else _NOT_PLAIN).search(text)
            and (text[0] not in _RESOLVERS and None not in _RESOLVERS
                 or _RESOLVER.resolve(yaml.ScalarNode, text, (True, False)) == _STR))


def _scalar(text: str, in_list: bool) -> str | None:
    """The text as YAML writes it, or None when it takes more than these rules.

    Printable text of the Basic Multilingual Plane goes in single quotes when it holds
    an indicator that forbids the plain style: in a list any ":" (a link), alone ": "
    or a final ":" (a title such as "PFGM++: Unlocking ...").
    """
    if len(text) > MAX_LENGTH:
        return None
    if _is_plain(text, in_list):
        return text
    indicator = ":" in text if in_list else (": " in text or text.endswith(":"))
    if indicator and text.isprintable() and max(text) < "\uffff":
        return "'" + text.replace("'", "''") + "'"
    return None


def _fast(value: object) -> str | None:
    """The value as yaml.dump writes it, or None when that takes yaml.dump."""
    if type(value) is str:
        return _scalar(value, in_list=False)
    if type(value) is int:
        return str(value)
    if type(value) is list and all(type(v) is str for v in value):
        items = [item for v in value if (item := _scalar(v, in_list=True)) is not None]
        if len(items) == len(value) and sum(len(i) + 2 for i in items) <= MAX_LENGTH:
            return "[" + ", ".join(items) + "]"
    return None


def yaml_value(value: object) -> str:
    """One front-matter value in flow style, the text yaml.dump gives (see dumped)."""
    fast = _fast(value)
    return fast if fast is not None else dumped(value)
