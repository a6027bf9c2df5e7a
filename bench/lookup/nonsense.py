"""Inputs that match nothing in the logs: (text, lang, unknown_words).

Gibberish, and jargon that no Loghub line contains, some attached to a real technology name. A
correct answer says it does not know these words (and does not answer with unrelated records);
`unknown_words` are the content words its notice should name: each occurs in the text and, as
`truth.lint_nonsense` checks, in no log line or pipeline name. Half French, half English.
"""
from __future__ import annotations

INPUTS = [
    # gibberish
    ("blorp zizzle wibble ?", "en", ("blorp", "zizzle", "wibble")),
    ("xqzv plonk ?", "en", ("xqzv", "plonk")),
    ("how many grumbleflaps did the snorkwidget emit?", "en", ("grumbleflaps", "snorkwidget")),
    ("list the quibbix that frazzled", "en", ("quibbix", "frazzled")),
    ("when did the vorpal gronk last sploink?", "en", ("vorpal", "gronk", "sploink")),
    ("flibbertigibbet wozzle ?", "en", ("flibbertigibbet", "wozzle")),
    ("bidule truc machin chouette ?", "fr", ("bidule", "truc", "machin", "chouette")),
    ("combien de schmilblicks ont glougloutté ?", "fr", ("schmilblicks", "glougloutté")),
    ("zorglub a-t-il fait pschitt ?", "fr", ("zorglub", "pschitt")),
    ("quand le barbapapa a-t-il tourneboulé pour la dernière fois ?", "fr", ("barbapapa", "tourneboulé")),
    ("grmbl pfff xyzzy", "fr", ("grmbl", "pfff", "xyzzy")),
    ("liste les trucmuches qui ont ratatouillé", "fr", ("trucmuches", "ratatouillé")),
    # jargon the logs do not contain
    ("is the flux capacitor desynchronised on the turbo-encabulator?", "en",
     ("flux", "capacitor", "desynchronised", "turbo-encabulator")),
    ("how many dilithium crystals did the warp core drain?", "en", ("dilithium", "crystals", "warp", "drain")),
    ("did the hyperdrive motivator overheat?", "en", ("hyperdrive", "motivator", "overheat")),
    ("which quantum entanglers decohered?", "en", ("quantum", "entanglers", "decohered")),
    ("le retro-encabulateur a-t-il surchauffé ?", "fr", ("retro-encabulateur", "surchauffé")),
    ("combien de photons la moulinette à gaufres a-t-elle perdus ?", "fr",
     ("photons", "moulinette", "gaufres", "perdus")),
    ("est-ce que le convecteur temporel est désaligné ?", "fr", ("convecteur", "temporel", "désaligné")),
    ("quels cristaux de dilithium ont fondu ?", "fr", ("cristaux", "dilithium", "fondu")),
    # a real technology name with words the logs do not contain
    ("why is Spark frobnicating the wibbles?", "en", ("frobnicating", "wibbles")),
    ("did ZooKeeper defenestrate the gazebo?", "en", ("defenestrate", "gazebo")),
    ("how many kumquats did HDFS juggle?", "en", ("kumquats", "juggle")),
    ("est-ce que Hadoop a marmonné des borborygmes ?", "fr", ("marmonné", "borborygmes")),
    ("pourquoi Apache a-t-il pétouillé les zigouigouis ?", "fr", ("pétouillé", "zigouigouis")),
    ("combien de licornes OpenStack a-t-il vaporisées ?", "fr", ("licornes", "vaporisées")),
    ("sshd a-t-il trébuché sur les farfadets ?", "fr", ("trébuché", "farfadets")),
    ("is BGL's plasma manifold leaking glitter?", "en", ("plasma", "manifold", "leaking", "glitter")),
]
