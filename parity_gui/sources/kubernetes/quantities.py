"""Kubernetes resource quantities in the units compose uses: memory in bytes, CPU in CPUs.

Follows the Kubernetes API reference, "Quantity" (``k8s.io/apimachinery/pkg/api/resource``):
``<number><suffix>`` with binary suffixes ``Ki Mi Gi Ti Pi Ei``, decimal suffixes
``n u m k M G T P E`` and decimal exponents (``1e3``). ``512Mi`` is 536870912 bytes and ``2000m``
is 2 CPUs. Whole numbers come back as ``int`` so that ``2`` CPUs here and ``2`` in a compose file
are the same value.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

_QUANTITY = re.compile(r"^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d{1,3})?$")
_BINARY = {"Ki": 1, "Mi": 2, "Gi": 3, "Ti": 4, "Pi": 5, "Ei": 6}
_DECIMAL = {"n": -9, "u": -6, "m": -3, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}


def parse_quantity(text: str | int | float) -> int | float:
    """``"512Mi"`` → 536870912, ``"250m"`` → 0.25, ``"1.5"`` → 1.5; raises ValueError otherwise."""
    if isinstance(text, bool):
        raise ValueError(f"{text!r} is not a quantity")
    if isinstance(text, int | float):
        text = str(text)
    match = _QUANTITY.match(text.strip())
    if match is None:
        raise ValueError(f"{_shown(text)} is not a Kubernetes quantity (write e.g. 512Mi, 250m, 2)")
    try:
        number = Decimal(match.group(1))
    except InvalidOperation as e:  # pragma: no cover - the pattern admits only numbers
        raise ValueError(f"{_shown(text)} is not a Kubernetes quantity") from e
    value = number * _multiplier(match.group(2) or "")
    if abs(value) > _LARGEST:
        raise ValueError(f"{_shown(text)} is larger than a Kubernetes quantity may be (2^63-1)")
    return _simplest(value)


#: "No quantity may represent a number greater than 2^63-1 in magnitude" (API reference, Quantity).
_LARGEST = Decimal(2**63 - 1)


def _shown(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:37] + "...")


def _multiplier(suffix: str) -> Decimal:
    if suffix in _BINARY:
        return Decimal(1024) ** _BINARY[suffix]
    if suffix in _DECIMAL:
        return Decimal(10) ** _DECIMAL[suffix]
    if suffix:
        return Decimal(10) ** int(suffix[1:])
    return Decimal(1)


def _simplest(number: Decimal) -> int | float:
    if number == number.to_integral_value():
        return int(number)
    return float(number)


def memory_bytes(text: str | int | float) -> int:
    """Memory as whole bytes (Kubernetes rounds a fractional byte count up)."""
    value = parse_quantity(text)
    return value if isinstance(value, int) else int(Decimal(str(value)).to_integral_value(rounding="ROUND_CEILING"))
