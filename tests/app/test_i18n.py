"""Languages: complete catalogues, the choice of language, translated prose, English fallback."""

from __future__ import annotations

import io
import marshal
import os
import re
import shutil
from pathlib import Path

import pytest
from rich.cells import cell_len

from smtp_tui.cli import render
from smtp_tui.cli.terminal import Style, Writer
from smtp_tui.core import i18n
from smtp_tui.core.display.code import code_document
from smtp_tui.core.display.comparison import comparison_document
from smtp_tui.core.display.markdown import markdown
from smtp_tui.core.errors import DataError
from smtp_tui.core.loading import data_dir, load
from smtp_tui.core.model import PROSE_FIELDS, ReplyCode, english_note
from smtp_tui.core.repository import Repository
from smtp_tui.core.settings import load_settings
from smtp_tui.tui.app import SmtpTuiApp
from smtp_tui.tui.screens.main import MainScreen
from smtp_tui.tui.widgets.key_bar import KeyBar
from smtp_tui.tui.widgets.panes import ComparePane
from tests.unit.test_cli import run

ENGLISH = i18n.catalogue("en").messages
SOURCE = Path(i18n.__file__).parents[1]
LEFTOVER_FIELD = re.compile(r"\{[a-z_]+\}")
"""A template field nobody filled in."""
PERCENT_FIELD = re.compile(r"%(?:\([a-z_]+\))?[rsd]")
"""argparse's own fields, in the ``cli.argparse`` messages."""
RAW_KEY = re.compile(r"\b(?:heading|label|compare|class|status|view|ui|code|explain)\.[a-z_]+\b")
"""A catalogue key shown instead of its text."""


# --------------------------------------------------------------------------------- catalogues


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_every_catalogue_has_every_key_with_the_same_fields(lang: str) -> None:
    messages = i18n.Catalogue.read(lang).messages
    assert set(messages) == set(ENGLISH), set(messages) ^ set(ENGLISH)
    for key, english in ENGLISH.items():
        value = messages[key]
        wanted = i18n.fields_of(
            " ".join(english.values()) if isinstance(english, dict) else english
        )
        if isinstance(english, dict):
            assert isinstance(value, dict), key
            assert set(value) == i18n.required_categories(lang), key
            forms = list(value.values())
        else:
            assert isinstance(value, str), key
            assert value.strip() or key == "list.sentence", key  # the only one that may be blank
            forms = [value]
        percent = sorted(PERCENT_FIELD.findall(str(english)))
        for form in forms:
            fields = i18n.fields_of(form)
            if isinstance(value, dict) and form in (value.get("one"), value.get("two")):
                fields |= {"n"}  # a dual or singular may say its number in words (رمزان)
            assert fields == wanted, (lang, key, form)
            assert sorted(PERCENT_FIELD.findall(form)) == percent, (lang, key, form)


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_each_catalogue_names_its_language_and_direction(lang: str) -> None:
    catalogue = i18n.Catalogue.read(lang)
    assert (catalogue.name and catalogue.name != catalogue.messages["language.name.english"]) or (
        lang == "en"
    )
    assert catalogue.rtl is (lang == "ar")


def test_every_key_the_code_asks_for_exists() -> None:
    """Literal keys in the source must be in the English catalogue (the others have every key)."""
    asked = set()
    for file in SOURCE.rglob("*.py"):
        text = file.read_text("utf-8")
        asked |= set(re.findall(r'(?:_t|text|plural)\(\s*"([a-z][a-zA-Z0-9_.\-]*)"', text))
    assert asked, "the pattern found no key at all"
    assert asked - set(ENGLISH) == set()


BUILT_AT_RUN_TIME = (
    "class.",
    "category.",
    "status.",
    "subject.",
    "command.",
    "actor.",
    "binding.",
    "help.related",
    "help.to_list",
    "help.read",
    "help.palette",
    "help.quit",
)
"""Keys the code builds from a prefix (f"class.{n}.title"); every other key appears literally.

The first six are indexed by the RFCs' digits or the data's own names; the words of the
vocabulary (families, roles, outcomes, kinds) name their keys in full, in `core.vocabulary`."""


