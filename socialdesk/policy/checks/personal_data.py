# ruff: noqa: E501  (lexicon tables: one alternative per line reads better than wrapped regex fragments)
"""Asking the customer for data: personal data in public (anything that identifies or locates them)
and sensitive data never to be asked for in any channel (a full card number, its security code, a PIN,
a password, a one-time code, the date of birth). "DM us your account number" is fine; "reply here with
your account number" is not; "we will never ask for your PIN" and "don't post your card number here"
ask for nothing."""

from __future__ import annotations

import re

from socialdesk.policy.checks.text import Finding, compile_words, negated, sentence_at, words

PUBLIC_RULE = "no_personal_data_in_public"
SENSITIVE_RULE = "no_sensitive_data_request"

_SENSITIVE_NOUNS = words(
    # English
    r"(?:full |complete |long |16[- ]digit )?(?:credit |debit |bank )?card(?:'s)? (?:number|details|digits|data)",
    r"card no",
    r"(?:cvv|cvc|cv2|security code|card verification code)",
    r"pin(?: code| number)?",
    r"(?:online banking |account |app )?(?:password|passcode|passphrase|login details|login credentials)",
    r"(?:one[- ]time|verification|security|sms|otp|2fa|authentication) (?:code|passcode|password)",
    r"otp",
    r"date of birth",
    r"dob",
    r"(?:full|complete|whole|entire) iban",
    r"(?:answers? to (?:your |the )?)?(?:security|secret) (?:questions?|answers?)",
    r"(?:mother's )?maiden name",
    r"(?:code|digits|numbers?) on the back of (?:your |the )?card",
    r"(?:three|3)[- ]digit(?: security)? (?:code|number)",
    r"(?:\d|six|four|eight)[- ]digit code",
    r"code (?:we|i) (?:just )?(?:texted|sent|messaged)(?: you)?",
    r"(?:code|passcode)(?: \w+){0,3} (?:from|in) the (?:sms|text)",
    r"(?:photo|picture|pic|image|scan|copy)s? (?:of )?(?:both sides of )?(?:your |the )?(?:bank |credit |debit )?card",
    r"birth ?date",
    r"(?:long |full |16[- ]digit )?(?:number|digits) (?:on|across) (?:the front of )?(?:your |the )?(?:bank |credit |debit )?card",
    r"(?:card'?s? )?(?:expiry|expiration) date",
    # Spanish
    r"(?:numero|datos|digitos|numeracion) (?:completos? )?de (?:la |tu |su )?tarjeta(?: de (?:credito|debito))?",
    r"numero de (?:la )?tarjeta",
    r"(?:codigo|clave) (?:de seguridad|pin|secreto|cvv|de verificacion|sms|de acceso|de un solo uso)",
    r"contrasena(?: de acceso| de la app| de banca online)?",
    r"clave (?:de acceso|de la app|de banca online|secreta|pin)",
    r"fecha de nacimiento",
    r"iban completo",
    r"(?:pregunta|respuesta) (?:de seguridad|secreta)",
    r"codigo (?:que )?(?:te )?(?:ha llegado|hemos enviado|llego|recibiste|has recibido)(?: por sms)?",
    r"(?:foto|imagen|copia)s? de (?:la |tu |su )?tarjeta",
    r"fecha de (?:caducidad|vencimiento|expiracion) (?:de (?:la |tu |su )?tarjeta)?",
    # Portuguese
    r"(?:numero|dados|digitos) (?:completos? )?do (?:seu |teu )?cartao(?: de credito| de debito)?",
    r"(?:codigo|senha) (?:de seguranca|pin|de verificacao|sms|de acesso|do cartao)",
    r"senha",
    r"data de nascimento",
    r"iban completo",
    r"(?:pergunta|resposta) (?:de seguranca|secreta)",
    r"codigo (?:de \d digitos )?(?:que recebeu|recebido|que enviamos)(?: por sms)?",
    r"(?:foto|imagem|copia)s? do (?:seu )?cartao",
    r"(?:data de )?validade do (?:seu |teu )?cartao",
    # French
    r"(?:numero|coordonnees|chiffres) (?:complets? )?de (?:votre |ta |la )?carte(?: bancaire| de credit)?",
    r"(?:cryptogramme|code (?:de securite|pin|secret|confidentiel|de verification|sms|d'acces))",
    r"mot de passe",
    r"date de naissance",
    r"iban complet",
    r"question (?:secrete|de securite)",
    r"code (?:recu|envoye|que vous avez recu) (?:par|en) sms",
    r"(?:photo|copie|scan)s? (?:recto verso )?de (?:votre |la )?carte",
    r"date d'(?:expiration|echeance) de (?:votre |ta |la )?carte",
    # German
    r"\w*kartennummer",
    r"\w*kartendaten",
    r"(?:sicherheitscode|prufziffer|prufnummer|geheimzahl|pin-code|pin-nummer|\w*passwort|\w*kennwort|einmalcode|bestatigungscode|sms-code)",
    r"geburtsdatum",
    r"ablaufdatum (?:ihrer |deiner |der )?karte",
    r"(?:vollstandige|komplette|ganze) iban",
    r"sicherheitsfrage",
    r"code, den sie (?:gerade |eben )?(?:per sms )?(?:bekommen|erhalten)",
    r"(?:foto|bild|kopie|scan) (?:ihrer|deiner|der) (?:bank)?karte",
)

