"""Settings modules: ``local`` for a workstation, ``test`` for the suite, ``production`` for a force."""