def test_every_key_in_the_catalogue_is_used() -> None:
    source = "\n".join(file.read_text("utf-8") for file in SOURCE.rglob("*.py"))
    unused = [
        key
        for key in ENGLISH
        if f'"{key}"' not in source
        and f"'{key}'" not in source
        and not key.startswith(BUILT_AT_RUN_TIME)
    ]
    assert unused == []


def test_keys_built_at_run_time_exist() -> None:
    from smtp_tui.core.model import ACTORS, COMMANDS, SUBJECTS, Category, ReplyClass, StatusClass

    built = [
        member.key(part)
        for words in (ReplyClass, Category, StatusClass)
        for member in words
        for part in words.PARTS
    ]
    built += [f"subject.{n}" for n in SUBJECTS] + [f"actor.{actor}" for actor in ACTORS]
    assert [key for key in built if key not in ENGLISH] == []
    # Commands may have words (CONNECT, ANY) or be shown by their own name; none is stray.
    assert {key.removeprefix("command.") for key in ENGLISH if key.startswith("command.")} <= set(
        COMMANDS
    )


def test_every_word_of_the_vocabulary_has_its_key() -> None:
    from smtp_tui.core.vocabulary import VIEW_KEYS, WORDS, Family
    from smtp_tui.tui.screens.main import SHOWING_KEYS

    keys = [member.key for words in WORDS for member in words]
    keys += [family.count_key for family in Family]
    keys += [VIEW_KEYS[None], *SHOWING_KEYS.values()]
    assert len(keys) == len(set(keys))
    assert [key for key in keys if key not in ENGLISH] == []
    assert set(SHOWING_KEYS) == {None, *Family}


def test_binding_ids_have_labels_in_the_catalogue() -> None:
    from textual.binding import Binding

    from smtp_tui.tui.screens.explain import ExplainScreen
    from smtp_tui.tui.screens.help import HelpScreen
    from smtp_tui.tui.screens.main import SearchBox

    for screen in (MainScreen, ExplainScreen, HelpScreen, SearchBox):
        for binding in screen.BINDINGS:
            assert isinstance(binding, Binding) and binding.id, binding
            if not binding.id.startswith("related-"):
                assert f"binding.{binding.id}" in ENGLISH


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("ru", {1: "one", 2: "few", 5: "many", 11: "many", 21: "one", 22: "few", 112: "many"}),
        ("ar", {0: "zero", 1: "one", 2: "two", 3: "few", 10: "few", 11: "many", 100: "other"}),
        ("pt", {0: "one", 1: "one", 2: "other"}),
        ("en", {0: "other", 1: "one", 2: "other"}),
        ("ja", {1: "other", 2: "other"}),
    ],
)
def test_plural_categories_follow_cldr(lang: str, expected: dict[int, str]) -> None:
    assert {n: i18n.plural_category(lang, n) for n in expected} == expected


def test_a_broken_template_is_shown_as_written_not_raised() -> None:
    broken = i18n.Catalogue("xx", {"a": "{oops", "b": "{missing} here"})
    assert broken.text("a", x=1) == "{oops"
    assert broken.text("b") == "{missing} here"
    assert broken.text("no.such.key") == "no.such.key"


# --------------------------------------------------------------------------- which language


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("tr", "tr"),
        ("tr_TR.UTF-8", "tr"),
        ("pt_BR", "pt"),
        ("zh_CN.UTF-8", "zh-Hans"),
        ("zh-Hans", "zh-Hans"),
        ("ZH", "zh-Hans"),
        ("zh_TW", None),
        ("de_DE@euro", "de"),
        ("fr_FR", None),
        ("", None),
        ("\x1b[31m", None),
    ],
)
def test_tags_normalise_to_our_languages(tag: str, expected: str | None) -> None:
    assert i18n.normalise(tag) == expected


