"""The requirements this validator checks: ID -> (level, English title, Swedish title).

IDs and levels are the REQLEVELs of E-ARK CSIP 2.1 and SIP 2.1 (FGS Paketstruktur 2.0);
LEVELS_22 holds the ones CSIP/SIP 2.2 changed. A requirement's level gives the severity of
a finding against it (MUST -> ERROR, SHOULD -> WARN, MAY -> INFO); every check that reports
another severity is listed in DEVIATIONS with its reason (and in docs/archive-validation.md;
tests/archive/test_validation_levels.py keeps the three in step with the specification).
The few IDs that are not E-ARK requirements name checks of our own: SAFE-* (hostile
content), METS-XML (well-formedness), METS-XSD (schema validity), METADATA-XML (a metadata
file that is not XML), PACKAGE (cannot be read at all)."""

from .report import Severity

MUST, SHOULD, MAY = "MUST", "SHOULD", "MAY"

REQUIREMENTS: dict[str, tuple[str, str, str]] = {
    # Package structure
    "CSIPSTR1": (MUST, "Single root folder", "En rotmapp"),
    "CSIPSTR2": (SHOULD, "Root folder named after the package ID", "Rotmappen har paketets ID"),
    "CSIPSTR4": (MUST, "METS.xml in the root folder", "METS.xml i rotmappen"),
    "CSIPSTR5": (SHOULD, "metadata folder", "Mappen metadata"),
    "CSIPSTR6": (SHOULD, "metadata/preservation folder", "Mappen metadata/preservation"),
    "CSIPSTR7": (SHOULD, "metadata/descriptive folder", "Mappen metadata/descriptive"),
    "CSIPSTR9": (SHOULD, "representations folder", "Mappen representations"),
    "CSIPSTR10": (SHOULD, "A folder per representation", "En mapp per representation"),
    "CSIPSTR11": (SHOULD, "data folder in a representation", "Mappen data i en representation"),
    "CSIPSTR12": (SHOULD, "METS.xml in a representation", "METS.xml i en representation"),
    "CSIPSTR13": (SHOULD, "metadata folder in a representation",
                  "Mappen metadata i en representation"),
    "CSIPSTR14": (MAY, "Additional folders", "Ytterligare mappar"),
    "CSIPSTR15": (SHOULD, "schemas folder", "Mappen schemas"),
    "CSIPSTR16": (SHOULD, "documentation folder", "Mappen documentation"),
    # METS root and header
    "CSIP1": (MUST, "Package identifier", "Paketidentifierare"),
    "CSIP2": (MUST, "Content category", "Innehållskategori"),
    "CSIP3": (SHOULD, "Other content category", "Annan innehållskategori"),
    "CSIP4": (SHOULD, "Content information type", "Innehållsinformationstyp"),
    "CSIP5": (MAY, "Other content information type", "Annan innehållsinformationstyp"),
    "CSIP6": (MUST, "METS profile", "METS-profil"),
    "CSIP117": (MUST, "Package header", "Pakethuvud"),
    "CSIP7": (MUST, "Package creation date", "Paketets skapandedatum"),
    "CSIP8": (SHOULD, "Package last modification date", "Paketets senaste ändringsdatum"),
    "CSIP9": (MUST, "OAIS package type", "OAIS-pakettyp"),
    "CSIP10": (MUST, "Agent", "Agent"),
    "CSIP11": (MUST, "Agent role", "Agentens roll"),
    "CSIP12": (MUST, "Agent type", "Agentens typ"),
    "CSIP13": (MUST, "Agent other type", "Agentens övriga typ"),
    "CSIP14": (MUST, "Agent name", "Agentens namn"),
    "CSIP15": (MUST, "Agent additional information", "Agentens tilläggsinformation"),
    "CSIP16": (MUST, "Agent note type", "Typ av agentens anteckning"),
    # Descriptive and administrative metadata
    "CSIP17": (SHOULD, "Descriptive metadata", "Beskrivande metadata"),
    "CSIP18": (MUST, "Descriptive metadata identifier", "Identifierare för beskrivande metadata"),
    "CSIP19": (MUST, "Descriptive metadata creation date",
               "Skapandedatum för beskrivande metadata"),
    "CSIP20": (SHOULD, "Descriptive metadata status", "Status för beskrivande metadata"),
    "CSIP21": (SHOULD, "Descriptive metadata reference", "Referens till beskrivande metadata"),
    "CSIP31": (SHOULD, "Administrative metadata", "Administrativ metadata"),
    "CSIP32": (SHOULD, "Digital provenance metadata", "Proveniensmetadata"),
    "CSIP33": (MUST, "Digital provenance identifier", "Identifierare för proveniensmetadata"),
    "CSIP34": (SHOULD, "Digital provenance status", "Status för proveniensmetadata"),
    "CSIP35": (SHOULD, "Digital provenance reference", "Referens till proveniensmetadata"),
    "CSIP45": (MAY, "Rights metadata", "Rättighetsmetadata"),
    "CSIP46": (MUST, "Rights metadata identifier", "Identifierare för rättighetsmetadata"),
    "CSIP47": (SHOULD, "Rights metadata status", "Status för rättighetsmetadata"),
    "CSIP48": (SHOULD, "Rights metadata reference", "Referens till rättighetsmetadata"),
    # File section
    "CSIP58": (SHOULD, "File section", "Filsektion"),
    "CSIP59": (MUST, "File section identifier", "Filsektionens identifierare"),
    "CSIP60": (MUST, "Documentation file group", "Filgrupp för dokumentation"),
    "CSIP113": (MUST, "Schema file group", "Filgrupp för scheman"),
    "CSIP114": (MUST, "Representations file group", "Filgrupp för representationer"),
    "CSIP61": (MAY, "File group administrative metadata", "Filgruppens administrativa metadata"),
    "CSIP62": (SHOULD, "File group content information type",
               "Filgruppens innehållsinformationstyp"),
    "CSIP63": (MAY, "File group other content information type",
               "Filgruppens annan innehållsinformationstyp"),
    "CSIP64": (MUST, "File group use", "Filgruppens användning"),
    "CSIP65": (MUST, "File group identifier", "Filgruppens identifierare"),
    "CSIP66": (MUST, "File", "Fil"),
    "CSIP67": (MUST, "File identifier", "Filens identifierare"),
    "CSIP76": (MUST, "File locator", "Fillokalisering"),
    # Structural map
    "CSIP80": (MUST, "Structural map", "Strukturkarta"),
    "CSIP81": (MUST, "Structural map type", "Strukturkartans typ"),
    "CSIP82": (MUST, "Structural map label", "Strukturkartans etikett"),
    "CSIP83": (MUST, "Structural map identifier", "Strukturkartans identifierare"),
    "CSIP84": (MUST, "Main division", "Huvudindelning"),
    "CSIP85": (MUST, "Main division identifier", "Huvudindelningens identifierare"),
    # CSIP 2.0 required the main division's LABEL to equal mets/@OBJID; CSIP 2.1 dropped it.
    "CSIP86": (SHOULD, "Main division label (CSIP 2.0)", "Huvudindelningens etikett (CSIP 2.0)"),
    "CSIP88": (MUST, "Metadata division", "Metadataindelning"),
    "CSIP89": (MUST, "Metadata division identifier", "Metadataindelningens identifierare"),
    "CSIP90": (MUST, "Metadata division label", "Metadataindelningens etikett"),
    "CSIP91": (SHOULD, "Metadata division administrative references",
               "Metadataindelningens administrativa referenser"),
    "CSIP92": (SHOULD, "Metadata division descriptive references",
               "Metadataindelningens beskrivande referenser"),
    "CSIP93": (SHOULD, "Documentation division", "Dokumentationsindelning"),
    "CSIP94": (MUST, "Documentation division identifier", "Dokumentationsindelningens ID"),
    "CSIP96": (MUST, "Documentation file references", "Referenser till dokumentation"),
    "CSIP116": (MUST, "Documentation file group pointer", "Pekare till dokumentationsfilgrupp"),
    "CSIP97": (SHOULD, "Schema division", "Schemaindelning"),
    "CSIP98": (MUST, "Schema division identifier", "Schemaindelningens identifierare"),
    "CSIP100": (MUST, "Schema file references", "Referenser till scheman"),
    "CSIP118": (MUST, "Schema file group pointer", "Pekare till schemafilgrupp"),
    "CSIP101": (SHOULD, "Content division", "Innehållsindelning"),
    "CSIP102": (MUST, "Content division identifier", "Innehållsindelningens identifierare"),
    "CSIP104": (MUST, "Content division file references", "Referenser till innehåll"),
    "CSIP119": (MUST, "Content division file group pointer", "Pekare till innehållsfilgrupp"),
    "CSIP105": (SHOULD, "Representation division", "Representationsindelning"),
    "CSIP106": (MUST, "Representation division identifier", "Representationsindelningens ID"),
    "CSIP107": (MUST, "Representation division label", "Representationsindelningens etikett"),
    "CSIP108": (MUST, "Representation division file references",
                "Representationsindelningens filreferenser"),
    "CSIP109": (MUST, "Representation METS pointer", "Pekare till representationens METS"),
    "CSIP110": (MUST, "Representation METS location", "Representationens METS-plats"),
    "CSIP111": (MUST, "Representation METS link type", "Länktyp för representationens METS"),
    "CSIP112": (MUST, "Representation METS locator type",
                "Lokaliseringstyp för representationens METS"),
    # SIP
    "SIP1": (MAY, "Package name", "Paketnamn"),
    "SIP2": (MUST, "SIP METS profile", "METS-profil för SIP"),
    "SIP3": (MAY, "Package status", "Paketstatus"),
    "SIP4": (MUST, "OAIS package type SIP", "OAIS-pakettyp SIP"),
    "SIP5": (MAY, "Submission agreement", "Leveransöverenskommelse"),
    "SIP6": (MAY, "Previous submission agreement", "Tidigare leveransöverenskommelse"),
    "SIP7": (MAY, "Archival reference code", "Arkivreferenskod"),
    "SIP8": (MAY, "Previous archival reference code", "Tidigare arkivreferenskod"),
    "SIP9": (MAY, "Archival creator agent", "Arkivbildaragent"),
    "SIP10": (MUST, "Archival creator agent role", "Arkivbildaragentens roll"),
    "SIP11": (MUST, "Archival creator agent type", "Arkivbildaragentens typ"),
    "SIP12": (MAY, "Archival creator agent name", "Arkivbildaragentens namn"),
    "SIP14": (MUST, "Archival creator note type", "Typ av arkivbildaragentens anteckning"),
    "SIP15": (MUST, "Submitting agent", "Levererande agent"),
    "SIP16": (MUST, "Submitting agent role", "Levererande agents roll"),
    "SIP17": (MUST, "Submitting agent type", "Levererande agents typ"),
    "SIP18": (MAY, "Submitting agent name", "Levererande agents namn"),
    "SIP20": (MUST, "Submitting agent note type", "Typ av levererande agents anteckning"),
    "SIP22": (MUST, "Contact person role", "Kontaktpersonens roll"),
    "SIP23": (MUST, "Contact person type", "Kontaktpersonens typ"),
    "SIP24": (MUST, "Contact person name", "Kontaktpersonens namn"),
    "SIP27": (MUST, "Preservation agent role", "Bevarandeagentens roll"),
    "SIP28": (MUST, "Preservation agent type", "Bevarandeagentens typ"),
    "SIP29": (MAY, "Preservation agent name", "Bevarandeagentens namn"),
    "SIP31": (MUST, "Preservation agent note type", "Typ av bevarandeagentens anteckning"),
    "SIP32": (MAY, "File format name", "Filformatets namn"),
    "SIP33": (MAY, "File format version", "Filformatets version"),
    "SIP34": (MAY, "File format registry", "Filformatsregister"),
    "SIP35": (MAY, "File format registry key", "Nyckel i filformatsregistret"),
    # Our own checks
    "PACKAGE": (MUST, "Readable package", "Läsbart paket"),
    "METS-XML": (MUST, "Well-formed METS", "Välformad METS"),
    "METS-XSD": (MUST, "Schema-valid METS", "Schemagiltig METS"),
    "RULES": (MAY, "Rules applied", "Tillämpade regler"),
    "METADATA-XML": (MUST, "Well-formed metadata XML", "Välformad metadata-XML"),
    "SAFE-PATH": (MUST, "Safe paths", "Säkra sökvägar"),
    "SAFE-LINK": (MUST, "No links or special files", "Inga länkar eller specialfiler"),
    "SAFE-XML": (MUST, "No DTD entities", "Inga DTD-entiteter"),
    "SAFE-SIZE": (MUST, "Sizes within limits", "Storlekar inom gränserna"),
    "SAFE-ARCHIVE": (MUST, "Intact archive", "Oskadat arkiv"),
}

