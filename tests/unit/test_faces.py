"""The five faces the youngest children answer with: each must read as its word at
phone size, in colour and in greyscale. The word beside each face is its label (the
<img> has alt=""), so the pictures carry no text."""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from portal.questionnaires.declarations.shared import FACES

FACES_DIR = Path(__file__).resolve().parents[2] / "static" / "img" / "faces"
SVG = "{http://www.w3.org/2000/svg}"
NAMES = ("great", "good", "okay", "worried", "scared")
CENTRE_X = 24.0


def _svg(name: str) -> ET.Element:
    return ET.fromstring((FACES_DIR / f"{name}.svg").read_bytes())  # noqa: S314 (our own files)


def _by_id(root: ET.Element, element_id: str) -> ET.Element:
    found = [el for el in root.iter() if el.get("id") == element_id]
    assert len(found) == 1, f"expected one element with id={element_id}"
    return found[0]


def _points(path_data: str) -> list[float]:
    return [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", path_data)]


def _grey(colour: str) -> float:
    """The lightness a greyscale filter gives this fill (sRGB luminance weights)."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def test_there_is_a_face_for_every_answer_and_no_other() -> None:
    assert {option.value for option in FACES} == set(NAMES)
    assert {path.stem for path in FACES_DIR.glob("*.svg")} == set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_each_face_is_a_small_square_svg_without_words(name: str) -> None:
    raw = (FACES_DIR / f"{name}.svg").read_bytes()
    assert len(raw) < 2048
    root = _svg(name)
    assert root.tag == f"{SVG}svg"
    assert root.get("viewBox") == "0 0 48 48"
    tags = {el.tag.removeprefix(SVG) for el in root.iter()}
    assert tags <= {"svg", "circle", "path"}, f"{name}: only shapes, no text or scripts"
    outline = _by_id(root, "face")
    assert outline.get("stroke") == "#0b0c0c"
    assert float(outline.get("stroke-width", "0")) >= 2


def test_the_five_faces_are_all_different() -> None:
    files = {name: (FACES_DIR / f"{name}.svg").read_bytes() for name in NAMES}
    for a, b in itertools.combinations(NAMES, 2):
        assert files[a] != files[b], f"{a} and {b} are the same picture"


def test_greyscale_still_tells_the_faces_apart() -> None:
    greys = {name: _grey(_by_id(_svg(name), "face").get("fill", "")) for name in NAMES}
    for a, b in itertools.combinations(NAMES, 2):
        assert abs(greys[a] - greys[b]) >= 20, f"{a} and {b} look alike in greyscale: {greys}"


def test_worried_eyebrows_rise_towards_the_middle_not_the_angry_v() -> None:
    root = _svg("worried")
    for side in ("brow-left", "brow-right"):
        x1, y1, x2, y2 = _points(_by_id(root, side).get("d", ""))
        (inner_x, inner_y), (outer_x, outer_y) = sorted(
            ((x1, y1), (x2, y2)), key=lambda point: abs(point[0] - CENTRE_X)
        )
        # SVG's y grows downwards: the inner end sits higher, so a smaller y.
        assert inner_y < outer_y - 2, f"{side} slopes like a cross face's eyebrow"
    # No other face has eyebrows to mistake it for.
    for name in NAMES:
        if name != "worried":
            assert not [el for el in _svg(name).iter() if "brow" in (el.get("id") or "")]


def test_the_mouths_say_the_feeling() -> None:
    # Really good: a big open (filled) smile; Good: a line that curves up; OK: straight;
    # Sad or scared: a line that curves down.
    great = _by_id(_svg("great"), "mouth")
    assert great.get("fill") not in (None, "none")
    for name, shape in (("good", "up"), ("okay", "flat"), ("scared", "down")):
        mouth = _by_id(_svg(name), "mouth")
        assert mouth.get("fill") == "none"
        numbers = _points(mouth.get("d", ""))
        ends_y = (numbers[1] + numbers[-1]) / 2
        if shape == "flat":
            assert numbers[1] == numbers[-1]
            continue
        control_y = numbers[3]
        assert (control_y > ends_y) == (shape == "up"), f"{name}'s mouth does not curve {shape}"
    assert _by_id(_svg("scared"), "tear") is not None
