# ruff: noqa: E501  (lexicon tables: one alternative per line reads better than wrapped regex fragments)
"""Selling in a service reply: promoting a product, a price, a promotion or a call to buy. Explaining
the customer's own plan, bill or a refund is service, not selling ("our plan change page explains the
options", "we can offer you a refund", "the 9.99 charge was refunded")."""

from __future__ import annotations

import re

from socialdesk.policy.checks.text import Finding, compile_words, negated, sentence_at, sentences, words

RULE = "no_selling"

_PRODUCT = (
    r"(?:unlimited |premium |5g |fibre |fiber |family |data |prepaid |pro |max |plus |gold )*"
    r"(?:plan|plans|tariff|bundle|package|offer|offers|deal|deals|phone|phones|handset|router|fibre|fiber|"
    r"subscription|membership|add-on|addon|data pack|service|product|products|range|card|account|"
    r"credit card|mortgage|loan|savings account)"
)
PROMOTION = re.compile(
    words(
        # English
        r"check out our",
        r"have a look at our (?:new|latest|amazing|great|exclusive|premium)",
        r"(?:discover|try|explore|don't miss) our (?:new|latest|amazing|exclusive|premium)",
        r"our (?:new|latest|brand[- ]new|amazing|exclusive|unbeatable|fantastic|great) " + _PRODUCT,
        r"(?:why not|you could|you might want to|you should) (?:upgrade|switch|try|get|sign up|go for|add)",
        r"(?:have you|did you) (?:considered|thought about|seen|tried|heard about) (?:upgrading|switching|our)",
        r"upgrade (?:now|today|to (?:our|the|a) (?:premium|unlimited|new|pro|max|plus|faster|bigger))",
        r"upgrading to (?:our|the|a) (?:\w+ )?(?:premium|unlimited|new|pro|max|plus|faster|bigger|tier|plan|bundle)",
        r"you (?:might|may|will|'ll|would|could) (?:also |really |probably )?(?:like|love|enjoy|be interested in) (?:our|the new|this|these)",
        r"(?:have you|did you|ever) (?:ever )?(?:considered|thought (?:about|of)|tried|heard (?:about|of)) (?:going|upgrading|switching|adding|getting|moving|our|the new)",
        r"(?:go|going|become|join|try) (?:\w+ )?(?:premium|plus|gold|vip)(?: members?)?",
        r"(?:grab|snap up|get) (?:the new|our new|yours|one|the latest)",
        r"(?:today|this week|this weekend|this month) only",
        r"only (?:today|this week|this weekend|until (?:sunday|friday|midnight))",
        r"just this (?:week|weekend)",
        r"(?:half[- ]price|half off|price for the price of|for the price of (?:one|two|1|2))",
        r"(?:last|final) day (?:for|to get) (?:the|our)",
        r"last day of (?:the|our) (?:offer|sale|promo\w*|deal)",
        r"hurry(?:,| up)",
        r"(?:saves?|save) you (?:up to \S+|\S?\d+(?:[.,]\d+)? ?(?:%|€|£|\$|eur|euros?|pounds|a month))",
        r"(?:how about|what about) (?:upgrading|adding|getting|switching|our)",
        r"(?:join|sign up|subscribe|add it|get it) (?:for|at) (?:just |only )?(?:€|£|\$)?\d+[.,]\d{2}",
        r"(?:code|coupon|voucher) [a-z]{3,}\d{1,3}",
        r"(?:sign up|subscribe|order|buy|switch|join|apply) (?:now|today|online today)",
        r"switch to our",
        r"(?:special|exclusive|limited|unbeatable|amazing|great|best|introductory|black friday|summer) "
        r"(?:offer|offers|deal|deals|price|prices|promotion|promo|discount)",
        r"limited[- ]time",
        r"while (?:stocks|supplies) last",
        r"don't miss (?:out|it|this)",
        r"(?:promo|discount|voucher|coupon) code",
        r"use (?:the )?code",
        r"\d+ ?% off",
        r"\d+ (?:months?|weeks?) (?:for )?free",
        r"(?:first|one|two|three) months? free",
        r"act (?:fast|now|quickly)",
        r"take advantage of (?:our|this|the)",
        r"unlimited (?:plan|data|calls|tariff|bundle)",
        r"(?:perfect|ideal|great) (?:time|moment) to (?:upgrade|switch)",
        r"refer (?:a|your) (?:friend|mate|colleague|neighbou?r)s?",
        r"(?:you both|both of you|each) (?:get|earn|receive)",
        r"(?:get|gets|enjoy|earn|win) (?:a|one|two|three|\d+) (?:free )?months? (?:on us|free|for free)",
        r"trade in (?:your|an|the) (?:old|current|previous)",
        r"(?:treat|spoil) yourself",
        r"(?:flash|summer|winter|spring|clearance|big|end[- ]of[- ]season) sale",
        r"(?:(?:is|there's|there is) a |our )sale (?:on|in|at)",
        r"black friday",
        r"(?:don't|do not) miss (?:our|the|this|these)",
        r"(?:we|i) (?:would |'d )?(?:recommend|suggest) (?:you )?(?:the|our|a|getting|adding|upgrading|switching|trying) (?:\w+ ){0,3}(?:pack|plan|bundle|tariff|package|add-on|subscription|membership|phone|handset|router|tv|box)",
        r"(?:order|buy|get|grab|pick up) (?:it|one|yours|them) (?:now|today|from (?:the|our) (?:app|shop|store|website)|online|in (?:the|our) (?:app|shop|store))",
        r"(?:while you're at it|while we're at it|while i have you)",
        r"(?:earn|win) (?:up to )?(?:€|£|\$)\d+",
        r"(?:up to|as much as) (?:€|£|\$)?\d+(?: ?(?:€|£|\$|euros?|pounds))? (?:off|back|credit|cashback)",
        # Spanish
        r"(?:echa|echale|eche|dale) un vistazo a (?:nuestr|la nuev|el nuev)\w*",
        r"(?:descubre|descubra|prueba|pruebe|conoce|conozca) (?:nuestr|la nuev|el nuev)\w*",
        # "mira nuestra web de ayuda" is service: only an offer, a promotion or a tariff after "mira"
        r"(?:mira|mire|fijate en|no te pierdas) (?:nuestr[oa]s?|la|el|las|los) (?:nuev[oa]s? )?"
        r"(?:ofertas?|promociones?|promos?|tarifas?|packs?|descuentos?)",
        r"nuestr[oa]s? (?:nuev[oa]s?|increibles?|exclusiv[oa]s?|fantastic[oa]s?|mejores?) "
        r"(?:tarifas?|plan(?:es)?|ofertas?|promocion(?:es)?|paquetes?|fibra|moviles?|packs?|bonos?)",
        r"(?:ahorra|ahorras|ahorre|economiza|economize|economizas|economisez|save|sparen sie|sparst du) "
        r"(?:un |hasta un |ate |jusqu'a |up to |bis zu )?\d+ ?%",
        r"(?:tarifa|plan|bono|datos|llamadas) ilimitad[oa]s?",
        r"(?:oferta|promocion|precio|descuento)s? (?:especial|exclusiv[oa]|limitad[oa]|increible|de lanzamiento)\w*",
        r"aprovech[ae] (?:la|esta|nuestra|nuestras|el|estas|ya)",
        r"(?:contrata|contrate|pasate|pasese|cambiate|cambiese|hazte|suscribete|date de alta|mejora|mejore)"
        r" (?:ya|ahora|hoy|a nuestr\w*|a la (?:tarifa|fibra)|tu tarifa|su tarifa)",
        r"no te (?:lo |la |los |las )?pierdas",
        r"(?:date|dese|hazte|unete|apuntate|suscribete) (?:de alta )?(?:en|a) (?:\w+ )?(?:nuestr\w*|la tarifa|el plan|premium|plus)",
        r"\d+ ?% (?:menos|mas barato)",
        r"a mitad de precio",
        r"(?:has|ha|habeis) pensado en (?:mejorar|ampliar|pasarte|pasarse|contratar|anadir|sumar)",
        r"(?:te|le) (?:puede|podria|va a) (?:interesar|encantar) (?:nuestr\w*|la nueva|el nuevo|la tarifa|el plan|la oferta|el pack)",
        r"(?:corre|corred|date prisa)[,!]",
        r"(?:codigo|cupon) [a-z]{3,}\d{1,3}",
        r"(?:te|le) ahorra (?:hasta )?\d+ ?(?:%|€|euros?)",
        r"no se (?:lo |la |los |las )?pierda",
        r"no os (?:lo |la |los |las )?perdais",
        r"por tiempo limitado",
        r"(?:codigo|cupon) (?:promocional|de descuento)",
        r"\d+ ?% de descuento",
        r"(?:solo|unicamente) (?:hoy|esta semana|este mes)",
        r"(?:primer|primeros|\d+) mes(?:es)? gratis",
        r"(?:recomienda|recomiende|invita|invite|trae|traiga) a (?:un|una|tus|sus) amig[oa]s?",
        r"(?:\d+|un|uno|dos|tres|cuatro|seis|doce) mes(?:es)? (?:sin coste|sin costo|de regalo|gratis|a mitad)",
        r"(?:te|le|os|les) (?:interesa|interesaria|convendria|conviene) (?:sumar|anadir|contratar|pasar\w*|ampliar|mejorar|cambiar\w*|probar|llevarte|llevarse)",
        r"(?:entrega|entregue|cambia|cambie) tu (?:movil|telefono|terminal) (?:antiguo|viejo|usado)",
        r"(?:date|dese|hazte|hagase) (?:un capricho|con (?:el|la|los|las|nuestr\w*|un|una))",
        r"(?:consigue|consiga|llevate|llevese|pidelo|pidela|compralo|comprala) (?:ya|ahora|hoy|el|la|tu|su|nuestr\w*|desde)",
        r"(?:te|le|os|les) (?:recomendamos|recomiendo|sugerimos|sugiero) (?:el|la|nuestr\w*|contratar|anadir|sumar|pasarte|mejorar) (?:\w+ ){0,3}(?:pack|tarifa|plan|bono|paquete|fibra|television|tv|movil|terminal)",
        r"rebajas",
        r"(?:gana|ganan|ganad|ganas) (?:hasta )?\d+",
        # Portuguese
        r"(?:confira|conheca|descubra|experimente|veja) (?:o nosso|a nossa|os nossos|as nossas|o novo|a nova|"
        r"nosso|nossa)",
        r"(?:o nosso|a nossa|nosso|nossa|nossos|nossas) (?:novo|nova|novos|novas|incrivel|exclusiv[oa]) "
        r"(?:plano|planos|oferta|ofertas|promocao|pacote|fibra|celular|combo)",
        r"(?:plano|pacote|internet|dados) ilimitad[oa]",
        r"(?:oferta|promocao|preco|desconto)s? (?:especial|exclusiv[oa]|imperdivel|limitad[oa]|de lancamento)",
        r"aproveite (?:a|esta|nossa|o|ja|agora)",
        r"(?:assine|contrate|mude|migre|adquira) (?:ja|agora|hoje|para o nosso|para a nossa|o plano)",
        r"nao perca",
        r"adira (?:ja|agora|hoje|ao|a|aos|as)",
        r"(?:que tal|e se) (?:aumentar|mudar para|passar para|juntar|adicionar|experimentar)",
        r"por mais (?:so |apenas )?\d+(?:[.,]\d+)? ?(?:€|euros?|r\$|reais)",
        r"(?:pela )?metade do preco",
        r"(?:corra|despache-se|apresse-se)[,!]",
        r"(?:cupom|cupao|codigo) [a-z]{3,}\d{1,3}",
        r"(?:ja )?pensou em (?:mudar|aumentar|passar|juntar|adicionar)",
        r"por tempo limitado",
        r"(?:codigo|cupom|cupao) (?:promocional|de desconto)",
        r"\d+ ?% de desconto",
        r"(?:so|somente|apenas) hoje",
        r"(?:primeiro|\d+) mes(?:es)? gratis",
        r"(?:indique|indica|convide|convida|traga) (?:um|uma|seus|teus) amig[oa]s?",
        r"(?:\d+|um|dois|tres|seis) mes(?:es)? (?:sem custo|de oferta|gratis|gratuitos?)",
        r"(?:troque|troca|entregue) (?:o )?(?:seu|teu) (?:celular|telemovel|telefone|aparelho) (?:antigo|velho|usado)",
        r"(?:mime-se|de-se esse presente|garanta (?:ja )?(?:o|a|os|as|seu|sua))",
        r"(?:recomendamos|sugerimos) (?:o|a|nosso|nossa) (?:\w+ ){0,3}(?:pacote|plano|combo|fibra|tv|celular)",
        r"(?:promocao relampago|liquidacao|queima de estoque)",
        r"(?:ganhe|ganha|ganham) (?:ate )?(?:r\$ ?|€ ?)?\d+",
        r"(?:(?:te|lhe) )?interessa (?:juntar|adicionar|aumentar|mudar|passar|contratar)",
        # French
        r"(?:decouvrez|decouvre|essayez|jetez un oeil a|jetez un coup d'oeil a) (?:notre|nos|le nouveau|la nouvelle)",
        r"(?:notre|nos) (?:nouvel|nouveau|nouvelle|nouveaux|nouvelles|incroyables?|exclusi(?:f|ve)s?) "
        r"(?:forfaits?|offres?|promotions?|abonnements?|box|fibre|smartphones?|packs?)",
        r"forfaits? illimites?",
        r"(?:offre|promotion|prix|remise)s? (?:speciale?s?|exclusives?|limitee?s?|exceptionnelle?s?|de lancement)",
        r"profitez (?:de|des|vite|des maintenant)",
        r"(?:souscrivez|abonnez-vous|passez|craquez)(?: des maintenant| vite| a notre| au forfait| a la fibre)",
        r"ne (?:manquez|ratez) pas",
        r"-\d+ ?%",
        r"(?:aujourd'hui|cette semaine|ce week-end|ce mois-ci) seulement",
        r"seulement (?:aujourd'hui|cette semaine|ce week-end)",
        r"a moitie prix",
        r"dernier jour pour",
        r"(?:foncez|depechez-vous)",
        r"rejoignez (?:\w+ )?(?:premium|plus|notre club|nos abonnes)",
        r"(?:vous|tu) (?:aimerez|aimeriez|adorerez) (?:surement|aussi|certainement|notre|nos|le nouveau|la nouvelle)",
        r"(?:pourrait|pourraient) vous (?:interesser|plaire)",
        r"pour (?:seulement |juste )?\d+(?:[.,]\d+)? ?€ de plus",
        r"(?:code|avec le code) [a-z]{3,}\d{1,3}",
        r"(?:pour une )?duree limitee",
        r"code (?:promo|promotionnel|de reduction)",
        r"\d+ ?% de (?:reduction|remise)",
        r"(?:premier|\d+) mois (?:offerts?|gratuits?)",
        r"parrain\w*",
        r"(?:reprise|rachat) de (?:votre|ton|vos|tes) (?:ancien|vieux|vieil|precedent)",
        r"(?:faites-vous|fais-toi|offrez-vous|offre-toi) (?:plaisir|le|la|les|notre|nos|un|une)",
        r"(?:gagnez|gagne|gagnent) (?:jusqu'a )?\d+",
        r"(?:(?:economisez|economise) (?:jusqu'a )?\d+|jusqu'a \d+ ?(?:€|euros?) (?:de remise|de reduction|rembourses|d'economie))",
        r"(?:soldes|vente flash|ventes privees)",
        r"(?:nous vous|je vous) (?:recommandons|recommande|conseillons|conseille) (?:le|la|notre|nos|l'|de (?:prendre|passer|souscrire|ajouter)) (?:\w+ ){0,3}(?:pack|forfait|offre|box|option|abonnement|fibre|tv|mobile)",
        r"(?:ca|cela) se termine (?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|ce soir|bientot)",
        r"(?:commandez|commande)-(?:le|la|les) (?:des maintenant|vite|sur|dans)",
        # German
        r"(?:entdecken sie|entdecke|schauen sie sich|schau dir|testen sie|probieren sie) (?:unser|unsere|unseren|"
        r"den neuen|die neue|das neue)",
        r"(?:unser|unsere|unseren|unserem) (?:neue|neuen|neuer|neues|exklusive|exklusiven|unschlagbare|"
        r"unschlagbaren|gunstige|gunstigen) \w*(?:tarif|tarife|vertrag|angebot|angebote|paket|flatrate|handy|"
        r"router|glasfaser|abo|aktion)\w*",
        r"(?:flatrate|unbegrenzt\w* (?:daten|datenvolumen|tarif|surfen))",
        r"\w*(?:sonder|exklusiv|spar|top|super|schnapper)angebot\w*",
        r"sichern sie sich",
        r"(?:jetzt|heute|gleich) (?:buchen|wechseln|upgraden|bestellen|zugreifen|zuschlagen|sparen|abschliessen)",
        r"wechseln sie (?:zu unserem|jetzt|in unseren|auf unseren)",
        r"nicht verpassen",
        r"jetzt (?:\S+ ){0,3}(?:upgraden|zugreifen|zuschlagen)",
        r"\w+ monate? nichts zahlen",
        r"wie ware es mit (?:unserer|unserem|unseren|dem neuen|der neuen|einem upgrade)",
        r"spart (?:ihnen|dir) (?:bis zu )?\d+ ?(?:%|€|euro)",
        r"\d+ ?% (?:gunstiger|billiger|weniger)",
        r"zum halben preis",
        r"werden sie (?:\S+-)?(?:premium-|plus-)?mitglied",
        r"(?:mit dem )?code [a-z]{3,}\d{1,3}",
        r"(?:gunstiger|billiger) (?:als je|denn je)",
        r"nur (?:fur kurze zeit|noch heute|diese woche)",
        r"zeitlich begrenzt\w*",
        r"\w*(?:gutschein|rabatt|aktions)code",
        r"\d+ ?% rabatt",
        r"(?:erster|ersten|\d+) monate? (?:gratis|kostenlos)",
        r"freunde? werben",
        r"(?:werben|empfehlen) sie (?:einen |einem )?(?:freund\w*|bekannt\w*)",
        r"(?:altes|alte|alten|bisheriges) (?:handy|smartphone|gerat|telefon) (?:\w+ ){0,2}(?:eintauschen|in zahlung)",
        r"(?:holen|sichern|gonnen|bestellen) sie sich (?:doch |jetzt |gleich |noch )*(?:das|den|die|unser\w*|ein\w*|jetzt)",
        r"(?:hol|sichere?|gonn|bestell) dir (?:doch |jetzt |gleich |noch )*(?:das|den|die|unser\w*|ein\w*)",
        r"(?:bis zu )?\d+ ?(?:€|euro|%) sparen",
        r"nur (?:noch )?bis (?:montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|ende|morgen)",
        r"verpassen sie (?:nicht|keine?n?)",
        r"(?:wir empfehlen|ich empfehle) (?:ihnen |dir )?(?:das|den|die|unser\w*) (?:\w+ ){0,3}[\w-]*(?:paket|tarif|vertrag|option|flatrate|box|handy|abo)",
        r"(?:sommer|winter|black-friday|cyber)-?(?:sale|schlussverkauf|aktion)",
    )
)

