"""Input formats: one module per format, the field/text normalisation they share, and the registry.

========================  ===================================================================
``disclosures``           the trade-parser registry (:data:`PARSERS`, ``detect_source``,
                          ``read_disclosures``) over the per-format readers below
``senate``                Senate daily summaries and the aggregate transactions file
``house``                 House transactions JSON
``csv_trades``            any trades CSV with a column mapping
``trade_rows``            building canonical trade rows and rejects shared by the readers
``fields``, ``text``      owner/side/amount/asset-type vocabularies, text and name cleaning
``prices``                prices and securities (``price_formats`` holds the file layouts)
``french``                Kenneth French's factor files
``option_chains``         option-chain quotes
``legislators``, ``names`` the congress-legislators tables and name normalisation
``readers``               the reader of each ingest kind (what the store knows sources by)
========================  ===================================================================
"""
