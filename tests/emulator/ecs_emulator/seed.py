"""Default seed data: a small Open Telekom Cloud-like project; helpers for seeding servers."""

import ipaddress
import uuid

DEFAULT_PROJECT_ID = "0a5d2e9c1f7a4b3d8e6f1a2b3c4d5e6f"
DEFAULT_PROJECT_NAME = "demo-project"
DEFAULT_DOMAIN_ID = "default"
DEFAULT_DOMAIN_NAME = "Default"
DEFAULT_USER_ID = "9b1e7c3d5f2a4e6b8c0d1e2f3a4b5c6d"
DEFAULT_USERNAME = "demo"
DEFAULT_PASSWORD = "demo-secret-pw"
DEFAULT_ACCESS_KEY = "EMULATORAK0000000000"
DEFAULT_SECRET_KEY = "emulator-secret-key-0000000000000000000000"
DEFAULT_REGION = "eu-de"
AVAILABILITY_ZONE = "eu-de-01"

# ECS-style flavors: the id is the name, disk 0 (the root disk is an EVS volume).
ECS_FLAVORS = [
    ("s6.small.1", 1, 1024),
    ("s6.medium.2", 1, 2048),
    ("s6.large.2", 2, 4096),
    ("s6.xlarge.2", 4, 8192),
    ("s6.2xlarge.2", 8, 16384),
    ("c7.large.2", 2, 4096),
    ("c7.xlarge.2", 4, 8192),
    ("m6.large.8", 2, 16384),
]

# Flavors the OTC user guide restricts (flavor_rules.py; umn/source/service_overview/
# ecs_types_and_specifications/ecs_specifications/*.rst): GPU (only within the instance type),
# large-memory (only within the family), D2 and ultra-high I/O (no specification modification).
SPECIAL_FLAVORS = [
    ("p2s.2xlarge.8", 8, 65536, {"ecs:performancetype": "gpu", "pci_passthrough:alias": "nvidia-v100:1"}),
    ("p2s.4xlarge.8", 16, 131072, {"ecs:performancetype": "gpu", "pci_passthrough:alias": "nvidia-v100:2"}),
    ("pi2.2xlarge.4", 8, 32768, {"ecs:performancetype": "gpu", "pci_passthrough:alias": "nvidia-t4:1"}),
    ("e3.7xlarge.12", 28, 356352, {"ecs:performancetype": "highmem"}),
    ("e3.14xlarge.12", 56, 712704, {"ecs:performancetype": "highmem"}),
    ("d2.xlarge.8", 4, 32768, {"ecs:performancetype": "diskintensive", "quota:local_disk": "HDD:2:1675:True"}),
    ("i3.2xlarge.4", 8, 32768, {"ecs:performancetype": "ultra-high-io"}),
]

# OpenStack-style flavors with fixed UUID ids.
OPENSTACK_FLAVORS = [
    ("7d5b1f3a-2c4e-4a6b-9f1d-0e2c3a4b5d61", "m1.tiny", 1, 512, 1),
    ("a3c1e5f7-0b2d-4c6e-8a9f-1b2c3d4e5f62", "m1.small", 1, 2048, 20),
    ("b4d2f6a8-1c3e-4d7f-9b0a-2c3d4e5f6a73", "m1.medium", 2, 4096, 40),
    ("c5e3a7b9-2d4f-4e8a-8c1b-3d4e5f6a7b84", "m1.large", 4, 8192, 80),
]

DEFAULT_SERVERS = [
    ("3f2b8c1e-5a7d-4e9f-8b6a-1c2d3e4f5a01", "web-1", "ACTIVE", "s6.medium.2"),
    ("3f2b8c1e-5a7d-4e9f-8b6a-1c2d3e4f5a02", "web-2", "ACTIVE", "s6.medium.2"),
    ("3f2b8c1e-5a7d-4e9f-8b6a-1c2d3e4f5a03", "db-1", "SHUTOFF", "s6.large.2"),
    ("3f2b8c1e-5a7d-4e9f-8b6a-1c2d3e4f5a04", "app-1", "ACTIVE", "a3c1e5f7-0b2d-4c6e-8a9f-1b2c3d4e5f62"),
]


def default_project():
    return {"id": DEFAULT_PROJECT_ID, "name": DEFAULT_PROJECT_NAME,
            "domain_id": DEFAULT_DOMAIN_ID, "domain_name": DEFAULT_DOMAIN_NAME}


def default_user():
    return {"id": DEFAULT_USER_ID, "name": DEFAULT_USERNAME, "password": DEFAULT_PASSWORD,
            "domain_id": DEFAULT_DOMAIN_ID, "domain_name": DEFAULT_DOMAIN_NAME,
            "project_id": DEFAULT_PROJECT_ID,
            "access_key": DEFAULT_ACCESS_KEY, "secret_key": DEFAULT_SECRET_KEY}