def test_the_order_of_choice() -> None:
    env = {"SMTP_TUI_LANG": "de", "LANG": "ja_JP.UTF-8"}
    assert i18n.choose("tr", "ru", env) == "tr"
    assert i18n.choose(None, "ru", env) == "de"
    assert i18n.choose(None, "ru", {"LANG": "ja_JP.UTF-8"}) == "ru"
    assert i18n.choose(None, None, {"LANG": "ja_JP.UTF-8"}) == "ja"
    assert i18n.choose(None, None, {"LANGUAGE": "fr:ko", "LANG": "ja_JP"}) == "ko"
    assert i18n.choose(None, None, {"LC_ALL": "C", "LANG": "ja_JP"}) == "en"
    assert i18n.choose(None, "nonsense", {"SMTP_TUI_LANG": "xx"}) == "en"
    with pytest.raises(i18n.UnknownLanguage, match="unknown language 'xx'; choose one of: en, de"):
        i18n.choose("xx")


@pytest.mark.parametrize(
    "env",
    [
        {"LC_ALL": "C", "LANGUAGE": "tr", "LANG": "de_DE.UTF-8"},
        {"LC_ALL": "POSIX", "LANGUAGE": "tr"},
        {"LC_MESSAGES": "C.UTF-8", "LANGUAGE": "tr", "LANG": "de_DE.UTF-8"},
        {"LANG": "C.UTF-8", "LANGUAGE": "tr"},
        {"LANGUAGE": "tr"},  # no locale at all is the C locale
    ],
)
def test_the_c_locale_ignores_language_as_gettext_does(env: dict[str, str]) -> None:
    assert i18n.choose(None, None, env) == "en"


def test_language_still_comes_first_under_a_real_locale() -> None:
    assert i18n.choose(None, None, {"LANGUAGE": "tr:de", "LANG": "de_DE.UTF-8"}) == "tr"
    assert i18n.choose(None, None, {"LANGUAGE": "tr", "LC_ALL": "ja_JP.UTF-8"}) == "tr"


@pytest.mark.parametrize("tag", ["zh_TW.UTF-8", "zh_HK", "zh-Hant-TW", "zh_MO.Big5"])
def test_traditional_chinese_is_said_to_be_missing(tag: str) -> None:
    assert i18n.choose(None, None, {"LANG": tag}) == "en"
    assert i18n.fallback_note(None, None, {"LANG": tag}) == i18n.TRADITIONAL_CHINESE
    assert i18n.fallback_note("en", None, {"LANG": tag}) is None  # asked for English: no note
    assert i18n.fallback_note(None, None, {"LANGUAGE": "zh_TW:ja", "LANG": tag}) is None
    assert i18n.fallback_note(None, None, {"LANG": "fr_FR"}) is None


def test_locale_choices_from_the_command_line() -> None:
    scripted = run("show", "452", env={"LC_ALL": "C", "LANGUAGE": "tr", "LANG": "tr_TR.UTF-8"})
    assert "\nDescription\n" in scripted.stdout and scripted.stderr == ""
    taiwan = run("show", "452", env={"LANG": "zh_TW.UTF-8", "LANGUAGE": "", "LC_ALL": ""})
    assert taiwan.returncode == 0 and "\nDescription\n" in taiwan.stdout
    assert taiwan.stderr.count("Traditional Chinese") == 1 and taiwan.stderr.count("\n") == 1


@pytest.mark.parametrize(
    ("env", "lang"),
    [({"LANG": "de_DE.UTF-8"}, "de"), ({"LANG": "ja_JP.UTF-8"}, "ja"), ({"LANG": "C"}, "en")],
)
def test_an_unknown_language_is_reported_in_the_language_otherwise_used(
    env: dict[str, str], lang: str
) -> None:
    with pytest.raises(i18n.UnknownLanguage) as caught:
        i18n.choose("xx", None, env)
    words = i18n.catalogue(lang)
    assert caught.value.message.startswith(words.text("error.unknown_language").split("{")[0])
    result = run("show", "452", "--lang", "xx", env={"LANGUAGE": "", "LC_ALL": "", **env})
    assert result.stderr == f"smtp-tui: {caught.value.message}\n"
    missing = run("show", "452", "--lang", env={"LANGUAGE": "", "LC_ALL": "", **env}).stderr
    assert missing.startswith("smtp-tui: " + words.text("error.lang_missing").split("{")[0])


