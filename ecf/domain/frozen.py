"""Frozen values built fast: a national workforce builds hundreds of thousands of them."""

from __future__ import annotations

from dataclasses import MISSING, fields
from typing import Any, TypeVar

C = TypeVar("C", bound=type)


def stored_at_once(cls: C) -> C:
    """Give a frozen dataclass a constructor that stores its fields directly: the generated one calls
    object.__setattr__ once per field (to get past the frozen guard), which costs more than the rest of building a
    milestone or an assessment, and a national workforce builds hundreds of thousands of them. Same parameters, same
    order and defaults; a slotted class sets each slot through its own setter, any other stores one dict. Written
    with exec, as dataclasses writes its own __init__."""
    assert not hasattr(cls, "__post_init__"), "a check after construction needs the generated constructor"
    names = [f.name for f in fields(cls)]
    namespace: dict[str, Any] = {"_store": object.__setattr__}
    parameters = []
    for f in fields(cls):
        assert f.default_factory is MISSING, "a default factory needs the generated constructor"
        if f.default is MISSING:
            parameters.append(f.name)
        else:
            namespace[f"_default_{f.name}"] = f.default
            parameters.append(f"{f.name}=_default_{f.name}")
    if "__slots__" in cls.__dict__:
        namespace.update({f"_set_{name}": getattr(cls, name).__set__ for name in names})
        body = [f"    _set_{name}(self, {name})" for name in names]
    else:
        body = ["    _store(self, '__dict__', {" + ", ".join(f"{name!r}: {name}" for name in names) + "})"]
    source = "\n".join([f"def __init__(self, {', '.join(parameters)}):", *body])
    # compiled first: exec of a code object, unlike exec of text, does not leave CPython thinking a Ctrl-C that
    # lands here went unhandled (see ecf.cli.main.interrupted)
    exec(compile(source, f"<{cls.__qualname__}.__init__>", "exec"), namespace)
    constructor = namespace["__init__"]
    constructor.__qualname__ = f"{cls.__qualname__}.__init__"
    cls.__init__ = constructor  # type: ignore[misc]  # replacing it is the point
    return cls
