# ruff: noqa: E501  (lexicon tables: one alternative per line reads better than wrapped regex fragments)
"""How a reply sounds: condescending (talking down), hostile or impatient (outbursts, shouting,
blaming the customer) and robotic (boilerplate no person would say). Empathy is not a look-alike to
punish: "I understand this is frustrating", "this was not your fault"."""

from __future__ import annotations

import re
from itertools import pairwise

from socialdesk.policy.checks.text import Finding, negated, sentences, words

CONDESCENSION_RULE = "no_condescension"
HOSTILE_RULE = "hostile_tone"
ROBOTIC_RULE = "robotic"

_SAID = r"(?:said|mentioned|explained|told you|stated|pointed out|wrote|indicated)"
CONDESCENSION = re.compile(
    words(
        # English
        rf"as (?:i|we)(?: have|'ve)? (?:already|previously|clearly) {_SAID}",
        r"as (?:i|we) (?:said|told you)",
        r"(?:like|as) i (?:said|told you)",
        rf"as (?:already|previously|clearly) {_SAID}",
        r"as (?:we|i)(?:'ve| have) told you",
        r"obviously",
        r"evidently",
        r"clearly (?:states?|stated|explained|says|written|shown|you)",
        r"as anyone (?:can|could|would) (?:see|tell)",
        r"(?:you|u) (?:should|could|would) have (?:read|checked|known|looked|noticed|seen|realised|realized)",
        r"if you (?:had|would have|'d) (?:read|bothered|paid attention|checked|listened|looked)",
        r"(?:did|do) you (?:even )?(?:bother|read|try|look)(?: to)?",
        r"(?:it's|it is|this is|that's|that is) (?:not|really not|hardly) (?:that|so|very|rocket) "
        r"(?:hard|difficult|complicated|science)",
        r"(?:it's|it is) (?:really |quite |very )?(?:simple|easy|basic)(?:,| really| enough)",
        r"(?:simply|just) read",
        r"(?:read|check) the (?:faq|manual|instructions|terms|small print|user guide)(?: first| next time| properly)",
        r"for the (?:second|third|fourth|last|hundredth|umpteenth|nth) time",
        r"let me (?:explain|say) (?:it |this )?(?:again|slowly|one more time|more simply)",
        r"(?:one more|once more|yet again), ",
        r"everyone knows",
        r"(?:surely|i'm sure) (?:even )?you (?:know|understand|can)",
        r"you (?:clearly|obviously) (?:didn't|did not|haven't|have not|don't|do not)",
        r"try reading",
        r"as (?:is|was) (?:clearly|plainly) (?:stated|written|explained)",
        rf"(?:as|like) (?:i|we)(?:'ve| have)? {_SAID}(?: it| this| that)? (?:twice|before|already|repeatedly|several times|many times|more than once|yesterday|earlier)",
        r"like (?:i|we) (?:said|told you|mentioned|explained)",
        rf"as {_SAID}(?: in detail| at length)? (?:before|earlier|previously|already)",
        r"(?:maybe|perhaps) next time,? (?:try |please |just )?(?:check|read|look|open)",
        r"next time,? (?:\w+ )?(?:check|read|look at)(?: \w+){0,3} before",
        r"anyone (?:can|could) (?:see|tell|understand)",
        r"(?:i'll|let me|we'll|i will|we will) (?:go|say it|explain it|spell it out|type) (?:really |very )?slowly",
        r"slowly this time",
        r"(?:this|it|that)(?:'s| is) (?:really |pretty |very )?(?:basic|elementary) stuff",
        r"(?:not sure|don't know) how else to (?:put|say|explain) (?:it|this)",
        r"(?:you|to|try|please) actually (?:read|open|check|look)\w*",
        r"(?:clearly|obviously|apparently) (?:haven't|didn't|did not|have not|never) (?:read|opened|checked|looked)",
        # Spanish
        r"como ya (?:te |le |les |os |se (?:te |le )?)?(?:(?:he|hemos|habia|habiamos) )?(?:dij\w*|dich[oa]|"
        r"expli\w*|coment\w*|indic\w*|inform\w*)",
        r"como (?:te|le|les|os) (?:dije|decia|hemos dicho|dijimos|explique|explicamos)",
        r"obviamente",
        r"evidentemente",
        r"es (?:muy |bastante )?(?:obvio|evidente|logico) que",
        r"(?:deberias|deberia|tendrias que|tendria que|tenias que|tenia que) haber (?:leido|mirado|revisado|"
        r"comprobado|leido)",
        r"si (?:te |se |lo )?(?:hubieras|hubiera|hubiese|hubieses) (?:leido|mirado|revisado|prestado atencion)",
        r"(?:lee|lea|leete|leanse|leerse) (?:bien )?(?:las|los|el|nuestras) (?:preguntas frecuentes|faq|condiciones|"
        r"instrucciones|manual)",
        r"no es (?:tan|nada|muy) (?:dificil|complicado)",
        r"no es (?:ciencia|fisica) (?:espacial|cuantica)",
        r"por (?:segunda|tercera|enesima|ultima) vez",
        r"(?:te|se lo|se) (?:lo )?(?:vuelvo|volvemos) a explicar",
        r"cualquiera (?:sabe|entiende|puede|ve|lo ve)",
        r"(?:te|se) lo (?:repito|explico|vuelvo a explicar) (?:despacio|otra vez|lentamente)",
        r"como es (?:logico|obvio)",
        # Portuguese
        r"como (?:eu )?(?:ja )?(?:disse|falei|expliquei|mencionei|informei)",
        r"como (?:eu |nos )?ja (?:te |lhe )?(?:(?:tinha|tinhamos|havia) )?(?:disse\w*|dissemos|dito|fal\w*|expli\w*|"
        r"mencion\w*|inform\w*|foi (?:dito|explicado|informado))",
        r"e (?:obvio|evidente) que",
        r"(?:voce|vc|tu) (?:deveria|devia|deverias) ter (?:lido|verificado|visto|olhado|conferido)",
        r"se (?:voce |vc )?(?:tivesse|tivesses) (?:lido|prestado atencao|verificado)",
        r"(?:leia|le) (?:o|a|os|as|nosso|nossa) (?:faq|perguntas frequentes|manual|termos|regulamento)",
        r"nao e (?:tao|nada|muito) (?:dificil|complicado)",
        r"pela (?:segunda|terceira|enesima|ultima) vez",
        r"qualquer (?:um|pessoa) (?:sabe|entende|consegue|percebe|ve)",
        r"(?:explico|repito) (?:de novo |outra vez )?devagar",
        r"vou (?:explicar|repetir) (?:de novo|novamente|mais uma vez|devagar)",
        # French
        r"comme (?:je|nous|on) (?:vous |te )?l'(?:ai|avons|a) (?:deja )?(?:dit|explique|indique|precise|ecrit|mentionne|repete)",
        r"(?:si vous aviez|si tu avais|vous auriez) pris la peine",
        r"il est (?:evident|clair|manifeste) que (?:vous|tu)",
        r"n'importe qui (?:peut|sait|comprend|voit)",
        r"je (?:vous )?(?:le )?(?:reexplique|repete|redis) (?:lentement|doucement)",
        r"comme (?:deja|precedemment) (?:dit|explique|indique|precise|mentionne)",
        r"comme (?:je|nous) (?:vous |te )?(?:le )?(?:disais|disions)",
        r"(?:bien )?evidemment",
        r"de toute evidence",
        r"manifestement",
        r"(?:vous auriez|tu aurais) du (?:lire|verifier|consulter|regarder|savoir)",
        r"si (?:vous aviez|tu avais) (?:lu|verifie|consulte|fait attention)",
        r"(?:lisez|lis|relisez|consultez) (?:donc |d'abord )?(?:la|les|notre|nos) (?:faq|conditions|mode d'emploi|"
        r"notice|cgv)",
        r"ce n'est (?:pourtant )?pas (?:si|tres|bien) (?:complique|difficile|sorcier)",
        r"c'est pourtant (?:simple|clair|facile)",
        r"pour la (?:deuxieme|troisieme|enieme|derniere|dixieme) fois",
        r"tout le monde (?:sait|comprend)",
        r"je (?:vous )?(?:le )?(?:repete|reexplique)",
        # German
        r"wie (?:ich|wir) (?:ihnen |dir )?(?:bereits|schon) (?:sagte|sagten|gesagt|erklart|erwahnt|geschrieben|"
        r"mitgeteilt)\w*",
        r"wie bereits (?:gesagt|erwahnt|erklart|geschrieben|mitgeteilt)",
        r"offensichtlich",
        r"(?:hatten|hattest) (?:sie|du) (?:\w+ ){0,4}(?:gelesen|gepruft|nachgeschaut)",
        r"(?:lesen sie|lies) (?:doch|einfach|erst mal|zuerst|mal) (?:die|unsere|das|unser)",
        r"(?:so|wirklich|doch nicht) (?:schwer|kompliziert) ist (?:das|es) (?:doch )?nicht",
        r"ist (?:doch|wirklich|eigentlich) nicht (?:so )?(?:schwer|kompliziert)",
        r"zum (?:zweiten|dritten|x-ten|hundertsten|letzten) mal",
        r"das weiss (?:doch )?jeder",
        r"(?:eigentlich|doch) (?:klar|selbsterklarend|ganz einfach)",
        r"noch einmal (?:ganz )?langsam",
        r"(?:offenbar|offensichtlich|anscheinend) (?:\w+ ){0,3}(?:nicht|nie) (?:gelesen|angesehen|angeschaut|gepruft)",
        r"jeder (?:sieht|weiss|versteht|kann sehen)",
    )
)
# "Obviously this is frustrating" is empathy, not talking down.
_EMPATHY_AFTER = re.compile(
    r"^[, ]*(?:this|that|it|que|c'|das)?(?:'s| is| was| es| e| est|est| ist)? ?(?:un |una |um |uma )?"
    r"(?:not|frustrating|annoying|unacceptable|our (?:fault|mistake)|we (?:messed|got|should|made|dropped|failed)|no es|nuestra culpa|frustrante|fastidio|"
    r"molest\w*|inaceptable|nao e|chat\w*|ce n'est pas|frustrant|agacant|penible|inacceptable|nicht|argerlich|"
    r"unser fehler)"
)


