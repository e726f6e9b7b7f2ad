"""What people type about their needs, mapped to the directory's need categories."""

from __future__ import annotations

import pytest

from bot.directory import categories

ISSUE_CODES = (
    "discharge_support reablement rehabilitation urgent_community_response intermediate_care_beds home_care "
    "care_homes carers_support young_carers community_equipment assistive_technology adaptations_dfg handyperson "
    "housing dementia end_of_life mental_health falls information_advice advocacy voluntary_community "
    "single_point_of_access"
).split()


def test_every_need_category_is_defined_with_a_label() -> None:
    assert set(categories.codes()) == set(ISSUE_CODES)
    assert all(c.label and c.synonyms for c in categories.all_categories())


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("equipment", "community_equipment"),
        ("mum needs a walking frame", "community_equipment"),
        ("Wheelchairs", "community_equipment"),
        ("information about wheelchairs", "community_equipment"),
        ("where can I get information", "information_advice"),
        ("stairlift", "adaptations_dfg"),
        ("Disabled Facilities Grant", "adaptations_dfg"),
        ("my dad has Alzheimer's", "dementia"),
        ("I'm a young carer", "young_carers"),
        ("support for carers", "carers_support"),
        ("a pendant alarm", "assistive_technology"),
        ("she keeps falling", "falls"),
        ("hospice", "end_of_life"),
        ("nursing home", "care_homes"),
    ],
)
def test_what_people_type_resolves_to_a_category(text: str, code: str) -> None:
    category = categories.resolve(text)
    assert category is not None and category.code == code


@pytest.mark.parametrize("text", ["", "hello there", "what time is it"])
def test_text_without_a_need_resolves_to_nothing(text: str) -> None:
    assert categories.resolve(text) is None
