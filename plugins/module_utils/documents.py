# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Values read out of the cloud's JSON documents, tolerantly: a field may be missing, empty, or of another type
than documented (ECS sends sizes as strings). Pure."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type


def text_of(value):
    """A non-blank string (stripped), or an integer as text; None for anything else."""
    if isinstance(value, str) and value.strip():
        return value.strip()
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


def int_of(value):
    """An integer from a number or a numeric string; None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None