def empathetic_after(folded: str, end: int) -> bool:
    """ "Obviously frustrating, I know": what follows the words makes them empathy."""
    return _EMPATHY_AFTER.match(folded[end : end + 25]) is not None


HOSTILE = re.compile(
    words(
        # English
        r"calm down",
        r"cool (?:down|it)",
        r"calm yourself",
        r"(?:do|say) (?:what|whatever) you (?:want|like)",
        r"whatever,",
        r"stop (?:tagging|sending|writing|bothering|harassing|posting|calling|contacting|pestering|spamming|messaging|dming) (?:us|our|me|the same|every)",
        r"enough already",
        r"(?:just|only|simply|purely) to (?:annoy|upset|bother|irritate|spite) you",
        r"(?:told|answered|said|explained|replied)(?: \w+){0,2} (?:a hundred|a thousand|a million|hundreds of|a dozen|\d+|three|four|five|six|ten|twenty) times",
        r"for the last time ?[:,]",
        r"nobody (?:here )?is lying",
        r"that's not how (?:any of )?(?:this|it) works",
        r"(?:a )?waste of (?:our|my) time",
        r"wasting (?:our|my) time",
        r"if you(?: had|'d) (?:paid|kept|looked after|been (?:more )?careful|followed|listened|taken care)",
        r"if you don't like it,? (?:you can |feel free to |just |then )?(?:go|leave|switch|find|change|take)",
        r"there's the door",
        r"another (?:lovely|charming|delightful|pleasant|polite|nice) (?:message|tweet|comment|dm)",
        r"really makes (?:us|me) want to help",
        r"chill out",
        r"relax,",
        r"settle down",
        r"stop (?:complaining|yelling|shouting|spamming|whining|moaning|messaging us|tagging us|being rude)",
        r"(?:that's|that is|it's|it is|this is) (?:your|not our|not my) (?:problem|issue|fault)",
        r"(?:it's|it is|this is|that's|that is|was) (?:entirely |all |totally )?your (?:own )?fault",
        r"your (?:own )?fault",
        r"not our (?:problem|fault|responsibility)",
        r"you (?:broke|caused|messed up|ruined|damaged|did) (?:it|this|that|the)",
        r"if you (?:can't|cannot|couldn't) (?:read|follow|understand)",
        r"deal with it",
        r"take it or leave it",
        r"(?:go|feel free to go|you can go) (?:elsewhere|somewhere else|to another (?:provider|bank|company))",
        r"nobody forced you",
        r"you people",
        r"stop wasting (?:our|my) time",
        r"how many times (?:do|must|have|should) (?:we|i)",
        r"(?:we|i) (?:already|have already|'ve already) told you",
        r"(?:cuantas|quantas) veces (?:te|lhe|tenemos|temos|hay|vamos)",
        r"ya te lo (?:dijimos|hemos dicho|dije)",
        r"combien de fois (?:faut-il|devons-nous|vous)",
        r"wie oft (?:noch|denn noch|sollen wir|mussen wir)",
        r"(?:are you serious|seriously(?:,? \w+)?\?|you can't be serious)",
        r"what part of .{1,40} (?:don't|do not) you (?:understand|get)",
        r"shut up",
        r"grow up",
        r"(?:we|i) (?:don't|do not) (?:care|have time for this)",
        r"(?:enough|that's enough)!",
        r"whatever[.!]",
        r"your (?:problem|issue), not ours",
        # Spanish
        r"(?:calmate|calmese|tranquilizate|tranquilicese|relajate|relajese)",
        r"deja de (?:quejarte|escribir|gritar|insistir|molestar|mandar\w*|enviar\w*|spamear|etiquetar\w*|repetir)",
        r"deje de (?:quejarse|escribir|gritar|insistir|molestar|mandar\w*|enviar\w*|etiquetar\w*|repetir)",
        r"(?<!como )ya te (?:lo )?(?:hemos|habiamos|he) (?:contestado|respondido|dicho)",
        r"no es (?:cosa|problema|asunto) (?:nuestr[oa]|mi[oa])",
        r"por ultima vez ?[:,]",
        r"(?:dicho|repetido|explicado|contestado|respondido) (?:\w+ )?mil veces",
        r"si no (?:te|le) gusta,? (?:ahi tienes|vete|vayase|cambiate|cambiese|busca|busque|ya sabes)",
        r"ahi tienes la puerta",
        r"si (?:hubieras|hubiera|hubiese|hubieses) (?:pagado|cuidado|hecho caso|seguido)",
        r"(?:solo|solamente) para (?:molestarte|fastidiarte|molestarle|fastidiarle|molestar)",
        r"asi da gusto ayudar",
        r"no es (?:nuestro|mi) problema",
        r"(?:es|fue) (?:tu|su) (?:culpa|problema)",
        r"la culpa es (?:tuya|suya)",
        r"por tu culpa",
        r"por su culpa",
        r"(?:tu|usted) (?:lo )?(?:rompiste|rompio|estropeaste|estropeo)",
        r"no tenemos tiempo para (?:esto|tonterias)",
        r"(?:haz|haga) lo que (?:quieras|quiera)",
        r"(?:buscate|busquese|vete|vayase) (?:a )?otra (?:compania|operadora|empresa)",
        r"(?:que|cual) parte de .{1,40} no (?:entiendes|entiende)",
        r"ya basta",
        r"(?:nos|me) da igual",
        r"no (?:me|nos) (?:hagas|haga|hagais|hagan) perder (?:mas |el |nuestro |mi )*tiempo",
        r"¿en serio\?",
        r"con esa actitud",
        # Portuguese
        r"(?:acalme-se|se acalme|calma ai|calma la|fica calmo|fique calmo|relaxa)",
        r"pare de (?:reclamar|gritar|insistir|encher|mandar\w*|enviar\w*|escrever|marcar\w*|repetir)",
        r"(?:nao e|isso nao e) (?:problema|assunto) (?:nosso|meu)",
        r"pela ultima vez ?[:,]",
        r"(?:dissemos|respondemos|explicamos|repetimos|dito|respondido|explicado) (?:\w+ )?mil vezes",
        r"se (?:voce |vc )?(?:tivesse|tivesses) (?:pago|pagado|cuidado|seguido)",
        r"(?:faca|faz|fazer|fazendo) (?:\w+ )?perder (?:o |mais |nosso )*tempo",
        r"se nao (?:gosta|gostas|esta satisfeito),? (?:mude|procure|va|troque)",
        r"(?:mude|troque) de operadora",
        r"(?:so|apenas) para (?:o |a |te |lhe )?(?:chatear|irritar|aborrecer|incomodar)",
        r"ninguem (?:aqui )?(?:esta a mentir|esta mentindo|lhe mentiu|te mentiu)",
        r"nao e (?:nosso|meu) problema",
        r"(?:a )?culpa e (?:sua|tua|de voce)",
        r"(?:e|foi) culpa (?:sua|tua)",
        r"por culpa (?:sua|tua)",
        r"(?:voce|vc) (?:quebrou|estragou|danificou)",
        r"nao temos tempo para",
        r"(?:faca|faz) o que quiser",
        r"procure outra (?:operadora|empresa|companhia)",
        r"(?:que|qual) parte de .{1,40} (?:voce|vc) nao entende",
        r"chega!",
        r"tanto faz",
        r"(?:e|isso e) problema seu",
        # French
        r"calmez-vous",
        r"calme-toi",
        r"du calme",
        r"arretez de (?:vous plaindre|crier|raler|nous ecrire|insister|nous harceler|spammer|nous spammer|relancer|nous relancer|nous taguer|nous identifier|repeter)",
        r"(?:ce n'est|c'est) pas (?:notre|mon) (?:affaire|probleme|souci)",
        r"pour la derniere fois ?[:,]",
        r"(?:dit|repete|explique|repondu) (?:\w+ )?(?:cent|mille) fois",
        r"si (?:vous aviez|tu avais) (?:paye|fait attention|suivi)",
        r"perdre (?:notre|mon) temps",
        r"si (?:ca|cela) ne vous (?:plait|convient) pas,? (?:changez|allez|partez)",
        r"changez d'operateur",
        r"(?:juste|rien que|uniquement) pour vous (?:embeter|enerver|agacer|ennuyer)",
        r"(?:ca|cela) donne envie de (?:vous |t')?aider",
        r"encore un (?:message|commentaire) (?:charmant|sympathique|adorable|aimable)",
        r"personne ne vous ment",
        r"ce n'est pas (?:notre|mon) (?:probleme|souci)",
        r"(?:c'est|c'etait) (?:de )?(?:votre|ta) faute",
        r"(?:c'est|c'etait) (?:votre|ton) probleme",
        r"vous (?:l'avez|avez) (?:casse|abime|endommage)",
        r"(?:on n'a|nous n'avons) pas (?:que ca a faire|le temps pour)",
        r"(?:allez|va) voir ailleurs",
        r"faites ce que vous voulez",
        r"quelle partie de .{1,40} ne comprenez-vous pas",
        r"ca suffit",
        r"serieusement\s?\?",
        r"tant pis pour vous",
        # German
        r"beruhigen sie sich",
        r"beruhig dich",
        r"bleiben sie (?:mal )?(?:ruhig|sachlich)",
        r"immer mit der ruhe",
        r"(?:horen sie|hor) (?:\w+ )?auf(?:,| zu| sich| mit)",
        r"dafur (?:konnen|kann) (?:wir|ich) nichts",
        r"nicht unsere sache",
        r"zum letzten mal ?[:,]",
        r"(?:schon|bereits) (?:hundert|tausend|zig|x-)mal",
        r"(?:unsere|meine) zeit (?:zu )?(?:verschwenden|stehlen)",
        r"jetzt mal langsam",
        r"(?:langsam |jetzt )?reicht(?:'s| es)(?: jetzt| langsam)?[.!]",
        r"wenn (?:es|das) ihnen nicht (?:passt|gefallt),? (?:wechseln|gehen|suchen)",
        r"wechseln sie (?:eben|doch|halt) (?:den anbieter|zur konkurrenz)",
        r"na toll",
        r"noch so eine? (?:freundliche|nette|charmante) (?:nachricht|mail)",
        r"niemand (?:hier )?lugt",
        r"nur um (?:sie|dich) zu (?:argern|nerven)",
        r"hatten sie (?:\w+ ){0,3}(?:bezahlt|aufgepasst|befolgt)",
        r"(?:das ist )?nicht unser problem",
        r"(?:das ist )?ihr problem",
        r"(?:ist|war) (?:ihre|deine) (?:eigene )?schuld",
        r"selbst schuld",
        r"ihr eigenes verschulden",
        r"sie haben (?:es|das|das gerat|ihr handy) (?:selbst )?(?:kaputt gemacht|beschadigt|zerstort)",
        r"(?:wir haben|ich habe) (?:keine|nicht) zeit fur",
        r"(?:gehen|wechseln) sie (?:doch )?(?:zur konkurrenz|zu einem anderen anbieter)",
        r"machen sie (?:doch )?,? was sie wollen",
        r"welchen teil von .{1,40} verstehen sie nicht",
        r"jetzt reicht(?:'s| es)",
        r"ernsthaft\s?\?",
        r"pech gehabt",
    )
)

