"""The small languages inside a compose file: durations, sizes, image references, port and
volume short syntax, command lines and ``KEY=value`` lists.

Each function takes the plain text a user wrote and returns plain values; a text that does not
parse raises :class:`ValueError` with a sentence the caller turns into a message naming the file
and line. Nothing here knows about YAML or origins.
"""

from __future__ import annotations

import math
import posixpath
import re
import shlex
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

# --- durations -----------------------------------------------------------------------------

_DURATION_UNITS = {
    "ns": Fraction(1, 10**9),
    "us": Fraction(1, 10**6),
    "µs": Fraction(1, 10**6),
    "μs": Fraction(1, 10**6),
    "ms": Fraction(1, 1000),
    "s": Fraction(1),
    "m": Fraction(60),
    "h": Fraction(3600),
}
_WHOLE_DURATION = re.compile(r"(?:(\d+)h)?(?:(\d+)m(?!s))?(?:(\d+)s)?")
_DURATION_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)")


def duration_seconds(text: str | int | float) -> int | float:
    """A Go duration (``1m30s``, ``500ms``, ``1h``) in seconds: an int when whole, else a float.

    A bare number (``10`` or ``"10"``, e.g. from ``${GRACE:-10}``) is read as seconds, which
    is what compose does for integers it finds where a duration is expected.
    """
    if isinstance(text, bool):
        raise ValueError(f"{text!r} is not a duration (write e.g. 30s, 1m30s, 500ms)")
    if isinstance(text, int | float):
        return _seconds(Fraction(text))
    spec = text.strip()
    if spec.isdigit():
        return int(spec)
    whole = _WHOLE_DURATION.fullmatch(spec)
    if whole and spec:  # "30s", "1m30s", "2h": the common case, without exact fractions
        hours, minutes, seconds = (int(part or 0) for part in whole.groups())
        return hours * 3600 + minutes * 60 + seconds
    sign = -1 if spec.startswith("-") else 1
    body = spec.lstrip("+-")
    if body in ("0", ""):
        if body == "":
            raise ValueError("an empty duration (write e.g. 30s, 1m30s, 500ms)")
        return 0
    total = Fraction(0)
    pos = 0
    for match in _DURATION_PART.finditer(body):
        if match.start() != pos:
            break
        total += Fraction(match.group(1)) * _DURATION_UNITS[match.group(2)]
        pos = match.end()
    if pos != len(body):
        raise ValueError(f"{text!r} is not a duration (write e.g. 30s, 1m30s, 500ms)")
    return _seconds(sign * total)


def _seconds(value: Fraction) -> int | float:
    return int(value) if value.denominator == 1 else float(value)


# --- sizes ---------------------------------------------------------------------------------

_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?|\.\d+)\s*([kmgtp]?)(i?b?)\s*$", re.IGNORECASE)
_SIZE_UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3, "t": 1024**4, "p": 1024**5}


def size_bytes(text: str | int | float) -> int:
    """A memory or disk size in bytes, read like Docker does (``512m``, ``1.5g``, ``1gb``, ``512M``).

    Units are binary (``1k`` is 1024 bytes); ``b`` alone means bytes; a plain number is bytes.
    """
    if isinstance(text, bool):
        raise ValueError(f"{text!r} is not a size (write e.g. 512m, 1.5g, 1gb)")
    if isinstance(text, int | float):
        return int(text)
    match = _SIZE.match(text)
    if match is None:
        raise ValueError(f"{text!r} is not a size (write e.g. 512m, 1.5g, 1gb)")
    number, unit = Fraction(match.group(1)), match.group(2).lower()
    return int(number * _SIZE_UNITS[unit])


# --- image references ----------------------------------------------------------------------

DEFAULT_REGISTRY = "docker.io"
_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_REPOSITORY = re.compile(rf"^{_COMPONENT}(?:/{_COMPONENT})*$")
_TAG = re.compile(r"^[\w][\w.-]{0,127}$")
_DIGEST = re.compile(r"^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[0-9a-fA-F]{32,}$")
_REGISTRY = re.compile(r"^(?:[a-zA-Z0-9.-]+|\[[0-9a-fA-F:]+\])(?::\d+)?$")


