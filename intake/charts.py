"""Charts drawn on the server as SVG: no JavaScript library, nothing from a CDN."""

from __future__ import annotations

from dataclasses import dataclass

PALETTE = {
    "deny": "#6c757d",
    "backup_only": "#fd7e14",
    "full": "#0d6efd",
    "none": "#adb5bd",
}


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str
    title: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    labels: list[tuple[float, str]]
    maximum: int
    legend: list[tuple[str, str]]


def stacked_bars(
    labels: list[str],
    series: dict[str, list[int]],
    *,
    names: dict[str, str],
    width: int = 720,
    height: int = 220,
) -> Chart:
    """One bar per label, stacked by series; geometry only, the template draws it."""
    top, bottom = 10, 30
    totals = [sum(values[i] for values in series.values()) for i in range(len(labels))]
    maximum = max(totals, default=0) or 1
    slot = width / max(len(labels), 1)
    scale = (height - top - bottom) / maximum
    bars: list[Bar] = []
    for i, label in enumerate(labels):
        base = float(height - bottom)
        for key in sorted(series, key=lambda k: list(PALETTE).index(k) if k in PALETTE else 99):
            count = series[key][i]
            if not count:
                continue
            h = count * scale
            base -= h
            bars.append(
                Bar(
                    x=i * slot + slot * 0.15,
                    y=base,
                    width=slot * 0.7,
                    height=h,
                    colour=PALETTE.get(key, "#198754"),
                    title=f"{label}: {count} {names.get(key, key)}",
                )
            )
    return Chart(
        width=width,
        height=height,
        bars=bars,
        labels=[(i * slot + slot / 2, label) for i, label in enumerate(labels)],
        maximum=maximum,
        legend=[(PALETTE.get(k, "#198754"), names.get(k, k)) for k in series],
    )