ROBOTIC = re.compile(
    words(
        # English
        r"(?:we |i )?(?:apologi[sz]e|are sorry|am sorry|sincerely apologi[sz]e|regret) for any (?:inconvenience|"
        r"trouble|disruption)(?: (?:this|that|it) may have caused| caused)?",
        r"(?:sorry|apologies) for any inconvenience(?: (?:this|that|it) may have caused| caused)?",
        r"(?:we |i )?apologi[sz]e for the inconvenience caused",
        r"any inconvenience (?:this|that|it) may have caused",
        r"your (?:call|message|query|enquiry|inquiry|request|business|feedback|custom) is (?:very )?important to us",
        r"this is an automated (?:message|response|reply|email)",
        r"(?:please )?do not reply to this (?:message|email)",
        r"dear (?:valued |esteemed )?(?:customer|client|user|sir or madam|sir/madam)",
        r"valued customer",
        r"(?:please|kindly) be advised",
        r"kindly note that",
        r"we regret to inform you",
        r"your satisfaction is our (?:top |highest |number one )?priority",
        r"thank you for your (?:patience and understanding|understanding and cooperation)",
        # Spanish
        r"(?:disculpe|disculpa|disculpen|perdone|lamentamos|sentimos|pedimos disculpas por) (?:las|cualquier|"
        r"todas las)? ?(?:molestias|inconvenientes?)(?: que (?:esto |esta situacion )?(?:le |te |les )?(?:haya|hayan|"
        r"pueda|puedan) (?:podido )?(?:causar|causado|ocasionar|ocasionado)| ocasionad[oa]s| causad[oa]s)",
        r"(?:disculpe|disculpen|lamentamos|sentimos|pedimos disculpas por) (?:cualquier|todas las) "
        r"(?:molestia|inconveniente)s?",
        r"(?:su|tu) (?:llamada|mensaje|consulta|opinion) es (?:muy )?importante para nosotros",
        r"(?:este|esto) es un (?:mensaje|correo|respuesta) automatic[oa]",
        r"respuesta automatica",
        r"(?:estimad[oa]|apreciad[oa]|querid[oa]) client[ea]",
        r"(?:por favor,? )?no responda a este (?:mensaje|correo)",
        r"lamentamos (?:informarle|comunicarle)",
        # Portuguese
        r"(?:pedimos desculpas|lamentamos|desculpe|desculpa) (?:por |pel[oa]s? )?(?:qualquer|quaisquer) "
        r"(?:inconveniente|transtorno|incomodo)s?",
        r"(?:inconveniente|transtorno|incomodo)s? (?:causad[oa]s?|que (?:isso )?possa(?:m)? ter causado)",
        r"(?:sua|tua) (?:ligacao|mensagem|chamada|opiniao) e (?:muito )?importante para nos",
        r"(?:esta e uma|e uma) (?:mensagem|resposta) automatica",
        r"(?:mensagem|resposta) automatica",
        r"(?:prezad[oa]|car[oa]|estimad[oa]) client[ea]",
        r"nao responda a esta (?:mensagem|e-?mail)",
        # French
        r"(?:nous nous excusons|veuillez nous excuser|nous sommes desoles|nous vous prions de nous excuser) "
        r"(?:pour|de) (?:la gene|tout desagrement|les desagrements|le desagrement|les inconvenients)"
        r"(?: (?:occasionnee?s?|causee?s?))?",
        r"(?:la gene|le desagrement|les desagrements) occasionnee?s?",
        r"votre (?:appel|message|demande) (?:est|nous est) (?:tres )?(?:important|precieux|precieuse|importante)",
        r"(?:ceci est un|ce) (?:message|courriel) automatique",
        r"reponse automatique",
        r"(?:cher|chere|cher\(e\)|tres cher) client(?:e|\(e\))?",
        r"merci de ne pas repondre a ce (?:message|courriel)",
        r"nous vous prions d'agreer",
        # German
        r"(?:wir )?(?:entschuldigen (?:uns|sie)|bitten um entschuldigung|bedauern) (?:fur )?(?:die|alle|"
        r"eventuelle|etwaige|eventuell) (?:entstandenen |dadurch entstandenen )?unannehmlichkeiten",
        r"(?:etwaige|eventuelle|eventuell entstandene|entstandene) unannehmlichkeiten",
        r"ihr (?:anruf|anliegen) ist uns (?:sehr )?wichtig",
        r"(?:dies ist eine|diese) automatische (?:nachricht|antwort|e-?mail)",
        r"automatisch (?:erstellte|generierte) nachricht",
        r"(?:sehr )?geehrte(?:r)? (?:kundin|kunde|damen und herren)",
        r"(?:lieber|liebe|geschatzte|geschatzter) (?:kunde|kundin)",
        r"antworten sie nicht auf diese",
    )
)

