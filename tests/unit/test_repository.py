"""The repository's verbs: lookup, search ranking, comparison."""

from __future__ import annotations

import functools
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smtp_tui.core.loading import load
from smtp_tui.core.model import EnhancedCode, ReplyClass, ReplyCode
from smtp_tui.core.repository import Repository, UnknownCode
from smtp_tui.core.search import RANK_EXACT, RANK_NAME, RANK_PREFIX
from smtp_tui.core.text import match_spans
from smtp_tui.core.vocabulary import Family


def test_lookup_tolerates_spaces(repo: Repository) -> None:
    assert repo.get(" 452 ").code == "452"


def test_unknown_code_suggests_neighbours(repo: Repository) -> None:
    with pytest.raises(UnknownCode) as caught:
        repo.get("599")
    assert caught.value.message.startswith("unknown code 599; did you mean 556")


def test_prefix_gives_the_codes_of_the_prefix(repo: Repository) -> None:
    view = repo.search("45")
    assert [code.code for code in view] == [c.code for c in repo if c.code.startswith("45")]
    assert "450" in [code.code for code in view] and "459" in [code.code for code in view]
    assert set(view.ranks) == {RANK_PREFIX}


def test_exact_code_ranks_first(repo: Repository) -> None:
    view = repo.search("452")
    assert view[0].code == "452" and view.ranks[0] == RANK_EXACT
    assert len(view) == 1


def test_pattern_with_x(repo: Repository) -> None:
    assert [code.code for code in repo.search("4xx")] == [c.code for c in repo.in_class(4)]
    found = [code.code for code in repo.search("5x0")]
    assert "500" in found and "550" in found
    assert all(re.fullmatch(r"5[0-9]0", code) for code in found)


def test_name_matches_rank_before_text_matches(repo: Repository) -> None:
    view = repo.search("storage")
    names = [code for code, rank in zip(view, view.ranks, strict=True) if rank == RANK_NAME]
    assert {"452", "552"} <= {code.code for code in names}
    assert list(view.ranks) == sorted(view.ranks)


def test_every_word_must_match(repo: Repository) -> None:
    both = repo.search("mailbox unavailable")
    assert {"450", "550"} <= {code.code for code in both}
    assert len(both) < len(repo.search("mailbox"))
    assert not repo.search("mailbox zzzunlikelyword")
    assert [code.code for code in repo.search("550 policy")] == ["550"]


def test_case_and_accents_do_not_matter(repo: Repository) -> None:
    assert list(repo.search("MAILBOX")) == list(repo.search("mailbox"))
    assert list(repo.search("mâílbox")) == list(repo.search("mailbox"))


def test_search_within_a_class(repo: Repository) -> None:
    view = repo.search("mailbox", reply_class=5)
    assert view and all(code.reply_class is ReplyClass.PERMANENT_NEGATIVE for code in view)
    assert view.describe().startswith(f"{len(view)} 5xx reply codes matching 'mailbox'")


def test_describe(repo: Repository) -> None:
    assert repo.all.describe() == f"{len(repo)} codes"
    assert repo.search("452").describe() == "1 code matching '452'"


@pytest.mark.parametrize(
    "query",
    ["[bold]", "[/", "[link=x]", ".*", "(", "\\", "🙂", "\x1b[31m", "x" * 10_000, "a " * 5000],
)
def test_any_query_is_accepted(repo: Repository, query: str) -> None:
    view = repo.search(query)
    described = view.describe()
    assert described.startswith(f"{len(view)} code") and " matching '" in described
    assert "\x1b" not in described
    if len(query) < 40 and query.isprintable():
        assert described.endswith(f"'{query}'"), described  # shown literally, brackets and all


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_search_never_fails(query: str) -> None:
    repo = load()
    view = repo.search(query)
    assert len(view) <= len(repo)
    assert len(view.ranks) == len(view)
    spans = match_spans(query, query)
    assert all(0 <= start < end <= len(query) for start, end in spans)


def test_match_spans_map_back_to_the_original_text() -> None:
    text = "Açıklama: 452 storage"
    spans = match_spans(text, "acik 452")
    assert [text[start:end] for start, end in spans] == ["Açık", "452"]
    assert match_spans("Straße", "STRASSE") == [(0, 6)]