@dataclass(frozen=True, slots=True)
class ImageReference:
    """An image reference split the way Docker reads it."""

    registry: str
    repository: str
    tag: str | None
    digest: str | None


def parse_image(reference: str) -> ImageReference:
    """Split ``[registry/]repository[:tag][@digest]``; ``docker.io/library/`` is implied.

    ``postgres:14.7`` → ``docker.io``, ``library/postgres``, ``14.7``. The first component is a
    registry when it contains ``.`` or ``:``, is ``localhost``, or has capitals (Docker's rule).
    The split never fails; :func:`image_problem` says whether Docker would accept the reference.
    """
    name, _, digest = reference.partition("@")
    last_slash = name.rfind("/")
    colon = name.rfind(":")
    tag: str | None = None
    if colon > last_slash:
        name, tag = name[:colon], name[colon + 1 :]
    registry, repository = _split_registry(name)
    return ImageReference(registry, repository, tag, digest or None)


def _split_registry(name: str) -> tuple[str, str]:
    first, slash, rest = name.partition("/")
    is_registry = slash and (
        "." in first or ":" in first or first == "localhost" or first.lower() != first
    )
    if not is_registry:
        first, rest = DEFAULT_REGISTRY, name
    if first == "index.docker.io":
        first = DEFAULT_REGISTRY
    if first == DEFAULT_REGISTRY and "/" not in rest:
        rest = "library/" + rest
    return first, rest


def image_problem(image: ImageReference) -> str | None:
    """Why Docker would refuse this reference ("invalid reference format"), or None."""
    if not _REGISTRY.match(image.registry):
        return f"registry {image.registry!r} is not a host name"
    if not _REPOSITORY.match(image.repository):
        return f"repository {image.repository!r} must be lowercase letters, digits and . _ - /"
    if image.tag is not None and not _TAG.match(image.tag):
        return f"tag {image.tag!r} is not a valid tag"
    if image.digest is not None and not _DIGEST.match(image.digest):
        return f"digest {image.digest!r} is not algorithm:hex"
    return None


# --- command lines -------------------------------------------------------------------------


def shell_words(text: str) -> list[str]:
    """Split a command written as one string into words, as compose does (POSIX shell rules)."""
    try:
        return shlex.split(text)
    except ValueError as e:
        raise ValueError(f"cannot split {text!r} into words: {e}") from None


# --- KEY=value lists -----------------------------------------------------------------------


