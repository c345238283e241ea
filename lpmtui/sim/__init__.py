"""The simulated HMC fleet: the demo's default and the test double.

``world`` holds the fleet and its migration physics on an injectable ``clock``; ``shell``
interprets HMC commands against it; ``server`` puts each simulated HMC behind SSH.
Imports nothing of the client except ``lpmtui.hmc.records``.
"""
