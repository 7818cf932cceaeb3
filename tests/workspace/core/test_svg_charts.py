from xml.etree import ElementTree

from workspace.core.svg_charts import Series, bar_chart, line_chart

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(svg)  # noqa: S314 - markup we generated


def test_a_line_chart_draws_one_polyline_per_series_and_a_marker():
    svg = line_chart(
        [Series("ideal", [(0, 10), (10, 0)], dashed=True), Series("actual", [(0, 10), (3, 8), (6, 7)])],
        title="Burndown <v1>",
        markers=[(10, "due")],
    )
    root = parse(svg)
    polylines = root.findall(f"{SVG}polyline")
    assert len(polylines) == 2
    assert polylines[0].get("stroke-dasharray") == "6 4"
    assert "Burndown <v1>" in root.find(f"{SVG}title").text
    assert any(text.text == "due" for text in root.iter(f"{SVG}text"))


def test_points_are_placed_inside_the_frame():
    root = parse(line_chart([Series("s", [(0, 0), (5, 100)])]))
    coords = [tuple(map(float, pair.split(","))) for pair in root.find(f"{SVG}polyline").get("points").split()]
    assert all(0 <= x <= 640 and 0 <= y <= 260 for x, y in coords)
    assert coords[0][1] > coords[1][1]  # larger values are drawn higher


def test_a_bar_chart_has_one_bar_per_value_with_a_tooltip():
    root = parse(bar_chart([("Mon", 1), ("Tue", 4), ("Wed", 0)], title="Throughput"))
    rects = root.findall(f"{SVG}rect")
    assert len(rects) == 3
    assert rects[1].find(f"{SVG}title").text == "Tue: 4"


def test_an_empty_chart_says_so():
    assert "No data yet" in line_chart([], title="Risk")
    assert "No data yet" in bar_chart([], title="Risk")
