"""Template profiles: what one family of papers prints, kept as data so that the reader's own rules stay general.

Every council publishes through a template (ModernGov's report cover, a county's agenda front sheet, Legistar's
agenda) and every template prints its own furniture: a running header on each page of its minutes, a conduct
notice before the agenda, the labels of its cover sheet, the officer who signs the summons, the words its trackers
use for where an action stands. None of that is true of papers in general, so none of it is written into the
reader: each family is a TOML file in `ingest/profiles/` (read with the standard library's `tomllib`), and a file is
read with the profile whose `matches` it matches most, else with `default`. Adding a council's templates is adding
a file; the files are part of the reader's version (`ingest/pipeline.py`), so papers are read again when one
changes.

Patterns are Python regular expressions, case-sensitive unless they start with `(?i)`: `matches` are searched in a
file's whole text as read (`^` and `$` at each line's ends), the others in one line at a time.
Every profile adds to `default` and to the profiles it `extends`: their lists are joined, a cover label set here
wins over theirs.

`recommendation_opens` and `recommendation_ends` say where an agenda that prints each item's requested action (a
Legistar agenda's "SUBJECT: …" over "APPROVE …") has one start and stop; each is a `recommended` decision
(`ingest/decisions.py`), as a report's "Recommendations" are.

`[actions]` says how a family prints actions (read by `ingest/actions.py`): `opens`, the words that open one action
where a cell of its action sheet holds several ("Decision Made:"); `status`, the words that open the line saying
where an action stands ("Action – Officers aware", "Actioned."); `flags`, what minutes print after a sentence to
flag it as an action ("ACTION – add to the action sheet"); and `[actions.columns]`, the words a tracker's column
headings start with, by what the column holds (`action`, `owner`, `deadline`, `status`, `progress`).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from ingest.model import Line

PROFILES_DIR = Path(__file__).with_name("profiles")
DEFAULT = "default"
_PATTERN_LISTS = ("matches", "running_headers", "minutes_headers", "boilerplate", "signature", "reference",
                  "agenda_closing", "agenda_ends", "recommendation_opens", "recommendation_ends")
_COVER_LABELS = ("opens", "meeting_date", "status")
_KEYS = frozenset({"description", "extends", *_PATTERN_LISTS, "cover", "status_words", "done_words", "rag_key",
                   "figure_columns",
                   "actions"})
FIGURE_ROLES = ("measure", "value", "previous", "target", "comparator", "rag", "trend")
_ACTION_PATTERNS = ("opens", "status", "flags")
ACTION_COLUMNS = ("action", "owner", "deadline", "status", "progress", "minute", "item")


class ProfileError(ValueError):
    """A profile file that cannot be used: the message names the file and what is wrong."""


@dataclass(frozen=True)
class Cover:
    """The labels of a report's cover sheet: the row that opens it and the rows the reader uses."""

    opens: tuple[str, ...] = ()  # "Report subject": the label of the row that opens a cover, its value the title
    meeting_date: str = ""  # the row giving the meeting the report is written for
    status: str = ""  # the row saying whether the report is public or exempt


@dataclass(frozen=True)
class Actions:
    """How a family prints actions: on its action sheets, in its trackers' headings, as flags in its minutes."""

    opens: tuple[re.Pattern[str], ...] = ()  # opens one action in a cell that holds several ("Decision Made:")
    status: tuple[re.Pattern[str], ...] = ()  # opens the line saying where an action stands ("Actioned.")
    flags: tuple[re.Pattern[str], ...] = ()  # printed after a sentence of minutes that is an action ("ACTION.")
    columns: dict[str, tuple[str, ...]] = field(default_factory=dict)  # role -> first words of its headings


