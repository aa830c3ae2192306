"""Write the evaluation's results, metrics and human report (JSON, CSV, Markdown with a PNG chart and the
responsibility map as a PNG heatmap)."""
from __future__ import annotations

import csv
import io
import json
import shutil
import tempfile
from dataclasses import fields
from pathlib import Path
from typing import Mapping, Sequence

from assistant.responsibility import ResponsibilityMap, write_heatmap
from assistant.types import Record

from .metrics import PRIMARY_METRIC

TABLE_METRICS = ("pass_rate", "hit@1", "hit@3", "mrr@10", "all_clauses_recall", "bureau_accuracy", "fact_accuracy",
                 "refusal_precision", "refusal_recall", "refusal_recall/off_topic", "refusal_recall/unanswerable",
                 "refusal_recall/instruction", "in_scope_refused", "lead", "en_stated_outside_quote",
                 "ungrounded_answers", "latency_p50_ms", "latency_p95_ms")
# Over a corpus: no bureaus, no plan-specific checks (lead, figures in English), no LLM.
CORPUS_TABLE = ("pass_rate", "hit@1", "doc@1", "hit@3", "mrr@10", "fact_accuracy", "refusal_precision",
                "refusal_recall", "refusal_recall/off_topic", "refusal_recall/unanswerable",
                "refusal_recall/instruction", "in_scope_refused", "latency_p50_ms", "latency_p95_ms")
CHART_METRICS = ("pass_rate", "hit@1", "doc@1", "hit@3", "mrr@10", "bureau_accuracy", "fact_accuracy", "refusal_recall")


def fmt(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.3f}" if value <= 1.0 else f"{value:.1f}"
    return str(value)


def metrics_table(metrics: Mapping[str, Mapping], keys: Sequence[str] = TABLE_METRICS) -> str:
    """A Markdown table: one row per metric, one column per system."""
    systems = list(metrics)
    lines = ["| metric | " + " | ".join(systems) + " |", "|---|" + "---:|" * len(systems)]
    for k in keys:
        lines.append(f"| {k} | " + " | ".join(fmt(metrics[s].get(k)) for s in systems) + " |")
    return "\n".join(lines)


def chart(metrics: Mapping[str, Mapping], path: Path) -> None:
    """Grouped bar chart of the main rates, one colour per system."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    systems = list(metrics)
    keys = [k for k in CHART_METRICS if any(metrics[s].get(k) is not None for s in systems)]
    width = 0.8 / max(1, len(systems))
    fig, ax = plt.subplots(figsize=(10, 4.5), dpi=110)
    for i, s in enumerate(systems):
        vals = [metrics[s].get(k) or 0.0 for k in keys]
        ax.bar([x + i * width for x in range(len(keys))], vals, width, label=s)
    ax.set_xticks([x + width * (len(systems) - 1) / 2 for x in range(len(keys))], keys)
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("rate")
    ax.set_title("Assistant vs baselines on the question set")
    ax.legend(loc="lower right", fontsize=8)
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def cited_label(citation: Mapping) -> str:
    """A citation as the report shows it: the task's title, or 《document》path over a corpus."""
    if citation.get("document"):
        return f"《{citation['document']}》{citation.get('path') or ''}"
    return citation.get("title") or "—"


MAP_PNG = "responsibility.png"


def map_section(rmap: ResponsibilityMap) -> list[str]:
    """The report's responsibility-map section: the heatmap and the bureaus that appear most."""
    counts, leads = rmap.counts, rmap.leads
    top = "、".join(f"{b} {counts[b]}（牵头 {leads[b]}）" for b in rmap.bureaus[:5])
    return ["## Responsibility map", "",
            f"Which bureau is named in which task of {rmap.title}: {len(rmap.bureaus)} bureaus × {len(rmap.tasks)} "
            f"tasks; dark = lead (listed first), the number = place in the task's list. Most tasks: {top}.", "",
            f"![responsibility map: bureaus × tasks]({MAP_PNG})", ""]