_CURRENCY = r"(?:€|\$|£|r\$|eur|euros?|usd|gbp|reais|chf)"
_AMOUNT = rf"(?:{_CURRENCY} ?\d+(?:[.,]\d{{1,2}})?|\d+(?:[.,]\d{{2}})(?: ?{_CURRENCY})?|\d+ ?{_CURRENCY})"
# A price sold as a bargain: "only 9.99!", "por solo 15 €/mes", "ab 19,99 €".
BARGAIN_PRICE = re.compile(
    words(
        r"(?:only|just|from|for as little as|starting at|now|solo|solamente|tan solo|desde|por solo|apenas|"
        r"por apenas|so|a partir de|seulement|des|pour seulement|nur|ab|fur nur|schon ab|for|por|pour|fur|por mais)"
    )
    + rf" ?{_AMOUNT}(?: ?(?:/|a |per |al |por |par |pro |im )(?:month|mes|mois|monat|mo)\b)?"
)
# "Our latest handsets start at 19 a month", "ab 15 im Monat": a price pitched per month, any format.
PITCHED_MONTHLY = re.compile(
    words(
        r"(?:start(?:s|ing)? (?:at|from)|from just|from only|for just|for only|only|just|desde|por solo|a partir de|"
        r"des|dès|ab|schon ab|a partir de apenas)"
    )
    + r" ?(?:€|\$|£|r\$)? ?\d+(?:[.,]\d{1,2})? ?(?:€|euros?|eur|\$|£|reais)? ?(?:a|per|/|al|por|par|pro|im|ao) ?"
    r"(?:month|mes|mois|monat|mo)\b"
)
# The customer's own money: a price next to these words explains a bill or a refund.
OWN_MONEY = compile_words(
    r"refund\w*",
    r"charged?",
    r"billed?",
    r"credit(?:ed)?",
    r"paid",
    r"reimburs\w*",
    r"compensation",
    r"reembols\w*",
    r"devolu\w*",
    r"devolv\w*",
    r"cobr\w*",
    r"cargo",
    r"abon\w*",
    r"factura\w*",
    r"estorn\w*",
    r"debit\w*",
    r"rembours\w*",
    r"preleve\w*",
    r"factur\w*",
    r"avoir",
    r"erstatt\w*",
    r"gutschrift\w*",
    r"abgebucht\w*",
    r"berechnet\w*",
    r"rechnung\w*",
    r"zuruck\w*",
)
# Service senses of sales words from a policy's list: "we can offer you a refund", "deal with".
SERVICE_SENSE = re.compile(
    r"^\s*(?:you |u )?(?:a |an |the |some |to )?(?:full |partial |one-off |small )?"
    r"(?:refund|credit|compensation|apology|replacement|callback|call back|technician|visit|solution|fix|"
    r"workaround|explanation|repair|exchange|with)\b"
    r"|^\s*(?:your |the )?(?:[\w']+ )?(?:firmware|software|app|system|os|settings)\b"
    r"|^\s*(?:of|on|to|at|for) (?:the|our|your) (?:\w+ )?(?:mast|network|antenna|site|exchange|cabinet|firmware|software|system|line)\b"
)
SERVICE_USE_BEFORE = re.compile(
    r"(?:firmware|software|network|system|security|antenna|mast|app|your|loyalty|welcome|retention|goodwill|intro|"
    r"that|those|applied (?:the |your )?(?:\S+ )?|your (?:\S+ )?) $"
)
# "The offer you saw isn't from us", "the discount was applied": talking about an offer is not making one.
SPOKEN_ABOUT = re.compile(
    r"^\w*\s+(?:you (?:\w+ed|saw|got|had|found|made|did|were (?:promised|offered|given|told))|we (?:agreed|promised|discussed|mentioned)|was|were|has|had|"
    r"ended|expired|applied|is no longer|isn't|wasn't|only applies|applies|still applies|is not|is still|is active|"
    r"remains|stays|will (?:show|appear)|(?:prices?|fees?|charges?|rates?|terms|changes?) (?:take effect|took effect|apply|change|went up|go up|will)|"
    r"takes? effect|took effect)\b"
)

