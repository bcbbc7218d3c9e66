"""Decisions: what minutes record as decided, with the vote when one is printed, and what a report recommends.

Minutes print a decision in a few set forms, whatever the council: "RESOLVED that …" (or "RESOLVED –", "RESOLVED
to …", "RESOLVED that:" over a lettered list), "RECOMMENDED that …", "It was Proposed, Seconded and …", "It was
agreed …", "The minutes … were confirmed", a bare "The action sheet was noted.", or a motion "That …" closed by
"Carried.". A vote follows on its own line ("Voting: For – 8 Against – 1"). Each is one `decision` record whose
`decision` field says what kind: resolved, recommended, agreed, noted (a resolution that only notes), deferred or
public_excluded. A report's recommendations to the body it is written for (its cover's "Recommendations" row, or a
"Recommendation(s):" heading), and the action an agenda asks of the body for each item where its template prints
one (the profile's `recommendation_opens` and `_ends`: a Legistar agenda's "SUBJECT: …" over "APPROVE …"), are
`recommended` records.
"""

from __future__ import annotations

import re

from ingest.model import Line as FileLine
from ingest.model import Paper
from ingest.paragraphs import Line, Paragraph, lines, paragraphs
from ingest.profiles import Profile, Profiles, pick
from ingest.records import DECISION, Record

MINUTES = ("minutes", "web_minutes")
REPORTS = ("report", "document")
_READ = ("minute", "prose")  # public questions and table rows are what others said and measured, not decisions

_FORMAL = re.compile(r"\b(RESOLVED|RECOMMENDED)\b|^(Resolved|Recommended)\b(?=\s*(?:that\b|to\b|:|[-–—]|$))")
_AGREED_WORD = re.compile(r"^(?:AGREED|DECIDED)\b|^(?:Agreed|Decided)\s*(?::|[-–—]|that\b)")
_MOTION = re.compile(r"\bit was (?:duly )?(?:proposed|moved)\b", re.IGNORECASE)
_AGREED = re.compile(r"(?:^|[.;]\s+|\band\s+)it was (?:unanimously |also |further |then )?(?:agreed|decided)\b",
                     re.IGNORECASE)
# What "it was agreed" goes on to say: something to be done ("that the scope be considered", "to add", "it would
# be circulated"), or a view the meeting shared ("that children should be placed close to home"), which is no decision.
_AGREED_VERB = re.compile(r"\b(be|would|will|to|should|could|was|were|is|are|had)\b", re.IGNORECASE)
_BODY_AGREED = re.compile(
    r"(?:^|\.\s+)The (?:working group|group|committee|sub-committee|panel|board|cabinet|council|commission|forum)"
    r" (?:unanimously |also |then )?(?:agreed|decided|resolved)(?: (?:to|that)\b|\s*:)", re.IGNORECASE)
# "The minutes … were confirmed", "Cllr Burton was elected as Chair": the subject first, then what was done to it.
_PASSIVE = re.compile(r"^(?!It\b)(?:\S+ ){1,16}?(?<!\bit )(?<!\bwhich )(?<!\bthat )(?:was|were) (?:duly |unanimously )?"
                      r"(?:agreed|confirmed|approved|adopted|endorsed|accepted|deferred|elected|appointed)\b")
_NOTED = re.compile(r"^(?!It\b)[^.]{3,150}? (?:was|were) noted\.?$|^Noted(?: and \w+)?\.?$")
_BARE = re.compile(r"^(?:Agreed|Approved|Accepted|Deferred)(?: and \w+)?\.?$")
_THAT = re.compile(r"^THAT\b|^That\s")
_CARRIED = re.compile(r"\b(?:CARRIED|Carried)\b")
_MOTION_NUMBER = re.compile(r"(?:^|\s)(?:No\.?\s*)?([A-Z]{0,3}\d{2,4}[-/]\d{1,4})\b[^:]{0,80}:$")
_EXCLUDED = re.compile(
    r"\b(?:public|press)(?: and (?:the )?(?:press|public))? be excluded|\bexclude the (?:public|press)\b|"
    r"\bclosed to the public\b|\b(?:in|into) (?:closed|private|exempt) session\b", re.IGNORECASE)
_DEFERRED = re.compile(r"\bdefer(?:red|ral|s)?\b", re.IGNORECASE)
_OPENING = re.compile(r"^.*?\b(?:RESOLVED|Resolved)\b\s*(?:that\b|to\b|[-–—:])?\s*")
_NOTES = re.compile(r"^(?:that\s+|to\s+)?(?:[\w'’/ -]{0,80}?\s)?(?:notes?|noted)\b", re.IGNORECASE)
_MORE = re.compile(r",\s*and\b|\band that\b|;|\bbut\b|\band (?:agree|approve|endorse|request|ask|recommend|refer|"
                   r"delegate|adopt)s?\b", re.IGNORECASE)
