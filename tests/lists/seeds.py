"""Valid inputs of every list format, small enough to mutate and read hundreds of times.

The fixture files (tests/fixtures), the first rows of the bundled EU Belarus CSV, a
small OFAC CSV release (four files) and a UN file made of real records (release of
2026-02-27, cut to three records and trimmed).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

OFAC_SDN = (
    '9770,"YARMOSHINA, Lidziya Mihaulauna","individual","BELARUS","Head of the CEC",'
    '-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"DOB 29 Jan 1953; POB Slutsk, Belarus; nationality '
    'Belarus; Gender Female; Passport MP1234567 (Belarus) issued 01 Jan 2010."\r\n'
    '30702,"KGB ALPHA",-0- ,"BELARUS",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
    "\"a.k.a. 'ALPHA GROUP'; Linked To: YARMOSHINA, Lidziya Mihaulauna; Website "
    'www.kgb.by; Phone 375172191100."\r\n'
    '15036,"ASTRO","vessel","IRAN",-0- ,"9CLB7","Crude Oil Tanker","150,000","81,479",'
    '"Iran","KGB ALPHA","Vessel Registration Identification IMO 9187629; MMSI 422031200; '
    'Former Vessel Flag Malta; Linked To: KGB ALPHA; Continues in the remarks"\r\n'
    "\x1a"
)
OFAC_ALT = (
    '9770,9421,"aka","YERMOSHINA, Lidziya Mihaulauna",-0- \r\n'
    '30702,9422,"fka","ALPHA UNIT","weak quality"\r\n'
)
OFAC_ADD = '30702,46463,"ul. Kalinina 9","Minsk","Belarus",-0- \r\n'
OFAC_COMMENTS = '15036," file."\r\n99999,"an overflow of a record not listed"\r\n'

UN_XML = """\
<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<CONSOLIDATED_LIST dateGenerated="2026-02-27T00:00:09.554Z">
  <INDIVIDUALS>
    <INDIVIDUAL>
      <DATAID>6908704</DATAID>
      <FIRST_NAME>Ahmad</FIRST_NAME>
      <SECOND_NAME>Oumar</SECOND_NAME>
      <THIRD_NAME>Imhamad</THIRD_NAME>
      <FOURTH_NAME>al-Fitouri</FOURTH_NAME>
      <UN_LIST_TYPE>Libya</UN_LIST_TYPE>
      <REFERENCE_NUMBER>LYi.023</REFERENCE_NUMBER>
      <LISTED_ON>2018-06-07</LISTED_ON>
      <NAME_ORIGINAL_SCRIPT>احمد عمر امحمد الفيتوري</NAME_ORIGINAL_SCRIPT>
      <COMMENTS1>Listed pursuant to paragraphs 15 and 17 of resolution 1970</COMMENTS1>
      <DESIGNATION><VALUE>Commander of the Anas al-Dabbashi militia</VALUE></DESIGNATION>
      <NATIONALITY><VALUE>Libya</VALUE></NATIONALITY>
      <LAST_DAY_UPDATED><VALUE>2018-09-17</VALUE><VALUE>2020-02-25</VALUE></LAST_DAY_UPDATED>
      <INDIVIDUAL_ALIAS><QUALITY>Low</QUALITY><ALIAS_NAME>Al Ammu</ALIAS_NAME></INDIVIDUAL_ALIAS>
      <INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>Al Dabbashi</ALIAS_NAME>
        <DATE_OF_BIRTH>1987</DATE_OF_BIRTH><CITY_OF_BIRTH>Zawiya</CITY_OF_BIRTH>
      </INDIVIDUAL_ALIAS>
      <INDIVIDUAL_ALIAS><QUALITY/><ALIAS_NAME/></INDIVIDUAL_ALIAS>
      <INDIVIDUAL_ADDRESS><CITY>Zawiya</CITY><COUNTRY>Libya</COUNTRY></INDIVIDUAL_ADDRESS>
      <INDIVIDUAL_DATE_OF_BIRTH>
        <TYPE_OF_DATE>EXACT</TYPE_OF_DATE><DATE>1988-05-07</DATE>
      </INDIVIDUAL_DATE_OF_BIRTH>
      <INDIVIDUAL_DATE_OF_BIRTH>
        <TYPE_OF_DATE>BETWEEN</TYPE_OF_DATE><FROM_YEAR>1985</FROM_YEAR><TO_YEAR>1987</TO_YEAR>
      </INDIVIDUAL_DATE_OF_BIRTH>
      <INDIVIDUAL_PLACE_OF_BIRTH><NOTE>possibly Sabratha</NOTE></INDIVIDUAL_PLACE_OF_BIRTH>
      <INDIVIDUAL_DOCUMENT>
        <TYPE_OF_DOCUMENT>Passport</TYPE_OF_DOCUMENT><NUMBER>LY53FP76</NUMBER>
        <ISSUING_COUNTRY>Libya</ISSUING_COUNTRY><DATE_OF_ISSUE>2015-09-29</DATE_OF_ISSUE>
        <CITY_OF_ISSUE>Tripoli</CITY_OF_ISSUE>
      </INDIVIDUAL_DOCUMENT>
      <INDIVIDUAL_DOCUMENT>
        <TYPE_OF_DOCUMENT>National Identification Number</TYPE_OF_DOCUMENT>
        <NUMBER>119880387067</NUMBER>
      </INDIVIDUAL_DOCUMENT>
    </INDIVIDUAL>
    <INDIVIDUAL>
      <DATAID>6907993</DATAID>
      <FIRST_NAME>ERIC</FIRST_NAME>
      <SECOND_NAME>BADEGE</SECOND_NAME>
      <UN_LIST_TYPE>DRC</UN_LIST_TYPE>
      <REFERENCE_NUMBER>CDi.001</REFERENCE_NUMBER>
      <LISTED_ON>2012-12-31</LISTED_ON>
      <GENDER>Male</GENDER>
      <INDIVIDUAL_ADDRESS><COUNTRY>Rwanda</COUNTRY><NOTE>as of 2016</NOTE></INDIVIDUAL_ADDRESS>
      <INDIVIDUAL_DATE_OF_BIRTH>
        <TYPE_OF_DATE>APPROXIMATELY</TYPE_OF_DATE><YEAR>1971</YEAR>
      </INDIVIDUAL_DATE_OF_BIRTH>
      <INDIVIDUAL_DATE_OF_BIRTH><NOTE>Nov. 1973</NOTE></INDIVIDUAL_DATE_OF_BIRTH>
    </INDIVIDUAL>
  </INDIVIDUALS>
  <ENTITIES>
    <ENTITY>
      <DATAID>6908402</DATAID>
      <FIRST_NAME>ADF</FIRST_NAME>
      <UN_LIST_TYPE>DRC</UN_LIST_TYPE>
      <REFERENCE_NUMBER>CDe.001</REFERENCE_NUMBER>
      <LISTED_ON>2014-06-30</LISTED_ON>
      <ENTITY_ALIAS><QUALITY>a.k.a.</QUALITY><ALIAS_NAME>Allied Democratic Forces</ALIAS_NAME>
      </ENTITY_ALIAS>
      <ENTITY_ALIAS><QUALITY>f.k.a.</QUALITY><ALIAS_NAME>ADF/NALU</ALIAS_NAME></ENTITY_ALIAS>
      <ENTITY_ADDRESS><STATE_PROVINCE>North Kivu</STATE_PROVINCE>
        <COUNTRY>Democratic Republic of the Congo</COUNTRY></ENTITY_ADDRESS>
    </ENTITY>
  </ENTITIES>