_PERSONAL_NOUNS = words(
    # English
    r"(?:phone|mobile|cell|telephone|contact|home|landline|whatsapp) number",
    r"your number",
    r"e-?mail address",
    r"e-?mail",
    r"(?:home |postal |full |billing |delivery |street )?address",
    r"(?:post|postal|zip) ?code",
    r"full name",
    r"(?:account|customer|client|contract|policy|membership|iban|sort code|bank account) (?:number|details|no)",
    r"iban",
    r"sort code",
    r"bank details",
    r"(?:id|identity|national id|passport|driving licence|driver's license|social security|ssn|tax|"
    r"national insurance|nie|dni|cpf) (?:number|card|details|no)",
    r"passport",
    r"ssn",
    # Spanish
    r"(?:tu |su |numero de )(?:telefono|movil|celular|contacto)",
    r"(?:correo(?: electronico)?|e-?mail)",
    r"(?:direccion|domicilio)(?: postal| completa| de envio)?",
    r"codigo postal",
    r"nombre completo",
    r"(?:numero de )?(?:cuenta|cliente|contrato|dni|nie|nif|pasaporte|documento)",
    r"datos (?:personales|bancarios)",
    r"(?:dni|nie|nif|pasaporte|iban)",
    # Portuguese
    r"(?:seu |teu |numero de )(?:telefone|telemovel|celular|whatsapp)",
    r"(?:endereco|morada)(?: completo| completa| de e-?mail)?",
    r"(?:numero|dados) (?:da conta|de cliente|do contrato|do cpf|do rg|do documento|bancarios|pessoais)",
    r"numero (?:da|do|de) (?:sua |seu |tua |teu )(?:conta|cliente|contrato|cpf|rg|documento|nif)",
    r"(?:cpf|rg|nif|nome completo|cep|codigo postal|conta bancaria)",
    # French
    r"(?:votre |ton |numero de )(?:telephone|portable|mobile)",
    r"(?:adresse(?: postale| complete| e-?mail| mail)?|courriel)",
    r"(?:numero|references) (?:de compte|client|de contrat|de piece d'identite|de passeport|fiscal)",
    r"(?:nom complet|code postal|rib|iban|coordonnees bancaires|piece d'identite|passeport)",
    # German
    r"\w*(?:telefon|handy|mobil|kunden|vertrags|konto|ausweis|pass|steuer|versicherungs)nummer",
    r"(?:e-?mail(?:-adresse)?|adresse|anschrift|postleitzahl|plz|vollstandiger name|iban|bankverbindung|bankdaten|\w*ausweis)",
)
PERSONAL = re.compile(_PERSONAL_NOUNS)
SENSITIVE = re.compile(_SENSITIVE_NOUNS)