# "The promo code expired in June", "der Gutscheincode ist leider abgelaufen": a promotion spoken about.
PROMOTION_OVER = re.compile(
    r"\s*(?:\S+\s+){0,2}?(?:expired|has expired|ended|is over|was applied|has been applied|isn't ours|is not ours|"
    r"caduco|ha caducado|expiro|ya no (?:es valido|esta)|no es nuestr[oa]|se (?:ha )?aplicado|expirou|ja expirou|terminou|"
    r"nao e nosso|foi aplicado|a expire|est expire|n'est pas (?:de nous|a nous)|a ete applique|ist abgelaufen|"
    r"abgelaufen|ist nicht von uns|wurde (?:angewendet|verrechnet))"
)


# General pitch forms in the five languages (written with drafts_w4): an aside that sells beside a
# service answer ("while you wait, why not…", "ya que estás, echa un ojo a…", "Kennst du schon unser…").
PITCH = compile_words(
    # English
    r"(?:while you wait|while you're (?:here|there|at it)),? (?:why not|check|have|take|don't)",
    r"(?:our|the) (?:new|latest) \w+ (?:range|collection|line|drop|lineup)",
    r"download (?:it|the app|our app) (?:today|now) and (?:get|save)",
    r"(?:members|subscribers|premium (?:members|subscribers|customers)) (?:get|never|enjoy|save)",
    r"(?:sign up|join|subscribe|apply) (?:today|now)",
    r"(?:first dibs|early access|pre-approved|0% (?:balance transfer|interest))",
    r"lock in (?:your|the|our)",
    r"(?:fancy|want) (?:saving|to save) (?:more|even more)",
    r"(?:switch|move) to annual billing",
    r"join our (?:loyalty|vip|rewards|members)",
    r"(?:\d+ )?bonus points",
    r"exclusive (?:discount|deal|offer|price|access)",
    # Spanish
    r"ya que estas,? (?:echa|mira|prueba|aprovecha|te)",
    r"aprovecho para (?:contarte|recordarte|decirte)",
    r"te recomiendo (?:activar|contratar|probar|pasarte)",
    r"(?:2x1|3x2)",
    r"(?:os|te|le) regalamos \d+",
    r"(?:solo|tan solo) cuesta",
    r"(?:pasate|cambiate|pasese) (?:hoy |ya )?a (?:la|el|nuestr)",
    r"con un \d+ ?% de descuento",
    # Portuguese
    r"(?:aproveita|aproveite)(?:ndo)? (?:e|que|para|a promocao)",
    r"(?:ja )?(?:conhece|conheces) (?:o nosso|a nossa|nosso|nossa|os nossos|as nossas)",
    r"leve \d+,? pague \d+",
    r"(?:assina|assine|peca|pede|peça) (?:ja|o seu|pelo app)",
    r"em dobro pelo preco",
    r"(?:ganham?|ganhe) r\$ ?\d+",
    r"(?:faz|faca|fazer) o upgrade",
    # French
    r"(?:vous )?connaissez(?:-vous)? (?:notre|nos)",
    r"pensez a (?:notre|nos)",
    r"profitez-en",
    r"(?:abonnez|inscrivez)-vous (?:pour|des|a)",
    r"la \d+e offerte",
    r"petit conseil ?: avec",
    # German
    r"(?:kennst du|kennen sie) (?:schon )?unser",
    r"wie war(?:e|'s) es mit unser",
    r"(?:2|zwei) fur (?:1|eins)",
    r"exklusive rabatte",
    r"wechsel(?:n sie)? (?:doch |jetzt )?(?:zu|auf) (?:unser|dem|den|glasfaser|premium)",
    r"haben sie schon (?:einmal |mal )?uber .{1,30} nachgedacht",
    r"sonderpreise fur",
    r"gonnen sie sich",
)