# mdRef attribute checks: section -> requirement per attribute.
MDREF_REQUIREMENTS = {
    "dmdSec": dict(LOCTYPE="CSIP22", type="CSIP23", href="CSIP24", MDTYPE="CSIP25",
                   MIMETYPE="CSIP26", SIZE="CSIP27", CREATED="CSIP28", CHECKSUM="CSIP29",
                   CHECKSUMTYPE="CSIP30"),
    "digiprovMD": dict(LOCTYPE="CSIP36", type="CSIP37", href="CSIP38", MDTYPE="CSIP39",
                       MIMETYPE="CSIP40", SIZE="CSIP41", CREATED="CSIP42", CHECKSUM="CSIP43",
                       CHECKSUMTYPE="CSIP44"),
    "rightsMD": dict(LOCTYPE="CSIP49", type="CSIP50", href="CSIP51", MDTYPE="CSIP52",
                     MIMETYPE="CSIP53", SIZE="CSIP54", CREATED="CSIP55", CHECKSUM="CSIP56",
                     CHECKSUMTYPE="CSIP57"),
    "file": dict(LOCTYPE="CSIP77", type="CSIP78", href="CSIP79", MIMETYPE="CSIP68",
                 SIZE="CSIP69", CREATED="CSIP70", CHECKSUM="CSIP71", CHECKSUMTYPE="CSIP72"),
}
_ATTRIBUTE_TITLES = {
    "LOCTYPE": ("Locator type", "Lokaliseringstyp"),
    "type": ("Link type", "Länktyp"),
    "href": ("Resource location", "Resursens plats"),
    "MDTYPE": ("Metadata type", "Metadatatyp"),
    "MIMETYPE": ("MIME type", "MIME-typ"),
    "SIZE": ("File size", "Filstorlek"),
    "CREATED": ("File creation date", "Filens skapandedatum"),
    "CHECKSUM": ("Checksum", "Kontrollsumma"),
    "CHECKSUMTYPE": ("Checksum type", "Kontrollsummetyp"),
}
for _section, _mapping in MDREF_REQUIREMENTS.items():
    for _attribute, _requirement in _mapping.items():
        _en, _sv = _ATTRIBUTE_TITLES[_attribute]
        REQUIREMENTS[_requirement] = (MUST, f"{_en} ({_section})", f"{_sv} ({_section})")