# ------------------------------------------------------------------------------------- compare


def test_compare_orders_the_lower_code_first(repo: Repository) -> None:
    assert repo.compare("552", "452") == repo.compare("452", "552")
    assert repo.compare("552", "452").first.code == "452"


def test_compare_different_classes(repo: Repository) -> None:
    comparison = repo.compare("211", "452")
    assert comparison.summary.startswith(
        "211 (System status, or system help reply) is a Positive Completion response, while "
        "452 (Requested action not taken: insufficient system storage) is a Transient Negative "
        "Completion response."
    )
    assert len(comparison.key_differences) >= 6
    assert comparison.key_differences[0].startswith("Class: 211 is 2xx")


def test_compare_same_class(repo: Repository) -> None:
    comparison = repo.compare("214", "211")
    assert comparison.summary.startswith(
        "Both 211 (System status, or system help reply) and 214 (Help message) belong to the "
        "2xx Positive Completion class"
    )


def test_compare_counterparts(repo: Repository) -> None:
    comparison = repo.compare("452", "552")
    assert comparison.counterparts
    assert "same condition" in comparison.summary
    relation = [text for text in comparison.key_differences if text.startswith("Relationship")]
    assert relation and "counterparts" in relation[0]
    assert "transient in 452 and permanent in 552" in relation[0]
    assert "if it could, send 452; if it cannot, send 552" in comparison.for_servers[0]


def test_compare_names_who_acts_and_commands(repo: Repository) -> None:
    comparison = repo.compare("211", "452")
    texts = " ".join(comparison.key_differences)
    assert "Who has to act" in texts
    assert "Commands:" in texts and "HELP" in texts
    assert "Retrying the same command" in texts


def test_compare_with_itself_is_refused(repo: Repository) -> None:
    with pytest.raises(ValueError, match="itself"):
        repo.compare("452", "452")


def test_no_comparison_repeats_a_word(repo: Repository) -> None:
    """Generated prose over every pair: never "when when", never a code twice in a row."""
    doubled = re.compile(r"\b(\w+)\s+\1\b", re.IGNORECASE)
    families = [
        [code for code in repo if isinstance(code, ReplyCode)],
        [code for code in repo if isinstance(code, EnhancedCode)],
    ]
    pairs = [(a, b) for codes in families for i, a in enumerate(codes) for b in codes[i + 1 :]]
    for a, b in pairs:
        comparison = repo.compare(a, b)
        generated = [
            comparison.summary,
            *comparison.key_differences,
            *comparison.for_servers,
            *comparison.for_senders,
        ]
        for text in generated:
            match = doubled.search(text)
            assert match is None, f"{a.code}/{b.code}: {match and match.group()!r} in {text!r}"
            assert not text.endswith(("-", " ")), text


@functools.cache
def _warm_and_fresh() -> tuple[Repository, Repository]:
    """Built once, inside a test (so in its private home): building a repository, its index over
    every language, for each prefix took 90 s."""
    warm = load()
    return warm, Repository(list(warm), translations=warm.translations)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.text(alphabet="4552 .-mailboxstoragexé", min_size=0, max_size=9), min_size=1, max_size=12
    )
)
def test_remembered_searches_give_the_same_answers_as_fresh_ones(queries: list[str]) -> None:
    """Typing on narrows recent matches and backspace reuses them: never a different answer."""
    warm, fresh = _warm_and_fresh()  # fresh: its memory is emptied before each search
    for query in queries:
        for typed in (query[:cut] for cut in range(len(query) + 1)):
            fresh._search._recent.clear()
            cold = fresh.search(typed)
            assert list(warm.search(typed)) == list(cold), typed
            assert warm.search(typed).ranks == cold.ranks


# ------------------------------------------------------------------------------ enhanced codes


def test_enhanced_lookup_in_every_form(repo: Repository) -> None:
    assert repo.get("5.1.1").name == repo.get("X.1.1").name
    assert repo.get("x.1.1").code == "X.1.1"
    assert repo.get("4.7.0").code == "4.7.0"
    assert repo.get("X.7.X").code == "X.7.X"
    with pytest.raises(UnknownCode) as caught:
        repo.get("5.9.9")
    assert caught.value.message.startswith("unknown enhanced status code 5.9.9")