# The sentence answers the customer's own question about a price or an offer, makes good on one already
# promised or given as compensation, or says an offer is over or not ours: informing, not selling
# ("you asked about the Business plan: it's $20 a user", "como preguntabas, el envío es gratis desde 35 €",
# "as compensation we've taken 20% off", "der Code war nur bis Sonntag gültig").
ANSWERED = compile_words(
    r"you (?:asked|were asking|wanted to know|enquired|inquired|mentioned)(?: about)?",
    r"as you (?:asked|requested|mentioned)",
    r"to answer your question",
    r"(?:as|by way of) (?:compensation|a goodwill gesture|an apology|a sorry)",
    r"(?:already|now) (?:on|applied to|added to) your (?:account|bill|order)",
    r"(?:you were|we) promised",
    r"(?:was|were) only valid",
    r"isn't (?:ours|from us)|not from us|no sales pitch",
    r"(?:como |lo que |sobre lo que )?(?:me |nos )?(?:preguntabas|preguntaba|preguntaste|pregunto|pediste|consultabas)",
    r"(?:como|en) compensacion",
    r"(?:solo )?(?:era|fue) valid[oa] hasta",
    r"no es nuestr[oa]|nada de promos",
    r"(?:como |o que |sobre o que |sobre a duvida )?(?:voce )?(?:perguntou|perguntava|pediu)",
    r"(?:como|em) compensacao",
    r"(?:so )?valia (?:so )?ate",
    r"nao e nosso|nao e nossa",
    r"comme (?:vous le demandez|vous le demandiez|demande)|(?:pour repondre a|sur) votre question",
    r"(?:en|a titre de|pour) (?:compensation|dedommagement|geste commercial)",
    r"(?:n'etait|etait) valable (?:que )?jusqu",
    r"n'a rien a voir avec nous|n'est pas de nous",
    r"wie (?:gefragt|gewunscht)|(?:zu )?ihre(?:r)? frage|du (?:hast )?gefragt|sie (?:haben )?gefragt",
    r"als (?:entschadigung|wiedergutmachung|kulanz)",
    r"(?:war )?nur bis .{1,20} gultig",
    r"(?:apply|applies|valen|vale|valem|gelten|gilt|s'appliquent|s'applique) (?:to|para|pour|fur) (?:\w+ )?(?:orders|pedidos|commandes|bestellungen)",
    r"ist nicht von uns|hat nichts mit uns zu tun",
)

