"""A document of blocks rendered twice: as Markdown, and as one self-contained HTML page.

A block is a heading, a paragraph, a list, a table or a figure. The HTML page embeds each figure
as a base64 PNG and carries its own style, so it can be mailed or opened offline as one file.
"""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass
from pathlib import Path

import pandas as pd


@dataclass
class Block:
    """One block of a document: ``kind`` is h1, h2, p, ul, table or img."""

    kind: str
    content: object  # text, a list of texts, a DataFrame, or an image file name
    alt: str = ""  # an image's caption


def markdown(blocks: list[Block]) -> str:
    """The document as Markdown (figures linked by file name, beside it)."""
    out = []
    for b in blocks:
        if b.kind == "h1":
            out.append(f"# {b.content}")
        elif b.kind == "h2":
            out.append(f"## {b.content}")
        elif b.kind == "ul":
            out.append("\n".join(f"- {item}" for item in b.content))
        elif b.kind == "table":
            out.append(b.content.to_markdown(index=False))
        elif b.kind == "img":
            out.append(f"![{b.alt}]({b.content})")
        else:
            out.append(str(b.content))
    return "\n\n".join(out) + "\n"


STYLE = ("body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;"
         "line-height:1.5;color:#222}table{border-collapse:collapse;margin:1rem 0}"
         "td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}"
         "img{max-width:100%}figcaption{font-size:.9rem;color:#555}"
         "h2{border-bottom:1px solid #ddd;margin-top:2rem}")


def _image(folder: Path, name: str, alt: str) -> str:
    """A figure embedded as a base64 PNG, with its caption."""
    data = base64.b64encode((folder / name).read_bytes()).decode("ascii")
    return (f'<figure><img src="data:image/png;base64,{data}" alt="{html.escape(alt)}">'
            f"<figcaption>{html.escape(alt)}</figcaption></figure>")


def page(blocks: list[Block], folder: Path, title: str) -> str:
    """The document as one HTML page, figures read from ``folder`` and embedded."""
    body = []
    for b in blocks:
        if b.kind in ("h1", "h2", "p"):
            body.append(f"<{b.kind}>{html.escape(str(b.content))}</{b.kind}>")
        elif b.kind == "ul":
            body.append("<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in b.content)
                        + "</ul>")
        elif b.kind == "table":
            body.append(pd.DataFrame(b.content).to_html(index=False, border=0))
        elif b.kind == "img":
            body.append(_image(folder, str(b.content), b.alt))
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f"<title>{html.escape(title)}</title><style>{STYLE}</style></head><body>\n"
            + "\n".join(body) + "\n</body></html>\n")
