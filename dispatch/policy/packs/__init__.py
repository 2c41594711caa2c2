"""The registry of policy packs. Adding a jurisdiction: a module beside this one and a line here."""

from __future__ import annotations

from dispatch.policy.pack import PolicyPack
from dispatch.policy.packs import lmpd_2017_09_22

PACKS: dict[str, PolicyPack] = {pack.id: pack for pack in (lmpd_2017_09_22.PACK,)}
DEFAULT_PACK = lmpd_2017_09_22.PACK


def get_pack(pack_id: str) -> PolicyPack:
    try:
        return PACKS[pack_id]
    except KeyError:
        known = ", ".join(sorted(PACKS))
        raise LookupError(f"unknown policy pack {pack_id!r} (known: {known})") from None
