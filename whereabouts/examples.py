"""The bundled example: the fall of the Assad government, December 2024.

:func:`assad_2024` builds a ledger holding every person, group, place, date,
source and claim of one news report (a Caliber.Az article relaying the
Financial Times, December 2024), plus the two statements of 8 December it
quotes. The facts are the report's; the wording and the grades are ours.

Grades are this example's own judgement: named outlets relaying a newspaper
are ``B`` (usually reliable); "reportedly" lowers credibility to ``3``;
anonymous witnesses are ``F`` (reliability cannot be judged); a Kremlin
source speaking through state media is ``C2``.

The article carries no date in our copy, so its claims are recorded as
reported during December 2024 (``2024-12``); the Russian Foreign Ministry's
statement and the Kremlin source's were both made public on 8 December 2024.

>>> ledger = assad_2024()
>>> print(ledger.last_known("Bashar al-Assad").headline)
Bashar al-Assad: in Moscow (RU), since 2024-12-08/..
"""

from __future__ import annotations

from whereabouts.entities import RelationKind
from whereabouts.ledger import Ledger
from whereabouts.observations import Kind
from whereabouts.places import Place
from whereabouts.sources import Source, SourceKind

__all__ = ["assad_2024"]

ARTICLE = "2024-12"
"""When the relaying article appeared: some day in December 2024."""


def assad_2024(ledger: Ledger | None = None) -> Ledger:
    """A ledger of the December 2024 report on where the Assad circle went."""
    ledger = Ledger() if ledger is None else ledger
    _people(ledger)
    _relations(ledger)
    _places(ledger)
    _claims(ledger)
    return ledger


def _people(ledger: Ledger) -> None:
    add = ledger.add_person
    add("Bashar al-Assad", id="bashar", description="President of Syria until 8 December 2024")
    add("Hafez al-Assad", id="hafez", description="Bashar al-Assad's eldest son")
    add("Asma al-Assad", id="asma", description="Bashar al-Assad's wife")
    add("Maher al-Assad", id="maher",
        description="Bashar's younger brother; commander of the Fourth Division")
    add("Bouthaina Shaaban", id="shaaban", aliases=["Buthaina Shaaban"],
        description="long-time adviser to Bashar al-Assad")
    add("Iyad Makhlouf", id="iyad",
        description="intelligence officer; Bashar al-Assad's cousin on his mother's side")
    add("Ihab Makhlouf", id="ihab", description="Iyad Makhlouf's twin brother")
    add("the Makhlouf twins' mother", id="makhlouf-mother", note="not named in the report")
    add("Rami Makhlouf", id="rami",
        description="once Syria's most powerful businessman; out of favour since 2020")
    add("Ali Mamlouk", id="mamlouk",
        description="senior adviser to Bashar al-Assad; former head of general intelligence")

    group = ledger.add_group
    group("Assad family", id="assad-family", members=["asma", "hafez"],
          note="the family said to have reached Moscow with Bashar; only these two are named")
    group("Assad's close allies and aides", id="aides", members=["shaaban"],
          note="those said to have joined the escape; Shaaban is the one named")
    group("senior military figures", id="military-figures", note="no one is named")
    group("loyalist families", id="loyalist-families", note="identities unclear")


def _relations(ledger: Ledger) -> None:
    relate = ledger.relate
    relate("hafez", RelationKind.CHILD, "bashar")
    relate("asma", RelationKind.SPOUSE, "bashar")
    relate("maher", RelationKind.SIBLING, "bashar", note="younger brother")
    relate("iyad", RelationKind.COUSIN, "bashar", note="maternal cousin")
    relate("ihab", RelationKind.COUSIN, "bashar", note="maternal cousin")
    relate("iyad", RelationKind.TWIN, "ihab")
    relate("makhlouf-mother", RelationKind.PARENT, "iyad")
    relate("makhlouf-mother", RelationKind.PARENT, "ihab")
    relate("rami", RelationKind.COUSIN, "iyad", note="as the report has it")
    relate("rami", RelationKind.COUSIN, "ihab", note="as the report has it")
    relate("shaaban", RelationKind.ADVISER, "bashar")
    relate("mamlouk", RelationKind.ADVISER, "bashar")


def _places(ledger: Ledger) -> None:
    # No offline layer knows the air base by this name: register it inside
    # Latakia governorate, next to the airport whose runways it shares.
    ledger.register_place(
        Place.facility("Hmeimim air base", parent=Place.from_subdivision("SY-LA", name="Latakia"),
                       point=(35.4011, 35.9487), key="facility:hmeimim-air-base"),
        aliases=["Hmeimim", "Khmeimim air base"],
    )


