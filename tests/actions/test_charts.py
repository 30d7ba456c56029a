import datetime
import xml.etree.ElementTree as ET
from decimal import Decimal

from actions.charts import indicator_chart_svg
from actions.models import Indicator, Measurement

SVG = "{http://www.w3.org/2000/svg}"


def _measurements(values):
    start = datetime.date(2021, 1, 1)
    return [Measurement(date=start + datetime.timedelta(days=30 * i), value=Decimal(v)) for i, v in enumerate(values)]


def test_chart_is_well_formed_svg_with_a_title_and_no_inline_style():
    indicator = Indicator(pk=7, definition="Nombre d'élus formés <tous>", unit="élus", baseline=0, target=30)
    svg = indicator_chart_svg(indicator=indicator, measurements=_measurements([0, 4, 9, 15.5, 21]), chart_id="c7")
    root = ET.fromstring(svg)  # noqa: S314 (our own markup)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "c7-title c7-desc"
    assert root.find(f"{SVG}title").text.startswith("Nombre d'élus formés <tous>")
    assert "cible 30" in root.find(f"{SVG}desc").text
    assert all(element.get("style") is None for element in root.iter())
    assert root.find(f"{SVG}polyline") is not None


def test_chart_handles_lower_is_better_negative_and_flat_series():
    indicator = Indicator(pk=8, definition="Volume des mails", direction="lower", baseline=None, target=None)
    for values in ([5], [-3, 2, -1], [7, 7, 7]):
        svg = indicator_chart_svg(indicator=indicator, measurements=_measurements(values), chart_id="c8")
        ET.fromstring(svg)  # noqa: S314 (our own markup)


def test_no_measurements_no_chart():
    assert indicator_chart_svg(indicator=Indicator(definition="x"), measurements=[], chart_id="c") == ""
