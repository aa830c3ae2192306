"""Pure functions that cut the scraped page down to the plan and split it into Clause records."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .types import Clause

PLAN_TITLE = "促进武汉东湖新技术开发区高质量发展行动方案"
SOURCE_PREFIX = "来源:"

_CN_NUM = "一二三四五六七八九十"
_TOP = re.compile(rf"^([{_CN_NUM}]+)、(\S.*)$")
_ACTION = re.compile(rf"^\(([{_CN_NUM}]+)\)(.+)$")
_TASK = re.compile(r"^(\d+)\.(.+)$")
_BUREAUS = re.compile(r"\(责任单位:([^()]+)\)\s*$")


class PlanFormatError(ValueError):
    """The text does not have the structure of the plan."""


@dataclass(frozen=True)
class Policy:
    """The plan cut out of the page: its title, paragraphs and source line."""

    title: str
    paragraphs: tuple[str, ...]
    source: str


def _normalise(line: str) -> str:
    # The portal mixes full-width and ASCII punctuation; the plan prints ASCII ( ) : so fold to those.
    return (line.replace("（", "(").replace("）", ")").replace("：", ":")
            .replace("\u3000", " ").replace("\xa0", " ").strip())


def extract_policy(page: str) -> Policy:
    """Keep the plan and drop the portal around it.

    The plan runs from its title line to the ``来源:`` line. Between the title and the first
    top-level heading (一、) the portal adds a date line, a blurb and an image name; the plan's own
    preamble is the last paragraph before that heading, so everything else there is dropped.

    Args:
        page: the scraped page, as text.

    Returns:
        The policy's title, paragraphs (preamble first) and source line.

    Raises:
        PlanFormatError: when the title, the first heading or the source line is missing.
    """
    lines = [_normalise(x) for x in page.splitlines()]
    try:
        start = lines.index(PLAN_TITLE)
    except ValueError:
        raise PlanFormatError(f"the page has no line that is the plan's title {PLAN_TITLE!r}") from None
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith(SOURCE_PREFIX)), None)
    if end is None:
        raise PlanFormatError(f"the page has no {SOURCE_PREFIX!r} line after the plan's title")
    body = [x for x in lines[start + 1:end] if x]
    first_heading = next((i for i, x in enumerate(body) if _TOP.match(x)), None)
    if not first_heading:
        raise PlanFormatError("the plan has no preamble followed by a heading such as '一、工作目标'")
    return Policy(PLAN_TITLE, tuple(body[first_heading - 1:]), lines[end])


def portal_text(page: str) -> list[str]:
    """The portal's own lines around the plan (navigation, side-bar, rankings, footer), one item each.

    Used as examples of what the plan is *not* about. Navigation rows are split into their items.
    """
    lines = [_normalise(x) for x in page.splitlines()]
    policy = extract_policy(page)
    start, end = lines.index(PLAN_TITLE), lines.index(policy.source)
    kept = set(policy.paragraphs)
    outside = lines[:start] + [x for x in lines[start + 1:end] if x not in kept] + lines[end + 1:]
    items: list[str] = []
    for line in outside:
        parts = line.split()
        items.extend(parts if len(parts) > 3 else [line])
    return [x for x in dict.fromkeys(items) if len(x) >= 2 and not x.startswith("-->")]


def parse_bureaus(listing: str) -> tuple[tuple[str, ...], ...]:
    """Split a 责任单位 listing into groups of bureaus.

    Args:
        listing: e.g. ``市市场监管局、市地方金融局,市法院``.

    Returns:
        Groups in printed order, e.g. ``(("市市场监管局", "市地方金融局"), ("市法院",))``.
    """
    groups = []
    for group in re.split(r"[,，]", listing):
        names = tuple(n.strip() for n in group.split("、") if n.strip())
        if names:
            groups.append(names)
    return tuple(groups)


def _split_bureaus(paragraph: str) -> tuple[str, tuple[tuple[str, ...], ...]]:
    m = _BUREAUS.search(paragraph)
    if not m:
        return paragraph, ()
    return paragraph[: m.start()].rstrip(), parse_bureaus(m.group(1))


def _title(body: str) -> str:
    return body.split("。", 1)[0].strip()


def _clause(id: str, kind: str, path: str, body: str, title: str | None = None) -> Clause:
    text, groups = _split_bureaus(body)
    return Clause(
        id=id, kind=kind, path=path, title=title if title is not None else _title(text), text=text,
        bureaus=tuple(b for g in groups for b in g), bureau_groups=groups,
    )


def parse_clauses(policy: Policy) -> list[Clause]:
    """Turn the plan's paragraphs into one Clause per numbered unit.

    Ids: ``0`` preamble; ``1.0`` the goals' lead paragraph, ``1.1``… the —— indicators;
    ``2.A.N`` task N of action A under 二; ``3.A`` safeguard A under 三.

    Args:
        policy: the output of :func:`extract_policy`.

    Returns:
        Clauses in document order.

    Raises:
        PlanFormatError: on a paragraph that fits nowhere in the structure.
    """
    paras = list(policy.paragraphs)
    clauses = [_clause("0", "preamble", "序言", paras[0], title="序言")]
    section_no, section, action_no, action, goal_no = 0, "", 0, "", 0
    for para in paras[1:]:
        top = _TOP.match(para)
        if top and "。" not in para:
            section_no, section, action_no, action = section_no + 1, para, 0, ""
            continue
        act = _ACTION.match(para)
        if section_no == 1:
            if para.startswith("——"):
                goal_no += 1
                clauses.append(_clause(f"1.{goal_no}", "goal", section, para.lstrip("—")))
            else:
                clauses.append(_clause("1.0", "goal", section, para, title=section.split("、", 1)[1]))
        elif act and "。" not in para:
            action_no, action = action_no + 1, para
        elif act:
            action_no += 1
            clauses.append(_clause(f"{section_no}.{action_no}", "safeguard",
                                   f"{section} > ({act.group(1)})", act.group(2)))
        elif (task := _TASK.match(para)) and action:
            clauses.append(_clause(f"{section_no}.{action_no}.{task.group(1)}", "task",
                                   f"{section} > {action} > {task.group(1)}.", task.group(2)))
        else:
            raise PlanFormatError(f"paragraph fits nowhere in the plan's structure: {para[:40]!r}…")
    return clauses


def parse_page(page: str) -> list[Clause]:
    """Page text to clauses: :func:`extract_policy` then :func:`parse_clauses`."""
    return parse_clauses(extract_policy(page))