_LEADS_IN = re.compile(r"(?::|\b(?:RESOLVED|RECOMMENDED)(?: that)?|\bthat)$")
_VOTE = re.compile(r"^\(?(?:Voting|Vote[sd]?|Result of (?:the )?vote)\b|^\(?(?:For|In favour|Ayes)\s*[-–:]",
                   re.IGNORECASE)
_VOTE_IN_TEXT = re.compile(r"\b(?:unanimously agreed|agreed unanimously|agreed by (?:a )?majority|"
                           r"(?:CARRIED|Carried) (?:unanimously|UNANIMOUSLY))\b")
_ABSTAIN = r"abst(?:ain(?:ed|ing|s)?|entions?)"
_LABEL_FIRST = {  # "For – 8 Against – 1", "Ayes: 5 Noes: 2"
    "for": re.compile(r"\b(?:For|In favour|Ayes)\b\s*[-–:]?\s*(\d+)", re.IGNORECASE),
    "against": re.compile(r"\b(?:Against|Noes|Nays)\b\s*[-–:]?\s*(\d+)", re.IGNORECASE),
    "abstain": re.compile(rf"\b{_ABSTAIN}\b\s*[-–:]?\s*(\d+)", re.IGNORECASE),
}
_COUNT_FIRST = {  # "(7 for, 3 against, 1 abstention)"
    "for": re.compile(r"\b(\d+)\s+(?:votes\s+)?(?:for|in favour)\b", re.IGNORECASE),
    "against": re.compile(r"\b(\d+)\s+(?:votes\s+)?against\b", re.IGNORECASE),
    "abstain": re.compile(rf"\b(\d+)\s+{_ABSTAIN}\b", re.IGNORECASE),
}
_MARKER = re.compile(r"^\s*(?:[-•●▪◦]\s*|\d{1,2}[.)]\s+)")
_RECOMMENDATIONS_ROW = re.compile(r"^\s*Recommendations?(?:\s*\(s\))?\s*:?\s*\t\s*(.*?)\s*$", re.IGNORECASE)
_RECOMMENDATIONS_HEADING = re.compile(r"^\s*Recommendations?(?:\s*\(s\))?\s*:?\s*$", re.IGNORECASE)
_LABELLED_ROW = re.compile(r"^[^\t]*\S[^\t]*\t")
_SECTION_HEADING = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.?\s+[A-Z][^.]*$")


def extract(paper: Paper, profiles: Profiles | None = None) -> list[Record]:
    """Every decision the paper's minutes record and every recommendation its reports and agendas make, in the
    paper's order; an agenda's from the profile its text matches (of the shipped ones unless given)."""
    profile = pick((FileLine(chunk.text, number) for number, chunk in enumerate(paper.chunks)), profiles)
    found: list[Record] = []
    for number, document in enumerate(paper.documents):
        if document.kind in MINUTES:
            found += minuted(paragraphs(lines(paper, number, _READ)))
        elif document.kind in REPORTS:
            found += recommended(paper, number, profile)
    return found


def minuted(printed: list[Paragraph]) -> list[Record]:
    """The decisions in a set of minutes read as paragraphs, each with the vote printed after it."""
    found: list[Record] = []
    index = 0
    while index < len(printed):
        form = _form(printed, index)
        end = _end(printed, index) if form else None
        if form is None or end is None:  # no decision, or a lead-in to the resolution after it
            index += 1
            continue
        opening = printed[index]
        text = " ".join(" ".join([_MARKER.sub("", opening.text), *(p.text for p in printed[index + 1:end])]).split())
        vote = printed[end].text if end < len(printed) and _is_vote(printed[end], opening) else None
        fields: dict[str, str | int] = {"decision": _kind(form, _MARKER.sub("", opening.text))}
        number = _MOTION_NUMBER.search(printed[index - 1].text) if index and _THAT.match(opening.text) else None
        if number:
            fields["minute"] = number.group(1)
        found.append(Record(DECISION, opening.chunk, text, fields | _vote(vote or _in_text_vote(text))))
        index = end + (vote is not None)
    return found


def _form(printed: list[Paragraph], index: int) -> str | None:
    """The form of decision the paragraph opens (resolved, recommended, agreed, noted), or None."""
    paragraph = printed[index]
    text = _MARKER.sub("", paragraph.text)
    if paragraph.heading:
        return None
    if _FORMAL.search(text):
        return "resolved" if re.search(r"RESOLVED|^Resolved", text) else "recommended"
    if _AGREED_WORD.match(text) or _MOTION.search(text) or _BODY_AGREED.search(text) or _agreed_to_act(text):
        return "agreed"
    if _THAT.match(text) and _carried(printed, index) is not None:
        return "resolved"
    if paragraph.listed:  # a point of the discussion, not what the meeting decided
        return None
    if _NOTED.match(text):
        return "noted"
    return "agreed" if _PASSIVE.match(text) or _BARE.match(text) else None


def _agreed_to_act(text: str) -> bool:
    found = _AGREED.search(text)
    verb = _AGREED_VERB.search(text, found.end()) if found else None
    return verb is not None and verb.group(1).lower() in ("be", "would", "will", "to")


