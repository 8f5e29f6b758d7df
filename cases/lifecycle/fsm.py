"""The django-fsm side of the table: one transition method per row, for the Case model.

django-fsm runs a transition through a decorated method on the model and finds those
methods when the model class is prepared. `TransitionMethods` holds one per row of
cases/lifecycle/transitions.py; Case inherits it, so the methods are there while the
class is built. A method changes only the state (to the row's target, or to the one the
effect returned: `outcome_state`); cases/services.py runs the effect and saves.
"""

from django_fsm import RETURN_VALUE, transition

from cases.lifecycle.permissions import may
from cases.lifecycle.transitions import TRANSITIONS, Decides, Transition

FIELD = "state"


def _method(row: Transition):
    def method(self, outcome_state=None):
        return outcome_state

    method.__name__ = row.name
    method.__qualname__ = f"TransitionMethods.{row.name}"
    method.__doc__ = row.label
    target = RETURN_VALUE(*row.target.states) if isinstance(row.target, Decides) else row.target
    return transition(
        field=FIELD, source=list(row.sources), target=target, permission=may(row.name)
    )(method)


TransitionMethods = type(
    "TransitionMethods",
    (),
    {
        "__module__": __name__,
        "__doc__": "One django-fsm transition method per row of the lifecycle table.",
        **{row.name: _method(row) for row in TRANSITIONS},
    },
)
