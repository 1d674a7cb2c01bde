"""Facebook on the Graph API: the adapter Facebook Pages and Instagram share, with Facebook's names."""

from socialdesk.channels.meta.adapter import MetaCommentsAdapter

ADAPTER = MetaCommentsAdapter(
    name="facebook", display="Facebook", owner_key="page_id", reply_edge="comments", hide_field="is_hidden"
)
