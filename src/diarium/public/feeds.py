"""The postlista of an authority as RSS 2.0 and Atom feeds (Django's syndication
framework), from the projection only: what the postlista page shows, newest first."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from diarium.public import selectors
from diarium.public.models import PublicAuthority, PublicDocument
from diarium.public.throttles import refused_for

FEED_ITEMS = 200


class PostlistaFeed(Feed):
    def __call__(self, request, *args, **kwargs):
        wait = refused_for(request)
        if wait is not None:
            response = HttpResponse(_("Too many requests"), status=429,
                                    content_type="text/plain; charset=utf-8")
            response["Retry-After"] = str(wait)
            return response
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request, code: str) -> PublicAuthority:
        authority = selectors.authority_by_code(code)
        if authority is None:
            raise Http404
        return authority

    def title(self, obj: PublicAuthority) -> str:
        return _("Postlista – %(name)s") % {"name": obj.name}

    def link(self, obj: PublicAuthority) -> str:
        return reverse("public:postlista_authority", args=[obj.code])

    def description(self, obj: PublicAuthority) -> str:
        return _("Documents registered by %(name)s in the last %(days)s days.") % {
            "name": obj.name, "days": selectors.MAX_POSTLISTA_DAYS}

    def items(self, obj: PublicAuthority):
        return selectors.postlista(obj, selectors.MAX_POSTLISTA_DAYS)[:FEED_ITEMS]

    def item_title(self, item: PublicDocument) -> str:
        if item.is_secret:
            return f"{item.document_number} – {item.secrecy_ground}"
        return f"{item.document_number} – {item.public_title or _('No public title')}"

    def item_description(self, item: PublicDocument) -> str:
        parts = [item.record_type, item.counterpart]
        return " · ".join(p for p in parts if p)

    def item_link(self, item: PublicDocument) -> str:
        return reverse("public:document", args=[item.pk])

    def item_guid(self, item: PublicDocument) -> str:
        return f"urn:uuid:{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: PublicDocument):
        return item.registered_at

    def item_updateddate(self, item: PublicDocument):
        return item.refreshed_at


class PostlistaAtom(PostlistaFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj: PublicAuthority) -> str:
        return self.description(obj)
