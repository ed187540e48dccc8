"""All domain rule sets in one bundle, so the app and tests can swap configurations together."""
from __future__ import annotations

from dataclasses import dataclass

from ticketing.domain.categories import CategoryTree, default_tree
from ticketing.domain.classify import KeywordClassifier, default_classifier
from ticketing.domain.deadlines import DeadlinePolicy, default_policy
from ticketing.domain.departments import Directory, default_directory
from ticketing.domain.places import PlaceResolver, default_resolver
from ticketing.domain.routing import Router, default_router


@dataclass(frozen=True)
class Rules:
    """Routing, classification, deadlines, places, departments and the category tree."""

    router: Router
    classifier: KeywordClassifier
    deadlines: DeadlinePolicy
    places: PlaceResolver
    directory: Directory
    categories: CategoryTree


def default_rules() -> Rules:
    """Rules from the packaged YAML configuration."""
    return Rules(default_router(), default_classifier(), default_policy(), default_resolver(),
                 default_directory(), default_tree())
