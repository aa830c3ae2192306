"""The responsibility map: which bureau is named in which task of one document (bureaus × tasks).

:func:`responsibility_map` is a pure function of one document's clauses: rows are the bureaus, most tasks first;
columns are the clauses that list 责任单位 (the tasks and the safeguards), in printed order; a cell says where in
the clause's listing the bureau is printed, the first one being the lead bureau (牵头). Three renderings of it:
``GET /api/map`` (``ResponsibilityMap.to_dict``), :func:`render_map_html` (an accessible HTML table for the chat)
and :func:`write_heatmap` (the PNG of the evaluation report).
"""
from __future__ import annotations

import html
import logging
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Sequence

from .parser import PLAN_TITLE
from .settings import ui_texts
from .types import Clause

log = logging.getLogger(__name__)

PLAN_ID = "plan"
# The one document today: id -> title. A corpus of many documents will list its own here.
DOCUMENTS = {PLAN_ID: PLAN_TITLE}

# Cell colours (text, background); each pair is well above WCAG AA's 4.5:1, and every filled cell also says
# in words what its colour means.
LEAD_COLOURS = ("#ffffff", "#1d4f91")
JOINT_COLOURS = ("#10233f", "#d7e5f5")
EMPTY_COLOURS = ("#10233f", "#ffffff")



class UnknownDocument(LookupError):
    """A document the assistant does not hold; the message names the ones it does."""


def find_document(document: str | None) -> str:
    """The id of the document named by its id or its title (``None`` or blank: the plan).

    Raises:
        UnknownDocument: when no document has that id or title.
    """
    if document is None or not document.strip():
        return PLAN_ID
    name = document.strip()
    for doc_id, title in DOCUMENTS.items():
        if name in (doc_id, title):
            return doc_id
    shown = name if len(name) <= 60 else name[:60] + "…"
    known = "; ".join(f"{i!r} ({t})" for i, t in DOCUMENTS.items())
    raise UnknownDocument(f"no document {shown!r}; the documents are {known}")


@dataclass(frozen=True)
class Cell:
    """One bureau named in one task: ``position`` is its place in the task's listing (1 = the lead bureau)."""

    bureau: str
    task: str
    position: int

    @property
    def lead(self) -> bool:
        return self.position == 1

    def to_dict(self) -> dict:
        return {"bureau": self.bureau, "task": self.task, "position": self.position, "lead": self.lead}


@dataclass(frozen=True)
class ResponsibilityMap:
    """Bureaus × tasks of one document.

    Attributes:
        document: the document's id (``plan``).
        title: the document's title.
        bureaus: the rows: most tasks first, then most leads, then first printed first.
        tasks: the columns: every clause listing 责任单位, in printed order.
        cells: one per bureau named in a task, row by row, each row in printed order.
    """

    document: str
    title: str
    bureaus: tuple[str, ...]
    tasks: tuple[Clause, ...]
    cells: tuple[Cell, ...]

    @property
    def counts(self) -> dict[str, int]:
        """Tasks naming each bureau, in row order (the same as ``len(index.by_bureau[b])``)."""
        out = dict.fromkeys(self.bureaus, 0)
        for c in self.cells:
            out[c.bureau] += 1
        return out

    @property
    def leads(self) -> dict[str, int]:
        """Tasks each bureau leads (is listed first for), in row order."""
        out = dict.fromkeys(self.bureaus, 0)
        for c in self.cells:
            out[c.bureau] += c.lead
        return out

    def cell(self, bureau: str, task: str) -> Cell | None:
        return self._grid.get((bureau, task))

    @cached_property
    def _grid(self) -> dict[tuple[str, str], Cell]:
        return {(c.bureau, c.task): c for c in self.cells}

    def to_dict(self) -> dict:
        """The ``GET /api/map`` body."""
        return {"document": {"id": self.document, "title": self.title}, "bureaus": list(self.bureaus),
                "tasks": [{"id": t.id, "label": t.label, "title": t.title, "path": t.path, "kind": t.kind,
                           "bureaus": list(t.bureaus)} for t in self.tasks],
                "cells": [c.to_dict() for c in self.cells], "counts": self.counts, "leads": self.leads}