# Words that are capitals by nature, not by shouting.
_ACRONYMS = {
    "DM",
    "DMS",
    "SMS",
    "PIN",
    "PUK",
    "IBAN",
    "FAQ",
    "ID",
    "URL",
    "UK",
    "EU",
    "USA",
    "DNI",
    "NIE",
    "NIF",
    "CPF",
    "RG",
    "CEP",
    "SIM",
    "ESIM",
    "IMEI",
    "CVV",
    "OK",
    "USB",
    "TV",
    "GB",
    "MB",
    "KB",
    "TB",
    "WIFI",
    "WI-FI",
    "ADSL",
    "VDSL",
    "FTTH",
    "LTE",
    "APN",
    "VPN",
    "IP",
    "DNS",
    "PDF",
    "ASAP",
    "FYI",
    "MD",
    "MP",
    "PN",
    "NB",
    "PS",
    "AM",
    "PM",
    "CET",
    "CEST",
    "UTC",
    "GMT",
    "BST",
    "EUR",
    "USD",
    "GBP",
    "IVA",
    "VAT",
    "MWST",
    "AGB",
    "CGV",
    "RGPD",
    "DSGVO",
    "GDPR",
    "NFC",
    "QR",
    "OTP",
    "TAN",
    "APP",
    "IOS",
    "HD",
    "4G",
    "5G",
    "3G",
    "2FA",
    "ATM",
    "HTTP",
    "HTTPS",
    "WWW",
    "SAT",
    "SEPA",
    "SWIFT",
    "BIC",
    "NIB",
    "MB WAY",
}
_CAPS_WORD = re.compile(r"(?<![\w^])[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ'-]*[A-ZÀ-ÖØ-Þ](?![\w])")
_OUTBURST = re.compile(r"[!?]*(?:!{3,}|\?!|!\?)[!?]*")


