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
        r"(?:did you not|didn't you|have you not|haven't you) (?:even )?(?:read|see|seen|check|checked|look at|open|opened|get|got) (?:the|our|my|what|it|any)",
        r"(?:it's|it is|that's) (?:all )?(?:written |there )?in black and white",
        r"(?:it's|it is|this is) (?:as|really as|just as) (?:simple|easy) as",
        r"(?:even )?a (?:child|kid|five[- ]year[- ]old) (?:could|can) (?:do|understand|manage)",
        r"(?:pretty|fairly|really) self[- ]explanatory",
        r"(?:surely )?(?:you|u) (?:know|knew|realise|realize) (?:how to|that) (?:\w+ ){0,3}(?:restart|reset|read|turn)",
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
        r"(?:es|resulta) (?:tan|muy|super|bien) (?:sencillo|facil|simple) (?:como|que)",
        r"(?:negro sobre blanco|esta (?:bien )?claro en (?:las|los|el|la))",
        r"¿?no (?:has|ha|habeis|han) leido",
        r"¿?no (?:leiste|leyo|viste|vio) (?:el|la|los|las|nuestr\w*|lo que)",
        r"hasta un nino (?:puede|podria|sabe|lo)",
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
        r"(?:voce|vc|tu) nao (?:leu|viu|leste|viste) (?:o|a|os|as|nossa|nosso|a nossa|o nosso)",
        r"(?:e|eh) (?:tao|super|muito) (?:simples|facil) (?:como|quanto)",
        r"(?:esta|ta) (?:escrito )?(?:preto no branco|bem claro n[oa])",
        r"ate uma crianca (?:consegue|sabe|entende)",
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
        r"noir sur blanc",
        r"(?:vous n'avez|tu n'as) (?:donc |meme |visiblement )?pas lu",
        r"(?:c'est|c'etait) (?:aussi |tout aussi |pourtant )(?:simple|facile) (?:que|qu')",
        r"(?:c'est|il suffit de lire) (?:ecrit )?(?:en toutes lettres|noir sur blanc)",
        r"meme un enfant (?:peut|pourrait|sait|comprend)",
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
        r"wie (?:ich|wir) (?:ihnen |dir |euch )?(?:(?:bereits|schon|doch|mehrfach|mehrmals|oft|wiederholt|x-mal|zigmal) ){1,2}(?:sagte\w*|gesagt|erklart|erwahnt|geschrieben|mitgeteilt)",
        r"schwarz auf weiss",
        r"(?:haben sie|hast du) (?:\w+ ){0,3}(?:etwa |denn |uberhaupt )?nicht gelesen",
        r"(?:das )?(?:ist|war) (?:doch )?(?:so|ganz) einfach wie",
        r"(?:selbst|sogar) ein kind (?:kann|konnte|versteht|schafft)",
    )
)
# Written for drafts_w4's author set: general forms of talking down and of hostility in the five languages
# (kept apart from the tables above so each family reads as one block).
_A = r"['\u2019]"  # an apostrophe, straight or curly
CONDESCENSION_GENERAL = re.compile(
    words(
        # English
        rf"(?:let me|i{_A}ll|i will) (?:explain|say|put) (?:this|it|that) (?:slowly|very slowly|simply for you)",
        rf"i{_A}ll (?:try to )?(?:keep|make) (?:this|it) (?:simple|easy) for you",
        rf"i{_A}ll spell it out",
        r"even (?:a child|a kid|you) (?:can|could|would) (?:manage|do|understand|figure)",
        r"most (?:customers|people|users) (?:manage|figure|set|sort|work)(?: \w+){0,3} (?:by|on) (?:themselves|their own)",
        rf"(?:which|that) you (?:clearly|obviously|evidently) (?:haven{_A}t|didn{_A}t|did not|have not)",
        r"you (?:really )?should (?:really )?have (?:read|checked|looked|known)",
        r"not sure (?:how much clearer|how (?:else|much more clearly)) (?:we|i) can",
        rf"(?:i{_A}m |we{_A}re )?not sure what part of",
        rf"(?:people|those|folks) who (?:aren{_A}t|are not) (?:very |great |good |too )?(?:good with|techy|tech-savvy|comfortable with)",
        r"you might want to (?:read|check|look at) (?:your|the) (?:contract|terms|faq|manual|instructions) before",
        r"you must have (?:entered|typed|misread|pressed|forgotten|mixed)",
        r"(?:read|follow) (?:the |our )?(?:instructions|faq|terms|guide|manual) properly",
        r"as per (?:my|our) (?:last|previous|earlier) (?:message|reply|email|tweet)",
        r"(?:in bold|in capitals), no less",
        # Spanish
        r"te lo (?:explico|repito|digo) (?:muy )?(?:despacito|despacio)",
        r"(?:despacio|despacito) para que (?:lo )?(?:entiendas|pilles|entienda)",
        r"hasta un nino (?:sabria|podria|puede|lo)",
        r"la mayoria de (?:los |nuestros )?clientes (?:lo )?(?:configuran|consiguen|hacen|saben|resuelven)",
        r"(?:que|la cual) (?:esta claro|es evidente|se ve) que no (?:has|ha) (?:mirado|leido|visto)",
        r"no se (?:como decirlo|como explicarlo) mas claro",
        r"no se que parte de",
        r"(?:personas|gente) que no se manejan? bien con",
        r"quiza(?:s)? deberias (?:leer|leerte|revisar|mirar)",
        r"seguramente (?:metiste|pusiste|escribiste|te equivocaste|marcaste)",
        r"(?:lee|leas|lea) bien (?:las instrucciones|el contrato|las condiciones)",
        r"(?:tampoco|no) es tan (?:complicado|dificil)(?: de entender)?",
        r"es lo mas basico",
        r"para que cualquiera (?:las|lo|la|los) lea",
        # Portuguese
        r"vou (?:te )?explicar (?:bem )?devagar",
        r"devagar (?:pra|para) (?:voce )?entender",
        r"ate uma crianca (?:consegue|sabe|faz)",
        r"a (?:grande )?maioria dos clientes (?:consegue|nao tem (?:qualquer|nenhuma) dificuldade)",
        r"que (?:claramente|obviamente|pelos vistos) (?:voce )?nao (?:leu|viu|olhou)",
        r"nao sei como deixar mais claro",
        r"nao sei qual parte de",
        r"(?:quem|pessoas que) nao se da(?:o)? bem com (?:a )?tecnologia",
        r"talvez seja bom (?:ler|voce ler)",
        r"voce deve ter (?:digitado|colocado|escrito|confundido)",
        r"(?:ler|leia) (?:as instrucoes|o contrato|as regras) com atencao",
        r"nao e tao (?:dificil|complicado)(?: assim)?",
        r"(?:isso|isto) e o basico",
        r"para qualquer um ler",
        r"conforme (?:informamos|indicamos|dissemos|explicamos) claramente",
        # French
        r"je vais vous l'expliquer (?:tres )?lentement",
        r"(?:lentement|doucement) pour que (?:ce soit clair|vous compreniez)",
        r"meme un enfant y arriverait",
        r"la plupart de (?:nos|les) clients (?:y )?arrivent",
        r"que vous n'avez (?:visiblement|manifestement|apparemment) pas",
        r"je ne vois pas comment etre plus clair",
        r"je ne sais pas ce que vous ne comprenez pas",
        r"(?:qui|personnes qui) ne sont pas a l'aise avec (?:la technologie|l'informatique)",
        r"vous devriez peut-etre (?:lire|relire)",
        r"vous avez du vous tromper",
        r"lisez (?:les consignes|le contrat|les conditions) correctement",
        r"ce n'est (?:quand meme |vraiment )?pas (?:sorcier|si complique|bien complique)",
        r"c'est la base",
        r"a la portee de tout le monde",
        r"comme indique clairement",
        # German
        r"ich erklare es (?:ihnen|dir) (?:noch ?mal )?ganz langsam",
        r"das schafft sogar ein kind",
        r"die meisten kunden schaffen",
        r"die sie (?:offensichtlich|offenbar) nicht gelesen haben",
        r"deutlicher kann man es nicht",
        r"was an .{1,40} so schwer zu verstehen",
        r"die mit technik nicht so gut klarkommen",
        r"vielleicht lesen sie erst ?mal",
        r"sie haben wohl (?:den|die|das) falsche",
        r"lesen sie (?:die anleitung|den vertrag) (?:diesmal )?(?:bitte )?richtig",
        r"so schwer ist das (?:nun )?(?:wirklich )?nicht",
        r"das ist (?:ja )?wohl grundwissen",
        r"fur jeden lesbar",
        r"bereits deutlich gesagt",
    )
)
HOSTILE_GENERAL = re.compile(
    words(
        # English
        rf"(?:don{_A}t like|not happy|unhappy|not satisfied)[^.!?]{{0,50}}(?:free to|feel free|you can always) (?:switch|leave|go|take|cancel|find|move)",
        r"take your (?:business|custom|membership|money) elsewhere",
        rf"(?:nobody|no one|no-one)(?:{_A}s| is) (?:forcing|making) you",
        rf"(?:complaining|shouting|yelling|moaning|tweeting|insults|repeated complaints|more messages|more emails|tagging us)(?: \w+){{0,4}} (?:won{_A}t|will not|isn{_A}t going to|doesn{_A}t|does not) (?:change|make|get|speed)",
        r"the answer is (?:still )?no[.!]",
        r"(?:any )?further (?:messages|emails|complaints|replies|comments) will (?:be ignored|not be answered|go unanswered)",
        rf"(?:please )?don{_A}t (?:email|message|contact|write to|tag) us again",
        r"(?:last|final) warning",
        rf"you{_A}?(?:ll| will) be blocked",
        r"(?:try|maybe try) being (?:polite|nice|civil)",
        rf"(?:your|this|that) tone (?:is not|isn{_A}t|is un)(?:acceptable| acceptable| helping)",
        rf"until you(?:{_A}ve)? calm(?:ed)? down",
        r"wait (?:your turn )?like everyone else",
        r"what (?:did|do) you expect",
        r"truly a tragedy",
        r"cry (?:more|about it)",
        rf"(?:that{_A}s|that is|it{_A}s) on you",
        r"(?:only )?(?:have )?yourself to blame",
        r"(?:got|get) what you deserve",
        r"(?:we|i) heard you the first time",
        r"not (?:our|my) fault (?:you|if you)",
        r"just because you (?:complain|shout|tweet|moan|yell)",
        rf"(?:if you )?don{_A}t like it[,.]? (?:just )?(?:uninstall|cancel|unsubscribe|don{_A}t buy|delete)",
        r"wasting (?:the )?(?:engineers?|team|staff|agents?|technicians?)(?:'|'s)? time",
        rf"we{_A}re (?:a bit |too )?busy to deal with",
        # Spanish
        r"(?:no te gusta|no le gusta|no estas content\w+|no esta satisfech\w+)[^.!?]{0,50}(?:libre de|puedes irte|puede irse)",
        r"nadie (?:te|le|os) (?:obliga|obligo)",
        r"(?:quejarte|quejarse|gritar|insistir|tus quejas|sus quejas|escribir en mayusculas)(?: \w+){0,4} no (?:va|van) a (?:cambiar|hacer|servir)",
        r"la respuesta (?:sigue siendo|es) no",
        r"solo porque (?:te quejes|grites|se queje|protestes|te quejas)",
        r"(?:¿|^)que esperabas|que esperabas de (?:una|un)",
        r"(?:no es|tampoco es) el fin del mundo",
        r"hasta que (?:te calmes|se calme)",
        r"(?:ese|este|su|tu) tono no es aceptable",
        r"si (?:preguntas|pides|hablas|escribes) con educacion",
        r"(?:te|le) toca esperar como",
        r"(?:deja|deje) de hacer perder el tiempo",
        r"no tenemos por que aguantar",
        r"hasta aqui[.!]",
        r"(?:llora mas|no vengas a llorar)",
        r"si no te gusta,? no lo compres",
        r"(?:es|eso es) (?:cosa|problema) tuy[oa]",
        # Portuguese
        r"(?:nao (?:esta|estiver|ficou) satisfeit\w+|nao gost\w+)[^.!?]{0,50}(?:a vontade para|livre para)",
        r"ninguem (?:te|o|a|lhe) obriga",
        r"(?:reclamar|gritar|insistir|suas reclamacoes|escrever (?:tudo )?em maiusculas)(?: \w+){0,4} nao vai (?:mudar|fazer|adiantar|resolver)",
        r"a resposta (?:continua sendo|e) nao",
        r"so porque (?:voce )?(?:reclama|grita|reclamou)",
        r"o que (?:voce )?esperava(?:\?| de (?:uma|um))",
        r"nao e o fim do mundo",
        r"quando (?:voce )?se acalmar",
        r"(?:esse|este|seu) tom nao e aceitavel",
        r"se pedir com educacao",
        r"esperar como (?:os outros|todo mundo|todos)",
        r"(?:para|pare) de fazer (?:a gente|a equipe|os tecnicos|o time) perder tempo",
        r"nao somos obrigados a aguentar",
        r"encerramos por aqui",
        r"(?:chora mais|nao venha chorar)",
        r"se nao gostou,? nao compr[ae]",
        r"(?:isso e|e) problema seu",
        # French
        r"(?:ne vous plait pas|pas content\w*|pas satisfait\w*)[^.!?]{0,50}(?:libre a vous|libre de)",
        r"(?:d')?aller voir ailleurs",
        r"personne ne vous (?:oblige|force)",
        r"(?:vous plaindre|crier|insister|vos plaintes|vos insultes|ecrire en majuscules)(?: \S+){0,4} ne (?:changera|changeront|fera|feront) (?:rien|pas)",
        r"c'est non[.!]",
        r"juste parce que vous (?:vous plaignez|criez)",
        r"vous vous attendiez a quoi",
        r"ce n'est pas la fin du monde",
        r"quel drame",
        r"tant que vous ne serez pas calme",
        r"ce ton n'est pas acceptable",
        r"essayez d'etre poli",
        r"attendre comme tout le monde",
        r"faire perdre (?:leur|notre) temps",
        r"nous n'avons pas a supporter",
        r"la discussion est close",
        r"(?:pleurez|pleure) encore",
        r"pas la peine de pleurer",
        r"c'est votre probleme",
        r"ne l'achetez pas",
        # German
        r"(?:nicht passt|nicht gefallt|nicht zufrieden)[^.!?]{0,50}steht es (?:ihnen|dir) frei",
        r"niemand (?:halt|zwingt) (?:sie|dich)",
        r"mit gro(?:ss|ß)buchstaben kommt",
        r"(?:beschweren|beschwerden|beleidigungen|schreien)(?: \S+){0,5} (?:andert|andern|bringt) (?:gar |hier )?nichts",
        r"die antwort ist nein",
        r"nur weil sie (?:auf \w+ )?(?:laut werden|sich beschweren)",
        r"was haben sie (?:denn )?(?:von \w+ \w+ )?erwartet",
        r"(?:davon geht die welt nicht unter|kein weltuntergang)",
        r"wenn sie sich beruhigt haben",
        r"(?:dieser|ihr) ton ist (?:inakzeptabel|nicht akzeptabel)",
        r"fragen sie nachstes mal hoflich",
        r"warten wie alle anderen",
        r"(?:die )?zeit (?:der techniker|unserer \w+|des teams) zu verschwenden",
        r"das mussen wir uns nicht bieten lassen",
        r"hier ist schluss",
        r"heul doch",
        r"das ist ihr problem",
        r"(?:kaufen|kundigen) sie (?:es )?halt",
    )
)

