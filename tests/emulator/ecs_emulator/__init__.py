"""ECS / Nova / Keystone API emulator for the ecs_ops.compute collection."""

__version__ = "0.1.0"