def _claims(ledger: Ledger) -> None:
    ft = Source("Financial Times", kind=SourceKind.OUTLET,
                via=Source("people familiar with events", kind=SourceKind.ANONYMOUS))
    via_ft = Source("Caliber.Az", kind=SourceKind.OUTLET, published=ARTICLE, via=ft)
    witnesses = Source(
        "Caliber.Az", kind=SourceKind.OUTLET, published=ARTICLE,
        via=Source("Financial Times", kind=SourceKind.OUTLET,
                   via=Source("witnesses", kind=SourceKind.WITNESS)),
    )
    ministry = Source("Caliber.Az", kind=SourceKind.OUTLET, published=ARTICLE,
                      via=Source("Russian Foreign Ministry", kind=SourceKind.OFFICIAL,
                                 published="2024-12-08"))
    kremlin = Source("Caliber.Az", kind=SourceKind.OUTLET, published=ARTICLE,
                     via=Source("a Kremlin source", kind=SourceKind.ANONYMOUS,
                                published="2024-12-08"))
    see = ledger.observe

    # Bashar and Hafez leave the capital on the 7th for the Russian air base.
    see(["bashar", "hafez"], Kind.DEPARTED, place="Damascus", when="2024-12-07",
        source=via_ft, grading="B2", id="flight", note="in a Russian armoured vehicle")
    see(["bashar", "hafez"], Kind.HEADING_TO, place="Hmeimim air base", when="2024-12-07",
        source=via_ft, grading="B2", after="flight", id="to-hmeimim")
    see(["bashar", "shaaban", "aides"], Kind.DEPARTED, place="Damascus", when="2024-12-07",
        source=witnesses, grading="F3", id="aides-join",
        note="close allies and top aides joined the escape")

    # The aides go to Beirut first, then scatter; Shaaban turns up in Dubai.
    see("aides", Kind.ARRIVED, place="Beirut", when="2024-12-07/..", source=via_ft,
        grading="B3", after="aides-join", id="aides-beirut")
    see("aides", Kind.ARRIVED, place=["European countries", "the UAE"], source=via_ft,
        grading="B3", after="aides-beirut", id="aides-scatter",
        note="some went on to European countries, others to the UAE")
    see("shaaban", Kind.SEEN_AT, place="Dubai", source=via_ft, grading="B2",
        after="aides-scatter", id="shaaban-dubai")
    see("military-figures", Kind.ARRIVED, place=["Russia", "Libya"], source=via_ft,
        grading="B3", id="military-escape")

    # Maher crosses into Iraq; whether he stayed or went on to Russia is unclear.
    see("maher", Kind.ARRIVED, place="Iraq", source=via_ft, grading="B3", id="maher-iraq",
        note="told his associates to flee to Lebanon")
    see("maher", Kind.REPORTED_AT, place=["Iraq", "Russia"], source=via_ft, grading="B3",
        after="maher-iraq", id="maher-then", note="stayed in Iraq or went on to Russia")

    # The Makhlouf twins and their mother are attacked on the way to Lebanon.
    family = ["iyad", "ihab", "makhlouf-mother"]
    see(family, Kind.HEADING_TO, place="Lebanon", source=via_ft, grading="B3",
        id="makhlouf-flight")
    see(family, Kind.ATTACKED, source=via_ft, grading="B3", after="makhlouf-flight",
        id="makhlouf-attack")
    see("ihab", Kind.DIED, source=via_ft, grading="B3", after="makhlouf-attack",
        id="ihab-death", note="killed in the attack")
    see(["iyad", "makhlouf-mother"], Kind.INJURED, source=via_ft, grading="B3",
        after="makhlouf-attack", id="makhlouf-injuries")
    see("iyad", Kind.TREATED, place="a hospital in Chtoura, Lebanon", source=via_ft,
        grading="B2", after="makhlouf-injuries", id="iyad-hospital")
    see("iyad", Kind.DEPARTED, place="a hospital in Chtoura, Lebanon", source=via_ft,
        grading="B3", after="iyad-hospital", id="iyad-leaves")
    see("iyad", Kind.HEADING_TO, place="Dubai", source=via_ft, grading="B3",
        after="iyad-leaves", id="iyad-to-dubai")

    # Those nobody can place.
    see("rami", Kind.REPORTED_AT, place="Syria", when="2020", source=via_ft, grading="B3",
        id="rami-2020", note="last seen in public around his fall from favour in 2020")
    see("rami", Kind.WHEREABOUTS_UNKNOWN, when=ARTICLE, source=via_ft, grading="B2",
        id="rami-unknown", note="not seen since 2020")
    see("mamlouk", Kind.WHEREABOUTS_UNKNOWN, when=ARTICLE, source=via_ft, grading="B2",
        id="mamlouk-unknown", note="unaccounted for")
    see("loyalist-families", Kind.SHELTERING, place="the Russian embassy in Damascus",
        when=ARTICLE, source=via_ft, grading="B3", id="embassy")

    # 8 December: Moscow's two statements.
    see("bashar", Kind.DEPARTED, place="Syria", when="../2024-12-08", source=ministry,
        reported="2024-12-08", grading="B2", after="to-hmeimim", id="left-syria",
        note="resigned and left the country, the ministry said")
    see(["bashar", "assad-family"], Kind.ARRIVED, place="Moscow", when="2024-12-08/..",
        source=kremlin, reported="2024-12-08", grading="C2", id="moscow")
    see(["bashar", "assad-family"], Kind.GRANTED_ASYLUM, place="Moscow",
        when="2024-12-08/..", source=kremlin, reported="2024-12-08", grading="C2",
        after="moscow", id="asylum", note="on humanitarian grounds")