# ------------------------------------------------------------------------ compare 211 and 452


def _render(repo: Repository, lang: str, what: str = "compare") -> str:
    repo.show_in(lang)
    i18n.use(lang)
    out = io.StringIO()
    writer = Writer(out, Style(False), 80)
    if what == "compare":
        render.document(comparison_document(repo.compare("211", "452")), writer)
    else:
        code = repo.get(what)
        render.document(code_document(code, repo.related(code), repo.counterpart(code)), writer)
    return out.getvalue()


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_compare_211_452_renders_in_every_language(repo: Repository, lang: str) -> None:
    text = _render(repo, lang)
    catalogue = i18n.catalogue(lang)
    for key in ("heading.summary", "heading.key_differences", "heading.when_to_use"):
        assert catalogue.text(key) in text
    assert catalogue.text("class.4.title") in text
    assert LEFTOVER_FIELD.search(text) is None
    assert RAW_KEY.search(text) is None, RAW_KEY.search(text)
    if lang != "en":
        assert i18n.catalogue("en").text("heading.key_differences") not in text
        assert "Positive Completion" not in text  # the class names are translated too


def test_turkish_compare_reads_like_the_reference_page(repo: Repository) -> None:
    text = _render(repo, "tr")
    for heading in (
        "Açıklama",
        "Gördüğünüzde",
        "Nasıl Düzeltilir",
        "Temel Farklar",
        "Hangisini Ne Zaman Kullanmalı",
    ):
        assert f"\n{heading}\n" in text
    assert "Requested action" not in text  # the codes' own prose is Turkish as well
    assert "   1. " in text and "   7. " in text


def _summary(repo: Repository, lang: str, one: str, two: str) -> str:
    repo.show_in(lang)
    i18n.use(lang)
    return repo.compare(one, two).summary


@pytest.mark.parametrize("lang", ["ja", "zh-Hans"])
def test_cjk_sentences_are_joined_without_a_space(repo: Repository, lang: str) -> None:
    for pair in (("211", "452"), ("2.0.0", "5.0.0"), ("X.1.1", "5.2.2")):
        summary = _summary(repo, lang, *pair)
        assert "。" in summary and "。 " not in summary, summary


def test_when_to_use_names_each_code_once_by_its_sentence(repo: Repository) -> None:
    """A label goes before a server's advice only when its first sentence does not name the code:
    the Turkish verb comes last ("… kaynaklanıyorsa 452 gönderin"), past any first 40 characters."""
    repo.show_in("tr")
    i18n.use("tr")
    servers = repo.compare("211", "452").for_servers
    assert [text.count("452 gönderin") for text in servers] == [0, 1], servers
    assert not any(text.startswith(("211 ", "452 ")) for text in servers)
    repo.show_in("en")
    i18n.use("en")
    servers = repo.compare("422", "452").for_servers
    assert servers[0].startswith("Do not send 422.")  # names the code itself: no label
    assert servers[0].count("422") == 1
    assert servers[1].startswith("Send 452 when")
    senders = repo.compare("211", "452").for_senders
    assert [text[:7] for text in senders] == ["On 211:", "On 452:"]  # a situation: always named


def test_only_of_these_two_answers_help(repo: Repository) -> None:
    """RFC 5321 §4.3.2: 211 and 214 both answer HELP; the comparison speaks of its two codes."""
    for lang, wanted in (("en", "of these two, only 211 answers HELP"), ("tr", "bu ikisinden")):
        repo.show_in(lang)
        i18n.use(lang)
        commands = repo.compare("211", "452").key_differences[4]
        assert wanted in commands, commands
        assert commands.count(wanted.split(",")[0]) == 1, commands  # said once, for the list
    assert "HELP için yalnızca 211" not in commands


