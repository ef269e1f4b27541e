"""Names: normalization, scripts, romanization, comparison keys and name parts."""

from sanctio.names.keys import token_key
from sanctio.names.normalize import normalize
from sanctio.names.parts import NameForm, NamePart, name_forms
from sanctio.names.scripts import cyrillic_language, word_script
from sanctio.names.translit import romanizations

__all__ = [
    "NameForm",
    "NamePart",
    "cyrillic_language",
    "name_forms",
    "normalize",
    "romanizations",
    "token_key",
    "word_script",
]
