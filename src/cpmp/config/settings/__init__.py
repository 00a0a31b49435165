"""Settings modules: ``local`` for a workstation, ``test`` for the suite and ``production``
for a force."""
