# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""pytest plugin of `make mutation` (scripts/mutation.py loads it with -p): the property tests draw the same examples
for every mutant, from no example database, with no deadline, so whether a mutant is killed never depends on the run
(a deadline would turn a slower mutant, or a loaded machine, into a kill; a database would make one mutant's failing
example kill the next)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from hypothesis import settings

settings.register_profile('ecs-ops-mutation', derandomize=True, database=None, deadline=None, print_blob=False)
settings.load_profile('ecs-ops-mutation')
