"""The reply checker's detectors: selling, asking for personal or sensitive data, condescension, hostile
tone and robotic boilerplate, in English, Spanish, Portuguese, French and German. Each detector is a
set of patterns written over a folded copy of the draft (lower case, no accents, same offsets), with
the look-alikes that must not fire (negations, service senses, private channels) handled next to them."""
