"""Words of questions that carry no topic: grammar, question words, and the nouns of the domain
itself ("pipeline", "run"). Folded (no accents, lowercase)."""
from __future__ import annotations

import re

from ..statuses import QUESTION_PHRASES as STATUS_PHRASES
from ..statuses import QUESTION_WORDS as STATUS_WORDS
from ..statuses import status_of_word

__all__ = ["STOP", "FRENCH", "ENGLISH", "CUE_WORDS", "STATUS_PHRASES", "STATUS_WORDS", "status_of_word",
           "inversion_base"]

FRENCH = frozenset("""
quel quelle quels quelles combien hier echec echecs echoue echoues les des pour est sont pourquoi et du de la le
aujourd semaine derniere dernier erreur erreurs depuis jours avant mois explique que qui ont il y a en sur avec dans
au aux veille lendemain cette ce cet matin soir nuit heures heure taux sauf hors quand nouvelles nouveaux jamais
tourne tous toutes tout ou pas plus moins entre apres midi minuit par rapport compare
""".split())
ENGLISH = frozenset("""
what which how many yesterday failed the for why is are and last week today did does was were errors error
failures since days explain show me of in on with about any there day before month morning evening night hours
hour rate except excluding when new never run ran stopped than compared versus between after noon all other
""".split())

_GRAMMAR = """
a an the to do does did done has have had having it its this that these those there here then than so as at by
be been being is are was were am of in on for from with without into onto about over under up down out off again
any some all each every both either neither no not nor only own same such too very can could will would shall
should may might must just also still yet even ever please pls thanks thank you your we our us me my mine i he she
they them their what which who whom whose why how when where while whether if else or and but because though
get got give gave show tell list find see look know let make made need want say said going go went
le la les l un une des du de d au aux ce ces cet cette mon ma mes ton ta tes son sa ses notre nos votre vos leur leurs
je tu il elle on nous vous ils elles me moi te toi se lui y en ne pas plus moins tres trop bien aussi encore deja
et ou mais donc or ni car que qu qui quoi dont quel quelle quels quelles lequel laquelle lesquels comment pourquoi
quand ou combien est sont etait etaient ete etre avoir a ai as avons avez ont eu fait faire fais font peux peut
pouvez voudrais veux donne donner montre montrer dis dire liste lister affiche afficher voir savoir svp stp merci
c s t j n m qu jusqu lorsqu puisqu quelqu est-ce qu'est-ce est-il est-elle y-a-t-il a-t-il t-il
voici voila cela ceci ca ici la-bas what's whats it's isn't aren't don't doesn't didn't can't won't
isn aren don doesn didn won wasn weren couldn wouldn shouldn hasn haven hadn cannot mustn needn
sur sous dans avec sans pour par entre vers chez depuis pendant avant apres selon contre
one ones ceux celles celui celle-ci celui-ci ceux-ci celles-ci
""".split()
_DOMAIN = """
pipeline pipelines job jobs run runs running execution executions exec flux flow flows dag dags traitement
traitements workflow workflows tache taches task tasks batch batches chaine chaines passage passages instance
techno technos technologie technologies tech techs stack stacks outil outils tool tools systeme systemes system systems
plateforme plateformes platform platforms source sources
status statut statuts etat etats state result resultat resultats
fois times time nombre number count total totaux totale
message messages log logs record records enregistrement enregistrements ligne lignes line lines entry entries
bot flowrag hey salut bonjour hello hi yo ok okay alors bon voila
jour jours day days semaine semaines week weeks mois month months annee year heure heures hour hours minute minutes
aujourd hui today yesterday hier matin morning soir evening nuit night midi noon minuit midnight overnight
lundi mardi mercredi jeudi vendredi samedi dimanche monday tuesday wednesday thursday friday saturday sunday
dernier derniere derniers dernieres last past previous precedent precedente precedents passe passee prochain next
current actuel actuelle courant courante ago il_y_a recent recents recemment recently latest
premier premiere premiers first
janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre january february march
april june july august september october november december week-end weekend
""".split()
# Words that only cue a measure or a comparison: never a topic.
CUE_WORDS = frozenset("""
combien many much nombre number distinct distincts distinctes different differents differentes unique uniques
taux rate ratio pourcentage percentage percent proportion part share reussite fiabilite reliability
quand when heure hour time moment date timestamp debut commence started start began begin
demarre demarree demarres demarrees demarrer demarrent
nouveau nouveaux nouvelle nouvelles new jamais never vu vus vue vues seen apparu apparus apparue apparues appeared
silencieux silencieuse silencieuses muet muets quiet silent reporting stopped tourne tourner tournent
consecutifs consecutives consecutive affilee row streak suite toujours still keeps keep continue
several plusieurs multiple
tendance trend trends evolution compare comparer compared comparaison versus vs contre rapport
sauf hors excepte exceptes except excluding exclude autre autres other apart part
top plus most moins least pire pires worst biggest
repartition breakdown detail details ventilation
pourquoi why explique expliquer explain cause causes raison raisons reason reasons root
quoi what happened passe
par per by each chaque selon
tous toutes tout all every
hormis excepting besides sans without minus moins aside
take takes took taken taking prendre prend pris dure dura durer lasted mis mettre met mettent
compris inclus incluse incluses included including inclut
often souvent frequently frequemment
fraction pct pourcent hear heard entendu nouvelles anything something quelque chose
""".split())
STOP = frozenset(_GRAMMAR) | frozenset(_DOMAIN) | FRENCH | ENGLISH


# a French inversion's pronoun (« ont-elles », « a-t-il », « plante-t-elle »): grammar, not part of the word
_INVERSION = re.compile(r"^(\w+?)-(?:t-)?(?:il|ils|elle|elles|on)$")


def inversion_base(word: str) -> str:
    """« ont-elles » → « ont », « a-t-il » → « a »; any other word as it is."""
    m = _INVERSION.match(word)
    return m.group(1) if m else word