# "Obviously this is frustrating" is empathy, not talking down.
_EMPATHY_AFTER = re.compile(
    r"^[, ]*(?:que |qu'|that )?(?:this|that|it|que|c'|das)?(?:'s| is| was| es| e| est|est| ist)? ?(?:un |una |um |uma )?"
    r"(?:not|frustrating|annoying|unacceptable|our (?:fault|mistake)|we (?:messed|got|should|made|dropped|failed)|no es|nuestra culpa|frustrante|fastidio|"
    r"molest\w*|inaceptable|nao e|chat\w*|ce n'est pas|frustrant|agacant|penible|inacceptable|nicht|argerlich|"
    r"unser fehler|(?:te |le |vous |tu |voce |you're |you are |you'd be |sie )?(?:estes|este|esteis|esten|sientas|sienta|soyez|sois|esteja|estejas|fique|fiques|upset|frustrated|annoyed|angry|molest\w*|enfadad\w*|agace\w*|frustre\w*|enerve\w*|chatead\w*|irritad\w*|verargert|sauer|frustriert))"
)
# "Es lógico que estés molesto", "it's obvious that you're upset": an opinion word that may turn into empathy.
_OPINION = re.compile(r"(?:obvio|evidente|logico|evident|clair|manifeste) que(?: vous| tu)?$")


