"""Geometry of the server-rendered SVG goals chart (no JavaScript, no chart library)."""

from dataclasses import dataclass

from app.web.selectors import SeasonRecord

WIDTH = 720
HEIGHT = 260
LEFT = 36  # room for the y-axis labels
BOTTOM = 44  # room for the season labels
TOP = 12
MAX_SEASONS = 20


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: int


@dataclass
class ChartColumn:
    label: str
    label_x: float
    scored: Bar
    conceded: Bar


@dataclass
class GoalsChart:
    width: int
    height: int
    plot_left: int
    plot_bottom: int
    plot_right: int
    columns: list[ChartColumn]
    ticks: list[tuple[float, int]]  # (y, value)
    first_label: str
    last_label: str


def goals_chart(seasons: list[SeasonRecord], *, limit: int = MAX_SEASONS) -> GoalsChart | None:
    """Goals scored and conceded per season, the last `limit` seasons, oldest on the left."""
    shown = sorted(seasons, key=lambda s: (s.start_year, s.competition_name))[-limit:]
    if not shown:
        return None
    top = max(max(s.goals_for, s.goals_against) for s in shown) or 1
    step = _nice_step(top)
    axis_max = step * -(-top // step)
    plot_height = HEIGHT - TOP - BOTTOM
    plot_width = WIDTH - LEFT - 8
    slot = plot_width / len(shown)
    bar_width = max(2.0, min(18.0, slot * 0.36))

    def bar(x: float, value: int) -> Bar:
        height = plot_height * value / axis_max
        return Bar(x=round(x, 1), y=round(TOP + plot_height - height, 1), width=round(bar_width, 1),
                   height=round(height, 1), value=value)  # fmt: skip

    columns = []
    for index, season in enumerate(shown):
        centre = LEFT + slot * (index + 0.5)
        columns.append(
            ChartColumn(
                label=season.season_name,
                label_x=round(centre, 1),
                scored=bar(centre - bar_width, season.goals_for),
                conceded=bar(centre, season.goals_against),
            )
        )
    ticks = [(round(TOP + plot_height - plot_height * v / axis_max, 1), v) for v in range(0, axis_max + 1, step)]
    return GoalsChart(
        width=WIDTH, height=HEIGHT, plot_left=LEFT, plot_bottom=TOP + plot_height, plot_right=WIDTH - 8,
        columns=columns, ticks=ticks, first_label=shown[0].season_name, last_label=shown[-1].season_name,
    )  # fmt: skip


def _nice_step(top: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 500):
        if top / step <= 5:
            return step
    return 1000
