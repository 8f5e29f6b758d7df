"""Serializer errors as form errors: the one way every page form shows what the API's
serializers (and the services' InvalidInput) said about its input.

A serializer's errors are a tree ({name: [messages] | {sub: ...} | [{...} per row]}).
A page shows them on its own fields, which may be named differently (the complaint page
has `employer_name` where the serializer has `employer.name`), and the rest above the
form, as messages or, where the page has no field to point at, as labelled sentences.
"""

from collections.abc import Iterable, Mapping


def messages(detail) -> list[str]:
    """Every message in an error tree, in order, without where it was."""
    if isinstance(detail, dict):
        return [message for value in detail.values() for message in messages(value)]
    if isinstance(detail, list | tuple):
        return [message for value in detail for message in messages(value)]
    return [str(detail)]


def spread(
    errors: Mapping,
    onto: dict[str, list[str]],
    *,
    fields: Mapping[str, str] | Iterable[str] = (),
    nested: Mapping[str, Mapping[str, str]] | None = None,
) -> dict:
    """Puts a serializer's errors onto a form's field errors (`onto`: {field: [messages]}).

    `fields` names the serializer fields the form has (a mapping when the form calls one
    differently); `nested` maps a nested serializer's fields onto the form's
    ({"employer": {"name": "employer_name", ..., "*": "employer_name"}}, "*" taking any
    other). Returns the errors the form has no field for, for the caller to show.
    """
    names = fields if isinstance(fields, Mapping) else {name: name for name in fields}
    nested = nested or {}
    rest = {}
    for name, detail in errors.items():
        if name in names:
            onto.setdefault(names[name], []).extend(messages(detail))
        elif name in nested and isinstance(detail, dict):
            targets = nested[name]
            for sub, sub_detail in detail.items():
                target = targets.get(sub, targets.get("*"))
                if target is None:
                    rest.setdefault(name, {})[sub] = sub_detail
                else:
                    onto.setdefault(target, []).extend(messages(sub_detail))
        else:
            rest[name] = detail
    return rest


def sentences(detail, labels: Mapping[str, str], where: str = "") -> list[str]:
    """An error tree as sentences that say where: '补贴对象第2行 身份证号：……' (for a page
    that lists the errors in one place)."""
    out = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            if str(key).isdigit():
                label = f"{where}第{int(key) + 1}行"
            else:
                label = f"{where} {labels.get(key, key)}".strip()
            out.extend(sentences(value, labels, label))
    elif isinstance(detail, list):
        for index, value in enumerate(detail):
            if isinstance(value, dict):
                out.extend(sentences(value, labels, f"{where}第{index + 1}行"))
            elif isinstance(value, list):
                out.extend(sentences(value, labels, where))
            else:
                out.append(f"{where}：{value}" if where else str(value))
    else:
        out.append(f"{where}：{detail}" if where else str(detail))
    return out
