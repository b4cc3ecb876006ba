"""Turning strings from a design into safe Python: identifiers and docstring text.

No string from a design reaches generated code except through these functions, so a hostile name
(``x"); import os; os.system("echo pwned") #``) becomes an inert identifier or plain text.
"""
from __future__ import annotations

import keyword
import re
import unicodedata

MAX_LENGTH = 40
RESERVED = {"self", "x", "image", "torch", "nn", "super", "build_model", "main"}
MODULE_ATTRIBUTES = frozenset({
    "add_module", "apply", "bfloat16", "buffers", "call_super_init", "children", "compile", "cpu",
    "cuda", "double", "dump_patches", "eval", "extra_repr", "float", "forward", "get_buffer",
    "get_extra_state", "get_parameter", "get_submodule", "half", "ipu", "load_state_dict",
    "modules", "mtia", "named_buffers", "named_children", "named_modules", "named_parameters",
    "parameters", "register_backward_hook", "register_buffer", "register_forward_hook",
    "register_forward_pre_hook", "register_full_backward_hook", "register_full_backward_pre_hook",
    "register_load_state_dict_post_hook", "register_load_state_dict_pre_hook", "register_module",
    "register_parameter", "register_state_dict_post_hook", "register_state_dict_pre_hook",
    "requires_grad_", "set_extra_state", "set_submodule", "share_memory", "state_dict", "to",
    "to_empty", "train", "training", "type", "xpu", "zero_grad",
})
"""nn.Module's own attributes (torch 2.13): a block named ``eval`` or ``training`` must not hide
them, so such a name gets a trailing underscore like a keyword does."""


def identifier(text: str, fallback: str = "block") -> str:
    """A lower-case Python identifier made of ASCII letters, digits and underscores."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    name = re.sub(r"[^0-9a-zA-Z_]+", "_", ascii_text).strip("_").lower()
    name = re.sub(r"_+", "_", name)
    name = name[:MAX_LENGTH].rstrip("_")
    if not name:
        name = fallback
    if name[0].isdigit():
        name = f"{fallback}_{name}"
    if (keyword.iskeyword(name) or keyword.issoftkeyword(name) or name in RESERVED
            or name in MODULE_ATTRIBUTES):
        name += "_"
    return name


def class_name(text: str, fallback: str = "Net") -> str:
    """A CamelCase class name: ``"mobilenet v2 (mine)"`` -> ``MobilenetV2Mine``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.split(r"[^0-9a-zA-Z]+", ascii_text)
    name = "".join(w[:1].upper() + w[1:] for w in words if w)[:MAX_LENGTH]
    if not name or not name[0].isalpha():
        name = fallback + name
    if keyword.iskeyword(name) or name in RESERVED or name in {"Add", "Concat", "Fire",
                                                             "ConvBNAct", "InvertedResidual",
                                                             "DepthwiseSeparable"}:
        name += "Net"
    return name


def unique(names: list[str]) -> list[str]:
    """The same names with ``_2``, ``_3``... added where one repeats."""
    seen: dict[str, int] = {}
    out = []
    taken = set(names)
    for n in names:
        if n not in seen:
            seen[n] = 1
            out.append(n)
            continue
        i = seen[n] + 1
        while f"{n}_{i}" in taken:
            i += 1
        seen[n] = i
        taken.add(f"{n}_{i}")
        out.append(f"{n}_{i}")
    return out


def plain_text(text: str, limit: int = 120) -> str:
    """Text safe inside a triple-quoted docstring: printable, no quotes or backslashes, one line."""
    clean = "".join(c if c.isprintable() and c not in "\"'\\" else " " for c in text)
    clean = " ".join(clean.split())
    return clean[:limit]