def _carried(printed: list[Paragraph], index: int) -> int | None:
    """The end of a motion ("That …") at the paragraph saying it was carried, within a few; None if none says so."""
    for end in range(index, min(index + 5, len(printed))):
        if printed[end].section != printed[index].section or (end > index and _THAT.match(printed[end].text)):
            return None
        if _CARRIED.search(printed[end].text):
            return end + 1
    return None


def _end(printed: list[Paragraph], index: int) -> int | None:
    """The paragraph after the decision's last: a motion runs to its "Carried", a decision ending "…that:" takes
    the list (or the one paragraph) after it; None when it only leads in to the resolution that follows."""
    paragraph = printed[index]
    text = _MARKER.sub("", paragraph.text).rstrip()
    if _THAT.match(text):
        return _carried(printed, index)
    if not _LEADS_IN.search(text):
        return index + 1
    end = index + 1
    following = printed[end] if end < len(printed) and printed[end].section == paragraph.section else None
    if following is None or _is_vote(following, paragraph):
        return end
    if _FORMAL.match(_MARKER.sub("", following.text)) and not _FORMAL.search(text):
        return None
    if not following.listed:
        return end + 1
    while end < len(printed) and printed[end].listed and printed[end].section == paragraph.section:
        end += 1
    return end


def _kind(form: str, opening: str) -> str:
    """The `decision` field: what the words decide, whatever form they take deciding it."""
    if _EXCLUDED.search(opening):
        return "public_excluded"
    if _DEFERRED.search(opening):
        return "deferred"
    if form == "resolved" and _only_notes(opening):
        return "noted"
    return form


def _only_notes(text: str) -> bool:
    """A resolution whose one clause notes something ("that the report be noted"), with nothing else decided."""
    body = _OPENING.sub("", text, count=1)
    return body != text and bool(_NOTES.match(body)) and not _MORE.search(body) and not text.endswith(":")


def _is_vote(candidate: Paragraph, decision: Paragraph) -> bool:
    return candidate.section == decision.section and bool(_VOTE.match(candidate.text))


def _in_text_vote(text: str) -> str | None:
    found = _VOTE_IN_TEXT.search(text)
    return found.group(0) if found else None


def _vote(printed: str | None) -> dict[str, str | int]:
    """The vote as printed, and its counts where it gives them; "unanimous" counts no one against."""
    if not printed:
        return {}
    vote: dict[str, str | int] = {"vote": printed}
    counts = _LABEL_FIRST if any(pattern.search(printed) for pattern in _LABEL_FIRST.values()) else _COUNT_FIRST
    for side, pattern in counts.items():
        found = pattern.search(printed)
        if found:
            vote[side] = int(found.group(1))
    if re.search(r"unanimous", printed, re.IGNORECASE):
        vote["against"] = 0
    return vote


def recommended(paper: Paper, document: int, profile: Profile) -> list[Record]:
    """A report's recommendations: its cover's "Recommendations" row (with the cells that continue it) or the
    paragraphs under a "Recommendation(s):" heading; each set once, however often the report repeats it. And each
    action an agenda asks for, where the template marks where one opens and ends."""
    found: dict[str, Record] = {}
    printed = lines(paper, document, ("cover", "table_rows", "prose"))
    for index, line in enumerate(printed):
        row = _RECOMMENDATIONS_ROW.match(line.text)
        if profile.opens_recommendation(line.text):
            parts = [line.text, *_asked(printed[index + 1:], line.section, profile)]
        elif row:
            parts = [row.group(1)]
            for after in printed[index + 1:]:
                if after.section != line.section or _LABELLED_ROW.match(after.text):
                    break
                parts.append(after.text.strip())
        elif _RECOMMENDATIONS_HEADING.match(line.text):
            parts = _under_heading(paragraphs(printed[index + 1:]), line.section)
        else:
            continue
        text = " ".join(" ".join(part.split()) for part in parts if part.strip())
        if text:  # the same recommendations printed twice (a summary, then the conclusions) are one record
            key = " ".join(re.findall(r"\w+", text.casefold()))
            found.setdefault(key, Record(DECISION, line.chunk, text, {"decision": "recommended"}))
    return list(found.values())


def _asked(following: list[Line], section: str, profile: Profile) -> list[str]:
    """The lines of an agenda item's requested action: to the line its template ends one with, the next item, or
    another section."""
    taken: list[str] = []
    for line in following:
        if line.section != section or profile.opens_recommendation(line.text) or profile.ends_recommendation(line.text):
            break
        taken.append(line.text.strip())
    return taken


def _under_heading(following: list[Paragraph], section: str) -> list[str]:
    """The paragraphs a "Recommendation(s):" heading opens: up to the next heading or label, or another section."""
    taken: list[str] = []
    for paragraph in following:
        text = paragraph.text
        short_label = text.endswith(":") and len(text.split()) <= 6 and not paragraph.listed
        if (paragraph.section != section or paragraph.heading or "\t" in text or _SECTION_HEADING.match(text)
                or (taken and short_label) or len(taken) >= 12):
            break
        taken.append(text)
    return taken