# Words that turn an agent's sentence into asking the customer for something.
REQUEST_BEFORE = compile_words(
    # English: imperatives and questions, not "we'll send you your new PIN".
    r"(?:send|give|tell|dm|message|email|write|leave|drop|pass)(?: (?:us|me))",
    r"send(?! (?:you|him|her|them)\b)",
    r"(?:share|provide|confirm|include|post|drop|leave)(?! (?:you|him|her|them)\b)",
    r"(?:read|spell) out",
    r"(?:read|forward) (?:us|me)",
    r"forward",
    r"(?:type|paste|key in|put)(?! (?:it|them) in)",
    r"write down",
    r"(?:reply|respond|answer|comment)(?: here| below| to this(?: post| tweet| comment)?)? with",
    r"(?:comment|reply|tweet|text) (?:us |me )?(?:your|it|them)",
    r"(?:responde|responda|contesta|conteste|respondenos|respondanos|contestanos|comenta|comente|escribe|escriba|publica|publique)(?: aqui| por aqui| abajo)? con",
    r"(?:responda|responde)(?: aqui)? com",
    r"repondez(?: ici)? avec",
    r"antworten sie(?: hier)? mit",
    r"(?:brauchen|benotigen) wir",
    r"let (?:us|me) know",
    r"can we (?:have|get|take)",
    r"may we (?:have|get)",
    r"(?:we|i)(?:'ll| will| would| do)? (?:also |still |just |only |then )?(?:need|require)",
    r"what(?:'s| is| was) (?:your|the)",
    r"what are your",
    # Spanish
    r"(?:envia|envie|enviad|envien|manda|mande|pasa|pase|di|diga|indica|indique|facilita|facilite|"
    r"proporciona|proporcione|comparte|comparta|confirma|confirme|escribe|escriba|deja|deje|publica|"
    r"publique|comenta|comente)(?:nos|me)",
    r"(?:envia|envie|manda|mande|indica|indique|facilita|facilite|proporciona|proporcione|comparte|"
    r"comparta|confirma|confirme|escribe|escriba|deja|deje|publica|publique|pon|ponga)",
    r"(?:danos|dame|denos|deme|dinos|dime|diganos|digame|pasanos|pasame|mandanos|mandame)",
    r"(?:puedes|podrias|puede|podria|podeis|pueden|podrian)(?: nos| me)? (?:enviar|mandar|pasar|dar|decir|"
    r"indicar|facilitar|proporcionar|compartir|confirmar|escribir|dejar|poner)(?:nos|me)?",
    r"nos (?:envias|mandas|pasas|das|dices|indicas|facilitas|confirmas|escribes|dejas|envie|mande|pase|de|"
    r"diga|indique|facilite|confirme|proporcione|proporcionas|compartes|comparta)",
    r"me (?:das|dices|pasas|indicas|confirmas|envias|mandas|facilitas)",
    r"necesit(?:o|amos|aremos|ariamos)",
    r"cual es (?:tu|su)",
    r"cuales son (?:tus|sus)",
    # Portuguese
    r"(?:envie|envia|mande|manda|passe|passa|diga|informe|informa|compartilhe|partilhe|confirme|confirma|"
    r"escreva|deixe|poste|publique|coloque|comente|forneca|indique)(?:-nos|-me)?",
    r"nos (?:envie|mande|passe|diga|informe|confirme|forneca|indique|envia|manda|passa|informa)",
    r"(?:pode|poderia|podes|consegue|podem)(?: nos| me)? (?:enviar|mandar|passar|dizer|informar|compartilhar|"
    r"confirmar|fornecer|indicar|deixar|escrever)",
    r"precis(?:o|amos|aremos|ariamos)",
    r"qual (?:e|eh) (?:o |a )?(?:seu|sua|teu|tua)",
    # French
    r"(?:envoyez|envoie|donnez|donne|communiquez|communique|indiquez|indique|partagez|partage|confirmez|"
    r"confirme|transmettez|transmets|ecrivez|publiez|postez|laissez|precisez|fournissez|rappelez)"
    r"(?:-nous|-moi)?",
    r"merci de (?:nous |me )?(?:envoyer|indiquer|communiquer|transmettre|confirmer|donner|partager|preciser|"
    r"fournir|laisser|ecrire|publier)",
    r"(?:pouvez|pourriez|peux|pourrais)[- ](?:vous|tu) (?:nous |me )?(?:envoyer|indiquer|communiquer|"
    r"transmettre|confirmer|donner|partager|preciser|fournir|laisser|ecrire|publier|dire)",
    r"nous avons besoin",
    r"(?:il )?nous faut",
    r"quel(?:le)?s? (?:est|sont) (?:votre|vos|ton|ta|tes)",
    # German
    r"(?:senden|schicken|geben|nennen|teilen|posten|schreiben|bestatigen|ubermitteln|hinterlassen|verraten)"
    r" sie",
    r"(?:sende|schick|schicke|gib|nenn|nenne|teil|teile|poste|schreib|schreibe|bestatige|verrate)(?: uns| mir)",
    r"(?:konnen|konnten|wurden|kannst|konntest|wurdest) (?:sie|du)",
    r"(?:wir|ich) (?:brauchen|benotigen|brauche|benotige)",
    r"wie lautet",
    r"was ist (?:ihre|ihr|deine|dein)",
)
# German puts the verb last: "Bitte Ihre Kundennummer per DM schicken."
REQUEST_AFTER = compile_words(
    r"(?:schicken|senden|nennen|mitteilen|angeben|posten|geben|bestatigen|ubermitteln|zukommen lassen|"
    r"hinterlassen)",
    r", please",
    r",? bitte",
)
# "We'll send it to your address": the data is where something goes, not what is asked for.
DESTINATION = re.compile(
    words(
        r"to",
        r"at",
        r"on",
        r"in",
        r"into",
        r"from",
        r"onto",
        r"via",
        r"by",
        r"al",
        r"en",
        r"para",
        r"em",
        r"ao",
        r"pelo",
        r"pela",
        r"au",
        r"sur",
        r"dans",
        r"par",
        r"an",
        r"auf",
        r"im",
        r"ins",
        r"per",
        r"zu",
        r"von",
    )
    + r"\s+(?:(?:your|the|tu|su|tus|sus|el|la|o|a|seu|sua|votre|vos|ihre|ihr|ihren|ihrem|ihrer|deine|dein)\s+)?"
    r"(?:\w+\s+)?$"
)
# Not the full card number: "the last 4 digits of your card".
PARTIAL_CARD = re.compile(
    words(
        r"(?:last|final) (?:4|four|2|two) (?:digits|numbers)",
        r"(?:ending|ends) (?:in|with)",
        r"(?:ultimos|dos ultimos|os ultimos) (?:4|cuatro|quatro|2|dos|dois) (?:digitos|numeros)",
        r"(?:que )?termin(?:a|e|ada|ado) (?:en|em|por)",
        r"(?:4|quatre|2|deux) derniers (?:chiffres|numeros)",
        r"(?:se )?terminant par",
        r"letzten (?:4|vier|2|zwei) (?:ziffern|stellen)",
        r"(?:endet|endend) (?:auf|mit)",
    )
)
PRIVATE_CHANNEL = compile_words(
    r"dms?",
    r"md",
    r"mp",
    r"pn",
    r"pv",
    r"inbox",
    r"(?:via|by|in|on|por|no) direct",
    r"direct message",
    r"private message",
    r"privately",
    r"in private",
    r"private chat",
    r"whatsapp",
    r"messenger",
    r"(?:by|via|over) e-?mail",
    r"e-?mail us",
    r"live chat",
    r"mensajes? (?:privado|directo)s?",
    r"(?:por|al|en) privado",
    r"por interno",
    r"por (?:correo|e-?mail)",
    r"mensage(?:m|ns) (?:privada|direta)s?",
    r"no privado",
    r"no direct",
    r"por e-?mail",
    r"messages? prives?",
    r"en prive",
    r"messagerie privee",
    r"par (?:e-?mail|mail|courriel)",
    r"direktnachricht",
    r"private nachricht",
    r"privatnachricht",
    r"privat",
    r"per e-?mail",
    r"personliche nachricht",
)
PUBLIC_PLACE = re.compile(
    words(
        r"publicly",
        r"in public",
        r"publicamente",
        r"en publico",
        r"em publico",
        r"publiquement",
        r"en public",
        r"offentlich",
    )
    + "|"
    + words(
        r"here",
        r"below",
        r"in (?:the|this) (?:thread|comments?|post)",
        r"aqui",
        r"abajo",
        r"por aqui",
        r"en (?:los )?comentarios",
        r"nos comentarios",
        r"ici",
        r"en commentaire",
        r"sous ce post",
        r"hier",
        r"unten",
        r"in den kommentaren",
        r"als antwort",
    )
)