def test_generated_sentences_read_right(repo: Repository) -> None:
    repo.show_in("de")
    i18n.use("de")
    retry = repo.compare("X.1.1", "5.1.2").key_differences[2]
    assert "nach X.1.1 je nach Klasse" in retry  # was "nach X.1.1 hängt …": no subject
    assert "onunla birlikte" not in _summary(repo, "tr", "2.0.0", "5.0.0")
    korean = _summary(repo, "ko", "211", "452")
    sentences = [part for part in re.split(r"(?<=\.)\s+", korean) if part]
    assert all(part.endswith("다.") for part in sentences), sentences  # one polite style


def test_citations_and_labels_use_the_catalogue_separators(repo: Repository) -> None:
    arabic = _render(repo, "ar", "452")
    label = i18n.catalogue("ar").text("label.references")
    references = next(line for line in arabic.splitlines() if line.strip().startswith(label))
    assert ";" not in references and "؛" in references and "، §" in references
    japanese = _render(repo, "ja", "452")
    assert f"{i18n.catalogue('ja').text('label.retry')}：" in japanese
    assert f"{i18n.catalogue('ja').text('label.sender')}: " not in japanese


def test_the_arabic_dual_is_a_dual() -> None:
    arabic = i18n.catalogue("ar")
    assert arabic.plural("view.all", 2) == "رمزان"
    assert arabic.plural("explain.found", 2) == "(عُثر على رمزين)"
    assert all("من ال" not in arabic.plural(key, 2) for key in ("view.basic", "view.enhanced"))


# ---------------------------------------------------------------------- translated prose


def _citations(text: str) -> list[str]:
    return sorted(re.findall(r"RFC [0-9]+|§[0-9.]*[0-9]", text))


def test_every_code_has_turkish_prose(repo: Repository) -> None:
    """All 38 standard reply codes (the issue's minimum), and beyond it every other code too."""
    repo.show_in("tr")
    i18n.use("tr")
    standard = [code for code in repo if isinstance(code, ReplyCode) and code.standard]
    assert len(standard) >= 38
    for code in repo:
        assert code.untranslated == (), code.code
        assert english_note(code) == ""


def test_turkish_prose_keeps_every_citation(repo: Repository) -> None:
    table = repo.translations["tr"]
    english = {code.code: code for code in repo}
    for code, fields in table.items():
        for name, text in fields.items():
            assert _citations(text) == _citations(getattr(english[code], name)), (code, name)


def test_untranslated_codes_say_so_once(repo: Repository) -> None:
    """German has an interface but no prose of codes yet: one note, not a mark on every field."""
    repo.show_in("de")
    i18n.use("de")
    text = markdown(code_document(repo.get("5.1.1")))
    note = i18n.catalogue("de").text("code.english_only")
    assert text.count(note) == 1
    assert i18n.catalogue("de").text("code.field_in_english") not in text


@pytest.mark.parametrize(
    ("lang", "phrase"),
    [
        ("de", "ins Deutsche"),
        ("es", "al español"),
        ("pt", "para o português"),
        ("ru", "на русский язык"),
        ("vi", "sang tiếng Việt"),
        ("id", "ke bahasa Indonesia"),
        ("ja", "日本語に訳されていない"),
        ("ko", "한국어로"),
        ("zh-Hans", "译成中文"),
        ("ar", "إلى العربية"),
        ("hi", "हिंदी में"),
        ("th", "เป็นภาษาไทย"),
    ],
)
def test_the_english_only_notice_is_written_per_language(
    repo: Repository, lang: str, phrase: str
) -> None:
    """One sentence each, naming the language as a native would, not a template around its
    name ("para el idioma Español", "in der Sprache Deutsch", "на язык «Русский»")."""
    repo.show_in(lang)
    i18n.use(lang)
    note = english_note(repo.get("5.1.1"))
    assert phrase in note, note
    for calque in ("idioma Español", "idioma Português", "Sprache Deutsch", "язык «", "Tiếng Việt"):
        assert calque not in note


