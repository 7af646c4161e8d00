"""A CDS Hooks call as received: its JSON read and its shape checked, or one line saying why not.

https://cds-hooks.hl7.org/2.0/#calling-a-cds-service ; the ``order-select`` and ``order-sign``
contexts: https://cds-hooks.org/hooks/order-select/ and https://cds-hooks.org/hooks/order-sign/
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from ldn_titrate.errors import LdnTitrateError, shown

Resource = Mapping[str, object]

# The prefetch templates of both services: the patient's active medicines.
PREFETCH: Final = {
    "medicationStatements": "MedicationStatement?patient={{context.patientId}}&status=active",
    "medicationRequests": "MedicationRequest?patient={{context.patientId}}&status=active",
}


class BadCallError(LdnTitrateError, ValueError):
    """A call that cannot be answered: the one-line reason, sent back with a 400."""


@dataclass(frozen=True, slots=True)
class HookCall:
    """What the service reads of a call: the draft orders and the prefetched medicines.

    ``prefetched`` is None when the EHR sent none of the patient's medicines.
    """

    hook: str
    hook_instance: str
    draft_orders: tuple[Resource, ...]
    bundle: Resource
    prefetched: tuple[Resource, ...] | None


def parse_json(body: bytes) -> object:
    """The JSON of a body, decimals kept exact.

    Raises:
        BadCallError: the body is not UTF-8 JSON.
    """
    try:
        return json.loads(body.decode("utf-8"), parse_float=Decimal, parse_constant=_constant)
    except UnicodeDecodeError:
        raise BadCallError("the body is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise BadCallError(f"the body is not valid JSON: {exc.msg} (line {exc.lineno})") from None
    except RecursionError:
        raise BadCallError("the body is not valid JSON: nested too deeply") from None
    except BadCallError:
        raise
    except ValueError:
        # An integer of thousands of digits, which Python refuses to convert.
        raise BadCallError("the body is not valid JSON: a number is too long") from None


def _constant(name: str) -> object:
    """NaN and Infinity are not JSON, though Python's reader takes them."""
    raise BadCallError(f"the body is not valid JSON: {name} is not a JSON number")


def read_call(data: object, hook: str) -> HookCall:
    """The call for a service of this hook.

    Raises:
        BadCallError: not an object, another hook, a missing context field or a malformed Bundle.
    """
    if not isinstance(data, dict):
        raise BadCallError("the request must be a JSON object")
    given = data.get("hook")
    if given != hook:
        raise BadCallError(f"hook: this service answers {hook}, got {_what(given)}")
    instance = data.get("hookInstance")
    if not isinstance(instance, str) or not instance:
        raise BadCallError("hookInstance: must be a non-empty string")
    bundle = _context(data.get("context"), hook)
    return HookCall(
        hook=hook,
        hook_instance=instance,
        draft_orders=tuple(_bundle(bundle, "context.draftOrders")),
        bundle=bundle,
        prefetched=_prefetched(data.get("prefetch")),
    )


def _context(context: object, hook: str) -> Resource:
    """The draft orders of a call's context, once its required fields are there."""
    if not isinstance(context, dict):
        raise BadCallError("context: must be an object")
    for key in ("userId", "patientId"):
        if not isinstance(context.get(key), str) or not context[key]:
            raise BadCallError(f"context.{key}: must be a non-empty string")
    if hook == "order-select" and not isinstance(context.get("selections"), list):
        raise BadCallError("context.selections: must be a list")
    if "draftOrders" not in context:
        raise BadCallError("context.draftOrders: missing")
    bundle = context["draftOrders"]
    if not isinstance(bundle, dict):
        raise BadCallError("context.draftOrders: must be a FHIR Bundle (resourceType Bundle)")
    return bundle


def _prefetched(prefetch: object) -> tuple[Resource, ...] | None:
    """The medicines of the prefetch templates (None when none was sent)."""
    if prefetch is None:
        return None
    if not isinstance(prefetch, dict):
        raise BadCallError("prefetch: must be an object")
    found: list[Resource] | None = None
    for key, value in prefetch.items():
        if value is None:
            continue
        where = f"prefetch.{key}" if key in PREFETCH else f"prefetch.{shown(key)}"
        resources = _bundle(value, where)
        if key in PREFETCH:
            found = [*(found or []), *resources]
    return None if found is None else tuple(found)


def _bundle(value: object, where: str) -> list[Resource]:
    """The resources of a FHIR Bundle.

    Raises:
        BadCallError: it is not a Bundle, or an entry holds no resource.
    """
    if not isinstance(value, dict) or value.get("resourceType") != "Bundle":
        raise BadCallError(f"{where}: must be a FHIR Bundle (resourceType Bundle)")
    entries = value.get("entry", [])
    if not isinstance(entries, list):
        raise BadCallError(f"{where}.entry: must be a list")
    resources: list[Resource] = []
    for index, entry in enumerate(entries):
        resource = entry.get("resource") if isinstance(entry, dict) else None
        if not isinstance(resource, dict):
            raise BadCallError(f"{where}.entry[{index}]: must hold a resource object")
        if not isinstance(resource.get("resourceType"), str):
            raise BadCallError(f"{where}.entry[{index}].resource: has no resourceType")
        resources.append(resource)
    return resources


def _what(value: object) -> str:
    return "nothing" if value is None else shown(value)
