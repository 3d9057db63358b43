"""The serializer base whose declared fields are copied cheaply per instance: each
instance's fields are its own, bound to it, and nested fields see its context."""

from rest_framework import serializers

from diarium.core.serializers import Serializer, instance_copy


class _Inner(Serializer):
    who = serializers.SerializerMethodField()

    def get_who(self, obj: dict) -> str:
        return self.context["who"]


class _Outer(Serializer):
    name = serializers.CharField(max_length=5)
    code = serializers.ChoiceField(choices=[("a", "A"), ("b", "B")])
    inner = _Inner(source="*")
    many = _Inner(source="items", many=True)
    tags = serializers.ListField(child=serializers.CharField(max_length=3))


def test_each_instance_has_its_own_bound_fields_and_the_declared_stay_unbound():
    first, second = _Outer(context={"who": "a"}), _Outer(context={"who": "b"})
    assert first.fields["name"] is not second.fields["name"]
    assert first.fields["name"].parent is first and second.fields["name"].parent is second
    declared = _Outer._declared_fields["name"]
    assert declared.parent is None and declared.field_name is None


def test_nested_fields_read_their_own_instances_context():
    obj = {"name": "x", "code": "a", "items": [{}, {}], "tags": []}
    assert _Outer(obj, context={"who": "a"}).data["inner"] == {"who": "a"}
    data = _Outer(obj, context={"who": "b"}).data
    assert data["inner"] == {"who": "b"}
    assert data["many"] == [{"who": "b"}, {"who": "b"}]


def test_validation_keeps_each_fields_rules():
    given = _Outer(data={"name": "toolong", "code": "c", "inner": {}, "many": [],
                         "tags": ["abcd"]})
    assert not given.is_valid()
    assert set(given.errors) == {"name", "code", "tags"}
    ok = _Outer(data={"name": "ok", "code": "b", "inner": {}, "many": [], "tags": ["ab"]})
    assert ok.is_valid(), ok.errors


def test_a_leaf_copy_shares_no_binding_with_its_original():
    original = serializers.CharField(max_length=3)
    copy = instance_copy(original)
    copy.bind("title", _Outer())
    assert copy.field_name == "title" and original.field_name is None
    assert copy.source == "title" and original.source is None
    nested = _Outer._declared_fields["many"]
    assert instance_copy(nested).child is not nested.child