def responsibility_map(clauses: Sequence[Clause], document: str = PLAN_ID) -> ResponsibilityMap:
    """Which bureau is named in which task of one document.

    Args:
        clauses: the document's clauses in printed order.
        document: the document's id (its title is looked up in :data:`DOCUMENTS`).

    Returns:
        The map; a bureau printed twice in one listing counts once, at its first place.
    """
    tasks = tuple(c for c in clauses if c.bureaus)
    placed: dict[str, list[tuple[str, int]]] = {}
    for t in tasks:
        for pos, bureau in enumerate(dict.fromkeys(t.bureaus), 1):
            placed.setdefault(bureau, []).append((t.id, pos))
    first_seen = list(placed)
    rows = sorted(placed, key=lambda b: (-len(placed[b]), -sum(p == 1 for _, p in placed[b]), first_seen.index(b)))
    cells = tuple(Cell(b, task, pos) for b in rows for task, pos in placed[b])
    return ResponsibilityMap(document, DOCUMENTS.get(document, document), tuple(rows), tasks, cells)


@lru_cache(maxsize=1)
def plan_map() -> ResponsibilityMap:
    """The map of the bundled plan (parsed from ``Settings().source`` once)."""
    from .parser import parse_page
    from .settings import Settings

    return responsibility_map(parse_page(Settings().source.read_text(encoding="utf-8")))


def short_label(task: Clause) -> str:
    """The task's number as printed, compact: ``二(五)2`` for 二、(五) 2., ``三(一)`` for a safeguard."""
    return task.label.removesuffix(task.title).replace("、", "").replace(" ", "").rstrip(".")


# ---------------------------------------------------------------- HTML

_CSS = """
.resp-map{font-size:14px;line-height:1.4;color:#10233f}
.resp-map .scroll{overflow-x:auto;max-width:100%}
.resp-map table{border-collapse:collapse;background:#fff}
.resp-map caption{text-align:left;font-weight:600;padding:4px 0}
.resp-map th,.resp-map td{border:1px solid #9aa7b8;padding:2px 4px;text-align:center;vertical-align:middle}
.resp-map thead th{vertical-align:bottom}
.resp-map thead th a{color:#10233f}
.resp-map th[scope=row]{text-align:left;white-space:nowrap;font-weight:500;position:sticky;left:0;background:#fff}
.resp-map .zh-v{writing-mode:vertical-rl;display:inline-block;max-height:15em}
.resp-map td a{display:block;min-width:2.6em;text-decoration:none;font-weight:600}
.resp-map td a:hover{text-decoration:underline}
.resp-map a:focus-visible{outline:3px solid #b3261e;outline-offset:1px}
.resp-map .sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.resp-map small{color:#3d4a5c}
.resp-map li{margin:6px 0}
"""


def _e(text: str) -> str:
    return html.escape(str(text), quote=True)


def _style(colours: tuple[str, str]) -> str:
    return f"color:{colours[0]};background:{colours[1]}"


