"""The digest's chart: failures per day per technology over 14 days, stacked, the digest's day
highlighted. matplotlib with the Agg backend: a PNG, no display needed."""
from __future__ import annotations

from pathlib import Path


def failures_chart(per_day_by_tech: dict[str, dict[str, int]], day: str, path: Path, title: str,
                   ylabel: str = "failures") -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    days = list(per_day_by_tech)
    techs = sorted({t for v in per_day_by_tech.values() for t in v},
                   key=lambda t: -sum(v.get(t, 0) for v in per_day_by_tech.values()))
    fig, ax = plt.subplots(figsize=(9, 4), dpi=110)
    bottom = [0] * len(days)
    colors = plt.get_cmap("tab10")
    for i, tech in enumerate(techs):
        values = [per_day_by_tech[d].get(tech, 0) for d in days]
        ax.bar(range(len(days)), values, bottom=bottom, label=tech, color=colors(i % 10), width=0.8)
        bottom = [b + v for b, v in zip(bottom, values)]
    if day in days:
        i = days.index(day)
        ax.axvspan(i - 0.5, i + 0.5, color="#ffcc00", alpha=0.25, zorder=0)
        ax.annotate(str(bottom[i]), (i, bottom[i]), ha="center", va="bottom", fontsize=9, fontweight="bold")
    ax.set_xticks(range(len(days)), [d[5:] for d in days], rotation=45, fontsize=8)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.spines[["top", "right"]].set_visible(False)
    if techs:
        ax.legend(fontsize=8, frameon=False, ncol=min(4, len(techs)), loc="upper left")
    fig.tight_layout()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, format="png")
    plt.close(fig)
    return path
