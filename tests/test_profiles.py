"""Template profiles: data files, each documented by a real paper, picked per file, and added without code."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from ingest.chunking import Sizes
from ingest.model import Line
from ingest.profiles import DEFAULT, PROFILES_DIR, ProfileError, load_profiles, shipped_profiles, status_words
from ingest.reader import read
from ingest.understand import understand
from retrieval.grounding import claims
from retrieval.shapes import SHAPES, status_check

from .conftest import SAMPLES, bcp, shared_path

SIZES = Sizes(target=250, maximum=400, minimum=60)

# A made-up council's minutes: its template prints "Hartfield Borough Council · Planning Committee · Page N" at the
# foot of each page, and its trackers say an item is "Parked".
HARTFIELD = """HARTFIELD BOROUGH COUNCIL
PLANNING COMMITTEE
Minutes of the meeting held on 4 June 2025 at 7.00 pm
1. Apologies
Apologies were received from Cllr A Hale.
2. Station Road Car Park
The committee considered the car park resurfacing scheme.
Hartfield Borough Council · Planning Committee · Page 2
RESOLVED that the scheme be parked until the spring.
3. Tracker
The resurfacing action is Parked.
"""
HARTFIELD_PROFILE = r"""
description = "Hartfield Borough Council's minutes (a made-up council, for this test)."
matches = ['^Hartfield Borough Council · .* · Page \d+$', '^HARTFIELD BOROUGH COUNCIL$']
running_headers = ['^Hartfield Borough Council · .* · Page \d+$']
status_words = ["parked"]
"""


def test_every_shipped_profile_names_a_real_paper_that_shows_it():
    profiles = shipped_profiles()
    assert {"default", "moderngov-report", "bcp-pack", "kent", "legistar-agenda"} <= set(profiles.by_name)
    for profile in profiles.by_name.values():
        named = re.findall(r"\b((?:bcp|pdf)/[\w.-]+?\.(?:txt|pdf))", profile.description)
        assert named, f"{profile.name} names no paper in ../shared/corpus"
        for paper in named:
            folder, name = paper.split("/")
            if folder == "bcp":
                assert bcp(name[:3]).name == name, paper
            else:
                assert shared_path("corpus", folder, name).exists(), paper


def test_a_profile_adds_to_default_and_to_what_it_extends():
    profiles = shipped_profiles()
    pack, default = profiles["bcp-pack"], profiles[DEFAULT]
    assert pack.lineage == ("default", "moderngov-report")
    assert pack.cover.opens == ("Report subject",) and pack.cover.meeting_date == "Meeting date"
    assert set(default.status_words) <= set(pack.status_words)
    assert {"officers aware", "high risk"} <= set(pack.status_words)  # its action sheet and its RAG key
    assert not default.running_headers and not default.cover.opens  # no template's furniture in the default


@pytest.mark.parametrize(("paper", "expected"), [
    ("bcp/000", "bcp-pack"), ("bcp/003", "bcp-pack"), ("bcp/002", "bcp-pack"), ("sample", "bcp-pack"),
    ("uk_kent_cabinet_2025-01-30_agenda-frontsheet.pdf", "kent"),
    ("us_la-metro_executive-management-committee_2017-06-15_agenda_legistar.pdf", "legistar-agenda"),
    ("ca_nipissing_council_2025-03-04_minutes.pdf", "default"),
])
def test_each_paper_is_read_with_the_profile_it_matches_best(paper: str, expected: str):
    if paper == "sample":
        path = SAMPLES / "committee-pack.txt"
    elif paper.startswith("bcp/"):
        path = bcp(paper[4:])
    else:
        path = shared_path("corpus", "pdf", paper)
    assert shipped_profiles().pick(read(str(path), path.read_bytes()).lines).name == expected


def test_a_councils_profile_is_added_as_a_file_and_takes_effect(tmp_path: Path):
    extra = tmp_path / "profiles"
    extra.mkdir()
    (extra / "hartfield.toml").write_text(HARTFIELD_PROFILE, encoding="utf-8")
    profiles = load_profiles(PROFILES_DIR, extra)
    data = HARTFIELD.encode()

    before = understand("hartfield.txt", data, SIZES)
    after = understand("hartfield.txt", data, SIZES, profiles=profiles)
    assert profiles.pick([Line(text, n) for n, text in enumerate(HARTFIELD.splitlines(), 1)]).name == "hartfield"
    assert any("Page 2" in chunk.text for chunk in before.chunks)
    assert not any("Page 2" in chunk.text for chunk in after.chunks)  # its running header is dropped

    assert "parked" not in status_words() and "parked" in status_words(profiles)
    assert status_check(status_words(profiles))("The resurfacing action is Parked.")
    assert not SHAPES["status"]("The resurfacing action is Parked.")
    assert "parked" in claims("It is Parked [1]", status_words(profiles))


def test_a_profile_that_cannot_be_used_is_refused_naming_its_file(tmp_path: Path):
    for name in ("default.toml", "moderngov-report.toml"):
        shutil.copy(PROFILES_DIR / name, tmp_path / name)
    bad = tmp_path / "broken.toml"
    for text, complaint in [
        ('description = "x"\nrunning_header = ["x"]\n', "unknown keys ['running_header']"),
        ('description = "x"\nmatches = ["(unclosed"]\n', "is not a regular expression"),
        ('description = "x"\nextends = "nowhere"\n', "extends unknown profile 'nowhere'"),
        ('description = "x"\n[cover]\nsubject = "Title"\n', "unknown cover labels"),
        ("description = 'x'\nreference = ['MId=\\d+']\n", "needs a group around the reference"),
    ]:
        bad.write_text(text, encoding="utf-8")
        with pytest.raises(ProfileError, match=re.escape(complaint)) as raised:
            load_profiles(tmp_path)
        assert "broken.toml" in str(raised.value)


def test_the_readme_example_profile_loads_and_adds_to_what_it_extends(tmp_path: Path):
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    example = readme.split("### Profiles: adding a council's templates", 1)[1].split("```toml\n", 1)[1].split("```")[0]
    for path in PROFILES_DIR.glob("*.toml"):
        shutil.copy(path, tmp_path / path.name)
    (tmp_path / "hartfield.toml").write_text(example, encoding="utf-8")
    hartfield = load_profiles(tmp_path)["hartfield"]
    assert hartfield.lineage == ("default", "moderngov-report")
    assert hartfield.cover.opens == ("Report title",) and "parked" in hartfield.status_words
    assert hartfield.strip_running_header("as agreed. Hartfield · Planning Committee · Page 4") == "as agreed."
