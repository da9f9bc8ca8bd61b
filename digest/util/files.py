"""Files on disk, each mechanism once: the atomic writer and the tree walker.

Every file digest replaces (a paper in content/, an enriched paper, a preview page)
goes through :func:`write_atomic`, so a reader or a crash never sees half a file.
Every folder digest reads whole (content/papers/, the package and theme a cache key
covers, the files a preview watches) is listed by :func:`walk`, in one order.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterable
from pathlib import Path


def _keep_all(name: str) -> bool:
    return False


def walk(top: Path, skip: Callable[[str], bool] = _keep_all) -> list[Path]:
    """Every entry under the folder ``top`` that is not a folder walked into, sorted as
    paths sort (by their parts).

    A linked folder is listed, not followed, so that a caller can report it; a name
    ``skip`` accepts is left out, and with a folder everything under it.
    """
    found: list[Path] = []
    for folder, dirs, files in os.walk(top):  # followlinks=False: a link stays an entry
        here = Path(folder)
        dirs[:] = [name for name in dirs if not skip(name)]
        found += [here / name for name in files if not skip(name)]
        found += [here / name for name in dirs if (here / name).is_symlink()]
    return sorted(found, key=lambda path: path.parts)


def files_under(tops: Iterable[Path], skip: Callable[[str], bool] = _keep_all) -> list[Path]:
    """The regular files (or links to one) of each of ``tops``: a file itself, or the
    files :func:`walk` finds under a folder; a missing one has none."""
    found: list[Path] = []
    for top in tops:
        found += [top] if top.is_file() else [p for p in walk(top, skip) if p.is_file()]
    return found


def write_atomic(path: Path, data: str | bytes, newline: str = "\n") -> None:
    """Replace (or create) a file in one step: readers see the old content or the new,
    never half, and a failure leaves the old file as it was.

    Text is written as UTF-8 with ``newline`` for each line end (``""``: as it is);
    bytes are written as they are. The folder is made if missing; the file gets the
    permissions a new file gets (the umask's), like ``open(path, "w")``.
    """
    while True:
        temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        try:
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            break
        except FileNotFoundError:  # the first file of its folder
            path.parent.mkdir(parents=True, exist_ok=True)
        except FileExistsError:
            continue
    try:
        if isinstance(data, bytes):
            with os.fdopen(fd, "wb") as binary:
                binary.write(data)
        else:
            with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as text:
                text.write(data)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