def render_map_html(lang: str = "zh", rmap: ResponsibilityMap | None = None, href: str = "#clause-{id}",
                    with_tasks: bool = True, lexicon=None) -> str:
    """The map as an accessible HTML fragment (a ``<div class="resp-map">``) for the chat's map tab.

    A ``<table>`` with a ``<caption>``, ``<th scope="col">`` per task and ``<th scope="row">`` per bureau; each
    filled cell is a link to its clause whose text says the role (牵头 / 参与, Lead / Joint) besides its colour
    (contrast ≥ 4.5:1), with an ``aria-label`` naming bureau, role and task. Below it, with ``with_tasks``, the
    list of tasks, each an element ``id="clause-<id>"`` with its bureaus and text, so the default links work
    inside the fragment itself.

    Args:
        lang: ``zh`` or ``en`` (English names of bureaus and task titles next to the Chinese ones).
        rmap: the map to show; the bundled plan's by default (a server passes the map of the clauses it serves,
            ``responsibility_map(assistant.index.clauses)``).
        href: where a cell links, with ``{id}`` for the clause id, e.g. ``/api/clauses/{id}``.
        with_tasks: append the task list that the ``#clause-<id>`` links point at.
        lexicon: English names (the bundled lexicon by default).
    """
    texts = ui_texts()["map"]
    if lang not in texts:
        raise ValueError(f"lang must be 'zh' or 'en', not {lang!r}")
    rmap = rmap or plan_map()
    if lexicon is None:
        from .text import load_lexicon

        lexicon = load_lexicon()
    t = texts[lang]
    en = lang == "en"

    def bureau_name(b: str) -> str:
        gloss = lexicon.bureau_en.get(b) if en else ""
        return f'<span lang="zh">{_e(b)}</span>' + (f"<br><small>{_e(gloss)}</small>" if gloss else "")

    def task_name(task: Clause) -> str:
        title_en = lexicon.title_en(task.title) if en else ""
        return task.label + (f" ({title_en})" if title_en else "")

    counts, leads = rmap.counts, rmap.leads
    caption = t["caption"].format(title=rmap.title, bureaus=len(rmap.bureaus), tasks=len(rmap.tasks))
    out = [f'<div class="resp-map" lang="{lang}"><style>{_CSS}</style><div class="scroll"><table>',
           f"<caption>{_e(caption)}<br><small>{_e(t['legend'])}</small></caption>",
           f'<thead><tr><th scope="col">{_e(t["corner"])}</th>']
    for task in rmap.tasks:
        title = f'<span class="zh-v" lang="zh">{_e(task.title)}</span>' if not en else \
            f'<span class="sr-only">{_e(task_name(task))}</span>'
        visible = f'<span aria-hidden="true">{_e(short_label(task))}</span>' if en else \
            f'<small>{_e(short_label(task))}</small><br>'
        out.append(f'<th scope="col"><a href="{_e(href.format(id=task.id))}" title="{_e(task_name(task))}">'
                   f"{visible}{title}</a></th>")
    out.append(f'<th scope="col">{_e(t["total"])}</th><th scope="col">{_e(t["lead_total"])}</th></tr></thead><tbody>')
    grid = rmap._grid
    for b in rmap.bureaus:
        out.append(f'<tr><th scope="row">{bureau_name(b)}</th>')
        for task in rmap.tasks:
            c = grid.get((b, task.id))
            if c is None:
                out.append("<td></td>")
                continue
            role = t["lead"] if c.lead else t["joint"]
            colours = LEAD_COLOURS if c.lead else JOINT_COLOURS
            label = t["cell"].format(bureau=b, role=role, task=task_name(task))
            out.append(f'<td class="{"lead" if c.lead else "joint"}" style="{_style(colours)}">'
                       f'<a href="{_e(href.format(id=task.id))}" style="color:{colours[0]}" '
                       f'aria-label="{_e(label)}">{_e(role)}</a></td>')
        out.append(f"<td>{counts[b]}</td><td>{leads[b]}</td></tr>")
    out.append("</tbody></table></div>")
    if with_tasks:
        out.append(f'<h3>{_e(t["tasks"])}</h3><ol class="tasks">')
        for task in rmap.tasks:
            names = "、".join(f"{b}（{t['lead']}）" if i == 0 else b for i, b in enumerate(task.bureaus))
            out.append(f'<li id="clause-{_e(task.id)}"><strong>{_e(task_name(task))}</strong><br>'
                       f'{_e(t["bureaus"])}<span lang="zh">{_e(names)}</span>'
                       f'<details><summary>{_e(t["text"])}</summary><p lang="zh">{_e(task.text)}</p></details></li>')
        out.append("</ol>")
    out.append("</div>")
    return "".join(out)


