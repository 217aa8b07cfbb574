# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Make `ansible_collections.ecs_ops.compute` importable for plain pytest runs."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import sys

_REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# ANSIBLE_COLLECTIONS_PATH (the Makefile points it at .cache/collections) holds ansible_collections/ecs_ops/compute -> repo
for _path in reversed((os.environ.get('ANSIBLE_COLLECTIONS_PATH') or os.path.join(_REPO, '.cache', 'collections')).split(os.pathsep)):
    if _path and _path not in sys.path:
        sys.path.insert(0, _path)
