"""Default seed data: a small Open Telekom Cloud-like project."""

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
