"""ECS flavor rules (pure): flavor families the user guide restricts, and flavor availability.

Family rules, from the eu-de user guide (``umn/source/service_overview/ecs_types_and_specifications/
ecs_specifications/``):
- ``gpu-accelerated_ecss.rst``: "GPU-accelerated ECSs ... Their specifications can only be modified
  within the same instance type." (G6, G7, G7v, P2s, P2v, P3, P5e, P5s, Pi2, Pi5e)
- ``large-memory_ecss.rst``: "Specifications of large-memory ECSs can be modified only within the
  same flavor family." (E3, E6)
- ``disk-intensive_ecss.rst``: "D2 ECSs do not support specification modification."
  (``umn/source/disks/expanding_the_local_disks_of_a_disk-intensive_ecs.rst``: disk-intensive ECSs)
- ``ultra-high_i_o_ecss.rst``: "Ultra-high I/O ECSs do not support specification modification." (I3, I3m)

The emulator applies the family rule both ways (a GPU or large-memory family is reachable only
from itself): a choice, the guide words the rule from the source's side.

Availability, from ``apis_recommended/flavor_management/listing_flavor_details_and_extended_information.rst``:
``cond:operation:status`` is region-wide; ``cond:operation:az`` ("az0(normal), az1(sellout)") per
AZ, and an AZ not listed there uses ``cond:operation:status``; "If the parentheses are left
blank, the configuration is invalid."
"""

GPU_FAMILIES = frozenset(("g6", "g7", "g7v", "p2s", "p2v", "p3", "p5e", "p5s", "pi2", "pi5e"))
LARGE_MEMORY_FAMILIES = frozenset(("e3", "e6"))
NOT_RESIZABLE_FAMILIES = frozenset(("d2", "i3", "i3m"))
SOLD_OUT_STATUSES = ("sellout", "obt_sellout")

GPU_MESSAGE = ("GPU-accelerated ECSs deliver heterogeneous compute. Their specifications can only be modified "
               "within the same instance type.")
LARGE_MEMORY_MESSAGE = "Specifications of large-memory ECSs can be modified only within the same flavor family."
# the text of the Swiss Ecs.0804 (appendix/error_codes.rst), for a move into a restricted family
SWITCH_MESSAGE = "The ECS flavor cannot be switched to the target flavor. Change the target flavor."
NOT_RESIZABLE_MESSAGES = {
    "d2": "D2 ECSs do not support specification modification.",
    "i3": "Ultra-high I/O ECSs do not support specification modification.",
    "i3m": "Ultra-high I/O ECSs do not support specification modification.",
    "diskintensive": "Disk-intensive ECSs do not support specification modification.",
}


def family(flavor):
    """The flavor family: the part of the name before the first dot (``p2s`` of ``p2s.2xlarge.8``)."""
    return str(flavor.get("name") or flavor.get("id") or "").split(".", 1)[0].lower()


def flavor_class(flavor):
    """``gpu``, ``large_memory``, ``not_resizable`` or ``general``."""
    specs = flavor.get("extra_specs") or {}
    fam = family(flavor)
    perf = specs.get("ecs:performancetype")
    if fam in NOT_RESIZABLE_FAMILIES or perf == "diskintensive":
        return "not_resizable"
    if fam in GPU_FAMILIES or perf == "gpu":
        return "gpu"
    if fam in LARGE_MEMORY_FAMILIES:
        return "large_memory"
    return "general"


def family_violation(source, target):
    """None when the rules allow ``source`` -> ``target``; else ``(reason, message)``.

    Reasons: ``not_resizable`` (a D2 / ultra-high I/O source), ``gpu`` (a GPU source, another
    type), ``large_memory`` (a large-memory source, a general target), ``into_family`` (any other
    move into or out of a restricted family)."""
    src_class = flavor_class(source)
    if src_class == "not_resizable":
        key = family(source) if family(source) in NOT_RESIZABLE_MESSAGES else "diskintensive"
        return "not_resizable", NOT_RESIZABLE_MESSAGES[key]
    if family(source) == family(target):
        return None
    tgt_class = flavor_class(target)
    if src_class == "gpu":
        return "gpu", GPU_MESSAGE
    if src_class == "large_memory":
        if tgt_class == "general":
            return "large_memory", LARGE_MEMORY_MESSAGE
        return "into_family", SWITCH_MESSAGE
    if tgt_class != "general":
        return "into_family", SWITCH_MESSAGE
    return None


def parse_az_status(value):
    """``"eu-de-01(sellout), eu-de-02(normal)"`` -> ``{"eu-de-01": "sellout", "eu-de-02": "normal"}``;
    entries with empty parentheses (invalid per the documentation) or without them are ignored."""
    out = {}
    for part in str(value or "").split(","):
        part = part.strip()
        if not part.endswith(")") or "(" not in part:
            continue
        zone, status = part[:-1].split("(", 1)
        zone, status = zone.strip(), status.strip()
        if zone and status:
            out[zone] = status
    return out


def format_az_status(az_status):
    return ", ".join("%s(%s)" % (zone, az_status[zone]) for zone in sorted(az_status))


def status_in_az(flavor, zone):
    """The flavor's status in an AZ: its ``cond:operation:az`` entry, else the region-wide status."""
    az_status = flavor.get("az_status") or {}
    if zone in az_status:
        return az_status[zone]
    return "sellout" if flavor.get("sold_out") else "normal"


def sold_out_in(flavor, zone):
    return status_in_az(flavor, zone) in SOLD_OUT_STATUSES