# "The code we sent you should have worked", "you should have received an SMS": not talking down.
_SERVICE_SHOULD_HAVE = re.compile(r"(?:sent|gave|given|emailed|texted|told|offered|posted|mailed) $")
_SERVICE_AFTER_SHOULD_HAVE = re.compile(
    r"^ (?:already |now |by now )?(?:received|got|gotten|been|had|worked|arrived)\b"
)


def service_should_have(folded: str, start: int, end: int) -> bool:
    """ "you should have" where "you" is the object ("the code we sent you should have worked") or what
    follows is service news ("you should have received an SMS")."""
    return (
        _SERVICE_SHOULD_HAVE.search(folded[max(0, start - 10) : start]) is not None
        or _SERVICE_AFTER_SHOULD_HAVE.match(folded[end : end + 20]) is not None
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
        r"(?:go )?(?:bother|annoy|pester) (?:someone|somebody) else",
        r"(?:we're|we are|i'm|i am) done (?:here|with (?:you|this))",
        r"(?:this|the) conversation is over",
        r"end of (?:discussion|story|conversation)",
        r"oh (?:great|wonderful|lovely|brilliant|fantastic|perfect|joy)[,.!]",
        r"(?:great|lovely|wonderful|brilliant|fantastic|perfect|oh joy),? another",
        r"yes,? (?:yes,? )?we (?:know|heard you|get it|got it)[.!]",
        r"(?:we're|we are|i'm|i am) not going to keep (?:\w+ing)",
        r"the (?:same (?:complaint|question|message|thing)) (?:again|over)",
        r"(?:that's|this is|it's) (?:the|your) (?:third|fourth|fifth|sixth|tenth|\d+(?:st|nd|rd|th)) (?:message|tweet|complaint|time|dm)(?: (?:today|this (?:week|morning|hour)))?",
        r"(?:and )?now (?:it's|it is|that's) (?:our|my) fault",
        r"come on[.!]",
        r"(?:it's|it is|that's) not (?:our|my) (?:fault|problem) (?:if|that|you)",
        r"(?:it's|it is) not the end of the world",
        r"(?:get|take) a (?:grip|chill pill)",
        r"(?:you|u) (?:always|constantly|keep) (?:complain|complaining|moaning|whining|writing)",
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
        r"si no (?:te|le|os|les) gusta\w*,? (?:busc\w*|vet\w*|vay\w*|cambi\w*|ahi tienes|ya sabes|te puedes ir|puedes irte|la puerta)",
        r"tranquil[oa],? (?:hombre|mujer|tio|tia|chaval)",
        r"(?:que )?no se (?:acaba|va a acabar|termina) el mundo",
        r"(?:y )?ahora (?:resulta que )?(?:es|la culpa es) (?:culpa )?(?:nuestra|mia)",
        r"no es (?:culpa )?nuestra(?: culpa)? (?:si|que)",
        r"(?:otra vez|de nuevo) (?:con )?(?:lo mismo|la misma (?:queja|historia))",
        r"(?:es|ya van) (?:el|su|tu) (?:tercer|cuarto|quinto|sexto|decimo|\d+º?) (?:mensaje|tweet|queja)",
        r"(?:hemos|estamos) (?:terminado|acabado)(?: aqui| con (?:esto|usted|contigo))",
        r"no vamos a (?:seguir )?(?:contestando|respondiendo|repitiendo|contestar|responder|repetir)",
        r"vaya,? otr[oa] (?:mensaje|queja|tweet)",
        r"(?:siempre|todo el rato) (?:te |se )?(?:quejas|queja|quejandote|quejandose)",
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
        r"(?:e )?agora (?:a culpa e|e culpa) (?:nossa|minha)",
        r"nao e (?:culpa )?nossa(?: culpa)? se",
        r"nao e o fim do mundo",
        r"nao vamos (?:continuar a |ficar a |continuar )?(?:responder|repetir|respondendo|repetindo)",
        r"(?:e|ja e) (?:a|o) (?:terceira|quarta|quinta|\d+ª?) (?:mensagem|reclamacao|vez)",
        r"(?:otimo|que otimo|maravilha),? mais (?:um|uma)",
        r"(?:sim,? )?ja (?:sabemos|percebemos)[.!]",
        r"(?:vai|va) incomodar outr[oa]",
        r"(?:sempre|vive) (?:a )?reclam\w*",
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
        r"(?:ce n'est|c'est) pas (?:de )?notre faute si",
        r"et maintenant (?:c'est|ce serait) (?:de )?(?:notre|ma) faute",
        r"ce n'est pas la fin du monde",
        r"(?:c'est|ca fait) (?:le|la) (?:troisieme|quatrieme|cinquieme|sixieme|dixieme|\d+e|\d+eme) (?:message|fois|tweet|reclamation)",
        r"nous n'allons pas (?:continuer a |passer notre temps a )?(?:repondre|repeter)",
        r"(?:super|genial|formidable|parfait),? encore (?:un|une)",
        r"oui,? (?:on le sait|on sait|nous (?:le )?savons)[.!]",
        r"allez (?:embeter|deranger|ennuyer) quelqu'un d'autre",
        r"(?:on|nous) en reste la",
        r"fin de la discussion",
        r"(?:vous|tu) (?:vous plaignez|te plains|ralez|rales) (?:tout le temps|toujours|sans arret)",
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
        r"(?:und )?jetzt (?:sind|seien) wir (?:schuld|verantwortlich)",
        r"(?:es ist )?nicht unsere schuld,? wenn",
        r"(?:davon|deswegen|daran) geht die welt nicht unter",
        r"(?:das ist )?(?:schon )?(?:die|ihre) (?:dritte|vierte|funfte|sechste|zehnte|\d+\.) (?:nachricht|beschwerde|mail)",
        r"wir werden nicht (?:weiter|standig|immer wieder|noch ofter) (?:antworten|darauf antworten|wiederholen)",
        r"(?:toll|super|prima|klasse),? noch (?:eine?|so eine?)",
        r"ja,? (?:das )?wissen wir[.!]",
        r"(?:wir sind hier fertig|ende der diskussion)",
        r"nerven sie jemand(?:en)? anders",
        r"(?:sie|du) (?:beschweren sich|beschwerst dich) (?:standig|immer|dauernd)",
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
        for match in [*CONDESCENSION.finditer(folded), *CONDESCENSION_GENERAL.finditer(folded)]
        if (match.group(0).strip() not in _BARE_ADVERBS and not _OPINION.search(match.group(0)))
        or not empathetic_after(folded, match.end())
    ]


def hostility(text: str, folded: str, brand_words: frozenset[str] = frozenset()) -> list[Finding]:
    findings = [
        Finding(
            HOSTILE_RULE, match.start(), match.end(), "sounds impatient or hostile, or blames the customer"
        )
        for match in [*HOSTILE.finditer(folded), *HOSTILE_GENERAL.finditer(folded)]
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