TURKISH_TERMS = {
    r"\btransactions?\b": "posta aktarım",
    r"\bbounc": "geri dön",
    r"\bspool": "biriktirme alanı",
}
"""One Turkish term for each English one: a transaction is a "posta aktarımı" (SMTP is the
Basit Posta Aktarım Protokolü; "işlem" already means action), a bounce a "geri dönen ileti",
the spool the "biriktirme alanı"."""


def _turkish_texts(repo: Repository) -> list[str]:
    catalogue = i18n.Catalogue.read("tr").messages.values()
    texts = [" ".join(v.values()) if isinstance(v, dict) else v for v in catalogue]
    return texts + [text for fields in repo.translations["tr"].values() for text in fields.values()]


def test_turkish_uses_one_term_for_each_mail_concept(repo: Repository) -> None:
    english = {code.code: code for code in repo}
    for code, fields in repo.translations["tr"].items():
        for name, text in fields.items():
            for pattern, term in TURKISH_TERMS.items():
                if re.search(pattern, getattr(english[code], name), re.IGNORECASE):
                    assert term in text.lower(), (code, name, term, text)
    calques = (
        "teslim edilemedi bildirimi",  # the bounce, under a second name
        "geri çevirmek (bounce)",  # "reject", where the bounce message is meant
        "geri dönüş (bounce)",
        "kuyruk dizini (spool)",
        "işlemde (transaction)",
        "kodundan sonra evet",
        "isteğe başla",
        "verinin sonundan sonra",
        "isteneni üstlen",
    )
    found = [(c, t[:60]) for t in _turkish_texts(repo) for c in calques if c in t]
    assert found == []


def test_turkish_452_says_the_sending_server_must_not_bounce(repo: Repository) -> None:
    repo.show_in("tr")
    i18n.use("tr")
    fix = repo.get("452").fix_admin
    assert "geri dönen ileti (bounce) üretmek yerine" in fix and "geri çevir" not in fix
    retry = repo.compare("211", "452").key_differences[2]
    assert "452 için evet, istemci" in retry  # was "452 kodundan sonra evet:"


def _data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(data_dir(), target)
    return target


def test_a_partial_translation_marks_each_english_field(tmp_path: Path, repo: Repository) -> None:
    data = _data_copy(tmp_path)
    folder = data / "translations" / "de"
    folder.mkdir()
    (folder / "x.toml").write_text('[[code]]\ncode = "452"\nname = "Zu wenig Speicher"\n', "utf-8")
    mine = load(data, user_codes=None)
    mine.show_in("de")
    i18n.use("de")
    code = mine.get("452")
    assert code.name == "Zu wenig Speicher"
    assert set(code.untranslated) == set(PROSE_FIELDS["basic"]) - {"name", "origin", "retry_line"}
    copied = markdown(code_document(code))
    mark = i18n.catalogue("de").text("code.field_in_english")
    assert copied.count(mark) == len(code.untranslated)
    assert english_note(code) == ""
    mine.show_in("en")
    i18n.use("en")
    assert mine.get("452").name != "Zu wenig Speicher"


@pytest.mark.parametrize(
    ("folder", "content", "expected"),
    [
        (
            "de",
            '[[code]]\ncode = "999"\nname = "x"\n',
            "x.toml:1: entry 999: field 'code': no",
        ),
        ("de", '[[code]]\ncode = "452"\nnmae = "x"\n', "x.toml:1: entry 452: field 'nmae': cannot"),
        ("de", '[[code]]\ncode = "452"\nname = ""\n', "field 'name': must be non-empty text"),
        ("de", '[[code]]\ncode = "X.1.1"\nserver_guidance = "x"\n', "field 'server_guidance'"),
        ("fr", '[[code]]\ncode = "452"\nname = "x"\n', "fr: not a language smtp-tui has"),
        ("de", '[[code]]\ncode = "452"\nname = "x"\n[[code]]\ncode = "452"\nname = "y"\n', "twice"),
        ("de", "code = [", "TOML syntax"),
    ],
)
def test_bad_translation_files_are_one_line_errors(
    tmp_path: Path, folder: str, content: str, expected: str
) -> None:
    data = _data_copy(tmp_path)
    (data / "translations" / folder).mkdir()
    (data / "translations" / folder / "x.toml").write_text(content, "utf-8")
    with pytest.raises(DataError) as caught:
        load(data, user_codes=None)
    message = str(caught.value)
    assert expected in message and "\n" not in message


