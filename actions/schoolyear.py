"""Kept for the modules that import it from here: the school year now lives in `core.schoolyear`, so that the
school calendar of `collectifs` (a lower layer than `actions`) can use it too."""

from core.schoolyear import PARIS, bounds, datetime_bounds, label, parse, recent_years, school_year_of

__all__ = ["PARIS", "bounds", "datetime_bounds", "label", "parse", "recent_years", "school_year_of"]
