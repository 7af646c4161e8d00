from __future__ import annotations

from datetime import date
from decimal import Decimal

from ldn_titrate.request import (
    FIELDS,
    KEYS,
    build_request,
    file_layer,
    merge,
    option_name,
    options_layer,
)

MONDAY = date(2026, 12, 7)


def test_every_field_is_written_as_text_that_parses_back_to_the_same_value() -> None:
    liquid = build_request(
        {
            "start": "0.5",
            "target": "4.5",
            "step": "0.5",
            "every": "2w",
            "from": "2026-12-07",
            "maintenance_days": "30",
            "time": "morning",
            "label": "AB",
            "source": "Rx 1",
            "form": "liquid",
            "concentration": "1",
            "graduation": "0.01",
            "bud": "30",
            "overage": "2.5",
        },
        {},
        today=MONDAY,
    )
    capsules = build_request(
        {
            "start": "0.5",
            "target": "3",
            "step": "0.5",
            "every": "7",
            "form": "capsule",
            "strengths": "1.5,0.5",
            "max_units": "4",
        },
        {},
        today=MONDAY,
    )
    for request in (liquid, capsules):
        sources = (request, request.formulation)
        for field in FIELDS:
            holder = next((s for s in sources if hasattr(s, field.attribute)), None)
            value = getattr(holder, field.attribute, None)
            if value is None or field.key == "form":
                continue
            text = field.write(value)
            assert field.parse(text, field.option, MONDAY) == value, field.key


def test_the_table_has_one_row_per_key_and_names_each_option() -> None:
    # Every field, the directions, which are read into fields (sig_request.py), and the
    # FHIR references, which are the writer's.
    assert len(set(KEYS)) == len(FIELDS) + 3
    assert set(KEYS) - {f.key for f in FIELDS} == {"sig", "patient_id", "prescriber_id"}
    assert option_name("maintenance_days") == "--maintenance-days"
    assert option_name("from") == "--from"


def test_a_later_layer_wins_and_names_its_values() -> None:
    merged = merge(
        [
            file_layer({"start": "0.5", "target": "3"}, "r.toml"),
            options_layer({"target": "0.5", "step": None}),
        ]
    )
    assert merged.values == {"start": "0.5", "target": "0.5"}
    assert merged.names == {"start": "r.toml: start", "target": "--target"}
    assert Decimal("0.5") == build_request(merged.values, merged.names, MONDAY).target_mg