def test_searching_finds_codes_by_their_translated_words(repo: Repository) -> None:
    assert "452" in [code.code for code in repo.search("depolama")]


# ----------------------------------------------------------------------------------- CLI


def test_lang_option_environment_and_locale() -> None:
    turkish = run("show", "452", "--lang", "tr")
    assert turkish.returncode == 0 and "\nAçıklama\n" in turkish.stdout
    assert "\nBeschreibung\n" in run("--lang=de", "show", "452").stdout
    assert "\nBeschreibung\n" in run("show", "452", env={"SMTP_TUI_LANG": "de"}).stdout
    assert "\n説明\n" in run("show", "452", env={"LANG": "ja_JP.UTF-8"}).stdout
    assert "\nAçıklama\n" in run("show", "452", "--lang", "tr", env={"SMTP_TUI_LANG": "de"}).stdout


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("show", "452", "--lang", "xx"), "unknown language 'xx'; choose one of"),
        (("show", "452", "--lang"), "--lang needs a language"),
        (("--lang", "\x1b[2J"), "unknown language '\\x1b[2J'"),
    ],
)
def test_bad_languages_are_one_line_errors(args: tuple[str, ...], expected: str) -> None:
    result = run(*args)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and expected in result.stderr, result.stderr


def test_help_and_errors_are_translated() -> None:
    german = i18n.catalogue("de")
    help_text = run("compare", "--help", "--lang", "de").stdout
    assert help_text.startswith(german.text("cli.usage") + "smtp-tui compare")
    assert german.text("cli.help.json") in help_text
    assert help_text.count(i18n.catalogue("de").text("cli.options") + ":") == 1
    error = run("show", "999", "--lang", "tr")
    assert error.returncode == 2 and "999" in error.stderr
    assert i18n.catalogue("tr").text("error.unknown_code", code="999") in error.stderr


def test_json_says_which_language(tmp_path: Path) -> None:
    import json

    data = json.loads(run("show", "452", "--json", "--lang", "tr").stdout)
    assert data["language"] == "tr" and data["untranslated"] == []
    assert data["class_name"] == i18n.catalogue("tr").text("class.4.title")


# ------------------------------------------------------------------------------- browser