# Only a bare "obviously" can turn into empathy; "as I already said, we…" stays talking down.
_BARE_ADVERBS = frozenset(
    {
        "obviously",
        "evidently",
        "obviamente",
        "evidentemente",
        "evidemment",
        "bien evidemment",
        "offensichtlich",
    }
)


def condescension(text: str, folded: str) -> list[Finding]:
    return [
        Finding(
            CONDESCENSION_RULE,
            match.start(),
            match.end(),
            "talks down to the customer; say it plainly and kindly",
        )
        for match in CONDESCENSION.finditer(folded)
        if match.group(0).strip() not in _BARE_ADVERBS or not empathetic_after(folded, match.end())
    ]


def hostility(text: str, folded: str, brand_words: frozenset[str] = frozenset()) -> list[Finding]:
    findings = [
        Finding(
            HOSTILE_RULE, match.start(), match.end(), "sounds impatient or hostile, or blames the customer"
        )
        for match in HOSTILE.finditer(folded)
        if not negated(folded, match.start(), window=15)
    ]
    findings.extend(_shouting(text, brand_words))
    findings.extend(
        Finding(HOSTILE_RULE, match.start(), match.end(), "is an outburst; keep the punctuation calm")
        for match in _OUTBURST.finditer(text)
    )
    return findings


