"""Block Kit classes that slack_sdk lacks (``data_visualization``) or checks more loosely than
Slack does (``table``), in slack_sdk's style: ``JsonObject`` subclasses whose ``to_dict()`` runs
every ``@JsonValidator`` and raises ``SlackObjectFormationError``.

Slack refuses the whole message (``invalid_blocks``) when one of these limits is exceeded, so a
builder that breaks one is a bug: failing at render time, in the tests, is what these are for. The
builders in ``bot/blocks.py`` cut their input to fit before building.

Limits of the data visualization block, from https://docs.slack.dev/reference/block-kit/blocks/
data-visualization-block (changelog 2026-06-16): title at most 50 chars; a pie chart has 1 to 6
segments (label at most 20 chars, value > 0); a line, bar or area chart has 1 to 6 series and an
axis_config whose categories label the x axis; each series has a name (at most 20 chars, unique)
and 1 to 20 data points whose labels are the categories; axis titles at most 50 chars; at most two
such blocks in one message. (Some third-party libraries allow 12 series or segments; the Slack page
says 6, and 6 is accepted either way.)
"""
from __future__ import annotations

from numbers import Real
from typing import Optional, Sequence, Set

from slack_sdk.models.basic_objects import JsonObject, JsonValidator
from slack_sdk.models.blocks import Block, RawTextObject, TableBlock

TITLE_CHARS = 50
LABEL_CHARS = 20  # series names, category and segment labels
AXIS_TITLE_CHARS = 50
MAX_SERIES = 6
MAX_SEGMENTS = 6
MAX_POINTS = 20
MAX_CHARTS_PER_MESSAGE = 2

TABLE_ROWS, TABLE_CELLS = 100, 20  # and one table per message


def _number(v) -> bool:
    return isinstance(v, Real) and not isinstance(v, bool)


class DataPoint(JsonObject):
    attributes = {"label", "value"}

    def __init__(self, *, label: str, value: float):
        self.label, self.value = label, value

    @JsonValidator(f"a data point needs a label of 1 to {LABEL_CHARS} characters")
    def _validate_label(self):
        return isinstance(self.label, str) and 1 <= len(self.label) <= LABEL_CHARS

    @JsonValidator("a data point's value must be a number")
    def _validate_value(self):
        return _number(self.value)


class DataSeries(JsonObject):
    attributes = {"name", "data"}

    def __init__(self, *, name: str, data: Sequence[DataPoint]):
        self.name, self.data = name, list(data)

    @JsonValidator(f"a series needs a name of 1 to {LABEL_CHARS} characters")
    def _validate_name(self):
        return isinstance(self.name, str) and 1 <= len(self.name) <= LABEL_CHARS

    @JsonValidator(f"a series has 1 to {MAX_POINTS} data points")
    def _validate_data(self):
        return 1 <= len(self.data) <= MAX_POINTS


class AxisConfig(JsonObject):
    attributes = {"categories", "x_label", "y_label"}

    def __init__(self, *, categories: Sequence[str], x_label: Optional[str] = None,
                 y_label: Optional[str] = None):
        self.categories, self.x_label, self.y_label = list(categories), x_label, y_label

    @JsonValidator(f"1 to {MAX_POINTS} categories of 1 to {LABEL_CHARS} characters each")
    def _validate_categories(self):
        return 1 <= len(self.categories) <= MAX_POINTS and all(
            isinstance(c, str) and 1 <= len(c) <= LABEL_CHARS for c in self.categories)

    @JsonValidator(f"axis titles are at most {AXIS_TITLE_CHARS} characters")
    def _validate_labels(self):
        return all(x is None or len(x) <= AXIS_TITLE_CHARS for x in (self.x_label, self.y_label))


class SeriesChart(JsonObject):
    """A line, bar or area chart: every series has one point per category, in the same order."""

    attributes = {"type", "series", "axis_config"}
    kinds = ("line", "bar", "area")

    def __init__(self, *, type: str, series: Sequence[DataSeries], axis_config: AxisConfig):
        self.type, self.series, self.axis_config = type, list(series), axis_config

    @JsonValidator("chart type must be line, bar or area")
    def _validate_type(self):
        return self.type in self.kinds

    @JsonValidator(f"1 to {MAX_SERIES} series with unique names")
    def _validate_series(self):
        names = [s.name for s in self.series]
        return 1 <= len(names) <= MAX_SERIES and len(set(names)) == len(names)

    @JsonValidator("every series has exactly one data point per category, labelled like it")
    def _validate_points_match_categories(self):
        cats = self.axis_config.categories
        return all([p.label for p in s.data] == cats for s in self.series)


class Segment(JsonObject):
    attributes = {"label", "value"}

    def __init__(self, *, label: str, value: float):
        self.label, self.value = label, value

    @JsonValidator(f"a segment needs a label of 1 to {LABEL_CHARS} characters")
    def _validate_label(self):
        return isinstance(self.label, str) and 1 <= len(self.label) <= LABEL_CHARS

    @JsonValidator("a segment's value must be a number greater than 0")
    def _validate_value(self):
        return _number(self.value) and self.value > 0


class PieChart(JsonObject):
    attributes = {"type", "segments"}

    def __init__(self, *, segments: Sequence[Segment]):
        self.type, self.segments = "pie", list(segments)

    @JsonValidator(f"a pie chart has 1 to {MAX_SEGMENTS} segments")
    def _validate_segments(self):
        return 1 <= len(self.segments) <= MAX_SEGMENTS


class DataVisualizationBlock(Block):
    """Slack's native chart. slack_sdk 3.48 has no class for it."""

    type = "data_visualization"

    @property
    def attributes(self) -> Set[str]:  # type: ignore[override]
        return super().attributes.union({"title", "chart"})

    def __init__(self, *, title: str, chart: SeriesChart | PieChart, block_id: Optional[str] = None):
        super().__init__(type=self.type, block_id=block_id)
        self.title, self.chart = title, chart

    @JsonValidator(f"title is 1 to {TITLE_CHARS} characters")
    def _validate_title(self):
        return isinstance(self.title, str) and 1 <= len(self.title) <= TITLE_CHARS

    @JsonValidator("chart must be a line, bar, area or pie chart")
    def _validate_chart(self):
        return isinstance(self.chart, (SeriesChart, PieChart))


class CheckedTableBlock(TableBlock):
    """slack_sdk's TableBlock only checks that rows exist; Slack also wants at most 100 rows of at
    most 20 cells, every row as wide, and no empty text cell."""

    @JsonValidator(f"a table has 1 to {TABLE_ROWS} rows")
    def _validate_row_count(self):
        return 1 <= len(self.rows) <= TABLE_ROWS

    @JsonValidator(f"every row has the same number of cells, 1 to {TABLE_CELLS}")
    def _validate_widths(self):
        widths = {len(r) for r in self.rows}
        return len(widths) == 1 and 1 <= next(iter(widths)) <= TABLE_CELLS

    @JsonValidator("table cells cannot be empty")
    def _validate_cells(self):
        return all(not isinstance(c, RawTextObject) or c.text.strip() for r in self.rows for c in r)
