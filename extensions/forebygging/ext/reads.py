"""Which data items a page read: the per-item dependencies behind incremental builds.

While a page is read, every field of the plan data the page's code looks at is recorded,
as ``(item key, field) -> fingerprint of the value`` (``municipality.measures[helsestasjon]``,
``description``). After an edit, a page whose recorded values are all unchanged would be
read into the same doctree, so it need not be read again: editing one measure's
description re-reads the pages that show that description, not every page that renders
some data.

Why recording and not declared dependencies: a declaration can be forgotten when a
directive starts showing one more field; a recording cannot. It over-approximates where
it must: a field holding items (a list of measures) is fingerprinted by the items' keys,
so adding, removing or reordering measures changes it, and the items' own fields are
recorded as they are read; a whole item used at once (``model_dump``, ``==``, hashing,
``repr``) is fingerprinted by its whole content. Values computed from the data once per
build and shared by pages (the trace, the plan's date) are recorded as named values.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from ..core import HandbookData
from ..core.models import Model

WHOLE = "*"
"""The field name that stands for the whole item (read all at once)."""

Reads = dict[tuple[str, str], str]


def _item_key(parent: str, index: int, item: Any) -> str:
    ident = getattr(item, "id", None) if isinstance(item, Model) else None
    return f"{parent}[{ident}]" if isinstance(ident, str) else f"{parent}[{index}]"


def item_keys(data: HandbookData) -> dict[int, tuple[str, Model]]:
    """id(item) -> (stable key, item) for every data item of ``data``."""
    keys: dict[int, tuple[str, Model]] = {}

    def walk(value: Any, key: str) -> None:
        if isinstance(value, Model):
            if id(value) in keys:
                return
            keys[id(value)] = (key, value)
            for name in type(value).model_fields:
                walk(object.__getattribute__(value, name), f"{key}.{name}")
        elif isinstance(value, list | tuple):
            for i, item in enumerate(value):
                walk(item, _item_key(key, i, item))
        elif isinstance(value, dict):
            for k, item in value.items():
                walk(item, f"{key}[{k}]")

    walk(data.national, "national")
    walk(data.municipality, "municipality")
    return keys


class _Index:
    """The keys of one ``HandbookData``, both ways, and the fingerprints of its fields taken so far."""

    def __init__(self, data: HandbookData) -> None:
        self.data = data
        self.by_id = item_keys(data)
        self.by_key = {key: item for key, item in self.by_id.values()}
        self.fields: dict[tuple[str, str], tuple[Model, str]] = {}
        """(item key, field) -> (the item, the field's fingerprint).

        Many pages record the same fields, and every page's reads are checked again before a
        preview (about 64,000 reads of 19,000 fields at N = 1,000 measures): the models are
        frozen, so each field is fingerprinted once per data object, by recording and checking alike.
        The item is kept with its fingerprint so two items that happened to share a key could
        never be taken for one another.
        """

    def key(self, item: Model) -> str | None:
        found = self.by_id.get(id(item))
        return found[0] if found is not None and found[1] is item else None

    def field_fingerprint(self, key: str, item: Model, name: str) -> str:
        """The fingerprint of ``item``'s field ``name`` (:data:`WHOLE`: all of it), taken once per data."""
        cached = self.fields.get((key, name))
        if cached is not None and cached[0] is item:
            return cached[1]
        with RECORDER.paused():  # the fingerprint reads fields too: not as the page's reads
            value = _whole(item) if name == WHOLE else getattr(item, name, None)
            found = fingerprint(value, self)
        self.fields[(key, name)] = (item, found)
        return found


_INDEXES: dict[int, _Index] = {}


def index_of(data: HandbookData) -> _Index:
    index = _INDEXES.get(id(data))
    if index is None or index.data is not data:
        _INDEXES.clear()  # one data set per build
        index = _INDEXES[id(data)] = _Index(data)
    return index


def fingerprint(value: Any, index: _Index) -> str:
    """What a page can have taken from ``value``: items by key, everything else by content."""
    return hashlib.sha256(_shape(value, index).encode("utf-8")).hexdigest()[:20]


_PLAIN = frozenset({str, int, float, bool, type(None)})
"""Exact types shaped by their ``repr`` (the bulk of the values): tested first, by a set lookup."""


def _shape(value: Any, index: _Index) -> str:
    if type(value) in _PLAIN:
        return repr(value)
    if isinstance(value, Model):
        key = index.key(value)
        # An item outside the data (built by code on the fly) counts by its content.
        return f"<{key}>" if key is not None else f"{type(value).__name__}{_whole(value)}"
    if isinstance(value, list | tuple | set | frozenset):
        items = [_shape(v, index) for v in value]
        return "[" + ",".join(sorted(items) if isinstance(value, set | frozenset) else items) + "]"
    if isinstance(value, dict):
        return "{" + ",".join(f"{_shape(k, index)}:{_shape(v, index)}" for k, v in value.items()) + "}"
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        # Fields left out of comparison (a lazily built index, say) are no part of the value.
        fields = (f"{f.name}={_shape(getattr(value, f.name), index)}" for f in dataclasses.fields(value) if f.compare)
        return f"{type(value).__name__}(" + ",".join(fields) + ")"
    if isinstance(value, enum.Enum):
        return repr(value.value)
    if callable(value):  # a rule's function: its name (its repr holds a memory address)
        return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', type(value).__name__)}"
    return repr(value)


def _whole(item: Model) -> str:
    return item.model_dump_json()


# --------------------------------------------------------------------------- recording


class _Paused:
    """Recording off inside the block, back to what it was after (see :meth:`Recorder.paused`)."""

    __slots__ = ("recorder", "was")

    def __init__(self, recorder: Recorder) -> None:
        self.recorder = recorder
        self.was = False

    def __enter__(self) -> None:
        self.was = self.recorder.active
        self.recorder.active = False

    def __exit__(self, *exc: object) -> None:
        self.recorder.active = self.was


class Recorder:
    """Collects what is read while it is active (one page at a time)."""

    def __init__(self) -> None:
        self.index: _Index | None = None
        self.reads: Reads = {}
        self.active = False

    def paused(self) -> _Paused:
        """Recording off for a block: fingerprinting or checking reads fields, not as a page's reads.

        A small class rather than ``contextlib.contextmanager``: it runs for every field a page reads.
        """
        return _Paused(self)

    def note(self, item: Model, name: str) -> None:
        if self.index is None:
            return
        key = self.index.key(item)
        if key is None or (key, name) in self.reads:
            return
        self.reads[(key, name)] = self.index.field_fingerprint(key, item, name)


RECORDER = Recorder()
NAMED: dict[str, Callable[[Any], Any]] = {}
"""Named values computed once per build (``name -> function of the Sphinx env``), see :func:`note_value`."""


_NOTED: dict[str, tuple[Any, Any, str]] = {}
"""name -> (the value, the index, its fingerprint): the last value noted under each name.

A named value (the whole trace) is the same object on every page of a build; fingerprinting it
once per page made each page cost the size of the plan. The cache holds the objects themselves,
so a value of a later build (a new object) is never mistaken for this one.
"""


def _value_fingerprint(name: str, value: Any, index: _Index) -> str:
    """The fingerprint of the named value ``value``, taken once per object and data."""
    cached = _NOTED.get(name)
    if cached is None or cached[0] is not value or cached[1] is not index:
        with RECORDER.paused():  # the fingerprint reads fields too: not as the page's reads
            cached = (value, index, fingerprint(value, index))
        _NOTED[name] = cached
    return cached[2]


def note_value(name: str, value: Any) -> None:
    """Record a value the page used that is computed from the data (and files) once per build."""
    if RECORDER.active and RECORDER.index is not None:
        RECORDER.reads[(f"={name}", "")] = _value_fingerprint(name, value, RECORDER.index)


def replay(reads: Reads) -> None:
    """Record ``reads`` as the current page's, as if it had read them itself.

    For a value computed from the data once per build and shared by pages (the change report):
    the page that computed it recorded the reads; every other page that uses it depends on
    the same fields, though it does not read them again.
    """
    if RECORDER.active:
        for key, value in reads.items():
            RECORDER.reads.setdefault(key, value)


def _recording_getattribute(self: Model, name: str) -> Any:
    value = object.__getattribute__(self, name)
    # __pydantic_fields__, not model_fields: the same dict without pydantic's deprecation
    # descriptor, on the hottest path of a build (every attribute read of the data).
    if RECORDER.active and name in type(self).__pydantic_fields__:
        RECORDER.note(self, name)
    return value


def _whole_read(method: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(self: Model, *args: Any, **kwargs: Any) -> Any:
        if RECORDER.active:
            RECORDER.note(self, WHOLE)
        return method(self, *args, **kwargs)

    wrapper.__wrapped__ = method  # type: ignore[attr-defined]
    return wrapper


_WHOLE_METHODS = ("model_dump", "model_dump_json", "__eq__", "__hash__", "__repr__", "__str__", "__iter__")


def _subclasses(cls: type) -> Iterator[type]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _install() -> None:
    """Make data items report their reads (a no-op while no page is being recorded)."""
    if "__getattribute__" in Model.__dict__:
        return
    Model.__getattribute__ = _recording_getattribute  # type: ignore[method-assign]
    for name in _WHOLE_METHODS:
        setattr(Model, name, _whole_read(getattr(Model, name)))
    for cls in _subclasses(Model):  # pydantic gives every frozen model class its own __hash__
        if "__hash__" in cls.__dict__ and cls.__dict__["__hash__"] is not None:
            cls.__hash__ = _whole_read(cls.__dict__["__hash__"])  # type: ignore[method-assign]


@contextmanager
def recording(data: HandbookData) -> Iterator[Reads]:
    """Record the data reads inside the block (an outer recording gets them too)."""
    _install()
    outer = (RECORDER.index, RECORDER.reads, RECORDER.active)
    RECORDER.index = index_of(data)
    RECORDER.reads = {}
    RECORDER.active = True
    try:
        yield RECORDER.reads
    finally:
        inner = RECORDER.reads
        RECORDER.index, RECORDER.reads, RECORDER.active = outer
        if outer[2]:
            outer[1].update(inner)


def start_recording(data: HandbookData) -> None:
    """Begin recording one page's reads (ended by :func:`stop_recording`)."""
    _install()
    RECORDER.index = index_of(data)
    RECORDER.reads = {}
    RECORDER.active = True


def stop_recording() -> Reads:
    reads = RECORDER.reads
    RECORDER.reads, RECORDER.active = {}, False
    return reads


def changed_reads(reads: Reads, data: HandbookData, named: Callable[[str], Any]) -> list[str]:
    """The recorded reads whose value differs in ``data`` (``named(name)`` gives a named value now)."""
    with RECORDER.paused():  # checking is not reading for a page
        index = index_of(data)
        out: list[str] = []
        for (key, name), old in reads.items():
            if key.startswith("="):
                try:
                    now = _value_fingerprint(key[1:], named(key[1:]), index)
                except KeyError:
                    now = None
            else:
                item = index.by_key.get(key)
                now = None if item is None else index.field_fingerprint(key, item, name)
            if now != old:
                out.append(f"{key}.{name}" if name else key)
        return out