# "Enter your PIN on the keypad", "type the code in the app": the customer keeps it to themselves.
SELF_ENTRY = re.compile(
    r"\s*(?:\w+\s+){0,2}(?:in|into|on|en|no|na|dans|sur|in die|im) (?:the |your |la |tu |a |o |l'|votre |der |die |ihrem |ihrer )?"
    r"(?:app|appli|application|aplicacion|aplicacao|keypad|screen|website|portal|form|terminal|pantalla|ecra|ecran|clavier|teclado|website)"
)
# German negates after the object: "Bitte teilen Sie Ihre Kartennummer hier nicht."
NEGATION_AFTER = compile_words(r"nicht", r"niemals", r"nie")
_REQUEST_WINDOW = 90
_AFTER_WINDOW = 45


# "Nobody from our team will ask you to post your card details", "nunca te pediremos tu PIN": a warning.
NEVER_ASKS = re.compile(
    words(
        r"nobody",
        r"no one",
        r"never",
        r"nunca",
        r"nadie",
        r"jamas",
        r"jamais",
        r"personne",
        r"niemand",
        r"nie",
        r"niemals",
        r"ninguem",
        r"nenhum\w*",
        r"won't",
        r"will not",
        r"would never",
    )
    + r".{0,45}?"
    + words(
        r"ask\w*",
        r"request\w*",
        r"ped\w*",
        r"pid\w*",
        r"solicit\w*",
        r"demand\w*",
        r"frag\w*",
        r"bitt\w*",
        r"verlang\w*",
        r"auffordern",
    )
)


