"""A renderer that lets a file download be asked for with any Accept header."""

from rest_framework.renderers import BaseRenderer, JSONRenderer


class PassthroughRenderer(BaseRenderer):
    """Accepts any media type. The view answers with a FileResponse, which DRF does not
    render; only an error (a problem) passes through here, and is written as JSON."""

    media_type = "*/*"
    format = "bin"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        if isinstance(data, bytes):
            return data
        return JSONRenderer().render(data)
