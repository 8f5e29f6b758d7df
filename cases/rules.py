# moved to rules.parameters; re-export kept while branches merge
from rules.parameters import ParameterMissing, int_parameter, parameter  # noqa: F401