def go_text(value: bool | int | float) -> str:
    """A YAML scalar that is not a string, as compose-go turns it into text (Go's
    ``fmt.Sprint``): ``3.10`` → ``"3.1"``, ``1.0`` → ``"1"``, ``1e3`` → ``"1000"``, ``1e6`` →
    ``"1e+06"``, the octal ``0755`` (already the integer 493) → ``"493"``, ``True`` → ``"true"``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return _go_float(value)


def _go_float(number: float) -> str:
    """Go's ``%v`` of a float64: the shortest digits that read back the same number, in
    exponent form when the exponent is below -4 or at least 6 (``strconv`` 'g', precision -1)."""
    if math.isnan(number):
        return "NaN"
    if math.isinf(number):
        return "+Inf" if number > 0 else "-Inf"
    if number == 0:
        return "-0" if math.copysign(1.0, number) < 0 else "0"
    sign, digit_tuple, exponent = Decimal(repr(number)).normalize().as_tuple()
    assert isinstance(exponent, int)
    digits = "".join(map(str, digit_tuple))
    point = len(digits) + exponent  # where the decimal point falls among the digits
    text = _exponent_form(digits, point - 1) if not -4 <= point - 1 < 6 else _plain_form(digits, point)
    return "-" + text if sign else text


def _exponent_form(digits: str, exponent: int) -> str:
    mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    return f"{mantissa}e{'-' if exponent < 0 else '+'}{abs(exponent):02d}"


def _plain_form(digits: str, point: int) -> str:
    if point <= 0:
        return "0." + "0" * -point + digits
    if point >= len(digits):
        return digits + "0" * (point - len(digits))
    return digits[:point] + "." + digits[point:]



def key_value(item: str, separators: str = "=") -> tuple[str, str | None]:
    """``KEY=value`` → ``("KEY", "value")``; ``KEY`` alone → ``("KEY", None)``.

    The first separator found (in the order given) splits, so ``A=b=c`` keeps ``b=c``.
    """
    if separators == "=":  # the common case, kept quick for long environment lists
        key, found, value = item.partition("=")
        return key.strip(), value if found else None
    for separator in separators:
        key, found, value = item.partition(separator)
        if found:
            return key.strip(), value
    return item.strip(), None


# --- ports ---------------------------------------------------------------------------------

#: The binding of a port published on a host port Docker picks.
RANDOM_PORT = "(random)"
_PORT_SHORT = re.compile(
    r"^(?:(?:(?P<ip>\[[^\]]*\]|[^:\[\]]*):)?(?P<published>[\d-]*):)?(?P<target>[\d-]+)(?:/(?P<proto>\w+))?$"
)


def port_key(port: int | str, protocol: str = "tcp") -> str:
    """The identity of a container port: ``"80/tcp"``."""
    return f"{port}/{(protocol or 'tcp').lower()}"


def binding(host_ip: str | None, published: str | None) -> str:
    """How a published port reads: ``"8080"``, ``"127.0.0.1:8080"``, ``"[::1]:8080"``."""
    port = published if published else RANDOM_PORT
    if not host_ip:
        return port
    if ":" in host_ip and not host_ip.startswith("["):
        host_ip = f"[{host_ip}]"
    return f"{host_ip}:{port}"


#: A port range longer than this stays one range (``"1-65535/tcp"`` → binding ``"1-65535"``)
#: instead of one entry per port: twelve ``1-65535:1-65535`` lines would be 786,000 entries.
MAX_PORT_RANGE = 1024


def port_range(text: str) -> tuple[int, int]:
    """``"8000-8002"`` → ``(8000, 8002)``; ``"80"`` → ``(80, 80)``."""
    low, dash, high = text.partition("-")
    if not low.isdigit() or (dash and not high.isdigit()) or len(low) > 5 or len(high) > 5:
        raise ValueError(f"{text!r} is not a port or a port range")
    first, last = int(low), int(high) if dash else int(low)
    if not 0 < first <= last <= 65535:
        raise ValueError(f"{text!r} is not a port or a port range within 1-65535")
    return first, last


def ports_of(first: int, last: int) -> list[str]:
    """The ports of a range one by one, or the range as one (``"1-65535"``) past
    :data:`MAX_PORT_RANGE` ports."""
    if last - first >= MAX_PORT_RANGE:
        return [f"{first}-{last}"]
    return [str(port) for port in range(first, last + 1)]


def parse_port(text: str) -> list[tuple[str, str]]:
    """One short-syntax port entry → ``(port key, binding)`` per container port.

    ``"80"`` publishes 80 on a random host port; ``"8080:80"``; ``"127.0.0.1:8080:80/tcp"``;
    ``"[::1]:8080:80"``; ``"8000-8002:8000-8002"`` is one binding per port (a range of more than
    :data:`MAX_PORT_RANGE` ports stays one binding); a published range
    for a single container port (``"9000-9001:80"``) keeps the range as the binding.
    """
    match = _PORT_SHORT.match(text.strip())
    if match is None:
        raise ValueError(f"{text!r} is not a port mapping (write e.g. 8080:80 or 127.0.0.1:8080:80/tcp)")
    ip = (match.group("ip") or "").strip("[]") or None
    published = match.group("published") or None
    return expand_ports(match.group("target"), published, ip, match.group("proto") or "tcp")


def expand_ports(
    target: str, published: str | None, host_ip: str | None, protocol: str
) -> list[tuple[str, str]]:
    """Bindings for a target port or range, per container port (shared by short and long
    syntax); a range past :data:`MAX_PORT_RANGE` ports stays one binding of the two ranges."""
    first, last = port_range(target)
    if published is None:
        return [(port_key(t, protocol), binding(host_ip, None)) for t in ports_of(first, last)]
    low, high = port_range(published)
    if first == last:
        return [(port_key(first, protocol), binding(host_ip, published))]
    if high - low != last - first:
        raise ValueError(f"published range {published!r} and target range {target!r} differ in length")
    if last - first >= MAX_PORT_RANGE:
        return [(port_key(f"{first}-{last}", protocol), binding(host_ip, f"{low}-{high}"))]
    return [(port_key(t, protocol), binding(host_ip, str(t - first + low))) for t in range(first, last + 1)]


# --- volumes -------------------------------------------------------------------------------

_ACCESS_MODES = {"ro": True, "rw": False}
#: Docker Desktop's old consistency modes: compose accepts them and Docker ignores them.
IGNORED_MODES = ("cached", "delegated", "consistent")
_SELINUX = ("z", "Z")
_PROPAGATION = ("shared", "slave", "private", "rshared", "rslave", "rprivate")
_WINDOWS_PATH = re.compile(r"^[A-Za-z]:[\\/]")


@dataclass(frozen=True, slots=True)
class ShortVolume:
    """A short-syntax volume entry, read: ``SOURCE:TARGET[:MODE]``."""

    type: str  # "bind" or "volume"
    target: str
    source: str | None
    read_only: bool | None
    options: dict[str, dict[str, str | bool]]


def clean_path(path: str) -> str:
    """Go's ``path.Clean``, as compose applies it to volume targets: ``/data/`` → ``/data``,
    ``/a//b/./c/..`` → ``/a/b``, ``""`` → ``"."``."""
    cleaned = posixpath.normpath(path)
    return "/" + cleaned.lstrip("/") if cleaned.startswith("//") else cleaned


