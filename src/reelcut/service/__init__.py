"""``reelcut serve``: the HTTP API of hosted AI video editors' agent skills, on your machine.

Needs the ``serve`` extra (``pip install 'reelcut[serve]'``). Layout: ``settings`` (one
pydantic-settings class), ``db``/``models``/``migrations`` (SQLAlchemy 2 + alembic), ``storage``
and ``jobs`` (small protocols with local implementations), ``credits`` (the ledger and price
list), ``auth`` (tokens and dependencies), ``routes/`` (one module per resource), ``app``
(:func:`create_app`), ``errors`` (the envelope and the code table).
"""
