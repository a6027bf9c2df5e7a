"""The executed query and its result as the LLM sees them (short lines it may rephrase, never
recompute), and as the `facts` dict that the first release's readers expect."""
from __future__ import annotations

from .query import Query, Result


def legacy_facts(q: Query, r: Result) -> dict:
    pipeline_tech = dict(r.pipeline_techs)
    return {
        "filters": {"time": {"label": q.window.label, "start": q.window.start.isoformat(),
                             "end": q.window.end.isoformat()} if q.window else None, "techs": list(q.techs),
                    "pipelines": list(q.pipelines), "statuses": list(q.statuses),
                    "exclude_techs": list(q.exclude_techs), "exclude_pipelines": list(q.exclude_pipelines)},
        "total": r.total,
        "by_status": dict(r.by_status),
        "by_tech": dict(r.by_tech),
        "failed_by_tech": dict(r.failed_by_tech),
        "top_pipelines": [[p, n, pipeline_tech.get(p, "")] for p, n in r.by_pipeline],
        "top_failed_pipelines": [[p, n, pipeline_tech.get(p, "")] for p, n in r.failed_by_pipeline],
        "measure": q.measure,
        "value": r.as_json()["value"],
    }


def facts_text(q: Query, r: Result, render) -> str:
    lines = [
        f"question read as: {render.interpretation(q)}",
        f"answer (exact, computed over every record; keep it first): {render.headline(q, r)}",
        f"matching runs (exact count): {r.total}",
        f"by status: {dict(r.by_status)}",
        f"by technology: {dict(r.by_tech[:10])}",
        f"top pipelines (name, runs): {list(r.by_pipeline[:5])}",
    ]
    lines += [f"details: {line}" for line in render.body(q, r, [])[:15] if line.strip()]
    return "\n".join(lines)