</CONSOLIDATED_LIST>
"""


@dataclass(frozen=True)
class Seed:
    """A valid input of one format: its files, and which one ``read_list`` is given
    ('' for the folder)."""

    label: str
    format: str
    files: tuple[tuple[str, bytes], ...]
    entry: str


def _fixture(label: str, fmt: str, relative: str) -> Seed:
    path = FIXTURES / relative
    return Seed(label, fmt, ((path.name, path.read_bytes()),), path.name)


def _belarus_slice() -> Seed:
    """The header and the first 12 rows of the bundled EU Belarus regime file."""
    source = resources.files("sanctio.data.demo").joinpath("32006R0765.csv")
    records = list(csv.reader(io.StringIO(source.read_text("utf-8"), newline="")))
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows(records[:13])
    data = out.getvalue().encode("utf-8")
    return Seed("belarus-csv", "eu-journal-csv", (("belarus.csv", data),), "belarus.csv")


SEEDS = [
    _belarus_slice(),
    Seed(
        "ofac-csv",
        "ofac-csv",
        tuple(
            (name, text.encode("utf-8"))
            for name, text in (
                ("sdn.csv", OFAC_SDN),
                ("alt.csv", OFAC_ALT),
                ("add.csv", OFAC_ADD),
                ("sdn_comments.csv", OFAC_COMMENTS),
            )
        ),
        "",
    ),
    _fixture("ofac-xml", "ofac-xml", "ofac/sdn.xml"),
    _fixture("ofac-xml-sls", "ofac-xml", "ofac/sdn-sls.xml"),
    Seed("un-xml", "un-xml", (("consolidated.xml", UN_XML.encode("utf-8")),), "consolidated.xml"),
    _fixture("eu-fsf-belarus", "eu-fsf-xml", "eu_fsf/belarus.xml"),
    _fixture("eu-fsf-edges", "eu-fsf-xml", "eu_fsf/edge_cases.xml"),
    _fixture("uk-xml-belarus", "uk-xml", "uk/belarus.xml"),
    _fixture("uk-xml-edges", "uk-xml", "uk/edge_cases.xml"),
    _fixture("uk-csv-belarus", "uk-csv", "uk/belarus.csv"),
    _fixture("uk-csv-edges", "uk-csv", "uk/edge_cases.csv"),
    _fixture("ftm-json", "ftm-json", "opensanctions/entities.ftm.json"),
    _fixture("targets-simple-csv", "targets-simple-csv", "opensanctions/targets.simple.csv"),
]


#: A record of each XML format, as a regular expression over the file's text.
RECORD_PATTERNS = {
    "ofac-xml": r"<sdnEntry>.*?</sdnEntry>\s*",
    "un-xml": r"<(INDIVIDUAL|ENTITY)>.*?</\1>\s*",
    "eu-fsf-xml": r"<sanctionEntity\b.*?</sanctionEntity>\s*",
    "uk-xml": r"<Designation>.*?</Designation>\s*",
}


def write_seed(folder: Path, seed: Seed, files: dict[str, bytes] | None = None) -> Path:
    """Write the seed's files (or ``files`` instead) into ``folder``; the path to read."""
    for name, data in (files or dict(seed.files)).items():
        (folder / name).write_bytes(data)
    return folder / seed.entry if seed.entry else folder


def seed(label: str) -> Seed:
    """The seed called ``label``."""
    return next(s for s in SEEDS if s.label == label)