# REQLEVELs that CSIP 2.2 and SIP 2.2 changed.
LEVELS_22 = {"CSIP96": SHOULD, "CSIP100": SHOULD, "CSIP104": SHOULD,
             "SIP12": MUST, "SIP18": MUST, "SIP29": MUST}

# Package-level rules that producer tools do not apply to a representation METS: its metsHdr
# (CSIP117, CSIP7, CSIP9) with the software agent (CSIP10-16), and the Metadata division
# (CSIP88-90), which has nothing to list when the representation has no metadata. In a
# representation METS they are warnings, errors only in strict mode (docs: "Representation
# METS").
PACKAGE_LEVEL = frozenset({"CSIP117", "CSIP7", "CSIP9", "CSIP10", "CSIP11", "CSIP12",
                           "CSIP13", "CSIP14", "CSIP15", "CSIP16", "CSIP88", "CSIP89",
                           "CSIP90"})

# Checks that report a severity other than their requirement's level, and why. The texts
# are repeated in docs/archive-validation.md ("Deviations from the levels").
DEVIATIONS = {
    "CSIPSTR13": "INFO (not WARN) for a representation without a metadata folder: the folder "
                 "'MAY include' the representation's metadata, and one with none has "
                 "nothing to put there",
    "CSIPSTR15": "INFO (not WARN) for a package without a schemas folder: the SHOULD says "
                 "where schemas go when the package includes them",
    "CSIP1": "WARN when OBJID is not the folder name: the text says it 'should be'",
    "CSIP4": "ERROR when missing in a representation METS ('mandatory for representation "
             "level METS documents') or outside the vocabulary ('legal values are defined "
             "in a fixed vocabulary')",
    "CSIP5": "ERROR when used without CONTENTINFORMATIONTYPE='OTHER' or left empty",
    "CSIP8": "ERROR when LASTMODDATE lies in the future: a date that cannot be true",
    "CSIP17": "ERROR when metadata/descriptive has files but there is no dmdSec: 'must be "
              "used if descriptive metadata ... is available'",
    "CSIP20": "ERROR for a STATUS outside the vocabulary (CURRENT, SUPERSEDED)",
    "CSIP21": "ERROR for a file in metadata/descriptive that no dmdSec references",
    "CSIP31": "ERROR when metadata/preservation has files but there is no amdSec, or one "
              "of them is not referenced: 'if ... available, it must be described'",
    "CSIP32": "ERROR when metadata/preservation has files but there is no digiprovMD: "
              "'it is mandatory to include one digiprovMD for each piece of PREMIS'",
    "CSIP34": "ERROR for a STATUS outside the vocabulary (CURRENT, SUPERSEDED)",
    "CSIP47": "ERROR for a STATUS outside the vocabulary (CURRENT, SUPERSEDED)",
    "CSIP60": "WARN (not ERROR) when there is no Documentation file group and no "
              "documentation to put in one",
    "CSIP113": "WARN (not ERROR) when there is no Schemas file group and no schemas",
    "CSIP114": "WARN (not ERROR) when there is no Representations file group and no "
               "representation content",
    "CSIP61": "WARN for an ADMID that names no administrative metadata section",
    "CSIP62": "ERROR for a value outside the vocabulary",
    "CSIP63": "ERROR when OTHER has no OTHERCONTENTINFORMATIONTYPE: 'must state a value'",
    "CSIP68": "WARN for a MIMETYPE longer than 256 characters, or (CSIP 2.2) not an IANA "
              "media type: 2.2 only recommends the IANA list",
    "CSIP26": "as CSIP68", "CSIP40": "as CSIP68", "CSIP53": "as CSIP68",
    "CSIP71": "WARN for a checksum that only matches with converted line endings, when "
              "the caller tolerates that (the corpus harness)",
    "CSIP29": "as CSIP71", "CSIP43": "as CSIP71", "CSIP56": "as CSIP71",
    "CSIP79": "WARN for an href that matches a file only when letter case is ignored",
    "CSIP24": "as CSIP79", "CSIP38": "as CSIP79", "CSIP51": "as CSIP79",
    "CSIP91": "ERROR when ADMID does not list exactly the current amdSec IDs (as the corpus)",
    "CSIP92": "ERROR when DMDID does not list exactly the current dmdSec IDs (as the corpus)",
    "CSIP93": "ERROR when the division occurs more than once (cardinality 0..1)",
    "CSIP97": "ERROR when the division occurs more than once (cardinality 0..1)",
    "CSIP101": "ERROR when the division occurs more than once (cardinality 0..1)",
    "SIP3": "WARN for a RECORDSTATUS outside the vocabulary",
    "SIP5": "WARN when empty or repeated (cardinality 0..1)",
    "SIP6": "WARN when empty", "SIP7": "WARN when empty or repeated (cardinality 0..1)",
    "SIP8": "WARN when empty",
    "SIP32": "WARN when present but empty", "SIP33": "WARN when present but empty",
    "SIP34": "WARN when present but empty", "SIP35": "WARN when present but empty",
}
DEVIATIONS.update({r: "package-level rule in a representation METS: WARN unless strict"
                   for r in PACKAGE_LEVEL if r not in DEVIATIONS})

_SEVERITY = {MUST: Severity.ERROR, SHOULD: Severity.WARN, MAY: Severity.INFO}


def level(requirement: str, version: str = "2.1") -> str:
    """MUST, SHOULD or MAY: the requirement's REQLEVEL in CSIP/SIP `version`."""
    if version == "2.2" and requirement in LEVELS_22:
        return LEVELS_22[requirement]
    return REQUIREMENTS.get(requirement, (MUST, "", ""))[0]


def default_severity(requirement: str, version: str = "2.1") -> Severity:
    return _SEVERITY[level(requirement, version)]


def title(requirement: str, lang: str = "sv") -> str:
    _level, en, sv = REQUIREMENTS.get(requirement, (MUST, requirement, requirement))
    return en if lang == "en" else sv
