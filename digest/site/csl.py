"""CSL-JSON, what Zotero, Pandoc and citeproc read: ``papers.csl.json.gz`` at the site root,
one item per paper, and the record papers.json.gz gives each paper for the reading list's
RIS and CSL-JSON exports (theme/assets/reading-list.js).

papers.csl.json.gz carries no abstracts: they were three quarters of its bytes (1.5 of
1.9 KB a paper), and papers.json.gz and the paper pages already hold them. It is
gzip-compressed as papers.json.gz is (export.gzipped), a bulk file of 25 MB at 50,000
papers otherwise (#17). The reading
list's CSL-JSON export adds each saved paper's abstract from papers.json.gz, which it loads
anyway, so what a reader exports is whole.

Every date is the version cited (Paper.cited_date), never the edition date. An item's
``id`` is the paper's BibTeX key, so ``[@key]`` in Pandoc cites the same paper as
``\\cite{key}`` with papers.bib.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from digest.model import Paper
from digest.site.citations import entry_type

CSL_PATH = "papers.csl.json.gz"

# BibTeX entry types as CSL types; a preprint (misc with an arXiv id) is CSL's "article".
_CSL_TYPES = {"article": "article-journal", "inproceedings": "paper-conference",
              "conference": "paper-conference", "incollection": "chapter",
              "inbook": "chapter", "book": "book", "proceedings": "book",
              "booklet": "pamphlet", "phdthesis": "thesis", "mastersthesis": "thesis",
              "thesis": "thesis", "techreport": "report", "manual": "report",
              "unpublished": "manuscript", "online": "webpage", "misc": "article"}


def record(paper: Paper) -> dict[str, object]:
    """What papers.json.gz says of the version cited: BibTeX's type and fields, its year
    and its date as far as known (YYYY, YYYY-MM or YYYY-MM-DD)."""
    year, month, day = paper.cited_date
    issued = "-".join(f"{part:02d}" for part in (year, month, day) if part)
    return {"type": entry_type(paper), "year": year, "issued": f"{year:04d}" + issued[4:],
            "journal": paper.journal, "booktitle": paper.booktitle, "volume": paper.volume,
            "number": paper.number, "pages": paper.pages, "publisher": paper.publisher,
            "url": paper.url}


def _name(author: str) -> dict[str, str]:
    """"Ada Lovelace" as family and given names; "Lovelace, Ada" too; one word is a
    literal name (a consortium)."""
    if "," in author:
        family, given = (part.strip() for part in author.split(",", 1))
    else:
        given, _, family = author.rpartition(" ")
    return {"family": family, "given": given} if family and given else {"literal": author}


def csl_item(paper: Paper, key: str, title: str) -> dict[str, object]:
    """One CSL-JSON item, without its abstract; ``title`` is plain text."""
    year, month, day = paper.cited_date
    item: dict[str, object] = {
        "id": key, "type": _CSL_TYPES.get(entry_type(paper), "article"), "title": title,
        "author": [_name(a) for a in paper.authors],
        "issued": {"date-parts": [[part for part in (year, month, day) if part]]},
    }
    container = paper.journal or paper.booktitle
    optional = {"container-title": container, "volume": paper.volume,
                "issue": paper.number,
                "page": paper.pages.replace("--", "-") if paper.pages else None,
                "publisher": paper.publisher or ("arXiv" if paper.arxiv and not container
                                                 else None),
                "number": f"arXiv:{paper.arxiv}" if paper.arxiv and not container else None,
                "DOI": paper.doi,
                "URL": paper.url or (f"https://arxiv.org/abs/{paper.arxiv}" if paper.arxiv
                                     else None)}
    item.update({name: value for name, value in optional.items() if value})
    return item


def csl_json(items: Sequence[tuple[Paper, str]], keys: Mapping[str, str]) -> str:
    """The text of papers.csl.json.gz: (paper, plain title) in site order."""
    data = [csl_item(paper, keys[paper.slug], title) for paper, title in items]
    # Compact, as papers.json.gz: reference managers read it whole, and indenting made it a
    # tenth larger (2.2 MB at 10,000 papers).
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") + "\n"