async def test_the_palette_switches_language_and_it_is_remembered(
    repo: Repository, _private_config: Path
) -> None:
    app = SmtpTuiApp(repo, codes=("211", "452"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        from smtp_tui.tui.screens.palette import LanguageCommands

        hits = [hit async for hit in LanguageCommands(app.screen).search("türkçe")]
        assert len(hits) == 1
        hits[0].command()
        await pilot.pause()
        assert i18n.current() == "tr"
        text = "\n".join(str(s.content) for s in app.screen.query_one(ComparePane).query("Static"))
        assert "Temel Farklar" in text and "Key differences" not in text
        bar = str(app.screen.query_one(KeyBar).content)
        assert i18n.catalogue("tr").text("binding.help") in bar
    saved, problem = load_settings(_private_config)
    assert problem is None and saved.language == "tr"


@pytest.mark.parametrize("lang", ["ja", "zh-Hans", "ko", "th", "ar", "hi"])
async def test_wide_and_rtl_text_keeps_the_layout_at_80x24(repo: Repository, lang: str) -> None:
    repo.show_in(lang)
    i18n.use(lang)
    app = SmtpTuiApp(repo, codes=("211", "452"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MainScreen) and screen.comparison is not None
        bar = screen.query_one(KeyBar)
        assert bar.region.height == 1 and bar.region.width == 80
        assert cell_len(str(bar.content)) <= 80 + 40  # cut with an ellipsis, never wrapped
        pane = screen.query_one(ComparePane)
        assert pane.region.right <= 80 and pane.region.height > 10
        for static in pane.query("Static"):
            assert static.region.right <= 80
        await pilot.press("escape")
        await pilot.pause()
        assert screen.comparison is None
        await pilot.press("f1")
        await pilot.pause()
        assert app.screen is not screen  # the help opens in this language too


def test_no_catalogue_line_uses_a_tab_or_control_character() -> None:
    for lang in i18n.LANGUAGES:
        for key, value in i18n.Catalogue.read(lang).messages.items():
            for text in value.values() if isinstance(value, dict) else [value]:
                bad = [c for c in text if not c.isprintable() and c != "\n"]
                assert not bad, (lang, key, bad)
                i18n.fields_of(text)  # raises ValueError on a broken brace


def test_the_saved_language_is_used_after_the_environment(_private_config: Path) -> None:
    _private_config.mkdir(parents=True)
    (_private_config / "settings.toml").write_text('language = "de"\n', "utf-8")
    env = {"SMTP_TUI_CONFIG_DIR": str(_private_config), "LANG": "ja_JP.UTF-8"}
    assert "\nBeschreibung\n" in run("show", "452", env=env).stdout
    assert "\nAçıklama\n" in run("show", "452", env={**env, "SMTP_TUI_LANG": "tr"}).stdout


def test_serve_passes_the_language_to_every_tab() -> None:
    import shlex

    from smtp_tui.web.serve import app_command

    assert app_command().endswith("-m smtp_tui")
    assert shlex.split(app_command("tr"))[-2:] == ["--lang", "tr"]
    assert shlex.split(app_command("x; rm -rf /"))[-1] == "x; rm -rf /"  # quoted, never run


def test_argparse_errors_come_from_the_catalogue() -> None:
    german = i18n.catalogue("de").text("cli.argparse.required") % "second"
    result = run("compare", "452", "--lang", "de")
    assert result.returncode == 2 and german in result.stderr
    assert result.stderr.count("\n") == 1


def test_catalogue_cache_is_read_back_and_follows_the_file(tmp_path: Path) -> None:
    """The parsed catalogue is cached (lookups skip tomllib); an edited catalogue is read afresh."""
    folder = tmp_path / "locales"
    folder.mkdir()
    source = folder / "en.toml"
    source.write_text('[heading]\ndescription = "First"\n', encoding="utf-8")
    assert i18n.Catalogue.read("en", folder).text("heading.description") == "First"
    cached = i18n._cache_file("en", source)
    assert cached is not None and cached.is_file()
    cached.write_bytes(marshal.dumps({"heading.description": "From the cache"}))
    assert i18n.Catalogue.read("en", folder).text("heading.description") == "From the cache"
    source.write_text('[heading]\ndescription = "Second, longer"\n', encoding="utf-8")
    assert i18n.Catalogue.read("en", folder).text("heading.description") == "Second, longer"
    assert not cached.exists()  # the earlier version's cache is removed, not left to pile up
    fresh = i18n._cache_file("en", source)
    assert fresh is not None
    fresh.write_bytes(b"\x00 damaged")
    assert i18n.Catalogue.read("en", folder).text("heading.description") == "Second, longer"


def test_catalogue_cache_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMTP_TUI_CACHE", "0")
    folder = tmp_path / "locales"
    folder.mkdir()
    (folder / "en.toml").write_text('[heading]\ndescription = "First"\n', encoding="utf-8")
    assert i18n.Catalogue.read("en", folder).text("heading.description") == "First"
    assert not list(Path(os.environ["XDG_CACHE_HOME"]).rglob("locale-*"))