@dataclass(frozen=True)
class Profile:
    """One family of templates, with what it inherits already joined in."""

    name: str
    description: str = ""
    lineage: tuple[str, ...] = ()  # the profiles it adds to, nearest last; `default` first
    matches: tuple[re.Pattern[str], ...] = ()  # signs that a file is of this family
    running_headers: tuple[re.Pattern[str], ...] = ()  # printed at the end of a line, or as a line, on each page
    minutes_headers: tuple[re.Pattern[str], ...] = ()  # a whole line inside minutes that heads a new page
    boilerplate: tuple[re.Pattern[str], ...] = ()  # the first line of standing text between front sheet and agenda
    signature: tuple[re.Pattern[str], ...] = ()  # the line that signs the summons: the date under it is publication
    reference: tuple[re.Pattern[str], ...] = ()  # the meeting's id in the publisher's system, as the pattern's group 1
    agenda_closing: tuple[re.Pattern[str], ...] = ()  # the last line of the agenda list (kept in it)
    agenda_ends: tuple[re.Pattern[str], ...] = ()  # a heading after which the agenda list is over
    # the line that opens an item's requested action on an agenda ("SUBJECT: …" over "AUTHORIZE the CEO to …"),
    # which runs to the line that ends it (the item's file number, its attachments) or the next that opens one
    recommendation_opens: tuple[re.Pattern[str], ...] = ()
    recommendation_ends: tuple[re.Pattern[str], ...] = ()
    cover: Cover = field(default_factory=Cover)
    status_words: tuple[str, ...] = ()  # where an action stands, as its trackers say it; a RAG key's labels too
    done_words: tuple[str, ...] = ()  # the status words that say an action needs nothing more ("actioned")
    rag_key: dict[str, str] = field(default_factory=dict)  # label -> what the key says it means
    # KPI table headers by the role of their column (FIGURE_ROLES): "KPI" names the measure, "Target" its target
    figure_columns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    actions: Actions = field(default_factory=Actions)

    def strip_running_header(self, text: str) -> str:
        """The line without the running header the template printed at its end ("" when that was all of it)."""
        for pattern in self.running_headers:
            stripped = pattern.sub("", text)
            if stripped != text:
                text = stripped.rstrip()  # only then: a table row's trailing tabs are its empty cells
        return text

    def is_minutes_header(self, text: str) -> bool:
        return any(pattern.match(text) for pattern in self.minutes_headers)

    def opens_boilerplate(self, text: str) -> bool:
        return any(pattern.match(text) for pattern in self.boilerplate)

    def signs(self, text: str) -> bool:
        return any(pattern.search(text) for pattern in self.signature)

    def meeting_reference(self, text: str) -> str | None:
        found = next((match for pattern in self.reference if (match := pattern.search(text))), None)
        return found.group(1) if found else None

    def opens_recommendation(self, text: str) -> bool:
        return any(pattern.search(text) for pattern in self.recommendation_opens)

    def ends_recommendation(self, text: str) -> bool:
        return any(pattern.search(text) for pattern in self.recommendation_ends)

    def closes_agenda(self, text: str) -> bool:
        return any(pattern.match(text) for pattern in self.agenda_closing)

    def ends_agenda(self, text: str) -> bool:
        return self.closes_agenda(text) or any(pattern.match(text) for pattern in self.agenda_ends)

    @cached_property
    def _cover_rows(self) -> tuple[re.Pattern[str], ...]:
        return tuple(re.compile(rf"\s*{re.escape(label)}\s*\t\s*(.+?)\s*$") for label in self.cover.opens)

    def cover_title(self, text: str) -> str | None:
        """The title a cover's opening row gives ("Report subject<TAB>Title"), or None when the line opens none."""
        found = next((match for row in self._cover_rows if (match := row.match(text))), None)
        return found.group(1) if found else None

    def score(self, text: str) -> int:
        """How many of its signs a file's text as read (its lines joined) shows."""
        return sum(bool(pattern.search(text)) for pattern in self.matches)


@dataclass(frozen=True)
class Profiles:
    """The profiles loaded, by name; `pick` chooses one for a file."""

    by_name: dict[str, Profile]

    def __getitem__(self, name: str) -> Profile:
        return self.by_name[name]

    def pick(self, lines: Iterable[Line]) -> Profile:
        """The profile whose signs the file shows most (a tie goes to the more specific one), else `default`."""
        text = "\n".join(line.text for line in lines)
        best, best_key = self.by_name[DEFAULT], (0, 0, "")
        for profile in self.by_name.values():
            key = (profile.score(text), len(profile.lineage), profile.name)
            if key[0] > 0 and key > best_key:
                best, best_key = profile, key
        return best

    @property
    def status_words(self) -> tuple[str, ...]:
        """Every profile's status words, general ones first: retrieval does not know which template a unit came
        from, so a word any template uses for a status is a status word."""
        words = (word for profile in self.by_name.values() for word in profile.status_words)
        return tuple(dict.fromkeys(word.lower() for word in words))

    @property
    def done_words(self) -> tuple[str, ...]:
        """Every profile's words for a finished action, general ones first (as `status_words`)."""
        return tuple(dict.fromkeys(word.lower() for profile in self.by_name.values() for word in profile.done_words))

    @property
    def figure_columns(self) -> dict[str, tuple[str, ...]]:
        """Every profile's KPI column headers by role: a paper's chunks do not say which template printed them,
        so a header any template gives a role has it."""
        return {role: tuple(dict.fromkeys(name.lower() for profile in self.by_name.values()
                                          for name in profile.figure_columns.get(role, ())))
                for role in FIGURE_ROLES}


