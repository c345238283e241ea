"""The HMC's message vocabulary, shared by the client's parsers and the simulator.

Only what is evidenced (hmc-cli.md §8, §1.4, §7.3) lives here: the message ids a real HMC is
known to print, their verbatim texts (``{field}`` where the HMC fills in a name), and the
``migrlpar -o v`` report layout. The simulator's invented ids stay in ``lpmtui.sim``; the
core recognises what those messages are about from their text (``hmc.topics``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# -- evidenced message ids ----------------------------------------------------------------------

RMC_DOWN = "HSCLA246"  # migrlpar -o v: RMC down on the mobile partition or a VIOS [V]
VFC_NOT_HOSTABLE = "HSCLA319"  # migrlpar -o v: a vFC client adapter has no VIOS host [V]
NPIV_GPN_FT = ("HSCLA219", "HSCLA356", "HSCLA29A")  # NPIV validation, OS RC 69 [V title]
NO_TRUST = "HSCL3653"  # remote migration / mkauthkeys --test: no SSH keys [V]
NOT_OPERATING = "HSCL0238"  # the managed system is not Operating [V]
LPAR_NOT_FOUND = "HSCL8012"  # lookup by partition name [C]
PERMISSION_DENIED = "HSCL350B"  # the task role does not allow the command
VFC_UNSUPPORTED = "HSCLA4C0"  # the managed system does not support virtual FC
UNSUPPORTED = "HSCL8022"  # the managed system does not support the operation
NO_AMS = "HSCLA4A0"  # lshwres -r mempool on POWER11 9824 (cli-mempool-ams-unsupported) [C]

# Verbatim texts; ``{name}`` etc. are what the HMC fills in. "" is the id-less message.
TEXTS: dict[str, str] = {
    RMC_DOWN: (
        "The management console cannot communicate with partition {name}.  Either the network "
        "connection is not available or the partition does not have a level of software that "
        "is capable of supporting this operation.  Verify the correct network and setup of the "
        "partition, and try the operation again."
    ),
    VFC_NOT_HOSTABLE: (
        "The migrating partition's virtual fibre channel client adapter {slot} cannot be hosted "
        "by the existing Virtual I/O Server (VIOS) partitions on the destination managed system. "
        "To migrate the partition, set up the necessary VIOS host on the destination managed "
        "system, then try the operation again."
    ),
    NO_TRUST: (
        "The Secure Shell (SSH) communication configuration between the source and destination "
        "management consoles has not been set up properly for the remote user {user}. Run the "
        "mkauthkeys command to set up the SSH communication authentication keys"
    ),
    NOT_OPERATING: (
        "This operation is only allowed when the managed system is in the Operating state."
    ),
    # "  Please check…" as the V10R3 capture prints it (real-hmc-facts §1, cli-lpar-unknown)
    NO_AMS: (
        "The operation failed because the managed system does not support Active Memory "
        "Sharing or partition suspend and resume operations."
    ),
    LPAR_NOT_FOUND: (
        "The partition named {name} was not found.  Please check your entry and retry the command."
    ),
}
# The id-less messages: a missing or invalid parameter, verbatim from V10R3 (one space after
# "invalid.", cli-lpar-no-m.txt); an unknown option and an unknown -F name (real-hmc-facts §1).
BAD_PARAMETER_TEXT = (
    "The command entered is either missing a required parameter or a parameter "
    "value is invalid. The parameters that are missing or have an invalid value are "
    "{params}. Please check your entry and retry the command."
)
INVALID_PARAMETER_TEXT = (
    "An invalid parameter was entered.  The parameters {params} are not valid.  "
    "Please check your entry and retry the command."
)
INVALID_ATTRIBUTE_TEXT = (
    "An invalid attribute was entered.  The invalid attribute is {name}.  "
    "Please correct your entry and retry the command."
)

# -- message ids in text -------------------------------------------------------------------------

# HSCL plus four hex-ish characters; longer ids (a simulator's HSCLSIM01) are matched too so
# that no message is mistaken for plain text.
ID_PATTERN = r"HSCL[0-9A-Z]{4,6}(?![0-9A-Za-z])"

# -- migrlpar -o v report layout (hmc-cli.md §7.3) ---------------------------------------------

ERRORS_HEADING = "Errors"
WARNINGS_HEADING = "Warnings"
# Headings whose messages are informational (kept with the warnings). [M]
INFO_HEADINGS = ("Informational messages", "Information")
HEADING = re.compile(
    rf"^\s*({ERRORS_HEADING}|{WARNINGS_HEADING}|{'|'.join(INFO_HEADINGS)})\s*:\s*$"
)


def validation_report(errors: Iterable[str], warnings: Iterable[str]) -> str:
    """``Errors:`` then one message a line, ``Warnings:`` likewise; empty blocks are left out."""
    out: list[str] = []
    for heading, lines in ((ERRORS_HEADING, list(errors)), (WARNINGS_HEADING, list(warnings))):
        if lines:
            out += [f"{heading}:", *lines]
    return "".join(line + "\n" for line in out)


# After these the HMC's validation checks nothing else (it cannot reach the other console or
# system, or the partition is not there).
STOPPING_IDS = frozenset({NO_TRUST, NOT_OPERATING, LPAR_NOT_FOUND})
