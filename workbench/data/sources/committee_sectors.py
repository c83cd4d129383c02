"""Which GICS sectors each congressional committee oversees: a reviewed, documented table.

:data:`COMMITTEE_SECTORS` maps a committee id (the ``thomas_id`` of ``committees-current.yaml``)
to the GICS sectors (spelled as in ``prices/sp500_constituents.csv``) whose companies its
legislation or oversight reaches directly, with the words of the committee's jurisdiction text
(full committees) or name (subcommittees) that justify the mapping, and a note. A test checks
that every keyword occurs in that text, that every full committee of the file is reviewed here and
every sector is a GICS sector name.

Rules used in the review
------------------------
- Map a sector only when the jurisdiction *names* an industry or the agency regulating it
  (banking, securities -> Financials; food and drug -> Health Care, ...). Cross-cutting powers
  (taxation, the budget, appropriations as a whole, antitrust, labour law, government
  operations, ethics, rules) map to **no** sector: they reach every company alike, so they say
  nothing about *which* stocks a member knows about.
- A committee may map to several sectors or to none (an empty tuple is a reviewed "none").
- Subcommittees inherit their parent's sectors unless listed here; they are listed where
  their name is narrower (Energy and Commerce's Health subcommittee -> Health Care only) or
  where the parent maps to none (the Appropriations subcommittees).
- Joint committees and select panels without jurisdiction text map to none.

Membership is current-Congress only (see :mod:`workbench.data.sources.committees`), so
sectors-of-a-member's-committees on old trades is an approximation, and every use says so.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

__all__ = ["GICS_SECTORS", "CommitteeSectors", "COMMITTEE_SECTORS", "committee_sectors",
           "mapping_frame"]

GICS_SECTORS = (
    "Communication Services", "Consumer Discretionary", "Consumer Staples", "Energy",
    "Financials", "Health Care", "Industrials", "Information Technology", "Materials",
    "Real Estate", "Utilities",
)
CS, CD, ST, EN, FI, HC, IN, IT, MA, RE, UT = GICS_SECTORS


@dataclass(frozen=True)
class CommitteeSectors:
    """One reviewed row: ``sectors`` overseen, ``keywords`` of the jurisdiction/name, ``note``."""

    committee_id: str
    sectors: tuple[str, ...]
    keywords: tuple[str, ...]
    note: str


def _rows(*rows) -> dict[str, CommitteeSectors]:
    return {r[0]: CommitteeSectors(r[0], tuple(r[1]), tuple(r[2]), r[3]) for r in rows}


COMMITTEE_SECTORS: dict[str, CommitteeSectors] = _rows(
    # ------------------------------------------------------------------ House
    ("HSAG", (ST, MA), ("agriculture", "food", "forestry"),
     "food producers (Consumer Staples); fertilizer, agricultural chemicals, forest products "
     "(Materials)"),
    ("HSAG22", (FI, ST), ("Commodity Markets", "Digital Assets"),
     "commodity futures markets (CFTC): exchanges and brokers; farm commodities"),
    ("HSAP", (), (), "appropriations as a whole fund every agency: no sector; subcommittees mapped"),
    ("HSAP01", (ST, HC), ("Agriculture", "Food and Drug Administration"),
     "USDA and FDA budgets"),
    ("HSAP19", (), (), "Commerce, Justice, Science: agencies, not industries"),
    ("HSAP02", (IN,), ("Defense",), "defense procurement: aerospace and defense contractors"),
    ("HSAP10", (EN, UT), ("Energy and Water",), "DOE programmes, Army Corps water projects"),
    ("HSAP23", (FI,), ("Financial Services",), "Treasury, SEC, financial regulators' budgets"),
    ("HSAP15", (), (), "Homeland Security budget: agencies, not an industry"),
    ("HSAP06", (EN, MA), ("Interior", "Environment"),
     "federal land and offshore leasing (oil, gas, coal, minerals), EPA"),
    ("HSAP07", (HC,), ("Health and Human Services",), "HHS, NIH, CDC budgets"),
    ("HSAP24", (), (), "Legislative Branch: no industry"),
    ("HSAP18", (IN, HC), ("Military Construction", "Veterans Affairs"),
     "military construction contracts; VA medical care"),
    ("HSAP04", (), (), "State Department and foreign aid: no industry"),
    ("HSAP20", (IN, RE), ("Transportation", "Housing"),
     "transportation programmes (Industrials: airlines, rail, machinery); HUD housing"),
    ("HSAS", (IN,), ("military", "defense"), "aerospace and defense contractors"),
    ("HSAS35", (IN, IT), ("Cyber", "Information Technologies"),
     "defense IT and cyber procurement"),
    ("HSBA", (FI, RE), ("banking", "housing", "insurance", "securities"),
     "banks, insurers, exchanges and asset managers; housing finance and REITs"),
    ("HSBA21", (FI, IT), ("Digital Assets", "Financial Technology"),
     "fintech and payment software"),
    ("HSBU", (), (), "budget resolution: every sector alike"),
    ("HSED", (), (), "education and labour law reach every employer alike"),
    ("HSED02", (HC,), ("Health",), "employer health plans (ERISA): health insurers"),
    ("HSFA", (IN,), ("Arms Export Control Act",), "licensing of defense exports"),
    ("HSGO", (), (), "oversight of government operations: agencies, not industries; the "
     "subcommittees that name industries are mapped"),
    ("HSGO27", (HC, FI), ("Health Care", "Financial Services"), "as named"),
    ("HSGO05", (EN,), ("Energy Policy",), "as named"),
    ("HSGO12", (IT,), ("Information Technology",), "as named"),
    ("HSHA", (), (), "elections and House operations: no industry"),
    ("HSHM", (IT, IN), ("cybersecurity", "transportation"),
     "cybersecurity vendors; transportation security (airlines, airports)"),
    ("HSHM08", (IT,), ("Cybersecurity",), "as named"),
    ("HSHM07", (IN,), ("Transportation and Maritime",), "airlines, shipping"),
    ("HSIF", (CS, CD, EN, HC, UT),
     ("telecommunications", "consumer protection", "food and drug", "energy policy"),
     "telecoms and media (FCC), consumer products (FTC), drugs and devices (FDA), energy and "
     "power markets (DOE, FERC)"),
    ("HSIF17", (CD, IN), ("Commerce", "Manufacturing", "Trade"), "consumer goods, manufacturers"),
    ("HSIF16", (CS, IT), ("Communications", "Technology"), "telecoms, internet platforms"),
    ("HSIF03", (EN, UT), ("Energy",), "oil, gas, power generation and grids"),
    ("HSIF14", (HC,), ("Health",), "drugs, devices, providers"),
    ("HSIF18", (UT, MA), ("Environment",), "power-plant emissions rules, chemicals (TSCA)"),
    ("HSII", (EN, MA), ("energy production", "mining"), "federal oil, gas and mineral leasing"),
    ("HSII06", (EN, MA), ("Energy", "Mineral"), "as named"),
    ("HLIG", (), (), "intelligence community oversight: no industry named"),
    ("HSJU", (), (), "courts, justice and antitrust reach every company alike"),
    ("HSJU03", (IT, CS), ("Intellectual Property", "Artificial Intelligence", "Internet"),
     "software and internet platforms (patents, copyright, AI)"),
    ("HSPW", (IN, UT, EN), ("aviation", "railroads", "water", "pipeline"),
     "airlines, railroads, machinery (Industrials); water utilities; pipelines (Energy)"),
    ("HSPW05", (IN,), ("Aviation",), "airlines, aircraft makers"),
    ("HSPW07", (IN,), ("Maritime",), "shipping"),
    ("HSPW12", (IN,), ("Highways", "Transit"), "construction, machinery, transit"),
    ("HSPW14", (IN, EN), ("Railroads", "Pipelines"), "railroads (Industrials), pipelines (Energy)"),
    ("HSPW02", (UT,), ("Water Resources",), "water utilities"),
    ("HSPW13", (RE, IN), ("Public Buildings", "Economic Development"),
     "federal real estate and construction"),
    ("HSRU", (), (), "rules of the House: no industry"),
    ("HSSM", (), (), "small business aid: not the listed companies of any sector"),
    ("HSSO", (), (), "ethics: no industry"),
    ("HSSY", (IN, IT), ("aviation", "astronautical", "National Institute of Standards"),
     "aerospace (NASA, civil aviation R&D); technology standards (NIST)"),
    ("HSSY20", (EN, UT), ("Energy",), "energy R&D"),
    ("HSSY16", (IN,), ("Space", "Aeronautics"), "aerospace"),
    ("HSSY15", (IT,), ("Technology",), "as named"),
    ("HSVR", (HC,), ("Veterans",), "the VA is a large buyer of health care; benefits"),
    ("HSVR11", (IT,), ("Technology",), "VA IT modernization contracts"),
    ("HSWM", (HC,), ("Medicare",), "Medicare payment (providers, insurers); taxes and tariffs "
     "reach every sector alike"),
    ("HSWM04", (), (), "trade agreements reach every sector alike"),
    ("HSWM05", (), (), "taxation reaches every sector alike"),
    ("HSWM01", (), (), "Social Security: no industry"),
    ("HSZS", (), (), "select committee without jurisdiction text"),
    ("HSQJ", (), (), "select subcommittee without jurisdiction text"),
    # ------------------------------------------------------------------ joint
    ("JCSE", (), (), "Helsinki Commission: no jurisdiction text, no industry"),
    ("JSEC", (), (), "Joint Economic Committee: studies the whole economy, no legislation"),
    ("JSLC", (), (), "Library of Congress: no industry"),
    ("JSPR", (), (), "Government printing: no industry"),
    ("JSTX", (), (), "taxation reaches every sector alike"),
    # ------------------------------------------------------------------ Senate
    ("SCNC", (), (), "narcotics control: law enforcement, no industry named"),
    ("SLET", (), (), "ethics: no industry"),
    ("SLIA", (), (), "Indian affairs: no industry named"),
    ("SLIN", (), (), "intelligence oversight: no industry named"),
    ("SPAG", (HC,), ("health",), "studies health of older Americans (no legislative "
     "jurisdiction: a weak link)"),
    ("SSAF", (ST, MA), ("agriculture", "food"),
     "food producers (Consumer Staples); fertilizer and agricultural chemicals (Materials)"),
    ("SSAF13", (FI, ST), ("Commodities", "Derivatives"), "futures markets (CFTC); farm commodities"),
    ("SSAF14", (MA,), ("Forestry", "Natural Resources"), "forest products"),
    ("SSAF15", (EN, FI), ("Energy", "Credit"), "rural energy and farm credit"),
    ("SSAP", (), (), "appropriations as a whole fund every agency: no sector; subcommittees mapped"),
    ("SSAP16", (), (), "Commerce, Justice, Science: agencies, not industries"),
    ("SSAP22", (EN, UT), ("Energy and Water",), "DOE programmes, water projects"),
    ("SSAP23", (FI,), ("Financial Services",), "Treasury, SEC, financial regulators' budgets"),
    ("SSAP14", (), (), "Homeland Security budget: agencies, not an industry"),
    ("SSAP17", (EN, MA), ("Interior", "Environment"),
     "federal land and offshore leasing (oil, gas, coal, minerals), EPA"),
    ("SSAP18", (HC,), ("Health and Human Services",), "HHS, NIH, CDC budgets"),
    ("SSAP19", (IN, HC), ("Military Construction", "Veterans Affairs"),
     "military construction contracts; VA medical care"),
    ("SSAP20", (), (), "State Department and foreign aid: no industry"),
    ("SSAP24", (IN, RE), ("Transportation", "Housing"), "transportation programmes; HUD housing"),
    ("SSAP01", (ST, HC), ("Agriculture", "Food and Drug Administration"), "USDA and FDA budgets"),
    ("SSAP02", (IN,), ("Defense",), "defense procurement"),
    ("SSAP08", (), (), "Legislative Branch: no industry"),
    ("SSAS", (IN,), ("military", "defense"), "aerospace and defense contractors"),
    ("SSAS21", (IN, IT), ("Cybersecurity",), "defense cyber procurement"),
    ("SSBK", (FI, RE), ("Banking", "Housing", "monetary policy"),
     "banks, insurers, securities markets; housing finance and REITs"),
    ("SSBK04", (FI,), ("Securities", "Insurance", "Investment"), "as named"),
    ("SSBK08", (FI,), ("Financial Institutions",), "as named"),
    ("SSBK09", (RE, IN), ("Housing", "Transportation"), "housing; mass transit"),
    ("SSBK13", (FI, IT), ("Digital Assets",), "crypto exchanges, payment software"),
    ("SSBU", (), (), "budget resolution: every sector alike"),
    ("SSCM", (CS, IN, CD, IT),
     ("communications", "transportation", "consumer affairs", "science and technology"),
     "telecoms and media; airlines, rail, trucking; consumer products; technology"),
    ("SSCM33", (IN,), ("Aviation", "Space"), "airlines, aerospace"),
    ("SSCM34", (CS,), ("Telecommunications", "Media"), "as named"),
    ("SSCM35", (IT, CS, CD), ("Consumer Protection", "Technology", "Data Privacy"),
     "software and internet platforms; consumer products"),
    ("SSCM36", (IN,), ("Maritime",), "shipping"),
    ("SSCM37", (IN, IT), ("Science", "Manufacturing"), "manufacturers, technology"),
    ("SSCM38", (IN, EN), ("Surface Transportation", "Pipelines"),
     "rail and trucking (Industrials), pipelines (Energy)"),
    ("SSCM39", (CD,), ("Tourism",), "hotels, cruise lines, leisure"),
    ("SSEG", (EN, UT, MA), ("energy resources", "nuclear energy", "surface mining"),
     "oil, gas, coal (Energy); power and nuclear (Utilities); mining (Materials)"),
    ("SSEG07", (UT,), ("Water and Power",), "as named"),
    ("SSEG01", (EN, UT), ("Energy",), "as named"),
    ("SSEG03", (MA, EN), ("Mining", "Public Lands"), "minerals and federal land leasing"),
    ("SSEG04", (), (), "National Parks: no industry"),
    ("SSEV", (UT, IN, MA), ("environmental protection", "public infrastructure"),
     "emission rules for power plants (Utilities); infrastructure builders (Industrials); "
     "chemicals (Materials)"),
    ("SSEV10", (UT, EN), ("Clean Air", "Nuclear"), "power generation"),
    ("SSEV09", (MA,), ("Chemical Safety",), "chemicals"),
    ("SSEV08", (IN,), ("Transportation and Infrastructure",), "as named"),
    ("SSEV15", (UT,), ("Water",), "water utilities"),
    ("SSFI", (HC,), ("Medicare", "Medicaid"),
     "Medicare and Medicaid payment (providers, insurers, drug makers); taxation reaches every "
     "sector alike"),
    ("SSFI12", (EN, UT, IN), ("Energy", "Infrastructure"), "energy tax credits, infrastructure"),
    ("SSFI10", (HC,), ("Health Care",), "as named"),
    ("SSFI13", (), (), "trade and customs reach every sector alike"),
    ("SSFI11", (), (), "taxation reaches every sector alike"),
    ("SSFI14", (), (), "fiscal policy: every sector alike"),
    ("SSFI02", (), (), "Social Security, pensions: no industry"),
    ("SSFR", (), (), "foreign policy and treaties: no industry named"),
    ("SSGA", (), (), "government operations: agencies, not industries"),
    ("SSHR", (HC,), ("Food and Drug Administration", "Health"),
     "drugs and devices (FDA), providers and insurers (HHS)"),
    ("SSHR11", (), (), "workplace law reaches every employer alike"),
    ("SSHR09", (), (), "education: no listed industry"),
    ("SSJU", (), (), "justice, courts, immigration: every company alike"),
    ("SSJU26", (IT, CS, HC), ("Intellectual Property",),
     "patents and copyright: software, media, drug patents"),
    ("SSJU28", (IT, CS), ("Privacy", "Technology"), "internet platforms, data"),
    ("SSRA", (), (), "rules and administration of the Senate: no industry"),
    ("SSSB", (), (), "small business aid: not the listed companies of any sector"),
    ("SSVA", (HC,), ("medical care",), "the VA is a large buyer of health care"),
)


def committee_sectors(committees: pd.DataFrame) -> pd.Series:
    """GICS sectors overseen by each committee of a committees frame, as tuples.

    Parameters
    ----------
    committees : DataFrame
        With ``committee_id`` and ``parent_id`` (as read by
        :func:`workbench.data.sources.committees.read_committees`).

    Returns
    -------
    Series of tuple
        Aligned with ``committees``: the reviewed sectors of the committee; a subcommittee not
        listed in :data:`COMMITTEE_SECTORS` takes its parent's; a committee absent from the
        table (not reviewed) gets ``()``.
    """
    def of(cid, parent):
        if cid in COMMITTEE_SECTORS:
            return COMMITTEE_SECTORS[cid].sectors
        if isinstance(parent, str) and parent in COMMITTEE_SECTORS:
            return COMMITTEE_SECTORS[parent].sectors
        return ()

    parents = committees["parent_id"].astype(object).where(committees["parent_id"].notna(), None)
    return pd.Series([of(c, p) for c, p in zip(committees["committee_id"], parents, strict=True)],
                     index=committees.index, dtype=object, name="sectors")


def mapping_frame() -> pd.DataFrame:
    """The reviewed table as a frame: ``committee_id, sectors, keywords, note`` (for reports)."""
    return pd.DataFrame([(r.committee_id, r.sectors, r.keywords, r.note)
                         for r in COMMITTEE_SECTORS.values()],
                        columns=["committee_id", "sectors", "keywords", "note"])