def test_enhanced_subject_prefix_search_shows_the_class(repo: Repository) -> None:
    view = repo.search("5.7")
    codes = [code.code for code in view]
    assert "5.7.1" in codes and "5.7.26" in codes
    assert all(code.startswith("5.7.") for code in codes)
    assert repo.search("5.1.1")[0].code == "5.1.1"
    assert repo.search("5.1.1").ranks[0] == RANK_EXACT


def test_families_filter(repo: Repository) -> None:
    assert all(code.family == "enhanced" for code in repo.search("mailbox", family="enhanced"))
    assert all(code.family == "basic" for code in repo.search("mailbox", family="basic"))
    assert len(repo.in_family("basic")) + len(repo.in_family("enhanced")) == len(repo)


def test_links_between_families(repo: Repository) -> None:
    basic = repo.get("550")
    assert isinstance(basic, ReplyCode)
    linked = [code.code for code in repo.enhanced_for(basic)]
    assert "5.1.1" in linked and "5.7.1" in linked
    detail = repo.get("5.1.1")
    assert "550" in [code.code for code in repo.related(detail)]


def test_compare_enhanced_class_changes_transient_to_permanent(repo: Repository) -> None:
    comparison = repo.compare("5.2.2", "4.2.2")
    assert comparison.first.code == "4.2.2" and comparison.counterparts
    assert "transient" in comparison.summary and "bounces" in comparison.summary
    assert repo.counterpart(repo.get("4.2.2")) == repo.get("5.2.2")


def test_compare_across_families_is_refused_with_a_pointer(repo: Repository) -> None:
    with pytest.raises(ValueError, match="compare codes of one family"):
        repo.compare("550", "5.1.1")


def test_the_search_index_and_other_languages_stay_packed_until_needed() -> None:
    """Memory: a `show`, or a browser opened on a code, reads neither the folded search texts
    nor another language's prose (1.4 MiB of strings, a sixth of the browser's memory above a
    bare Textual app's); both unpack on first use and give the same answers."""
    from smtp_tui.core.loading import load

    repository = load()
    assert repository._search._unpacked is None
    assert repository.get("452").name and repository._search._unpacked is None
    assert [code.code for code in repository.search("insufficient storage")][:1] == ["452"]
    assert repository._search._unpacked is not None
    repository.show_in("tr")
    assert repository.get("452").description == repository.translations["tr"]["452"]["description"]
    repository.show_in("en")


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("550 5.1.1", ["550", "5.1.1"]),
        ("5.1.1 550", ["550", "5.1.1"]),
        ("550-5.1.1", ["550", "5.1.1"]),  # a multiline reply's first line, as pasted
        ("421 4.7.0", ["421", "4.7.0"]),
        ("421-4.7.0", ["421", "4.7.0"]),
        ("550 x.1.1", ["550", "X.1.1"]),
    ],
)
def test_a_reply_code_with_its_enhanced_code_finds_both(
    repo: Repository, query: str, first: list[str]
) -> None:
    """The commonest paste from a bounce: each code names the codes of its own kind (no code is
    both, so both words together found nothing)."""
    view = repo.search(query)
    assert [code.code for code in view][:2] == first
    assert view.ranks[:2] == (RANK_EXACT, RANK_EXACT)
    assert {code.family for code in view} == {Family.BASIC, Family.ENHANCED}


def test_a_pair_typed_on_from_one_code_widens_what_was_found(repo: Repository) -> None:
    """ "550" then "550 5.1.1": the enhanced code is not among what "550" found."""
    warm, fresh = _warm_and_fresh()
    for typed in ("550", "550 ", "550 5", "550 5.", "550 5.1", "550 5.1.", "550 5.1.1"):
        fresh._search._recent.clear()
        assert list(warm.search(typed)) == list(fresh.search(typed)), typed
    assert "5.1.1" in [code.code for code in warm.search("550 5.1.1")]
    assert [code.code for code in warm.search("550 mailbox")] == ["550"]  # one kind: both words
