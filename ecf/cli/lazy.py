"""What `ecf` defers until it is used, so that `ecf --help` and a quick listing start at once: modules (pandas,
numpy, SQLAlchemy and openpyxl take seconds to import, pydantic a fifth of one), and the click commands typer builds
from each command's signature (some 3 ms a command, 60 commands): only the command that runs is built."""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import sys
from collections.abc import Iterator, Mapping, MutableMapping
from contextlib import contextmanager
from enum import Enum
from importlib.machinery import ModuleSpec
from types import ModuleType
from typing import TYPE_CHECKING, Any, ClassVar

import typer
import typer.main
from typer.core import TyperCommand, TyperGroup
from typer.models import CommandInfo, TyperInfo

if TYPE_CHECKING:
    from importlib.abc import Loader


class Lazy:
    """Stands for a module; the first attribute looked up imports it."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._module: ModuleType | None = None

    def __getattr__(self, attribute: str) -> Any:
        if self._module is None:
            self._module = importlib.import_module(self._name)
        return getattr(self._module, attribute)


def lazy(name: str) -> Any:
    return Lazy(name)


class LazyCommands(MutableMapping[str, Any]):
    """A group's subcommands by name, in the order they were registered (commands, then groups, as typer lists them),
    each built by typer when first looked up. While the group's help is written (`summaries`), a command not yet built
    is stood for by one that has only its name and help: the listing needs no more."""

    def __init__(self, registry: typer.Typer, built: Mapping[str, Any], markup: Any) -> None:
        self._markup = markup
        self._infos: dict[str, CommandInfo | TyperInfo] = {}
        for info in registry.registered_commands:
            assert info.callback is not None
            self._infos[info.name or info.callback.__name__.lower().replace("_", "-")] = info
        for group in registry.registered_groups:
            assert isinstance(group.name, str), "every group is added with its name"
            self._infos[group.name] = group
        self._built: dict[str, Any] = dict(built)
        self._summaries = False

    def __getitem__(self, name: str) -> Any:
        if name in self._built:
            return self._built[name]
        info = self._infos[name]
        if self._summaries:
            return self._summary(name, info)
        self._built[name] = command = self._build(name, info)
        return command

    def __iter__(self) -> Iterator[str]:
        yield from self._infos
        yield from (name for name in self._built if name not in self._infos)

    def __len__(self) -> int:
        return len(self._built.keys() | self._infos.keys())

    def __contains__(self, name: object) -> bool:
        return name in self._built or name in self._infos

    def __setitem__(self, name: str, command: Any) -> None:
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        if self._infos.pop(name, None) is None and name not in self._built:
            raise KeyError(name)
        self._built.pop(name, None)

    @contextmanager
    def summaries(self) -> Iterator[None]:
        self._summaries = True
        try:
            yield
        finally:
            self._summaries = False

    def _build(self, name: str, info: CommandInfo | TyperInfo) -> Any:
        """The click command typer would have built, built alone: a Typer holding only this command or group."""
        alone = typer.Typer(add_completion=False, rich_markup_mode=self._markup)
        if isinstance(info, CommandInfo):
            alone.registered_commands.append(info)
            return plain_coercion(typer.main.get_command(alone))
        alone.registered_groups.append(info)
        group = typer.main.get_command(alone)
        assert isinstance(group, TyperGroup)
        return plain_coercion(group.commands[name])

    def _summary(self, name: str, info: CommandInfo | TyperInfo) -> Any:
        """Name and help as typer gives them to the command it builds (typer.main.get_command_from_info and
        get_group_from_info), without reading its parameters."""
        if isinstance(info, CommandInfo):
            text = inspect.cleandoc(info.help) if info.help is not None else inspect.getdoc(info.callback)
            return TyperCommand(name=name, help=text, short_help=info.short_help, hidden=info.hidden,
                                deprecated=info.deprecated, rich_help_panel=info.rich_help_panel,
                                rich_markup_mode=self._markup)  # fmt: skip
        solved = typer.main.solve_typer_info_defaults(info)
        return TyperGroup(name=name, help=solved.help, short_help=solved.short_help, hidden=solved.hidden,
                          deprecated=solved.deprecated, rich_help_panel=solved.rich_help_panel,
                          rich_markup_mode=self._markup)  # fmt: skip


class LazyGroup(TyperGroup):
    """The `ecf` group: its commands come from `registry` (a Typer they were registered on as usual) and each is built
    when used; `ecf --help` lists them from their help texts alone."""

    registry: ClassVar[typer.Typer]

    def __init__(self, *, commands: Mapping[str, Any] | None = None, **attrs: Any) -> None:
        super().__init__(**attrs)
        plain_coercion(self)
        self.commands = LazyCommands(self.registry, commands or {}, self.rich_markup_mode)

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.commands)  # the names only: typer's lists items(), which would build every command

    def format_help(self, ctx: Any, formatter: Any) -> None:
        commands = self.commands
        assert isinstance(commands, LazyCommands)
        with commands.summaries():
            super().format_help(ctx, formatter)


def lazy_group(registry: typer.Typer) -> type[LazyGroup]:
    """The group class for a Typer whose commands are registered on `registry` instead of on itself."""
    return type("EcfGroup", (LazyGroup,), {"registry": registry, "__module__": __name__})


class _Plain:
    """Coerces a parameter's value as typer would, without building typer's pydantic validator (and importing
    pydantic, a tenth of a second) for the values that need none: an option not given (None), a value already of the
    parameter's type (a default), text for a text option, one of a choice's values, and a value the option's own
    parser accepts. Anything else,
    an error included, goes to typer's validator, built then, so its messages are typer's."""

    def __init__(self, descriptor: Any) -> None:
        self._annotation = descriptor.annotation
        info = descriptor.parameter_info
        self._parser = info.parser
        self._unconstrained = info.min is None and info.max is None and not info.clamp

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        if value is None:
            return () if param.multiple or param.nargs == -1 else None
        if not param.multiple and param.nargs == 1:
            if self._parser is not None:
                try:
                    return self._parser(value)
                except (ValueError, AssertionError):  # pydantic turns these into typer's message: typer's path
                    pass
            elif self._same(value):
                return value
            elif (choice := self._choice(value)) is not None:
                return choice
        param._runtime_param = None
        return param.get_runtime_param().coerce(value, param=param, ctx=ctx)

    def _choice(self, value: Any) -> Enum | None:
        """A choice (--format csv) as its Enum member: click has checked it against the choices already."""
        kind = self._annotation
        if isinstance(kind, type) and issubclass(kind, Enum) and isinstance(value, str):
            try:
                return kind(value)
            except ValueError:
                return None
        return None

    def _same(self, value: Any) -> bool:
        kind = self._annotation
        if kind is str or (kind is int and self._unconstrained):
            return type(value) is kind
        return isinstance(kind, type) and issubclass(kind, Enum) and isinstance(value, kind)


def plain_coercion(command: Any) -> Any:
    """Gives the command's parameters, its help option and its subcommands' (built already) _Plain coercion. A no-op
    for a typer that coerces without pydantic (no `_runtime_param`)."""
    for param in command.params:
        _plain(param)
    help_option = command.get_help_option

    def get_help_option(ctx: Any) -> Any:  # made on first use, by click
        return _plain(help_option(ctx))

    command.get_help_option = get_help_option
    for sub in getattr(command, "commands", {}).values():
        plain_coercion(sub)
    return command


def _plain(param: Any) -> Any:
    if getattr(param, "_runtime_param", False) is None and hasattr(param, "type_descriptor"):
        param._runtime_param = _Plain(param.type_descriptor)
    return param


# typer.rich_utils imports these for markdown help and pretty tracebacks, which `ecf` does not use unless something
# goes wrong: about a tenth of a second of every help screen (markdown_it, pygments).
DEFERRED_BY_RICH_HELP = ("rich.markdown", "rich.traceback")


class _Deferred(type):
    """A class of a module not imported yet: using it (calling it, or any of its attributes) imports the module."""

    _module: str

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        return _real(cls)(*args, **kwargs)

    def __getattr__(cls, attribute: str) -> Any:
        if attribute.startswith("__"):
            raise AttributeError(attribute)
        return getattr(_real(cls), attribute)


def _real(deferred: type) -> Any:
    return getattr(importlib.import_module(deferred._module), deferred.__name__)  # type: ignore[attr-defined]


class _Placeholder(ModuleType):
    """Stands in for a module while typer.rich_utils imports names from it."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return _Deferred(name, (), {"_module": self.__name__})


