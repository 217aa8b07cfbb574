"""Cloud profiles: which cloud the emulator plays, as data.

- ``nova``: upstream OpenStack Nova 34 as ``tests/nova/FINDINGS.md`` records it: no ECS ``/v1``
  API at all (Nova answers 300 there), no ``resize_flavors``, Nova's status map.
- ``otc``: Open Telekom Cloud (eu-de/eu-nl) as its ECS API reference documents it
  (``opentelekomcloud-docs/elastic-cloud-server``, paths relative to ``api-ref/source/``).
- ``otc-swiss``: as ``otc``, plus what the Swiss region's reference adds
  (``opentelekomcloud-docs-swiss/elastic-cloud-server``): ``resize.mode: withStopServer`` and the
  error codes Ecs.0802-0811.

Every entry is cited in ``tests/emulator/README.md`` (table "Cloud profiles").
"""

PROFILES = ("nova", "otc", "otc-swiss")
DEFAULT_PROFILE = "otc"

# Metadata keys: (the pattern as the error message shows it, the regex the emulator matches).
# Nova 34 (nova/api/validation/parameter_types.py ``metadata``): '^[a-zA-Z0-9-_:. ]{1,255}$', where
# real Nova treats the '-' of '9-_' as a literal hyphen (tests/nova: 'a@b' is refused, 'with space'
# accepted); values are strings of at most 255 characters.
NOVA_METADATA_KEY = ("^[a-zA-Z0-9-_:. ]{1,255}$", r"^[a-zA-Z0-9\-_:. ]{1,255}$")
# OTC (native_openstack_nova_apis/metadata_management/*.rst): "A key contains a maximum of 255
# Unicode characters and cannot be empty. A key can contain uppercase letters (A-Z), lowercase
# letters (a-z), digits (0-9), hyphens (-), underscores (_), colons (:), and periods (.)."
OTC_METADATA_KEY = ("^[A-Za-z0-9_:.-]{1,255}$", r"^[A-Za-z0-9_:.-]{1,255}$")

_COMMON_OTC = {
    "ecs_api": True,                 # /v1/<project_id>/... and /v2.1/<project_id>/resize_flavors exist
    "status_table": "otc",           # appendix/ecs_statuses.rst, Table 4
    "stop_for_resize": True,         # a running server is stopped for a resize (RESIZE only under vm_state stopped)
    "revert_powering_off": False,    # no (resized, powering-off) row in OTC's table
    "dedicated_hosts": True,         # change_history.rst 2018-03-30: dedicated_host_id in both resize APIs
    "flavor_family_rules": True,     # umn .../ecs_specifications/*.rst
    "metadata_key": OTC_METADATA_KEY,
    "keystone_ecs_service": True,    # the token catalog lists an "ecs" service
}

_FEATURES = {
    "nova": {
        "ecs_api": False,
        "status_table": "nova",
        "stop_for_resize": False,
        "revert_powering_off": True,
        "dedicated_hosts": False,
        "flavor_family_rules": False,
        "metadata_key": NOVA_METADATA_KEY,
        "keystone_ecs_service": False,
        "resize_modes": (),
        "flow_limit_message": "Flow limit exceeded.",
        "api_flow_control_status": 429,
        "family_codes": {},
    },
    "otc": dict(_COMMON_OTC, **{
        "resize_modes": (),
        # appendix/error_codes.rst (eu-de): Common.0024 202 "Flow limit exceeded.", Common.1503 429
        "flow_limit_message": "Flow limit exceeded.",
        "api_flow_control_status": 429,
        # the eu-de appendix lists no code for a target outside the family rules: Ecs.0005 (invalid parameters)
        "family_codes": {"not_resizable": "Ecs.0005", "gpu": "Ecs.0005", "large_memory": "Ecs.0005",
                         "into_family": "Ecs.0005", "disk": "Ecs.0005"},
    }),
    "otc-swiss": dict(_COMMON_OTC, **{
        # Swiss apis_recommended/status_management/modifying_the_specifications_of_an_ecs.rst: resize.mode
        "resize_modes": ("withStopServer",),
        # Swiss appendix/error_codes.rst: Common.0024 202 "exceeds flow over limit", Common.1503 **503**
        "flow_limit_message": "exceeds flow over limit",
        "api_flow_control_status": 503,
        # Swiss appendix: Ecs.0804 "cannot be switched to the target flavor", Ecs.0805 large-memory
        "family_codes": {"not_resizable": "Ecs.0804", "gpu": "Ecs.0804", "large_memory": "Ecs.0805",
                         "into_family": "Ecs.0804", "disk": "Ecs.0804"},
    }),
}


def features(name):
    """The feature dictionary of a profile (a new dict); ValueError for an unknown name."""
    if name not in _FEATURES:
        raise ValueError("profile must be one of %s" % ", ".join(PROFILES))
    return dict(_FEATURES[name])