def load_profiles(*folders: Path) -> Profiles:
    """Every `*.toml` in the folders (a later folder's file replaces an earlier one of the same name); one of them
    must be `default`. Raises ProfileError naming the file for an unknown key, a bad pattern or a missing parent."""
    raw: dict[str, tuple[Path, dict]] = {}
    for folder in folders:
        for path in sorted(Path(folder).glob("*.toml")):
            try:
                data = tomllib.loads(path.read_text(encoding="utf-8"))
            except tomllib.TOMLDecodeError as error:
                raise ProfileError(f"{path}: not valid TOML ({error})") from None
            unknown = set(data) - _KEYS
            if unknown:
                raise ProfileError(f"{path}: unknown keys {sorted(unknown)}; a profile may have {sorted(_KEYS)}")
            raw[path.stem] = (path, data)
    if DEFAULT not in raw:
        raise ProfileError(f"no {DEFAULT}.toml among the profiles in {', '.join(map(str, folders))}")
    resolved: dict[str, Profile] = {}
    for name in raw:
        _resolve(name, raw, resolved, ())
    return Profiles(resolved)


@lru_cache
def shipped_profiles() -> Profiles:
    """The profiles kept with the reader, in `ingest/profiles/`."""
    return load_profiles(PROFILES_DIR)


def pick(lines: Iterable[Line], profiles: Profiles | None = None) -> Profile:
    """The profile a file is read with (from the shipped profiles unless others are given)."""
    return (profiles or shipped_profiles()).pick(lines)


def done_words(profiles: Profiles | None = None) -> tuple[str, ...]:
    """The status words that say an action is finished, from every profile."""
    return (profiles or shipped_profiles()).done_words


def status_words(profiles: Profiles | None = None) -> tuple[str, ...]:
    """The one status vocabulary: the general words of `default` and the words every template adds."""
    return (profiles or shipped_profiles()).status_words


@lru_cache
def rag_words() -> frozenset[str]:
    """Every shipped profile's RAG key labels, lower case ("green", "on track")."""
    return frozenset(label.lower() for profile in shipped_profiles().by_name.values() for label in profile.rag_key)


def figure_columns(profiles: Profiles | None = None) -> dict[str, tuple[str, ...]]:
    """KPI column headers by role, lower case: `default`'s general ones and every template's own."""
    return (profiles or shipped_profiles()).figure_columns