class _WithoutExtras:
    """Runs typer.rich_utils with placeholders for the modules in DEFERRED_BY_RICH_HELP, removed once it has run: any
    other importer gets the real modules, and so does typer.rich_utils the first time it uses one."""

    def __init__(self, loader: Loader) -> None:
        self._loader = loader

    def create_module(self, spec: ModuleSpec) -> ModuleType | None:
        return self._loader.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        added = {name: _Placeholder(name) for name in DEFERRED_BY_RICH_HELP if name not in sys.modules}
        sys.modules.update(added)
        try:
            self._loader.exec_module(module)
        finally:
            for name, placeholder in added.items():
                if sys.modules.get(name) is placeholder:
                    del sys.modules[name]


class _RichHelpFinder:
    """Finds typer.rich_utils (imported by typer when it writes help or an error) and has it loaded _WithoutExtras."""

    def find_spec(self, fullname: str, path: Any = None, target: ModuleType | None = None) -> ModuleSpec | None:
        if fullname != "typer.rich_utils":
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(fullname)
        if spec is not None and spec.loader is not None:
            spec.loader = _WithoutExtras(spec.loader)  # type: ignore[assignment]
        return spec


def defer_rich_extras() -> None:
    """Before typer.rich_utils is imported (a no-op after)."""
    if "typer.rich_utils" not in sys.modules and not any(isinstance(f, _RichHelpFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, _RichHelpFinder())
