"""Language-aware text analysis shared by pillar classification (analytics) and audience keywords (audience).

- :mod:`.language` — the language of a text, detected offline (py3langid's bundled model), mixed texts too;
- :mod:`.stopwords` — stop words per language from maintained lists in packages;
- :mod:`.tokens` — words, content words, and Norwegian (and other compounding languages') compound matching.

Plain data in, plain data out; nothing is downloaded at run time.
"""
