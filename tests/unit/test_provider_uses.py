"""Which providers use a code, and the search narrowed to one provider (browser and CLI alike)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from smtp_tui.core.provider_uses import provider_index, search
from smtp_tui.core.repository import Repository


def test_microsofts_use_of_5_4_1_is_listed_first() -> None:
    uses = provider_index().uses_of("5.4.1")
    assert uses[0].provider_name == "Microsoft 365 / Outlook.com"
    assert uses[0].meaning == "Recipient rejected by directory-based edge blocking"
    assert (uses[0].reason, uses[0].bounce) == ("userunknown", "hard")
    assert uses[0].source.startswith("https://") and "microsoft.com/" in uses[0].source
    # The registry's X.4.1 is the same detail in any class.
    assert provider_index().uses_of("X.4.1") == uses


def test_uses_are_sorted_by_provider_then_exact_code_first() -> None:
    uses = provider_index().uses_of("550")
    names = [use.provider_name.casefold() for use in uses]
    assert names == sorted(names)
    for name in set(names):
        mine = [use.enhanced is not None for use in uses if use.provider_name.casefold() == name]
        assert mine == sorted(mine)  # "550" alone before "550 5.x.x"


def test_several_providers_use_5_7_1() -> None:
    providers = {use.provider for use in provider_index().uses_of("5.7.1")}
    assert {"microsoft", "google", "apple"} <= providers


def test_a_range_covers_its_codes_and_no_more() -> None:
    index = provider_index()
    assert [use.code for use in index.uses_of("5.7.620")] == ["550 5.7.606-649"]
    assert index.uses_of("5.7.650") == () or all(
        use.code != "550 5.7.606-649" for use in index.uses_of("5.7.650")
    )
    assert index.uses_of("X.7.X") == ()
    assert index.uses_of("not a code [/]") == ()


@pytest.mark.parametrize("word", ["microsoft", "Microsoft", "outlook", "hotmail.com"])
def test_a_providers_name_lists_the_codes_it_uses(repo: Repository, word: str) -> None:
    codes = [code.code for code in search(repo, word)]
    assert "5.4.1" in codes and "5.1.10" in codes and "5.7.606" in codes
    assert "X.4.1" not in codes  # shown with the class Microsoft uses
    assert "5.3.5" not in codes  # System incorrectly configured: no Microsoft entry
    assert len(codes) == len(set(codes))


def test_other_words_match_the_code_or_the_providers_meaning(repo: Repository) -> None:
    assert [code.code for code in search(repo, "microsoft edge blocking")] == ["550", "5.4.1"]
    narrowed = [code.code for code in search(repo, "gmail 5.7.2")]
    assert "5.7.26" in narrowed and all(code.startswith("5.7.2") for code in narrowed)
    assert len(search(repo, "yahoo")) > 5


def test_common_words_are_not_providers(repo: Repository) -> None:
    """Free is a provider, but "free" is a word people search for."""
    assert [c.code for c in search(repo, "free")] == [c.code for c in repo.search("free")]
    assert [c.code for c in search(repo, "")] == [c.code for c in repo.search("")]


def test_the_index_is_cached_and_refreshed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    (data / "providers").mkdir(parents=True)
    source = Path(__file__).resolve().parents[2] / "data" / "providers" / "zoho.toml"
    (data / "providers" / "zoho.toml").write_text(source.read_text())
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("SMTP_TUI_CACHE", raising=False)
    first = provider_index(data)
    assert list(first.names) == ["zoho"]
    assert list((tmp_path / "cache" / "smtp-tui").glob("providers-*.pickle"))
    text = source.read_text().replace('name = "Zoho Mail"', 'name = "Zoho Mail Renamed"')
    (data / "providers" / "zoho.toml").write_text(text + "\n")
    assert provider_index(data).names == {"zoho": "Zoho Mail Renamed"}


def test_no_provider_folder_means_no_uses(tmp_path: Path) -> None:
    assert provider_index(tmp_path).uses == ()


def test_the_cli_search_narrows_as_the_browser_does(
    repo: Repository, capsys: pytest.CaptureFixture[str]
) -> None:
    from smtp_tui.cli.commands import main

    assert main(["search", "microsoft", "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert [code["code"] for code in found["codes"]] == [c.code for c in search(repo, "microsoft")]
    assert "5.4.1" in [code["code"] for code in found["codes"]]


def test_a_provider_named_in_another_ones_name_is_searched_alone() -> None:
    """ "AOL Mail (hosted by Yahoo)": "yahoo" names Yahoo, and each provider has a word."""
    index = provider_index()
    assert index.providers_named("yahoo") == {"yahoo"}
    assert index.providers_named("aol") == {"aol"}
    assert index.search_word("free") == "free.fr"  # "free" alone is a word people search for
    for slug in index.names:
        assert index.providers_named(index.search_word(slug)) == {slug}


def test_an_entry_naming_a_code_twice_is_one_use() -> None:
    """Apple's entry for ["550 5.7.1", "554 5.7.1"] is one meaning, sent with either reply."""
    apple = [use for use in provider_index().uses_of("5.7.1") if use.provider == "apple"]
    lines = [use.line for use in apple]
    assert len(lines) == len(set(lines))
    assert any(use.code == "550 5.7.1, 554 5.7.1" for use in apple)
