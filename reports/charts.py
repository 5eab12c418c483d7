"""Bar charts drawn on the server as inline SVG (no CDN, no JavaScript library).

A chart is plain data that ``reports/_bar_chart.html`` draws: one bar per row, its
length proportional to the value, the number beside it, and a link to the list behind it.
"""

from dataclasses import dataclass, field


@dataclass
class Bar:
    label: str
    value: float
    url: str = ""
    display: str = ""
    css: str = "bar-main"


@dataclass
class BarChart:
    title: str
    bars: list[Bar] = field(default_factory=list)
    unit: str = ""
    maximum: float | None = None  # fixed scale (100 for percentages); else the largest value

    ROW = 28  # px per bar
    LABEL = 34  # % of the width kept for labels

    @property
    def height(self) -> int:
        return max(1, len(self.bars)) * self.ROW + 4

    def rows(self) -> list[dict]:
        top = self.maximum or max((bar.value for bar in self.bars), default=0) or 1
        span = 100 - self.LABEL - 12  # room for the number after the bar
        return [
            {
                "bar": bar,
                "y": index * self.ROW + 4,
                "text_y": index * self.ROW + 20,
                "width": round(span * min(bar.value, top) / top, 2),
                "value_x": round(self.LABEL + span * min(bar.value, top) / top + 1, 2),
                "display": bar.display or f"{bar.value:g}{self.unit}",
            }
            for index, bar in enumerate(self.bars)
        ]