def default_flavors():
    flavors = []
    for name, vcpus, ram in ECS_FLAVORS:
        flavors.append({"id": name, "name": name, "vcpus": vcpus, "ram": ram, "disk": 0})
    for name, vcpus, ram, extra_specs in SPECIAL_FLAVORS:
        flavors.append({"id": name, "name": name, "vcpus": vcpus, "ram": ram, "disk": 0, "extra_specs": extra_specs})
    for fid, name, vcpus, ram, disk in OPENSTACK_FLAVORS:
        flavors.append({"id": fid, "name": name, "vcpus": vcpus, "ram": ram, "disk": disk})
    return flavors


def default_servers():
    return [{"id": sid, "name": name, "status": status, "flavor": flavor}
            for sid, name, status, flavor in DEFAULT_SERVERS]


# Servers' addresses: the key of ``addresses`` is the network (on OTC the VPC id, listing_details_about_ecss.rst
# example); a seeded address without a network goes to this one (choice).
DEFAULT_NETWORK = "5d1f7a2c-3b4e-4c6d-8e9f-0a1b2c3d4e5f"
ADDRESS_TYPES = ("fixed", "floating")


def server_addresses(server_id, spec):
    """A seeded server's addresses, normalised: ``[{network, addr, version, type, mac, port_id}]``.

    ``spec``: None or ``[]`` (no address), or a list of addresses, each an IP string (fixed) or
    ``{"addr", "type": "fixed"|"floating", "network"?, "mac"?}``; the version comes from the address.
    A floating address shows the MAC of the fixed address before it in its network (the port it is on).
    Raises ValueError naming what is wrong."""
    if spec is None:
        return []
    if not isinstance(spec, list):
        raise ValueError("addresses must be a list of addresses ({addr, type, network} or an IP string)")
    out = []
    for item in spec:
        if isinstance(item, str):
            item = {"addr": item}
        if not isinstance(item, dict) or not isinstance(item.get("addr"), str):
            raise ValueError("an address needs addr (an IP address): %r" % (item,))
        try:
            addr = ipaddress.ip_address(item["addr"].strip())
        except ValueError as exc:
            raise ValueError("address %r is not an IP address" % item["addr"]) from exc
        kind = item.get("type", "fixed")
        if kind not in ADDRESS_TYPES:
            raise ValueError("address type must be fixed or floating, not %r" % (kind,))
        network = str(item.get("network") or DEFAULT_NETWORK)
        port_id = str(uuid.uuid5(uuid.NAMESPACE_URL, "%s/%s" % (server_id, addr)))
        mac = item.get("mac")
        if not mac and kind == "floating":
            mac = next((a["mac"] for a in reversed(out) if a["network"] == network and a["type"] == "fixed"), None)
        if not mac:
            mac = "fa:16:3e:" + ":".join(port_id.replace("-", "")[i:i + 2] for i in (0, 2, 4))
        out.append({"network": network, "addr": str(addr), "version": addr.version, "type": kind,
                    "mac": str(mac), "port_id": port_id})
    return out


def server_tags(spec):
    """A seeded server's tags: a list of strings, ``key=value`` or ``key`` as OTC shows them
    (native_openstack_nova_apis/lifecycle_management/listing_ecs_details.rst, Table 4 ``tags``)."""
    if spec is None:
        return []
    if not isinstance(spec, list) or not all(isinstance(t, str) and t for t in spec):
        raise ValueError("tags must be a list of non-empty strings (key=value or key)")
    return list(spec)


def fleet(count, prefix="srv", flavors=("s6.medium.2",), zones=(AVAILABILITY_ZONE,), shutoff_every=0,
          floating_every=0, tags=None, metadata=None, start=1):
    """Specs of ``count`` servers for ``POST /__emulator/seed``: names ``<prefix>-0001``..., ids derived
    from the names, flavors and AZs taken in turn, one fixed IPv4 each (``10.<n>``), a floating IPv4 for
    every ``floating_every``-th, every ``shutoff_every``-th SHUTOFF, the given tags and metadata."""
    specs = []
    for n in range(start, start + count):
        name = "%s-%04d" % (prefix, n)
        addresses = [{"addr": "10.%d.%d.%d" % (n // 65536 % 256, n // 256 % 256, n % 256), "type": "fixed"}]
        if floating_every and n % floating_every == 0:
            addresses.append({"addr": "80.158.%d.%d" % (n // 256 % 256, n % 256), "type": "floating"})
        specs.append({
            "id": str(uuid.uuid5(uuid.NAMESPACE_DNS, name + ".fleet.emulator")),
            "name": name,
            "flavor": flavors[(n - start) % len(flavors)],
            "availability_zone": zones[(n - start) % len(zones)],
            "status": "SHUTOFF" if shutoff_every and n % shutoff_every == 0 else "ACTIVE",
            "addresses": addresses,
            "tags": list(tags or []),
            "metadata": dict(metadata or {}),
        })
    return specs