def _requested(folded: str, start: int, end: int) -> bool:
    """The words at start:end are what the sentence asks the customer to give."""
    sentence_start, sentence_end = sentence_at(folded, start)
    if NEVER_ASKS.search(folded[sentence_start:start]):
        return False
    if DESTINATION.search(folded[max(sentence_start, start - 30) : start]):
        return False
    if negated(folded, start, window=12):
        return False
    before = folded[max(sentence_start, start - _REQUEST_WINDOW) : start]
    if NEGATION_AFTER.search(folded[end : min(sentence_end, end + _AFTER_WINDOW)]):
        return False
    if SELF_ENTRY.match(folded, end, min(sentence_end, end + 40)):
        return False
    cues = list(REQUEST_BEFORE.finditer(before))
    if cues:
        cue = cues[-1]
        cue_at = max(sentence_start, start - _REQUEST_WINDOW) + cue.start()
        return not negated(folded, cue_at) and not _first_person(folded, sentence_start, cue_at)
    after = folded[end : min(sentence_end, end + _AFTER_WINDOW)]
    if NEGATION_AFTER.search(after):
        return False
    return REQUEST_AFTER.search(after) is not None and not negated(folded, start)


_FIRST_PERSON = re.compile(
    words(r"we", r"we'll", r"we've", r"i", r"i'll", r"i've", r"wir", r"ich") + r"\s+(?:\w+\s+)?$"
)


def _first_person(folded: str, sentence_start: int, cue_at: int) -> bool:
    """ "We'll confirm your address", "wir senden ...": the agent says what we do, asks nothing."""
    return _FIRST_PERSON.search(folded[max(sentence_start, cue_at - 15) : cue_at]) is not None


def _publicly(folded: str, start: int) -> bool:
    """Asked in public: no private channel named before it or in its sentence, or a public place named
    ("reply here with", "post it below")."""
    sentence_start, sentence_end = sentence_at(folded, start)
    sentence = folded[sentence_start:sentence_end]
    if PUBLIC_PLACE.search(sentence) and not PRIVATE_CHANNEL.search(sentence):
        return True
    return PRIVATE_CHANNEL.search(folded[:sentence_end]) is None


def sensitive_requests(text: str, folded: str) -> list[Finding]:
    findings = []
    for match in SENSITIVE.finditer(folded):
        if PARTIAL_CARD.search(folded[max(0, match.start() - 30) : match.end()]):
            continue
        if _requested(folded, match.start(), match.end()):
            findings.append(
                Finding(
                    SENSITIVE_RULE,
                    match.start(),
                    match.end(),
                    "is never asked for, not even in a private message (fraud risk); ask for the account or "
                    "order number, or point to the secure verification flow",
                )
            )
    return findings


def public_requests(text: str, folded: str) -> list[Finding]:
    findings = []
    for pattern in (SENSITIVE, PERSONAL):
        for match in pattern.finditer(folded):
            if _requested(folded, match.start(), match.end()) and _publicly(folded, match.start()):
                findings.append(
                    Finding(
                        PUBLIC_RULE,
                        match.start(),
                        match.end(),
                        "is personal data asked for in public; ask for it in a private message",
                    )
                )
    return findings


def asked_publicly(folded: str, start: int, end: int) -> bool:
    """For a policy's own request pattern: not when the request goes to a private channel, is negated, or
    names the data only as a destination ("we'll send your new SIM to your address")."""
    nouns = [m for p in (SENSITIVE, PERSONAL) for m in p.finditer(folded, start, end)]
    if nouns and not any(_requested(folded, m.start(), m.end()) for m in nouns):
        return False
    return _publicly(folded, start) and not negated(folded, start, window=20)
