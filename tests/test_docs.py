"""The README documents every setting, so the settings table and the docs cannot drift apart."""

from papers.settings import Settings

from .conftest import ROOT


def test_every_setting_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    for name in Settings.model_fields:
        assert f"`PAPERS_{name.upper()}`" in readme, name