def clean_source(written: str) -> str:
    """A local bind source or build context cleaned like :func:`clean_path`, keeping the
    ``./`` that says "relative to the project folder" (``./data/`` → ``./data``, ``data`` →
    ``./data``); URLs, Windows paths and ``~user`` forms stay as written."""
    if not written or "://" in written or written.startswith("git@") or _WINDOWS_PATH.match(written):
        return written
    cleaned = clean_path(written)
    if written.startswith(("/", "~")) or cleaned in (".", "..") or cleaned.startswith("../"):
        return cleaned
    return "./" + cleaned


def is_host_path(source: str) -> bool:
    """True when a volume source names a host path rather than a named volume."""
    return source.startswith((".", "/", "~", "\\")) or bool(_WINDOWS_PATH.match(source))


def parse_volume(text: str) -> ShortVolume:
    """Read ``./data:/var/lib/x:ro`` (bind), ``pgdata:/var/lib/x`` (volume), ``/data`` (anonymous)."""
    parts = _split_volume(text)
    if len(parts) == 1:
        return ShortVolume("volume", parts[0], None, None, {})
    if len(parts) > 3 or not parts[0] or not parts[1]:
        raise ValueError(f"{text!r} is not a volume (write SOURCE:TARGET[:MODE])")
    source, target = parts[0], parts[1]
    kind = "bind" if is_host_path(source) else "volume"
    read_only, options = _volume_modes(parts[2] if len(parts) == 3 else "", kind, text)
    return ShortVolume(kind, target, source, read_only, options)


def _split_volume(text: str) -> list[str]:
    if _WINDOWS_PATH.match(text):
        drive, rest = text[:2], text[2:].split(":")
        return [drive + rest[0], *rest[1:]]
    return text.split(":")


def _volume_modes(
    modes: str, kind: str, text: str
) -> tuple[bool | None, dict[str, dict[str, str | bool]]]:
    read_only: bool | None = None
    options: dict[str, dict[str, str | bool]] = {}
    for mode in filter(None, modes.split(",")):
        if mode in _ACCESS_MODES:
            read_only = _ACCESS_MODES[mode]
        elif mode in _SELINUX and kind == "bind":
            options.setdefault("bind", {})["selinux"] = mode
        elif mode in _PROPAGATION and kind == "bind":
            options.setdefault("bind", {})["propagation"] = mode
        elif mode == "nocopy" and kind == "volume":
            options.setdefault("volume", {})["nocopy"] = True
        elif mode not in IGNORED_MODES:
            raise ValueError(f"{text!r}: unknown volume mode {mode!r}")
    return read_only, options


def parse_tmpfs(text: str) -> tuple[str, dict[str, str]]:
    """A service ``tmpfs:`` entry: ``/run`` or ``/run:size=64m,mode=1777`` → target and options."""
    target, _, rest = text.partition(":")
    options: dict[str, str] = {}
    for option in filter(None, rest.split(",")):
        key, value = key_value(option)
        options[key] = value or ""
    return target, options