def _shouting(text: str, brand_words: frozenset[str]) -> list[Finding]:
    """Capitals as shouting: two or more capitalised words in a row, or one of five letters or more,
    not counting acronyms, the brand's name and the agent's initials in the signature."""
    shouted = [
        match
        for match in _CAPS_WORD.finditer(text)
        if match.group(0) not in _ACRONYMS and match.group(0) not in brand_words
    ]
    findings = []
    # Short capitals ("NO", "NOT") shout when two of them share a sentence.
    for start, end in sentences(text):
        inside = [m for m in shouted if start <= m.start() < end]
        if len(inside) >= 2 and not _adjacent(text, inside):
            findings.append(
                Finding(
                    HOSTILE_RULE,
                    inside[0].start(),
                    inside[-1].end(),
                    "is written in capitals, which reads as shouting",
                )
            )
    index = 0
    while index < len(shouted):
        run = [shouted[index]]
        while index + 1 < len(shouted) and text[run[-1].end() : shouted[index + 1].start()].strip(" ,") == "":
            index += 1
            run.append(shouted[index])
        if len(run) >= 2 or len(run[0].group(0)) >= 5:
            findings.append(
                Finding(
                    HOSTILE_RULE,
                    run[0].start(),
                    run[-1].end(),
                    "is written in capitals, which reads as shouting",
                )
            )
        index += 1
    return findings


def _adjacent(text: str, run: list[re.Match[str]]) -> bool:
    return all(text[a.end() : b.start()].strip(" ,") == "" for a, b in pairwise(run))


def robotic(text: str, folded: str) -> list[Finding]:
    return [
        Finding(
            ROBOTIC_RULE,
            match.start(),
            match.end(),
            "is boilerplate no person would say; write it in your own words",
        )
        for match in ROBOTIC.finditer(folded)
    ]