def markdown(metrics: Mapping[str, Mapping], graded: Sequence[Mapping], records: Sequence[Mapping],
             questions: Mapping[str, Mapping], notes: Sequence[str] = (),
             responsibility: ResponsibilityMap | None = None) -> str:
    """The human report: headline, metrics table, per-kind pass rates, the chart, the responsibility map and
    every failure."""
    ours = next(iter(metrics))
    kinds = sorted(k.split("/", 1)[1] for k in metrics[ours] if k.startswith("pass_rate/"))
    corpus = metrics[ours].get("doc@1") is not None
    by_kind = [f"pass_rate/{k}" for k in kinds] + ([f"doc@1/{k}" for k in kinds] if corpus else [])
    out = ["# Evaluation report", "",
           f"Primary metric: **{PRIMARY_METRIC} = {fmt(metrics[ours][PRIMARY_METRIC])}** "
           f"({ours}, {metrics[ours]['questions']} questions).", "", *notes, "",
           "## Metrics", "", metrics_table(metrics, CORPUS_TABLE if corpus else TABLE_METRICS), "",
           "## Pass rate by kind" + (" (and doc@1 by kind)" if corpus else ""), "", metrics_table(metrics, by_kind), "",
           "![metrics chart](chart.png)", "", *(map_section(responsibility) if responsibility else []),
           f"## Failures of {ours}", ""]
    by_id = {r["id"]: r for r in records}
    failed = [g for g in graded if not g["passed"]]
    if not failed:
        out.append("None.")
    for g in failed:
        q, r = questions[g["id"]], by_id[g["id"]]
        first = cited_label(r["citations"][0]) if r["citations"] else "—"
        checks = ", ".join(f"{k}={g[k]}" for k in ("hit@1", "doc@1", "all_clauses", "bureaus", "facts")
                           if g.get(k) is not None)
        out.append(f"- `{g['id']}` ({g['kind']}): {' / '.join(q['turns'])} — refused={g['refused']}, "
                   f"first citation: {first}; gold: {q.get('clauses') or q.get('all_clauses') or '—'}; {checks}")
    return "\n".join(out) + "\n"


def write_report(out: Path, records: Sequence[Mapping], metrics: Mapping[str, Mapping], graded: Sequence[Mapping],
                 questions: Mapping[str, Mapping], notes: Sequence[str] = (),
                 responsibility: ResponsibilityMap | None = None) -> list[Path]:
    """Write everything into a temporary folder, then move it into ``out`` so nothing is half-written; with
    ``responsibility``, also its heatmap (``responsibility.png``), linked from ``report.md``.

    Returns:
        The files written.
    """
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=f".{out.name}-") as tmp:
        t = Path(tmp)
        with open(t / "results.jsonl", "w", encoding="utf-8") as f:
            for r in records:
                f.write(json.dumps({f.name: r[f.name] for f in fields(Record)}, ensure_ascii=False) + "\n")
        (t / "metrics.json").write_text(json.dumps({"primary_metric": PRIMARY_METRIC, "systems": metrics},
                                                   indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(["metric", *metrics])
        keys = list(dict.fromkeys(k for m in metrics.values() for k in m))
        for k in keys:
            w.writerow([k, *(metrics[s].get(k, "") for s in metrics)])
        (t / "metrics.csv").write_text(buf.getvalue(), encoding="utf-8")
        with open(t / "graded.jsonl", "w", encoding="utf-8") as f:
            for g in graded:
                f.write(json.dumps(g, ensure_ascii=False) + "\n")
        chart(metrics, t / "chart.png")
        if responsibility is not None:
            write_heatmap(responsibility, t / MAP_PNG)
        (t / "report.md").write_text(markdown(metrics, graded, records, questions, notes, responsibility),
                                     encoding="utf-8")
        written = []
        for p in sorted(t.iterdir()):
            shutil.move(str(p), out / p.name)
            written.append(out / p.name)
    return written