def _resolve(name: str, raw: dict[str, tuple[Path, dict]], resolved: dict[str, Profile],
             seen: tuple[str, ...]) -> Profile:
    if name in resolved:
        return resolved[name]
    path, data = raw[name]
    if name in seen:
        raise ProfileError(f"{path}: `extends` goes round in a circle ({' -> '.join((*seen, name))})")
    extends = data.get("extends", [])
    parents = [extends] if isinstance(extends, str) else list(extends)
    if name != DEFAULT:
        parents = [DEFAULT, *(parent for parent in parents if parent != DEFAULT)]
    for parent in parents:
        if parent not in raw:
            raise ProfileError(f"{path}: extends unknown profile {parent!r}; choose from {sorted(raw)}")
    inherited = [_resolve(parent, raw, resolved, (*seen, name)) for parent in parents]
    values: dict = {"name": name, "description": str(data.get("description", "")).strip()}
    values["lineage"] = tuple(dict.fromkeys(n for p in inherited for n in (*p.lineage, p.name)))
    for key in _PATTERN_LISTS:
        own = tuple(_compile(path, key, pattern) for pattern in _strings(path, data, key))
        values[key] = tuple(dict.fromkeys((*(p for parent in inherited for p in getattr(parent, key)), *own)))
    cover = dict(data.get("cover", {}))
    if set(cover) - set(_COVER_LABELS):
        raise ProfileError(f"{path}: unknown cover labels {sorted(set(cover) - set(_COVER_LABELS))}; "
                           f"a cover may name {list(_COVER_LABELS)}")
    opens = cover.get("opens", [])
    cover["opens"] = tuple([opens] if isinstance(opens, str) else opens)
    merged = {label: getattr(parent.cover, label) for parent in inherited for label in _COVER_LABELS
              if getattr(parent.cover, label)}
    values["cover"] = Cover(**{**merged, **{label: value for label, value in cover.items() if value}})
    rag_key = {str(label): str(meaning) for label, meaning in data.get("rag_key", {}).items()}
    values["rag_key"] = {**{k: v for parent in inherited for k, v in parent.rag_key.items()}, **rag_key}
    words = (*_strings(path, data, "status_words"), *rag_key)
    values["status_words"] = tuple(dict.fromkeys(
        (*(w for parent in inherited for w in parent.status_words), *(w.lower() for w in words))))
    values["done_words"] = tuple(dict.fromkeys(
        (*(w for parent in inherited for w in parent.done_words), *(w.lower() for w in _strings(path, data,
                                                                                            "done_words")))))
    values["figure_columns"] = _figure_columns(path, data.get("figure_columns", {}), inherited)
    values["actions"] = _actions(path, data.get("actions", {}), [parent.actions for parent in inherited])
    profile = Profile(**values)
    resolved[name] = profile
    return profile


def _figure_columns(path: Path, data: dict, inherited: list[Profile]) -> dict[str, tuple[str, ...]]:
    unknown = set(data) - set(FIGURE_ROLES)
    if unknown:
        raise ProfileError(f"{path}: unknown figure column roles {sorted(unknown)}; choose from {list(FIGURE_ROLES)}")
    columns = {}
    for role in FIGURE_ROLES:
        own = _strings(path, data, role)
        names = (*(name for parent in inherited for name in parent.figure_columns.get(role, ())), *own)
        columns[role] = tuple(dict.fromkeys(names))
    return columns


def _actions(path: Path, data: dict, inherited: list[Actions]) -> Actions:
    """The `[actions]` table joined to what the parents say."""
    unknown = set(data) - {*_ACTION_PATTERNS, "columns"}
    if unknown:
        raise ProfileError(f"{path}: unknown keys {sorted(unknown)} in [actions]; it may have "
                           f"{[*_ACTION_PATTERNS, 'columns']}")
    patterns = {
        key: tuple(dict.fromkeys((*(p for parent in inherited for p in getattr(parent, key)),
                                  *(_compile(path, key, s) for s in _strings(path, data, key, f"actions.{key}")))))
        for key in _ACTION_PATTERNS
    }
    columns = data.get("columns", {})
    if set(columns) - set(ACTION_COLUMNS):
        raise ProfileError(f"{path}: unknown columns {sorted(set(columns) - set(ACTION_COLUMNS))} in "
                           f"[actions.columns]; a column may hold {list(ACTION_COLUMNS)}")
    words = {
        role: tuple(dict.fromkeys((*(w for parent in inherited for w in parent.columns.get(role, ())),
                                   *(w.lower() for w in _strings(path, columns, role, f"actions.columns.{role}")))))
        for role in ACTION_COLUMNS
    }
    return Actions(**patterns, columns={role: found for role, found in words.items() if found})


def _strings(path: Path, data: dict, key: str, name: str = "") -> list[str]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ProfileError(f"{path}: `{name or key}` must be a list of strings")
    return value


def _compile(path: Path, key: str, pattern: str) -> re.Pattern[str]:
    try:
        compiled = re.compile(pattern, re.MULTILINE if key == "matches" else 0)
    except re.error as error:
        raise ProfileError(f"{path}: `{key}` pattern {pattern!r} is not a regular expression ({error})") from None
    if key == "reference" and not compiled.groups:
        raise ProfileError(f"{path}: `reference` pattern {pattern!r} needs a group around the reference")
    return compiled

