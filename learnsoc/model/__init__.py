"""Floor 1: what the data is (entities, codes, schema, hierarchy, population)."""

from learnsoc.model.codes import (
    CodedEnum,
    Education,
    Employment,
    OrganisationType,
    Qualification,
    Sex,
)
from learnsoc.model.crosswalk import Crosswalk
from learnsoc.model.entities import AdminUnit, Clan, Household, Membership, Organisation, Person
from learnsoc.model.hierarchy import (
    PRESETS,
    Hierarchy,
    HierarchyDateWarning,
    HierarchySpec,
    Level,
)
from learnsoc.model.population import Population
from learnsoc.model.schema import STANDARD_SCHEMA, ColumnSpec, Schema, TableSchema
from learnsoc.model.summary import PopulationSummary

__all__ = [
    "PRESETS",
    "STANDARD_SCHEMA",
    "AdminUnit",
    "Clan",
    "CodedEnum",
    "ColumnSpec",
    "Crosswalk",
    "Education",
    "Employment",
    "Hierarchy",
    "HierarchyDateWarning",
    "HierarchySpec",
    "Household",
    "Level",
    "Membership",
    "Organisation",
    "OrganisationType",
    "Person",
    "Population",
    "PopulationSummary",
    "Qualification",
    "Schema",
    "Sex",
    "TableSchema",
]