WHY = "promotes a product or a price; service replies don't sell"


def selling(text: str, folded: str) -> list[Finding]:
    findings = [
        Finding(RULE, match.start(), match.end(), WHY)
        for match in [*PROMOTION.finditer(folded), *PITCH.finditer(folded)]
        if not negated(folded, match.start(), window=20)
        and not PROMOTION_OVER.match(folded, match.end())
        and not _answered(folded, match.start())
    ]
    for match in [*BARGAIN_PRICE.finditer(folded), *PITCHED_MONTHLY.finditer(folded)]:
        sentence_start, sentence_end = sentence_at(folded, match.start())
        if OWN_MONEY.search(folded[sentence_start:sentence_end]) or _answered(folded, match.start()):
            continue
        findings.append(Finding(RULE, match.start(), match.end(), WHY))
    return findings


def _answered(folded: str, at: int) -> bool:
    """The sentence holding `at`, or the one before it, answers a question or honours a promise."""
    spans = list(sentences(folded))
    for index, (start, end) in enumerate(spans):
        if start <= at < end:
            before = spans[index - 1][0] if index else start
            return ANSWERED.search(folded[before:end]) is not None
    return False


def service_sense(folded: str, start: int, end: int) -> bool:
    """A policy sales term used for service: "offer you a refund", "firmware upgrade", "not an upgrade"."""
    return (
        SERVICE_SENSE.match(folded[end : end + 40]) is not None
        or SPOKEN_ABOUT.match(folded[end : end + 40]) is not None
        or PROMOTION_OVER.match(folded, end, end + 40) is not None
        or SERVICE_USE_BEFORE.search(folded[max(0, start - 12) : start]) is not None
        or negated(folded, start, window=15)
    )
