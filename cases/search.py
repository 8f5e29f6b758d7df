"""The staff search: which cases a text finds (the workbench queue's search box and the
API's `q`).

A text finds a case by the beginning of its number (the whole number, or "XF-2026-00"),
by any part of its project or employer's name, or by a claimant: a worker's name (any
part of it), or the worker's whole ID number or phone, which are stored encrypted and
so matched exactly through their blind indexes (core/pii.py).

The cases found are the union of one indexed lookup per kind, not one condition ORed
over the joined tables: PostgreSQL cannot use an index for an OR that spans a join, and
at a million cases that was a scan of every case for every search. On PostgreSQL the
parts-of-a-text lookups use the trigram indexes of migration cases/0024. A trigram
index needs three characters: a one- or two-character text (many Chinese names have
two) finds workers by their whole name only, not parts of employers' names, projects
or numbers (at a million cases, scanning the 50,000 employers' names alone took 40-50
ms).

Case numbers are matched from their beginning (an index on the number), not anywhere
inside: every number shares "XF-", its year and runs of zeros, so a part from the
middle ("000123") matched through a trigram index read most of that index.

A text that is a whole identifier, a worker's ID number or mobile number or a whole case
number, is matched as that identifier only, not looked for inside names as well: no
name holds one, and at a million cases the trigram lookups of its digits in the
workers', employers' and projects' names cost 5-8 ms, most of the search's time, and
found nothing (docs/performance.md, "Seventh pass").

The queue asks for the matching ids first (matching_case_ids) and then reads only those
cases. As one subquery of the queue's query, PostgreSQL ran the lookups twice (for the
paginator's count and for the page) and joined the workers found to their claims one by
one; a common two-character name matches about 200 workers at a million cases, spread
over as many pages of the tables, and that query read them through the indexes one page
at a time. A text common to many cases (more than RESOLVED_IDS_MAX) stays a subquery.
"""

import re

from django.core.exceptions import ValidationError
from django.db.models import F, Lookup, Q, QuerySet

from cases.models import Case, Claim
from core import pii, validators
from core.models import Employer, Person

_ID_NUMBER = re.compile(r"^(\d{17}[\dX]|\d{15})$")
# cases.filing numbers them XF-<year>-<six or more digits>.
_CASE_NUMBER = re.compile(r"^XF-\d{4}-\d{6,}$", re.IGNORECASE)
# Shorter texts have no trigram to look up (pg_trgm): see the module's docstring.
SUBSTRING_MIN_LENGTH = 3
# At most this many cases found are handed to the queue's query as a list of ids.
RESOLVED_IDS_MAX = 1000


def _worker_number(text: str) -> Q | None:
    """The blind-index condition for a text that is a whole ID number or mobile number."""
    compact = pii.normalize(text)
    if _ID_NUMBER.match(compact):
        return Q(id_number_index=pii.blind_index(compact))
    try:
        phone = validators.clean_phone(text)
    except ValidationError:
        return None
    return Q(phone_index=pii.blind_index(phone))


def people_named(text: str) -> QuerySet:
    """Workers by part of the name (the whole name if shorter than three characters)."""
    if len(text) >= SUBSTRING_MIN_LENGTH:
        return Person.objects.filter(name__icontains=text)
    return Person.objects.filter(name=text)


def _cases_of(people: QuerySet) -> QuerySet:
    """The ids of the cases these workers claim in."""
    return (
        Claim.objects.filter(person_id__in=people.order_by().values("pk"))
        .order_by()
        .values_list("case_id", flat=True)
    )


def _lookups(text: str, claimants: bool) -> list[QuerySet]:
    """One query of case ids per kind of match (see the module's docstring)."""
    text = text.strip()
    if _CASE_NUMBER.match(text):
        return [
            Case.objects.filter(number__istartswith=text).order_by().values_list("pk", flat=True)
        ]
    worker_number = _worker_number(text)
    if worker_number is not None:
        return [_cases_of(Person.objects.filter(worker_number))] if claimants else []
    parts = []
    if len(text) >= SUBSTRING_MIN_LENGTH:
        employers = Employer.objects.filter(name__icontains=text).order_by().values("pk")
        by_employer = Case.objects.filter(employer_id__in=employers)
        parts.append(by_employer.order_by().values_list("pk", flat=True))
        own = Q(number__istartswith=text) | Q(project_name__icontains=text)
        parts.append(Case.objects.filter(own).order_by().values_list("pk", flat=True))
    if claimants:
        parts.append(_cases_of(people_named(text)))
    return parts


def case_ids_matching(text: str, *, claimants: bool = True) -> QuerySet:
    """The ids of the cases the text finds (a subquery for `pk__in`): by number, project
    or employer, and with `claimants`, by a worker on the case."""
    parts = _lookups(text, claimants)
    if not parts:  # a short text in the API's search, which has no claimants part
        return Case.objects.none().values("pk")
    first, *rest = parts
    return first.union(*rest) if rest else first


def matching_case_ids(text: str, *, claimants: bool = True) -> list[int] | None:
    """The ids of the cases the text finds (the cases of case_ids_matching), or None
    when they are more than RESOLVED_IDS_MAX.

    Each lookup is a query of its own under a LIMIT: it stops reading at the limit,
    where a UNION reads every match of a text common to many cases before dropping
    the duplicates, and the lookups together as one UNION ALL made PostgreSQL start
    parallel workers (15 ms on a busy machine) for what takes a millisecond. A case
    found twice (by two of its workers) counts twice towards the limit; past it, the
    subquery finds the same cases."""
    found: list[int] = []
    for lookup in _lookups(text, claimants):
        found += lookup[: RESOLVED_IDS_MAX + 1 - len(found)]
        if len(found) > RESOLVED_IDS_MAX:
            return None
    return sorted(set(found))


class _IdsAnyOf(Lookup):
    """`id = ANY(%s::bigint[])`: the ids as one array literal on PostgreSQL (`IN`
    elsewhere).

    A common name finds about 200 cases at a million; as `IN (%s, %s, ...)` in the
    paginator's count and in the page's query, Django prepared and psycopg quoted each
    id and scanned the long statement for its placeholders: about a millisecond of CPU
    per query that the one parameter does not cost. PostgreSQL plans the two alike (it
    turns an `IN` list into `= ANY` of an array)."""

    lookup_name = "ids_any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        if not self.rhs:
            return "0 = 1", ()
        return f"{lhs} IN ({', '.join(['%s'] * len(self.rhs))})", (*lhs_params, *self.rhs)

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        # An array literal: psycopg adapts a list of ints value by value (0.4 ms for 200).
        array = "{" + ",".join(map(str, map(int, self.rhs))) + "}"
        db_type = self.lhs.output_field.cast_db_type(connection)
        return f"{lhs} = ANY(%s::{db_type}[])", (*lhs_params, array)


def search_condition(text: str, *, claimants: bool = True) -> Q:
    """The filter for a queryset of cases: the cases the text finds, as a list of ids
    when they are few, otherwise as a subquery."""
    ids = matching_case_ids(text, claimants=claimants)
    if ids is None:
        return Q(pk__in=case_ids_matching(text, claimants=claimants))
    return Q(_IdsAnyOf(F("pk"), ids))
