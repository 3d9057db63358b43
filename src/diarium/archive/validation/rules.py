"""Which rule set a package is checked against: E-ARK CSIP/SIP 2.1 (= FGS Paketstruktur 2.0)
or 2.2, chosen from the profile URL the package METS declares (mets/@PROFILE).

The rule: the declared profile decides, never OAISPACKAGETYPE alone. SIP rules apply when
the package declares an E-ARK SIP profile (or they are forced); CSIP 2.2 applies when the
package declares a 2.2 profile; anything else gets the CSIP 2.1 rules. The URLs are those the
specification texts give: SIP 2.1 and 2.2 name their own (SIP2); CSIP 2.1 and 2.2 both give
E-ARK-CSIP.xml as their URI, and SIP 2.2 names the versioned CSIP 2.2 URL as the profile it
extends. The generic CSIP URL names both versions, so it gets 2.1, the stricter of the two
and the version FGS Paketstruktur 2.0 is built on."""

from __future__ import annotations

from dataclasses import dataclass

CSIP_GENERIC = "https://earkcsip.dilcis.eu/profile/E-ARK-CSIP.xml"
CSIP_22 = "https://earkcsip.dilcis.eu/profile/E-ARK-CSIP-v2-2-0.xml"
SIP_21 = "https://earksip.dilcis.eu/profile/E-ARK-SIP.xml"
SIP_22 = "https://earksip.dilcis.eu/profile/E-ARK-SIP-v2-2-0.xml"

CSIP_PROFILES = {CSIP_GENERIC: "2.1", CSIP_22: "2.2"}
SIP_PROFILES = {SIP_21: "2.1", SIP_22: "2.2"}
SIP_PROFILE_OF = {"2.1": SIP_21, "2.2": SIP_22}
VERSIONS = ("2.1", "2.2")


@dataclass(frozen=True)
class RuleSet:
    """The rules one package is checked against."""

    version: str = "2.1"  # of CSIP, and of SIP when `sip`
    sip: bool = False
    strict: bool = False  # package-level rules are errors in representation METS too
    declared: str = ""  # mets/@PROFILE of the package METS

    @property
    def kind(self) -> str:
        return "SIP" if self.sip else "CSIP"

    @property
    def name(self) -> str:
        """E.g. 'E-ARK SIP 2.2' (the name reported as the rules applied)."""
        return f"E-ARK {self.kind} {self.version}"

    @property
    def known_profile(self) -> bool:
        return self.declared in CSIP_PROFILES or self.declared in SIP_PROFILES


def choose(declared: str | None, forced: str = "auto", strict: bool = False) -> RuleSet:
    """The rule set for a package METS declaring `declared`; `forced` is "auto", "csip" or
    "sip" (the CLI's --profile and the submission agreement's profile)."""
    declared = (declared or "").strip()
    version = SIP_PROFILES.get(declared) or CSIP_PROFILES.get(declared) or "2.1"
    sip = declared in SIP_PROFILES if forced == "auto" else forced == "sip"
    return RuleSet(version=version, sip=sip, strict=strict, declared=declared)