# ---------------------------------------------------------------- PNG

CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans CJK", "Source Han Sans SC", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei",
                "Noto Serif CJK SC", "SimHei", "Microsoft YaHei")


def cjk_font() -> str | None:
    """The family name of an installed font with Chinese glyphs, as matplotlib knows it (None when there is
    none; Debian: ``apt-get install fonts-noto-cjk``)."""
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    preferred = next((n for n in CJK_FAMILIES if n in names), None)
    return preferred or next((n for n in sorted(names) if "CJK" in n), None)


def write_heatmap(rmap: ResponsibilityMap, path: Path, lexicon=None) -> Path:
    """The map as a PNG heatmap: lead cells dark, other named bureaus light, each with its place in the listing.

    Labels are Chinese when a CJK font is installed; otherwise English bureau names and clause ids (logged once).

    Returns:
        ``path``.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np
    from matplotlib.colors import ListedColormap

    font = cjk_font()
    if font is None:
        if lexicon is None:
            from .text import load_lexicon

            lexicon = load_lexicon()
        log.warning("no CJK font found (apt-get install fonts-noto-cjk): the map's labels are in English")
    counts, leads = rmap.counts, rmap.leads
    grid = np.zeros((len(rmap.bureaus), len(rmap.tasks)))
    col = {t.id: j for j, t in enumerate(rmap.tasks)}
    row = {b: i for i, b in enumerate(rmap.bureaus)}
    for c in rmap.cells:
        grid[row[c.bureau], col[c.task]] = 2 if c.lead else 1
    if font:
        ylabels = [f"{b}  {counts[b]} 项（牵头 {leads[b]}）" for b in rmap.bureaus]
        xlabels = [f"{short_label(t)} {t.title}" for t in rmap.tasks]
        title = f"责任分工矩阵 · {rmap.title}"
        note = "深色 = 牵头（列在首位），浅色 = 参与；数字 = 在责任单位中的排序；行尾 = 任务数（其中牵头）"
    else:
        ylabels = [f"{lexicon.bureau_en.get(b, b)}  {counts[b]} ({leads[b]} lead)" for b in rmap.bureaus]
        xlabels = [t.id for t in rmap.tasks]
        title = "Responsibility map: bureaus x tasks"
        note = "dark = lead (listed first), light = joint; number = place in the task's list of bureaus"
    rc = {"font.family": [font, "DejaVu Sans"]} if font else {}
    with plt.rc_context(rc):
        fig, ax = plt.subplots(figsize=(3.2 + 0.42 * len(rmap.tasks), 3.4 + 0.36 * len(rmap.bureaus)), dpi=110)
        ax.imshow(grid, cmap=ListedColormap([EMPTY_COLOURS[1], JOINT_COLOURS[1], LEAD_COLOURS[1]]), vmin=0, vmax=2,
                  aspect="auto")
        for c in rmap.cells:
            colour = (LEAD_COLOURS if c.lead else JOINT_COLOURS)[0]
            ax.text(col[c.task], row[c.bureau], str(c.position), ha="center", va="center", fontsize=8, color=colour)
        ax.set_xticks(range(len(rmap.tasks)), xlabels, rotation=90, fontsize=8)
        ax.set_yticks(range(len(rmap.bureaus)), ylabels, fontsize=8)
        ax.xaxis.tick_top()
        ax.set_xticks(np.arange(-0.5, len(rmap.tasks)), minor=True)
        ax.set_yticks(np.arange(-0.5, len(rmap.bureaus)), minor=True)
        ax.grid(which="minor", color="#9aa7b8", linewidth=0.5)
        ax.tick_params(which="minor", length=0)
        fig.suptitle(title, fontsize=11)
        ax.set_xlabel(note, fontsize=8)
        fig.tight_layout()
        fig.savefig(path)
        plt.close(fig)
    return path
