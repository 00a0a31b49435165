"""The law of covert authorities as pure Python: no Django, no clock, no I/O.

Every rule cites the statute section, statutory instrument or Code of Practice paragraph it
applies, at the branch that applies it. Instants are timezone-aware; day boundaries are taken
in Europe/London.
"""
