# ruff: noqa: N801, N805  (OpenFisca: a variable is a class named like the variable;
#   formulas take the entity, not self)
"""OpenFisca-core: a minimal tax-benefit system with person and household entities.

Steps (a) and (b) only. OpenFisca has group entities of persons but no groups of groups
(a village of households, a commune of villages), so steps (c) and (d) cannot be written in
it. ``build`` (the ``SimulationBuilder`` plus ``set_input`` of every person column) is timed
separately, as the issue does; (a) and (b) are ``simulation.calculate`` of the variables
below, written as an OpenFisca user would: ``household.sum``, ``household.all`` and
``household.nb_persons`` over ``household.members(...)``. OpenFisca ``int`` variables are
int32 and sums come back as float64; the results are converted to int64 after timing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
from openfisca_core import entities, periods
from openfisca_core.simulations import SimulationBuilder
from openfisca_core.taxbenefitsystems import TaxBenefitSystem

if TYPE_CHECKING:
    # openfisca-core is untyped; let mypy check the variable classes as plain classes.
    Variable = object
else:
    from openfisca_core.variables import Variable

from benchmarks.peers.measure import Timer
from benchmarks.peers.workload import HOUSEHOLD_COUNTERS, Population, Result, as_counts

__all__ = ["NAME", "describe", "run"]

NAME = "openfisca"
_PERIOD = "2024"

Person = entities.build_entity(key="person", plural="persons", label="A person", is_person=True)
Household = entities.build_entity(
    key="household",
    plural="households",
    label="A household",
    roles=[{"key": "member", "plural": "members", "label": "Member"}],
)

_Array = npt.NDArray[Any]

# OpenFisca reads `entity` and `definition_period` from each class's own namespace, not from
# a base class, so every variable repeats them.


class age(Variable):
    entity = Person
    definition_period = periods.DateUnit.YEAR
    value_type = int
    label = "Age in years"


class literate(Variable):
    entity = Person
    definition_period = periods.DateUnit.YEAR
    value_type = bool
    label = "Can read and write"


class learning_hours(Variable):
    entity = Person
    definition_period = periods.DateUnit.YEAR
    value_type = int
    label = "Hours of learning in the year"


class qualification(Variable):
    entity = Person
    definition_period = periods.DateUnit.YEAR
    value_type = int
    label = "Highest qualification code (3 and above: college or higher)"


class digital_skills(Variable):
    entity = Person
    definition_period = periods.DateUnit.YEAR
    value_type = bool
    label = "Has basic digital skills"


class in_school(Variable):
    entity = Person
    definition_period = periods.DateUnit.YEAR
    value_type = bool
    label = "Attends school"


class learning_citizen(Variable):
    entity = Person
    definition_period = periods.DateUnit.YEAR
    value_type = bool
    label = "Learning citizen"

    def formula(person: Any, period: Any) -> _Array:
        """Age 15 or more, literate, 40 hours or a college degree, and digital skills."""
        hours_or_degree = (person("learning_hours", period) >= 40) + (
            person("qualification", period) >= 3
        )
        result: _Array = (
            (person("age", period) >= 15)
            * person("literate", period)
            * hours_or_degree
            * person("digital_skills", period)
        )
        return result


class household_persons(Variable):
    entity = Household
    definition_period = periods.DateUnit.YEAR
    value_type = int
    label = "Members"

    def formula(household: Any, period: Any) -> _Array:
        """Number of members."""
        result: _Array = household.nb_persons()
        return result


class household_adults(Variable):
    entity = Household
    definition_period = periods.DateUnit.YEAR
    value_type = int
    label = "Members aged 15 or more"

    def formula(household: Any, period: Any) -> _Array:
        """Members aged 15 or more."""
        result: _Array = household.sum(household.members("age", period) >= 15)
        return result


class household_learning_citizens(Variable):
    entity = Household
    definition_period = periods.DateUnit.YEAR
    value_type = int
    label = "Learning citizens"

    def formula(household: Any, period: Any) -> _Array:
        """Members who are learning citizens."""
        result: _Array = household.sum(household.members("learning_citizen", period))
        return result


class household_persons_15_60(Variable):
    entity = Household
    definition_period = periods.DateUnit.YEAR
    value_type = int
    label = "Members aged 15 to 60"

    def formula(household: Any, period: Any) -> _Array:
        """Members aged 15 to 60."""
        member_age = household.members("age", period)
        result: _Array = household.sum((member_age >= 15) * (member_age <= 60))
        return result


class household_literate_15_60(Variable):
    entity = Household
    definition_period = periods.DateUnit.YEAR
    value_type = int
    label = "Literate members aged 15 to 60"

    def formula(household: Any, period: Any) -> _Array:
        """Literate members aged 15 to 60."""
        member_age = household.members("age", period)
        literate_member = household.members("literate", period)
        result: _Array = household.sum((member_age >= 15) * (member_age <= 60) * literate_member)
        return result


class learning_family(Variable):
    entity = Household
    definition_period = periods.DateUnit.YEAR
    value_type = bool
    label = "Learning family"

    def formula(household: Any, period: Any) -> _Array:
        """School-age members all at school, an adult, half the adults learning citizens."""
        member_age = household.members("age", period)
        school_age = (member_age >= 6) * (member_age <= 17)
        all_at_school = household.all(household.members("in_school", period) + ~school_age)
        adults = household("household_adults", period)
        learning = household("household_learning_citizens", period)
        result: _Array = all_at_school * (adults >= 1) * (2 * learning >= adults)
        return result


_VARIABLES = (
    age,
    literate,
    learning_hours,
    qualification,
    digital_skills,
    in_school,
    learning_citizen,
    household_persons,
    household_adults,
    household_learning_citizens,
    household_persons_15_60,
    household_literate_15_60,
    learning_family,
)
_INPUTS = ("age", "literate", "learning_hours", "qualification", "digital_skills", "in_school")
_HOUSEHOLD_VARIABLES = {
    "persons": "household_persons",
    "adults": "household_adults",
    "learning_citizens": "household_learning_citizens",
    "literate_15_60": "household_literate_15_60",
    "persons_15_60": "household_persons_15_60",
}


def describe() -> str:
    """Return the version line shown in the table."""
    from importlib.metadata import version

    return f"openfisca-core {version('openfisca-core')}"


def _system() -> Any:
    system = TaxBenefitSystem([Person, Household])
    for variable in _VARIABLES:
        system.add_variable(variable)
    return system


def run(data: Population) -> Result:
    """Build the simulation, calculate steps (a) and (b), and return the timed result."""
    system = _system()
    timer = Timer()
    with timer.step("build"):
        n_persons, n_households = len(data["household"]), len(data["village"])
        builder = SimulationBuilder()
        builder.create_entities(system)
        builder.declare_person_entity("person", np.arange(n_persons))
        households = builder.declare_entity("household", np.arange(n_households))
        builder.join_with_persons(households, data["household"], np.zeros(n_persons, np.int64))
        simulation = builder.build(system)
        for name in _INPUTS:
            simulation.set_input(name, _PERIOD, data[name])

    with timer.step("a"):
        simulation.calculate("learning_citizen", _PERIOD)

    with timer.step("b"):
        family = simulation.calculate("learning_family", _PERIOD)
        counts = {
            name: simulation.calculate(variable, _PERIOD)
            for name, variable in _HOUSEHOLD_VARIABLES.items()
        }

    return Result(
        learning_family=np.asarray(family, dtype=np.bool_),
        household_counts={name: as_counts(counts[name]) for name in HOUSEHOLD_COUNTERS},
        learning_village=None,
        levels={},
        rates={},
        timings=timer.seconds,
        peak_rss=timer.peak_rss,
        notes=(
            "steps (a)+(b) only: OpenFisca has no groups of groups (village, commune, ...)",
            "build = SimulationBuilder + set_input, timed apart",
        ),
    )
