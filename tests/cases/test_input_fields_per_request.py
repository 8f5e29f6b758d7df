"""The complaint's input serializers copy their declared fields shallowly for each request
(core.serializers.InputSerializer): each request's fields must still be its own, bound to
its own serializer, with the class's declared fields left untouched."""

from cases.complaint_inputs import ClaimantInput, ComplaintInput


def test_each_serializer_has_its_own_bound_fields():
    first, second = ComplaintInput(data={}), ComplaintInput(data={})
    for name in ("kind", "description", "employer", "claimants"):
        assert first.fields[name] is not second.fields[name]
        assert first.fields[name].parent is first
        assert second.fields[name].parent is second
    # The nested ones are their own too, down to their fields.
    assert first.fields["employer"].fields["name"] is not second.fields["employer"].fields["name"]
    assert first.fields["employer"].fields["name"].parent is first.fields["employer"]


def test_the_declared_fields_stay_unbound():
    ComplaintInput(data={}).fields  # noqa: B018  (binds this request's copies)
    for field in ComplaintInput._declared_fields.values():
        assert getattr(field, "field_name", None) is None
        assert getattr(field, "parent", None) is None
    for field in ClaimantInput._declared_fields.values():
        assert getattr(field, "field_name", None) is None


def test_two_requests_keep_their_own_errors():
    bad = ComplaintInput(data={"kind": "nonsense", "description": ""})
    good_kind = ComplaintInput(data={"kind": "wage_arrears", "description": "拖欠工资"})
    assert not bad.is_valid()
    assert "kind" in bad.errors
    good_kind.is_valid()
    assert "kind" not in good_kind.errors
    assert "description" not in good_kind.errors
